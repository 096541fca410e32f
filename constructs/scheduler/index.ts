export * from './workflow';
export * from './workflow-step';
