export * from './data-science-stack';
export { DataScienceStage, DataScienceStages } from './stage';
export type { StageSettings } from './stage';
export * from '../constructs/core';
export * from '../constructs/network';
export * from '../constructs/warehouse';
export * from '../constructs/compute';
export * from '../constructs/scheduler';
export * from '../constructs/versioning';
