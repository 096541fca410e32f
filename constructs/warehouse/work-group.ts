import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeResourceWildcard } from '../core/grants';

/** Running queries in a workgroup and reading their results and saved queries; no workgroup changes. */
const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
  'athena:GetQueryRuntimeStatistics', 'athena:BatchGetQueryExecution', 'athena:ListQueryExecutions',
  'athena:GetWorkGroup', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery', 'athena:ListNamedQueries',
];

/** Reading a database's schema, as a query planner does. */
export const GLUE_READ_ACTIONS = [
  'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables',
  'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
];

export const GIB = 1024 ** 3;

/** The ARN of the workgroup `name` in `scope`'s stack. */
export function workGroupArn(scope: IConstruct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'athena', resource: 'workgroup', resourceName: name });
}

/** Lets `grantee` run queries in the workgroup `name` of `scope`'s stack and read their results. */
export function grantWorkGroupQueries(scope: IConstruct, grantee: iam.IGrantable, name: string): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: ATHENA_QUERY_ACTIONS, resourceArns: [workGroupArn(scope, name)] });
}

/**
 * Lets `grantee` call the Glue `actions` on the catalog, the databases and every table of
 * theirs, in one statement; the tables' wildcard is acknowledged with `reason`.
 */
export function grantDatabases(scope: IConstruct, grantee: iam.IGrantable, databaseNames: string[], actions: string[], reason: string): iam.Grant {
  const stack = Stack.of(scope);
  const databases = databaseNames.map((name) => stack.formatArn({ service: 'glue', resource: 'database', resourceName: name }));
  const tables = databaseNames.map((name) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${name}/*` }));
  tables.forEach((arn) => acknowledgeResourceWildcard(grantee, arn, reason));
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [stack.formatArn({ service: 'glue', resource: 'catalog' }), ...databases, ...tables] });
}

export interface EnforcedWorkGroupProps {
  readonly name: string;
  readonly description: string;
  /** Most data one query may scan, in GiB. */
  readonly bytesScannedCutoffPerQueryGiB: number;
  /** Where results go, an `s3://` URL ending in `/`. */
  readonly outputLocation: string;
  /** Encrypts the results. */
  readonly encryptionKey: kms.IKey;
}

/**
 * An Athena workgroup whose settings clients cannot override: engine 3, a per-query scan
 * limit, CloudWatch metrics, and KMS-encrypted results in one place. Deleting it deletes its
 * saved queries and history too, so a stack deletion never stalls on them.
 */
export function newEnforcedWorkGroup(scope: Construct, id: string, props: EnforcedWorkGroupProps): athena.CfnWorkGroup {
  return new athena.CfnWorkGroup(scope, id, {
    name: props.name,
    description: props.description,
    state: 'ENABLED',
    recursiveDeleteOption: true,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: Math.round(props.bytesScannedCutoffPerQueryGiB * GIB),
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: props.outputLocation,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
      },
    },
  });
}
