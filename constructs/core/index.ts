export * from './compliance';
export * from './validation-error';
export { MAX_NAME_LENGTH } from './naming';
