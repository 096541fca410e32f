import type { PropChecker } from '../core/validation-error';

/** A container image URI as SageMaker takes one: up to 255 characters, no spaces. */
const IMAGE_URI = /^\S{1,255}$/;

/**
 * Records a problem unless `value` is an image URI, or is undefined and not `required`;
 * `example` is one the prop's use would take.
 */
export function checkImageUri(check: PropChecker, prop: string, value: unknown, example: string, options: { required?: boolean } = {}): void {
  check.matches(prop, value, IMAGE_URI, `give an image URI of up to 255 characters without spaces, for example "${example}"`, options);
}
