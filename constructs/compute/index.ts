export * from './batch-compute';
