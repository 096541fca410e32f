import { Lazy } from 'aws-cdk-lib';
import { PropChecker, ValidationError, ValidationErrors } from '../../../constructs/core/validation-error';

describe('PropChecker', () => {
  test('throws one ValidationError listing every problem with prop, value and fix', () => {
    const check = new PropChecker('Thing');
    check.check(false, 'size', 0, 'give 1 or more');
    check.check(true, 'name', 'ok', 'never shown');
    check.check(false, 'name', 'Bad', 'use lowercase');
    expect(() => check.throwIfAny()).toThrow(new ValidationError('Thing', [
      { prop: 'size', value: 0, fix: 'give 1 or more' },
      { prop: 'name', value: 'Bad', fix: 'use lowercase' },
    ]));
    expect(() => check.throwIfAny()).toThrow('Invalid props for Thing:\n  - size = 0: give 1 or more\n  - name = "Bad": use lowercase');
  });

  test('known() rejects an unresolved token where a plain value is needed', () => {
    const check = new PropChecker('Thing');
    check.known('name', Lazy.string({ produce: () => 'x' }), 'give a plain string');
    check.known('size', 3, 'never shown');
    expect(() => check.throwIfAny()).toThrow(/name = "\$\{Token\[.*\]\}": give a plain string/);
  });

  test('does not judge unresolved tokens', () => {
    const check = new PropChecker('Thing');
    check.check(false, 'name', Lazy.string({ produce: () => 'x' }), 'never shown');
    check.check(false, 'size', Lazy.number({ produce: () => 0 }), 'never shown');
    expect(() => check.throwIfAny()).not.toThrow();
  });
});

describe('ValidationError', () => {
  const thrown = () => {
    const check = new PropChecker('Thing');
    check.check(false, 'size', 0, 'give 1 or more');
    try {
      check.throwIfAny();
    } catch (error) {
      return error;
    }
    throw new Error('nothing thrown');
  };

  test('is caught by type, with its problems', () => {
    const error = thrown();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(Error);
    expect((error as ValidationError).problems).toEqual([{ prop: 'size', value: 0, fix: 'give 1 or more' }]);
  });

  test('is told from other errors by ValidationErrors.isValidationError, also when thrown by another copy of the library', () => {
    expect(ValidationErrors.isValidationError(thrown())).toBe(true);
    let copy: typeof import('../../../constructs/core/validation-error') | undefined;
    jest.isolateModules(() => {
      copy = require('../../../constructs/core/validation-error');
    });
    const fromCopy = new copy!.ValidationError('Thing', []);
    expect(fromCopy).not.toBeInstanceOf(ValidationError);
    expect(ValidationErrors.isValidationError(fromCopy)).toBe(true);
    for (const other of [new Error('Invalid props for Thing'), { name: 'ValidationError' }, 'ValidationError', null, undefined]) {
      expect(ValidationErrors.isValidationError(other)).toBe(false);
    }
  });
});
