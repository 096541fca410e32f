export { CompliancePacks } from './compliance';
export type { CompliancePacksOptions } from './compliance';
export { ValidationError, ValidationErrors } from './validation-error';
export type { PropProblem } from './validation-error';
