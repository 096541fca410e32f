export * from './artifact-store';
export * from './model-registry';
export * from './run-registry';
