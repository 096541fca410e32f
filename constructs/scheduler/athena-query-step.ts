import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { PropChecker } from '../core/validation-error';
import { DataWarehouse } from '../warehouse/data-warehouse';
import { grantDatabases } from '../warehouse/work-group';
import { checkSnapshotPlaceholders, withRunValues } from './run-values';
import { addAthenaQueryStep } from './step-states';
import type { AthenaQueryStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

const PREFIX = /^([A-Za-z0-9!_.*'()-]+\/)+$/;

/** The statements that only read: anything else writes objects or tables, which needs `output`. */
const READING_STATEMENTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN']);

/**
 * The first keyword of a query, past comments and opening parentheses, in upper case: `UNLOAD`
 * for `UNLOAD (SELECT ...) TO 's3://...'`, `CREATE` for a CTAS.
 */
export function leadingKeyword(sql: string): string {
  const code = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  return (code.match(/^[\s(]*([A-Za-z]+)/)?.[1] ?? '').toUpperCase();
}

/** Builds a `WorkflowStep.athenaQuery`. */
export class AthenaQueryBuilder implements StepBuilder {
  constructor(private readonly props: AthenaQueryStepProps) {}

  public check(_step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void {
    const sql = this.props.queryString;
    check.check(typeof sql === 'string' && sql.trim().length > 0, `${prefix}.queryString`, sql, 'give the SQL to run');
    checkSnapshotPlaceholders(check, `${prefix}.queryString`, sql, context);
    const { warehouse, zone } = this.props;
    // a query target may be a plain object (DataWarehouse.queryTargetFor): known by its grant
    check.instance(`${prefix}.warehouse`, warehouse, 'grantQuery', 'a DataWarehouse, its queryTargetFor(tables), or a ProjectSandboxStack for its own data', { required: true });
    const keyword = typeof sql === 'string' ? leadingKeyword(sql) : '';
    // a warehouse grants queries reading only (a sandbox's own prefix is its queries' to write): a
    // query that writes (UNLOAD, CTAS, INSERT, ...) with no output would fail only at run time
    check.check(!(warehouse instanceof DataWarehouse) || keyword === '' || READING_STATEMENTS.has(keyword) || this.props.output !== undefined,
      `${prefix}.output`, undefined, `the query starts with ${keyword}, which writes: give output: { zone, prefix } where it writes, so the step may write there`);
    // the step is granted what its target grants, which covers the target's own zones only
    check.check(zone === undefined || (warehouse instanceof DataWarehouse && warehouse.zones.includes(zone)), `${prefix}.zone`, zone?.databaseName,
      'give a zone of the step\'s warehouse, or none: a sandbox\'s queries run in its own database');
    const output = this.props.output;
    if (output !== undefined && check.struct(`${prefix}.output`, output, '{ zone: warehouse.curated, prefix: "features/" }')) {
      check.construct(`${prefix}.output.zone`, output.zone, 'a LakeZone, such as warehouse.curated', { required: true });
      check.check(typeof output.prefix === 'string' && PREFIX.test(output.prefix), `${prefix}.output.prefix`, output.prefix,
        'give a key prefix such as "features/": path segments ending in "/", no leading "/"');
    }
  }

  public addStates(step: StepIdentity, _context: StepContext, sink: StepStateSink): void {
    const { warehouse } = this.props;
    addAthenaQueryStep(sink, step.name, withRunValues('QueryString', this.props.queryString), {
      WorkGroup: warehouse.workGroupName,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: this.props.zone?.databaseName ?? warehouse.defaultDatabaseName },
    }, step.retries);
  }

  public grant(stateMachine: sfn.StateMachine): void {
    const role = stateMachine.role;
    this.props.warehouse.grantQuery(role);
    const output = this.props.output;
    if (output) {
      output.zone.grantWrite(role, output.prefix);
      grantDatabases(role, role, [output.zone.databaseName], ['glue:CreateTable', 'glue:UpdateTable', 'glue:BatchCreatePartition'],
        'CTAS creates a table named in its SQL, in this zone\'s database only; no delete.');
    }
  }
}
