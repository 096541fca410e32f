export * from './workflow';
export * from './step-props';
export * from './workflow-step';
