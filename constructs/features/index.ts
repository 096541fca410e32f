export * from './data-quality-ruleset';
export * from './emr-release';
export * from './spark-job';
export * from './spark-runtime';
export * from './spark-runtime-props';
