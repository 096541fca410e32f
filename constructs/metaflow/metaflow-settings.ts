/**
 * The team stack's outputs that configure Metaflow, each with the setting it fills. Kept free
 * of aws-cdk-lib, so the stack that writes the outputs and `dsi metaflow-config` that reads them
 * share this one table.
 */
export const METAFLOW_OUTPUTS = {
  MetaflowDatastoreRoot: 'METAFLOW_DATASTORE_SYSROOT_S3',
  MetaflowDataToolsRoot: 'METAFLOW_DATATOOLS_S3ROOT',
  MetaflowBatchJobQueue: 'METAFLOW_BATCH_JOB_QUEUE',
  MetaflowTaskRoleArn: 'METAFLOW_ECS_S3_ACCESS_IAM_ROLE',
  MetaflowFargateExecutionRoleArn: 'METAFLOW_ECS_FARGATE_EXECUTION_ROLE',
  MetaflowStepFunctionsRoleArn: 'METAFLOW_SFN_IAM_ROLE',
  MetaflowEventBridgeRoleArn: 'METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE',
  MetaflowForeachTableName: 'METAFLOW_SFN_DYNAMO_DB_TABLE',
  MetaflowStateMachinePrefix: 'METAFLOW_SFN_STATE_MACHINE_PREFIX',
} as const;

/**
 * The team stack's output naming its multi-node queue, when it has one. Metaflow has no setting
 * for it: `@parallel` steps submit to their `@batch(queue=...)`, which defaults to
 * METAFLOW_BATCH_JOB_QUEUE, so `dsi metaflow-config` prints it for the step to name.
 */
export const METAFLOW_PARALLEL_QUEUE_OUTPUT = 'MetaflowParallelJobQueue';

/** The key of one of the team stack's Metaflow outputs. */
export type MetaflowOutput = keyof typeof METAFLOW_OUTPUTS;
