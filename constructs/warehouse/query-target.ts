import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Where Athena queries run: a workgroup, the database a query runs in unless it names another,
 * and the grant to run queries there. A `DataWarehouse` is one; so is a project sandbox.
 */
export interface IQueryTarget {
  /** The Athena workgroup queries run in. */
  readonly workGroupName: string;
  /** The Glue database a query runs in unless it says otherwise. */
  readonly defaultDatabaseName: string;
  /** Lets `grantee` run queries in the workgroup, over what the target holds, and read their results. */
  grantQuery(grantee: iam.IGrantable): iam.Grant;
}
