export * from './deployment-guardrails';
export * from './drift-monitor';
export * from './drift-monitor-props';
export * from './model-endpoint';
export * from './model-monitor-image';
export * from './model-source';
