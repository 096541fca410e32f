import type { Duration } from 'aws-cdk-lib';
import { isDuration, type PropChecker } from '../core/validation-error';

/**
 * A duration prop as a number of `unit`s, fractions kept, for the check of its range; undefined
 * when it is unset, or no Duration, which is refused here by name: from JavaScript a number may
 * come where a Duration goes. `example` is a Duration in the prop's range, for the fix.
 */
export function durationIn(check: PropChecker, prop: string, value: Duration | undefined, unit: 'seconds' | 'minutes', example: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!isDuration(value)) {
    check.check(false, prop, value, `give a Duration, for example ${example}`);
    return undefined;
  }
  return unit === 'minutes' ? value.toMinutes({ integral: false }) : value.toSeconds({ integral: false });
}
