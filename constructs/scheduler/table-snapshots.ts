import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { PropChecker } from '../core/validation-error';
import { DataWarehouse } from '../warehouse/data-warehouse';
import type { LakeTable } from '../warehouse/lake-table';
import { AslState, catchAll, task, transientRetry } from './asl';
import { HAND_SNAPSHOTS, READ_SNAPSHOTS, SNAPSHOT_ROWS } from './run-states';
import { ATHENA_TRANSIENT_ERRORS, SNAPSHOTS_PATH } from './step-states';
import type { TableSnapshotsProps } from './workflow-snapshot-props';

/*
 * How a run records the snapshots of the Iceberg tables it reads, with no function: one Athena
 * query over the tables' `$history` metadata tables, each table's current snapshot in a row of
 * its own (an aggregate, so a table with no snapshot yet gives a row of empty strings), read back
 * with GetQueryResults. Why Athena: Glue's catalog entry names only the current metadata file,
 * whose JSON grows with every snapshot past what a state may hold (256 KB) and whose 64-bit ids
 * JSON numbers do not keep exactly; Athena returns the ids as strings. The price is one small
 * query (a few seconds, Athena's 10 MB minimum) as each run starts.
 */

/** History events the snapshot states add to a run: a .sync task, a task and a Pass state. */
export const SNAPSHOT_HISTORY_EVENTS = 6 + 5 + 2;

/** Records what is wrong with the tables a workflow versions. */
export function checkTableSnapshots(check: PropChecker, props: TableSnapshotsProps): void {
  const tables = check.list('tableSnapshots.tables', props.tables, '[events], Iceberg tables of the warehouse');
  check.nonEmpty('tableSnapshots.tables', props.tables, 'name at least one Iceberg table, or leave tableSnapshots out');
  const names = tables.map((table) => table.tableName);
  tables.forEach((table, i) => {
    check.construct(`tableSnapshots.tables[${i}]`, table, 'a LakeTable, such as warehouse.curated.addTable("Features", { tableName, columns, format: TableFormat.ICEBERG })',
      { required: true });
    check.check(!Construct.isConstruct(table) || table.format.iceberg, `tableSnapshots.tables[${i}]`, table.tableName,
      'give an Iceberg table (format: TableFormat.ICEBERG): only Iceberg tables have snapshots');
    check.check(names.indexOf(table.tableName) === i, `tableSnapshots.tables[${i}]`, table.tableName,
      'name each table once, and no two tables of one name: steps name them as {snapshot:<table>}');
  });
  const warehouse = props.warehouse;
  if (warehouse instanceof DataWarehouse) {
    const databases = warehouse.zones.map((zone) => zone.databaseName);
    tables.forEach((table, i) => check.check(databases.includes(table.databaseName), `tableSnapshots.tables[${i}]`, table.tableName,
      'give a table of the warehouse\'s zones: the query that reads the snapshots may read those only'));
  }
}

/** The query: for each table in turn, its current snapshot id and when it became current, as strings. */
export function snapshotQuery(props: TableSnapshotsProps): string {
  const rows = props.tables.map((table, i) => [
    `SELECT ${i} AS i,`,
    '  coalesce(CAST(max_by(snapshot_id, made_current_at) AS varchar), \'\') AS snapshot_id,',
    '  coalesce(to_iso8601(max(made_current_at)), \'\') AS committed_at',
    `FROM "${table.databaseName}"."${table.tableName}$history" WHERE is_current_ancestor`,
  ].join('\n'));
  return `SELECT i, snapshot_id, committed_at FROM (\n${rows.join('\nUNION ALL\n')}\n) ORDER BY i`;
}

/**
 * The states that read the snapshots, in order, the last going on to `next`: their failure
 * goes to `failed` with the error at `$.caught`. They leave at `$.snapshots` the ids and commit
 * times by table, the ids as JSON (`json`), and as a Batch environment entry (`env`).
 */
export function snapshotStates(props: TableSnapshotsProps, next: string, failed: string): [string, AslState][] {
  // the first row holds the column names
  const cell = (column: number) => Object.fromEntries(props.tables.map((table, i) => [`${table.tableName}.$`, `$.ResultSet.Rows[${i + 1}].Data[${column}].VarCharValue`]));
  const retry = { Retry: [transientRetry(ATHENA_TRANSIENT_ERRORS)], Catch: [catchAll(failed)] };
  return [
    [READ_SNAPSHOTS, task('athena:startQueryExecution.sync', {
      QueryString: snapshotQuery(props),
      WorkGroup: props.warehouse.workGroupName,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog' },
    }, { ...retry, ResultSelector: { 'id.$': '$.QueryExecution.QueryExecutionId' }, ResultPath: '$.snapshotQuery', Next: SNAPSHOT_ROWS })],
    [SNAPSHOT_ROWS, task('athena:getQueryResults', { 'QueryExecutionId.$': '$.snapshotQuery.id' }, {
      ...retry, ResultSelector: { ids: cell(1), committedAt: cell(2) }, ResultPath: SNAPSHOTS_PATH, Next: HAND_SNAPSHOTS,
    })],
    [HAND_SNAPSHOTS, {
      Type: 'Pass',
      Parameters: {
        'ids.$': `${SNAPSHOTS_PATH}.ids`,
        'committedAt.$': `${SNAPSHOTS_PATH}.committedAt`,
        'json.$': `States.JsonToString(${SNAPSHOTS_PATH}.ids)`,
        'env': { 'Name': 'DSI_SNAPSHOTS', 'Value.$': `States.JsonToString(${SNAPSHOTS_PATH}.ids)` },
      },
      ResultPath: SNAPSHOTS_PATH,
      Next: next,
    }],
  ];
}

/** The run record's `snapshots`: by table, its full name, snapshot id and commit time. */
export function snapshotsAttribute(tables: LakeTable[]): object {
  return {
    M: Object.fromEntries(tables.map((table) => [table.tableName, {
      M: {
        table: { S: `${table.databaseName}.${table.tableName}` },
        snapshotId: { 'S.$': `${SNAPSHOTS_PATH}.ids.${table.tableName}` },
        committedAt: { 'S.$': `${SNAPSHOTS_PATH}.committedAt.${table.tableName}` },
      },
    }])),
  };
}

/** Lets the workflow's role run the query and read its results: the warehouse's query grant. */
export function grantSnapshotReads(role: iam.IRole, props: TableSnapshotsProps): void {
  props.warehouse.grantQuery(role);
}
