import { PropChecker } from './validation-error';

/** A SageMaker instance type: `ml.`, a family and a size, like "ml.m5.xlarge". */
const SAGEMAKER_INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * Records a problem unless `value` names a SageMaker instance type, or is undefined and not
 * `required`; `example` is one the prop's use would take.
 */
export function checkSageMakerInstanceType(check: PropChecker, prop: string, value: unknown, example: string, options: { required?: boolean } = {}): void {
  check.matches(prop, value, SAGEMAKER_INSTANCE_TYPE, `give a SageMaker instance type, for example "${example}"`, options);
}
