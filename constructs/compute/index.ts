export * from './batch-compute';
export * from './compute-queue';
export * from './job-definition-props';
