export * from './data-science-network';
