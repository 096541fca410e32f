export * from './deployment-guardrails';
export * from './model-endpoint';
export * from './model-source';
