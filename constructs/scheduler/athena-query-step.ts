import { Construct } from 'constructs';
import type { PropChecker } from '../core/validation-error';
import { DataWarehouse } from '../warehouse/data-warehouse';
import { grantDatabases } from '../warehouse/work-group';
import { retryFailures, serviceTask, withRunId } from './step-states';
import type { AthenaQueryStepProps } from './step-props';
import type { BoundStep, StepBuilder, StepContext, StepIdentity } from './step-types';

const PREFIX = /^([A-Za-z0-9!_.*'()-]+\/)+$/;

/** Builds a `WorkflowStep.athenaQuery`. */
export class AthenaQueryBuilder implements StepBuilder {
  constructor(private readonly props: AthenaQueryStepProps) {}

  public check(_step: StepIdentity, _context: StepContext, check: PropChecker, prefix: string): void {
    check.check(this.props.queryString.trim().length > 0, `${prefix}.queryString`, this.props.queryString, 'give the SQL to run');
    // the step is granted what its target grants, which covers the target's own zones only
    const { warehouse, zone } = this.props;
    check.check(zone === undefined || (warehouse instanceof DataWarehouse && warehouse.zones.includes(zone)), `${prefix}.zone`, zone?.databaseName,
      'give a zone of the step\'s warehouse, or none: a sandbox\'s queries run in its own database');
    const output = this.props.output;
    check.check(output === undefined || PREFIX.test(output.prefix), `${prefix}.output.prefix`, output?.prefix,
      'give a key prefix such as "features/": path segments ending in "/", no leading "/"');
  }

  public build(scope: Construct, step: StepIdentity, _context: StepContext): BoundStep {
    const { warehouse } = this.props;
    const task = serviceTask(scope, step.name, 'athena:startQueryExecution.sync', {
      ...withRunId('QueryString', this.props.queryString),
      WorkGroup: warehouse.workGroupName,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: this.props.zone?.databaseName ?? warehouse.defaultDatabaseName },
    }, ['Athena.TooManyRequestsException', 'Athena.InternalServerException']);
    retryFailures(task, step.retries);
    return {
      start: task,
      end: task,
      catchable: [task],
      grant: (role) => {
        warehouse.grantQuery(role);
        const output = this.props.output;
        if (output) {
          output.zone.grantWrite(role, output.prefix);
          grantDatabases(role, role, [output.zone.databaseName], ['glue:CreateTable', 'glue:UpdateTable', 'glue:BatchCreatePartition'],
            'CTAS creates a table named in its SQL, in this zone\'s database only; no delete.');
        }
      },
    };
  }
}
