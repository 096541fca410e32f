import { AslStates, DYNAMODB_TRANSIENT_ERRORS, transientRetry, userRetries } from '../../../constructs/scheduler/asl';

describe('AslStates', () => {
  test('takes a name once, and says which name was taken twice', () => {
    const states = new AslStates();
    states.add('Train', { Type: 'Pass', End: true });
    expect(states.has('Train')).toBe(true);
    expect(states.has('Score')).toBe(false);
    expect(() => states.add('Train', { Type: 'Pass', End: true })).toThrow('two states are named "Train"');
    expect(states.scope('Train')).toEqual({ StartAt: 'Train', States: { Train: { Type: 'Pass', End: true } } });
  });

  test('adds a shared state once, the same each time it is asked for, and refuses a different one by its name', () => {
    const states = new AslStates();
    expect(states.addOnce('Record', { Type: 'Pass', End: true })).toBe('Record');
    expect(states.addOnce('Record', { Type: 'Pass', End: true })).toBe('Record');
    expect(states.scope('Record').States).toEqual({ Record: { Type: 'Pass', End: true } });
    expect(() => states.addOnce('Record', { Type: 'Succeed' })).toThrow('two different states are named "Record"');
  });
});

describe('retries', () => {
  test('a user\'s retries, none for zero, each 30 s and more apart with full jitter', () => {
    expect(userRetries(0)).toEqual([]);
    expect(userRetries(3)).toEqual([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'FULL' }]);
  });

  test('transient errors, quickly and with full jitter, never more than a minute apart', () => {
    expect(transientRetry(['X.Throttled'])).toEqual({ ErrorEquals: ['X.Throttled'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 60, JitterStrategy: 'FULL' });
  });

  test('DynamoDB\'s throttling and its own failures pass, by the names the integration gives them', () => {
    expect(DYNAMODB_TRANSIENT_ERRORS).toEqual(expect.arrayContaining(['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException',
      'DynamoDB.InternalServerErrorException', 'DynamoDB.RequestLimitExceeded']));
    expect(DYNAMODB_TRANSIENT_ERRORS.every((name) => /^DynamoDB\.[A-Za-z]+$/.test(name))).toBe(true);
  });
});
