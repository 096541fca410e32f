export * from './data-science-network';
export { NetworkProfile } from './network-profile';
