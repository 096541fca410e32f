export * from './batch-compute';
export { ComputeQueue } from './compute-queue';
export type { ComputeQueueOptions, ComputeQueuePlacement, ComputeQueueProps, FargateQueueOptions } from './compute-queue';
export type { BatchJobDefinitionProps } from './job-definition-props';
export type { ISparkJob } from './spark-job-target';
// multi-node jobs
export { MultiNodeQueue } from './multi-node-queue';
export type { MultiNodeQueueOptions, MultiNodeQueueProps } from './multi-node-queue';
export type { BatchMultiNodeJobDefinitionProps } from './multi-node-job-definition-props';
