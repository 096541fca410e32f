import { App, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MAX_INT32, PropChecker, shownDuration, ValidationError, ValidationErrors, withPropsOf } from '../../../constructs/core/validation-error';
import { checkerProblems, problemLines, problemsOf } from '../../support/validation';

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
    check.known('count', Lazy.number({ produce: () => 3 }), 'give a plain number');
    // a number token shows as its token text, not as the huge negative number it is encoded as
    expect(problemLines(() => check.throwIfAny())).toEqual([
      expect.stringMatching(/^name = "\$\{Token\[TOKEN\.\d+\]\}": give a plain string$/),
      expect.stringMatching(/^count = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number$/),
    ]);
  });

  test('does not judge unresolved tokens', () => {
    const check = new PropChecker('Thing');
    check.check(false, 'name', Lazy.string({ produce: () => 'x' }), 'never shown');
    check.check(false, 'size', Lazy.number({ produce: () => 0 }), 'never shown');
    expect(() => check.throwIfAny()).not.toThrow();
  });
});

describe('ValidationErrors.isValidationError', () => {
  test('knows an error of another copy of the library by the mark all copies share, and nothing else by it', () => {
    expect(ValidationErrors.isValidationError({ [Symbol.for('cdk-data-science.ValidationError')]: true })).toBe(true);
    expect(ValidationErrors.isValidationError({ [Symbol.for('')]: true })).toBe(false);
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
    // named as its class, so a stack trace and `String(error)` say what it is
    expect(String(error)).toBe('ValidationError: Invalid props for Thing:\n  - size = 0: give 1 or more');
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

describe('PropChecker helpers', () => {
  const problems = (fill: (check: PropChecker) => void) => {
    const check = new PropChecker('Thing');
    fill(check);
    return problemsOf(() => check.throwIfAny()).map((p) => p.prop);
  };

  test('text() takes 1 to maxLength characters, and leaves undefined alone', () => {
    expect(checkerProblems((c) => {
      c.text('empty', '', 5);
      c.text('long', 'abcdef', 5);
      c.text('fits', 'abcde', 5);
      c.text('unset', undefined, 5);
    })).toEqual(['empty = "": give 1 to 5 characters, or leave it unset', 'long = "abcdef": give 1 to 5 characters, or leave it unset']);
    // a required one may not be left unset, and its fix does not say it may
    expect(checkerProblems((c) => c.text('name', undefined, 5, undefined, { required: true }))).toEqual(['name = undefined: give 1 to 5 characters']);
  });

  test('matches() takes text the pattern matches, and no number or list however it prints; undefined only when not required', () => {
    const digits = /^[0-9]{3}$/;
    expect(checkerProblems((c) => {
      c.matches('fits', '123', digits, 'give 3 digits');
      c.matches('unset', undefined, digits, 'give 3 digits');
      c.matches('token', Lazy.string({ produce: () => 'x' }), digits, 'give 3 digits');
      c.matches('other', '12a', digits, 'give 3 digits');
      c.matches('number', 123, digits, 'give 3 digits');
      c.matches('list', ['123'], digits, 'give 3 digits');
      c.matches('required', undefined, digits, 'give 3 digits', { required: true });
    })).toEqual([
      'other = "12a": give 3 digits', 'number = 123: give 3 digits', 'list = ["123"]: give 3 digits', 'required = undefined: give 3 digits',
    ]);
  });

  test('retentionDays() refuses INFINITE once, for its own reason, and a number of days CloudWatch Logs does not keep', () => {
    expect(checkerProblems((c) => {
      c.retentionDays('forever', logs.RetentionDays.INFINITE);
      c.retentionDays('odd', 4 as logs.RetentionDays);
      c.retentionDays('month', logs.RetentionDays.ONE_MONTH);
    })).toEqual([
      'forever = "RetentionDays.INFINITE": give a retention such as logs.RetentionDays.TEN_YEARS: the rule packs require every log group to expire its logs',
      'odd = 4: use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods',
    ]);
  });

  test('newId() refuses a missing id as it refuses an empty one, without looking among the children', () => {
    const scope = new Construct(new App(), 'Scope');
    expect(checkerProblems((c) => c.newId('id', scope, undefined as unknown as string))).toEqual(['id = undefined: give an id of its own']);
    expect(checkerProblems((c) => c.newId('id', scope, ''))).toEqual(['id = "": give an id of its own']);
    // a list of one name prints as the name, and is no id, not even one every object has
    expect(checkerProblems((c) => c.newId('id', scope, ['toString'] as unknown as string))).toEqual(['id = ["toString"]: give an id of its own']);
    expect(checkerProblems((c) => c.newId('id', scope, 'toString'))).toEqual(['id = "toString": every JavaScript object has a "toString" already, which construct ids cannot take: give an id of its own']);
  });

  test('leaves a Duration known at deploy to the service when it converts to the unit wanted, and refuses it by name when it cannot', () => {
    const minutes = Token.asNumber({ Ref: 'Minutes' });
    const fix = (unit: string) => `give a Duration known at synth, or Duration.${unit}(token): a token converts to no other unit`;
    const check = new PropChecker('Thing');
    expect(check.durationIn('inMinutes', Duration.minutes(minutes), 'minutes', 'Duration.hours(4)')).toBeUndefined();
    expect(check.durationIn('asSeconds', Duration.minutes(minutes), 'seconds', 'Duration.hours(4)')).toBeUndefined();
    check.duration('inSeconds', Duration.seconds(minutes), 'seconds', 1, 60);
    check.duration('asDays', Duration.seconds(minutes), 'days', 1, 60);
    expect(problemLines(() => check.throwIfAny())).toEqual([
      `asSeconds = "${Duration.minutes(minutes).toString()}": ${fix('seconds')}`,
      `asDays = "${Duration.seconds(minutes).toString()}": ${fix('days')}`,
    ]);
    // and shows it as its token, which no unit converts
    expect(shownDuration(Duration.minutes(minutes))).toBe(Duration.minutes(minutes).toString());
  });

  test('choice() takes one of its values, known at synth: a token, which would choose nothing, is refused as unknown', () => {
    const token = Lazy.string({ produce: () => 'dev' });
    expect(checkerProblems((c) => {
      c.choice('member', 'dev', ['dev', 'prod'], 'use "dev" or "prod"');
      c.choice('other', 'test', ['dev', 'prod'], 'use "dev" or "prod"');
      c.choice('token', token, ['dev', 'prod'], 'use "dev" or "prod"');
      c.choice('unset', undefined, ['dev', 'prod'], 'use "dev" or "prod"');
      c.choice('needed', undefined, ['dev', 'prod'], 'use "dev" or "prod"', { required: true });
    })).toEqual(['other = "test": use "dev" or "prod"', `token = "${token}": use "dev" or "prod"`, 'needed = undefined: use "dev" or "prod"']);
  });

  test('judges a token that is an object, as only text and number tokens are left to the deployment', () => {
    const token = Lazy.any({ produce: () => 'x' });
    expect(problems((c) => c.check(false, 'any', token, 'give a plain value'))).toEqual(['any']);
    expect(problems((c) => c.check(false, 'text', Lazy.string({ produce: () => 'x' }), 'give a plain value'))).toEqual([]);
  });

  test('integer() takes whole numbers in range, CloudFormation\'s 32 bits at most, and leaves undefined alone', () => {
    for (const bad of [0, 1.5, NaN, Infinity, MAX_INT32 + 1]) {
      expect(problems((c) => c.integer('n', bad, 1, MAX_INT32))).toEqual(['n']);
    }
    expect(problems((c) => c.integer('n', MAX_INT32, 1, MAX_INT32))).toEqual([]);
    expect(problems((c) => c.integer('n', undefined, 1, 2))).toEqual([]);
    expect(problems((c) => c.integer('n', Lazy.number({ produce: () => 0 }), 1, 2))).toEqual([]);
  });

  test('prints NaN and the infinities as such, not as JSON\'s null', () => {
    const check = new PropChecker('Thing');
    check.number('a', NaN, 0, 1);
    check.number('b', -Infinity, 0, 1);
    expect(() => check.throwIfAny()).toThrow('a = NaN: give a number from 0 to 1\n  - b = -Infinity');
  });

  test('text() wants 1 to max characters', () => {
    expect(problems((c) => c.text('t', '', 5))).toEqual(['t']);
    expect(problems((c) => c.text('t', 'abcdef', 5))).toEqual(['t']);
    expect(problems((c) => c.text('t', 'abc', 5))).toEqual([]);
  });

  test('duration() wants whole units in range', () => {
    expect(problems((c) => c.duration('d', Duration.millis(1500), 'seconds', 0, 60))).toEqual(['d']);
    expect(problems((c) => c.duration('d', Duration.hours(36), 'days', 1, 10))).toEqual(['d']);
    expect(problems((c) => c.duration('d', Duration.minutes(2), 'seconds', 0, 60))).toEqual(['d']);
    expect(problems((c) => c.duration('d', Duration.days(2), 'days', 1, 10))).toEqual([]);
  });

  test('list() gives a list as it is, none for undefined, and refuses anything else by name as none', () => {
    const check = new PropChecker('Thing');
    expect([check.list('a', ['x'], '["x"]'), check.list('b', undefined, '["x"]'), check.list('c', 'x' as any, '["x"]'), check.list('d', { 0: 'x' } as any, '["x"]')])
      .toEqual([['x'], [], [], []]);
    expect(problemLines(() => check.throwIfAny())).toEqual(['c = "x": give a list, for example ["x"]', 'd = {"0":"x"}: give a list, for example ["x"]']);
  });

  test('list() refuses each element left out, and gives such a list as none, so its elements are checked no further', () => {
    const check = new PropChecker('Thing');
    expect(check.list('holes', ['x', undefined, null, 'y'] as any, '["x"]')).toEqual([]);
    expect(check.list('empty', [], '["x"]')).toEqual([]);
    expect(check.list('falsy', ['', 0, false] as any, '["x"]')).toEqual(['', 0, false]);
    expect(problemLines(() => check.throwIfAny())).toEqual([
      'holes[1] = undefined: give the element a value, or take it out of the list',
      'holes[2] = null: give the element a value, or take it out of the list',
    ]);
  });

  test('variables() takes an object of names the pattern matches to text, and returns them; anything else is refused by name', () => {
    const name = /^[A-Z]+$/;
    const check = new PropChecker('Thing');
    expect(check.variables('env', { A: '1', B: '' }, name, 'use capitals')).toEqual([['A', '1'], ['B', '']]);
    expect(check.variables('unset', undefined, name, 'use capitals')).toEqual([]);
    expect(check.variables('text', 'A=1' as any, name, 'use capitals')).toEqual([]);
    expect(check.variables('list', [['A', '1']] as any, name, 'use capitals')).toEqual([]);
    expect(check.variables('none', null as any, name, 'use capitals')).toEqual([]);
    expect(check.variables('wrong', { a: '1', B: 2, C: ['3'] } as any, name, 'use capitals')).toHaveLength(3);
    expect(problemLines(() => check.throwIfAny())).toEqual([
      'text = "A=1": give an object of names to values, for example { EPOCHS: "3" }',
      'list = [["A","1"]]: give an object of names to values, for example { EPOCHS: "3" }',
      'none = null: give an object of names to values, for example { EPOCHS: "3" }',
      'wrong = "a": use capitals',
      'wrong.B = 2: give the value as text, for example "3"',
      'wrong.C = ["3"]: give the value as text, for example "3"',
    ]);
  });

  test('construct() takes a construct of any copy of the library, and refuses a number, a plain object or, when required, nothing', () => {
    const stack = new Stack();
    const foreign = { node: {} };
    expect(checkerProblems((c) => {
      c.construct('bucket', new s3.Bucket(stack, 'Bucket'), 'an s3.IBucket');
      c.construct('imported', s3.Bucket.fromBucketName(stack, 'Imported', 'team-data'), 'an s3.IBucket');
      c.construct('unset', undefined, 'an s3.IBucket');
      c.construct('number', 42, 'an s3.IBucket');
      c.construct('object', foreign, 'an s3.IBucket');
      c.construct('required', undefined, 'an s3.IBucket', { required: true });
    })).toEqual(['number = 42: give an s3.IBucket', 'object = {"node":{}}: give an s3.IBucket', 'required = undefined: give an s3.IBucket']);
    const check = new PropChecker('Thing');
    // what it returns says whether the checks that read the construct may follow
    expect([check.construct('a', new s3.Bucket(stack, 'Other'), 'x'), check.construct('b', undefined, 'x'), check.construct('c', foreign, 'x')]).toEqual([true, false, false]);
    expect([check.instance('a', Duration.days(1), 'toDays', 'x'), check.instance('b', undefined, 'toDays', 'x'), check.instance('c', 1, 'toDays', 'x')]).toEqual([true, false, false]);
  });

  test('instance() knows an instance by its method, not its class; struct() takes an object of props, not a list or text', () => {
    const twin = { toSeconds: () => 1 };
    expect(checkerProblems((c) => {
      c.instance('duration', Duration.minutes(1), 'toSeconds', 'a Duration');
      c.instance('twin', twin, 'toSeconds', 'a Duration');
      c.instance('unset', undefined, 'toSeconds', 'a Duration');
      c.instance('number', 60, 'toSeconds', 'a Duration');
      c.instance('field', { toSeconds: 60 }, 'toSeconds', 'a Duration');
      c.instance('none', null, 'toSeconds', 'a Duration');
      c.instance('required', undefined, 'toSeconds', 'a Duration', { required: true });
    })).toEqual(['number = 60: give a Duration', 'field = {"toSeconds":60}: give a Duration', 'none = null: give a Duration', 'required = undefined: give a Duration']);
    const check = new PropChecker('Thing');
    expect([check.struct('a', {}, '{}'), check.struct('b', undefined, '{}'), check.struct('c', 42, '{ spot: true }'), check.struct('d', [], '{}'),
      check.struct('e', 'x', '{}'), check.struct('f', null, '{}'), check.struct('g', undefined, '{}', { required: true })]).toEqual([true, false, false, false, false, false, false]);
    expect(problemLines(() => check.throwIfAny())).toEqual(['c = 42: give an object of props, for example { spot: true }', 'd = []: give an object of props, for example {}',
      'e = "x": give an object of props, for example {}', 'f = null: give an object of props, for example {}', 'g = undefined: give an object of props, for example {}']);
  });

  test('integer() and number() ask for a value when it is required, and only then', () => {
    expect(checkerProblems((c) => {
      c.integer('count', undefined, 1, 10);
      c.integer('requiredCount', undefined, 1, 10, undefined, { required: true });
      c.integer('givenCount', 10, 1, 10, undefined, { required: true });
      c.number('rate', undefined, 0, 1);
      c.number('requiredRate', undefined, 0, 1, 'give a rate', { required: true });
      c.number('givenRate', 0.5, 0, 1, 'give a rate', { required: true });
    })).toEqual(['requiredCount = undefined: give a whole number from 1 to 10', 'requiredRate = undefined: give a rate']);
  });

  test('list(), duration() and removalPolicy() ask for a value when it is required, and only then', () => {
    expect(checkerProblems((c) => {
      c.list('tables', undefined, '[runs.table]');
      c.list('requiredTables', undefined, '[runs.table]', { required: true });
      c.duration('retention', undefined, 'days', 1, 10);
      c.duration('requiredRetention', undefined, 'days', 1, 10, { required: true });
      c.duration('givenRetention', Duration.days(3), 'days', 1, 10, { required: true });
      c.removalPolicy('policy', undefined);
      c.removalPolicy('requiredPolicy', undefined, { required: true });
    })).toEqual([
      'requiredTables = undefined: give a list, for example [runs.table]',
      'requiredRetention = undefined: give a Duration, for example Duration.days(1)',
      'requiredPolicy = undefined: use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
    ]);
  });

  test('durationIn() gives a Duration in the unit asked, fractions kept; none for one unset or known only at deploy, and refuses what is no Duration', () => {
    const check = new PropChecker('Thing');
    expect([
      check.durationIn('a', Duration.seconds(90), 'minutes', 'Duration.minutes(5)'),
      check.durationIn('b', Duration.minutes(2), 'seconds', 'Duration.hours(1)'),
      check.durationIn('c', undefined, 'seconds', 'Duration.hours(1)'),
      check.durationIn('d', Duration.seconds(Lazy.number({ produce: () => 60 })), 'seconds', 'Duration.hours(1)'),
      check.durationIn('e', 300 as any, 'seconds', 'Duration.hours(1)'),
    ]).toEqual([1.5, 120, undefined, undefined, undefined]);
    expect(problemLines(() => check.throwIfAny())).toEqual(['e = 300: give a Duration, for example Duration.hours(1)']);
  });

  test('entries() gives an object\'s entries whatever their values, and refuses what is no object by the name of what it should be', () => {
    const check = new PropChecker('Thing');
    const token = { grantRead: () => undefined };
    expect(check.entries('secrets', { TOKEN: token }, 'an object of names to secrets')).toEqual([['TOKEN', token]]);
    expect(check.entries('unset', undefined, 'an object of names to secrets')).toEqual([]);
    expect(check.entries('text', 'TOKEN' as any, 'an object of names to secrets')).toEqual([]);
    expect(problemLines(() => check.throwIfAny())).toEqual(['text = "TOKEN": give an object of names to secrets']);
  });

  test('entries() refuses each value left out, and gives the entries that have one', () => {
    const check = new PropChecker('Thing');
    expect(check.entries('secrets', { A: 'a', B: undefined, C: null, D: '' }, 'an object of names to secrets')).toEqual([['A', 'a'], ['D', '']]);
    expect(problemLines(() => check.throwIfAny())).toEqual(['secrets.B = undefined: give B a value, or leave it out', 'secrets.C = null: give C a value, or leave it out']);
  });

  test('nonEmpty() asks for an item in a list, given or left out; a value that is no list is left to list()', () => {
    expect(checkerProblems((c) => {
      c.nonEmpty('empty', [], 'give at least one');
      c.nonEmpty('unset', undefined, 'give at least one');
      c.nonEmpty('one', ['x'], 'give at least one');
      c.nonEmpty('text', 'x' as any, 'give at least one');
    })).toEqual(['empty = 0: give at least one', 'unset = 0: give at least one']);
  });

  test('duration() refuses a number, as JavaScript may give one, by name and without a TypeError', () => {
    expect(checkerProblems((c) => c.duration('timeout', 300 as any, 'seconds', 60, 3600))).toEqual(['timeout = 300: give a Duration, for example Duration.seconds(60)']);
    expect(checkerProblems((c) => c.duration('expiry', '7' as any, 'days', 1, 10))).toEqual(['expiry = "7": give a Duration, for example Duration.days(1)']);
  });

  test('retentionDays() takes logs.RetentionDays values only, and refuses INFINITE, which the rule packs refuse', () => {
    expect(problems((c) => c.retentionDays('r', logs.RetentionDays.ONE_MONTH))).toEqual([]);
    // the names of logs.RetentionDays, as JavaScript or context may give them, are no retention
    for (const bad of [0, -1, 2, 2 ** 31, logs.RetentionDays.INFINITE, 'ONE_MONTH' as unknown as logs.RetentionDays]) {
      expect(problems((c) => c.retentionDays('r', bad))).toEqual(['r']);
    }
    const check = new PropChecker('Thing');
    check.retentionDays('r', logs.RetentionDays.INFINITE);
    expect(() => check.throwIfAny()).toThrow('r = "RetentionDays.INFINITE": give a retention such as logs.RetentionDays.TEN_YEARS');
  });

  test('removalPolicy() refuses SNAPSHOT, which none of the stateful resources here has', () => {
    expect(problems((c) => c.removalPolicy('p', RemovalPolicy.SNAPSHOT))).toEqual(['p']);
    expect(problems((c) => c.removalPolicy('p', RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE))).toEqual([]);
  });

  test('newId() refuses an empty id and one a child of the scope has', () => {
    const scope = new Construct(new App(), 'Scope');
    new Construct(scope, 'Taken');
    expect(problems((c) => c.newId('id', scope, ''))).toEqual(['id']);
    expect(problems((c) => c.newId('id', scope, 'Taken'))).toEqual(['id']);
    expect(problems((c) => c.newId('id', scope, 'Free'))).toEqual([]);
    expect(problems((c) => c.newId('id', scope, 'constructor'))).toEqual(['id']);
    expect(problems((c) => c.newId('id', scope, 'toString'))).toEqual(['id']);
  });

  test('a value that is a construct prints as its path, not as its JSON', () => {
    const scope = new Construct(new App(), 'Scope');
    const check = new PropChecker('Thing');
    check.check(false, 'vpc', scope, 'give another');
    expect(() => check.throwIfAny()).toThrow('vpc = "<Scope>": give another');
  });
});

describe('PropChecker messages', () => {
  test('each helper says what to give, in whole, unless given a fix of its own', () => {
    expect(checkerProblems((c) => {
      c.integer('n', 0, 1, 5);
      c.integer('m', 6, 1, 5, 'give at most 5');
      c.oneOf('o', 'c', ['a', 1]);
      c.oneOf('q', 'c', ['a'], 'use "a"');
      c.number('x', 2, 0, 1.5);
      c.text('t', '', 5);
      c.text('u', 'abcdef', 5, 'give a short name');
      c.duration('d', Duration.millis(1500), 'seconds', 0, 60);
      c.duration('e', Duration.hours(36), 'days', 2, 10);
      c.duration('f', Duration.days(11), 'days', 0, 10);
      c.retentionDays('r', 2 as logs.RetentionDays);
      c.removalPolicy('p', RemovalPolicy.SNAPSHOT);
      c.derivedName('name', 'ab', 'the bucket', 'team-ab-raw', 10, 'give a shorter name');
    })).toEqual([
      'n = 0: give a whole number from 1 to 5',
      'm = 6: give at most 5',
      'o = "c": use one of "a", 1',
      'q = "c": use "a"',
      'x = 2: give a number from 0 to 1.5',
      't = "": give 1 to 5 characters, or leave it unset',
      'u = "abcdef": give a short name',
      'd = "1 second 500 millis": give a whole number of seconds from 0 to 60, for example Duration.seconds(1)',
      'e = "1 day 12 hours": give a whole number of days from 2 to 10, for example Duration.days(2)',
      'f = "11 days": give a whole number of days from 0 to 10, for example Duration.days(1)',
      'r = 2: use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods',
      'p = "snapshot": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
      'name = "ab": the bucket "team-ab-raw" would be 11 characters, over the 10 allowed: give a shorter name',
    ]);
  });

  test('each takes its bounds and leaves what is unset or known only at deploy', () => {
    expect(checkerProblems((c) => {
      c.integer('n', 5, 1, 5);
      c.number('x', 0, 0, 1.5);
      c.text('t', 'abcde', 5);
      c.duration('d', Duration.seconds(60), 'seconds', 0, 60);
      c.duration('e', Duration.days(2), 'days', 2, 10);
      c.duration('f', Duration.seconds(Lazy.number({ produce: () => 1 })), 'seconds', 5, 10);
      c.retentionDays('r', logs.RetentionDays.TEN_YEARS);
      c.retentionDays('s', undefined);
      c.retentionDays('u', Lazy.number({ produce: () => 0 }));
      c.removalPolicy('p', undefined);
      c.derivedName('name', 'a', 'the bucket', 'team-a-raw', 10, 'never shown');
    })).toEqual([]);
  });

  test('newId() says which child has the id, or why an id can never be taken', () => {
    const scope = new Construct(new App(), 'Scope');
    new Construct(scope, 'Taken');
    new Construct(scope, 'a--b');
    expect(checkerProblems((c) => {
      c.newId('first', scope, 'Taken');
      c.newId('second', scope, 'a/b', 'give the table another name');
      c.newId('third', scope, 'hasOwnProperty');
      c.newId('fourth', scope, '');
      c.newId('fifth', scope, Lazy.string({ produce: () => 'x' }));
    })).toEqual([
      'first = "Taken": Scope already has a child "Taken": give an id of its own',
      'second = "a/b": Scope already has a child "a--b": give the table another name',
      'third = "hasOwnProperty": every JavaScript object has a "hasOwnProperty" already, which construct ids cannot take: give an id of its own',
      'fourth = "": give an id of its own',
      expect.stringMatching(/^fifth = "\$\{Token\[TOKEN\.\d+\]\}": give a plain string: construct ids are fixed at synth time$/),
    ]);
  });

  test('a value JSON cannot show prints as text', () => {
    const circular: { self?: unknown } = {};
    circular.self = circular;
    const check = new PropChecker('Thing');
    check.check(false, 'a', undefined, 'give one');
    check.check(false, 'b', circular, 'give another');
    check.check(false, 'c', Symbol('s'), 'give a value');
    expect(() => check.throwIfAny()).toThrow(new Error('Invalid props for Thing:\n  - a = undefined: give one\n  - b = [object Object]: give another\n  - c = Symbol(s): give a value'));
  });
});

describe('shownDuration', () => {
  test('shows a duration as given, and one with a part of a second in seconds', () => {
    expect(shownDuration(Duration.minutes(90))).toBe('1 hour 30 minutes');
    expect(shownDuration(Duration.millis(1500))).toBe('1.5 seconds');
    expect(shownDuration(undefined)).toBeUndefined();
  });

  test('shows what is no Duration as it came: a number from JavaScript is named as given', () => {
    expect(shownDuration(90)).toBe(90);
  });
});

describe('withPropsOf', () => {
  const failing = () => {
    const check = new PropChecker('NotebookDomain');
    check.check(false, 'idleTimeoutMinutes', 5, 'give 60 or more');
    check.throwIfAny();
  };

  test('names the problems of a part built from a struct of props as the construct\'s own, under the struct\'s name', () => {
    expect(problemLines(() => withPropsOf('DataScienceStack', 'notebooks', failing))).toEqual(['notebooks.idleTimeoutMinutes = 5: give 60 or more']);
    expect(() => withPropsOf('DataScienceStack', 'notebooks', failing)).toThrow(/^Invalid props for DataScienceStack:/);
  });

  test('returns what it built, and lets any other error through as it was', () => {
    expect(withPropsOf('Stack', 'notebooks', () => 42)).toBe(42);
    const other = new TypeError('not ours');
    expect(() => withPropsOf('Stack', 'notebooks', () => { throw other; })).toThrow(other);
  });
});
