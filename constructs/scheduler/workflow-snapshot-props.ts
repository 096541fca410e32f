import type { LakeTable } from '../warehouse/lake-table';
import type { IQueryTarget } from '../warehouse/query-target';

/**
 * The Apache Iceberg tables a workflow's runs read. As each run starts, it records every
 * table's current snapshot id in its run record and hands them to every step: Batch and Spark
 * jobs see them as JSON in `DSI_SNAPSHOTS` (`{"<table>": "<snapshot id>"}`), queries where they
 * say `{snapshot:<table>}`, as in `FROM features FOR VERSION AS OF {snapshot:features}`.
 */
export interface TableSnapshotsProps {
  /** Iceberg tables (`TableFormat.ICEBERG`), each name once: steps name them by it. */
  readonly tables: LakeTable[];
  /** Where the one Athena query that reads the snapshots runs: the warehouse holding the tables. */
  readonly warehouse: IQueryTarget;
}
