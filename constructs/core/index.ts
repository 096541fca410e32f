export * from './compliance';
export { ValidationError } from './validation-error';
export type { PropProblem } from './validation-error';
