export * from './batch-compute';
export * from './compute-queue';
export type { BatchJobDefinitionProps } from './job-definition-props';
export type { ISparkJob } from './spark-job-target';
