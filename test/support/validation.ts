import { PropProblem, ValidationError } from '../../constructs/core/validation-error';

/**
 * The problems of the ValidationError `act` throws, none when it throws nothing. Any other error
 * is thrown on: a mistake in props is reported as a ValidationError, never as another error.
 */
export function problemsOf(act: () => unknown): PropProblem[] {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}

/** The ValidationError `act` throws; fails when it throws nothing, and throws any other error on. */
export function validationErrorOf(act: () => unknown): ValidationError {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ValidationError; nothing was thrown');
}
