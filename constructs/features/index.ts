export * from './data-quality-ruleset';
