import { Construct } from 'constructs';
import { PropChecker, PropProblem, ValidationError } from '../../constructs/core/validation-error';

/** The ValidationError `act` throws, or undefined when it throws nothing; any other error is thrown on. */
function thrownBy(act: () => unknown): ValidationError | undefined {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) {
      return error;
    }
    throw error;
  }
  return undefined;
}

/**
 * The problems of the ValidationError `act` throws, none when it throws nothing. Any other error
 * is thrown on: a mistake in props is reported as a ValidationError, never as another error.
 */
export function problemsOf(act: () => unknown): PropProblem[] {
  return thrownBy(act)?.problems ?? [];
}

/** The ValidationError `act` throws; fails when it throws nothing, and throws any other error on. */
export function validationErrorOf(act: () => unknown): ValidationError {
  const error = thrownBy(act);
  if (!error) {
    throw new Error('expected a ValidationError; nothing was thrown');
  }
  return error;
}

/**
 * Each problem of the ValidationError `act` throws, as `prop = value: fix`, the value as JSON (a date
 * as its ISO time, a construct as `<its path>`); none when it throws nothing.
 */
export function problemLines(act: () => unknown): string[] {
  const show = (value: unknown) => (value instanceof Date ? value.toISOString()
    : JSON.stringify(value, (_, v) => (Construct.isConstruct(v) ? `<${v.node.path}>` : v)));
  return problemsOf(act).map((p) => `${p.prop} = ${show(p.value)}: ${p.fix}`);
}

/** Each problem `check` records on a PropChecker of its own, as problemLines writes it. */
export function checkerProblems(check: (checker: PropChecker) => void): string[] {
  return problemLines(() => {
    const checker = new PropChecker('Test');
    check(checker);
    checker.throwIfAny();
  });
}
