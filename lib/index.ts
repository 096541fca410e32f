export * from './data-science-stack';
export * from './stage';
export * from '../constructs/core';
export * from '../constructs/network';
export * from '../constructs/warehouse';
export * from '../constructs/compute';
export * from '../constructs/scheduler';
export * from '../constructs/versioning';
