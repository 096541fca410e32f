export * from './batch-compute';
export * from './compute-queue';
export type { BatchJobDefinitionProps } from './job-definition-props';
