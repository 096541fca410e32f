import { ValidationErrors } from '../../constructs/core/validation-error';

/*
 * A bound of a prop tested from both sides: the lowest and highest values taken, and the values
 * one step past each refused in a ValidationError that names the prop. A bound tested from one
 * side passes with the limit moved by one.
 */

/** One bound of one prop. */
export interface Bound {
  /** Where the check is, as `boundSites()` names it: `<file>: <prop as the call spells it>`. */
  readonly site: string;
  /** The prop as the ValidationError names it here. */
  readonly prop: string;
  readonly lowest: number;
  /** @default - no upper bound but the number's own */
  readonly highest?: number;
  /** Whether a value below `lowest` can be given at all (a `Duration` cannot be negative). @default true */
  readonly belowLowest?: boolean;
  /** The smallest step past an end. @default 1 */
  readonly step?: number;
  /** Validates props with the prop at `value`; throws the ValidationError, if any. */
  readonly build: (value: number) => void;
}

/** The props a ValidationError names when the prop is at `value`; none when it is taken. */
function refusedProps(bound: Bound, value: number): string[] {
  try {
    bound.build(value);
    return [];
  } catch (error) {
    if (!ValidationErrors.isValidationError(error)) {
      throw error;
    }
    return (error as { problems: { prop: string }[] }).problems.map((p) => p.prop);
  }
}

/** What is wrong with the bound, as lines; none when both sides hold. */
export function boundFindings(bound: Bound): string[] {
  const step = bound.step ?? 1;
  const sides: [number, boolean][] = [[bound.lowest, true]];
  if (bound.belowLowest ?? true) {
    sides.push([bound.lowest - step, false]);
  }
  if (bound.highest !== undefined) {
    sides.push([bound.highest, true], [bound.highest + step, false]);
  }
  return sides.flatMap(([value, taken]) => {
    const refused = refusedProps(bound, value).includes(bound.prop);
    return refused === taken ? [`${bound.prop} = ${value} is ${refused ? 'refused' : 'taken'}: it should be ${taken ? 'taken' : 'refused'}`] : [];
  });
}
