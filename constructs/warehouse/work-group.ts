import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Running queries in a workgroup and reading their results and saved queries; no workgroup changes. */
export const ATHENA_QUERY_ACTIONS = [
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
