export * from './workflow';
export * from './workflow-trigger-props';
export * from './step-props';
export * from './workflow-step';
export * from './workflow-snapshot-props';
