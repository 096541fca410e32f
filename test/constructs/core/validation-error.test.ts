import { Lazy } from 'aws-cdk-lib';
import { PropChecker, ValidationError } from '../../../constructs/core/validation-error';

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
