export * from './batch-compute';
export { ComputeQueue } from './compute-queue';
export type { ComputeQueueOptions, ComputeQueuePlacement, ComputeQueueProps, FargateQueueOptions } from './compute-queue';
export type { BatchJobDefinitionProps } from './job-definition-props';
