import { asDsiError, DsiError } from '../../bin/dsi/errors';

const NO_CREDENTIALS = 'No AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
const NO_REGION = 'No AWS region: export AWS_REGION (or give your AWS profile a region), or pass --outputs FILE from '
  + '`cdk deploy --outputs-file FILE`, whose Region output dsi then uses.';
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('asDsiError', () => {
  test.each<[string, unknown, string | undefined]>([
    ['the SDK\'s credentials error, whatever it says', named('CredentialsProviderError', 'no profile'), NO_CREDENTIALS],
    ['any error that could not load credentials, in any case', new Error('could NOT load Credentials from any providers'), NO_CREDENTIALS],
    ['a missing region', new Error('Region is missing'), NO_REGION],
    ['a region missing later in a message', new Error('The Region is missing'), undefined],
    ['another error', new Error('Rate exceeded'), undefined],
    ['an error without a message', { name: 'TimeoutError' }, undefined],
    ['nothing', undefined, undefined],
    ['null', null, undefined],
  ])('says what to do of %s, or nothing', (_, error, message) => {
    expect(asDsiError(error)?.message).toBe(message);
  });

  test('keeps a DsiError as it is, a failure unless it is a usage error', () => {
    const error = new DsiError('No workflow "x"');
    expect(asDsiError(error)).toBe(error);
    expect([error.name, error.usage, new DsiError('give --workflow', true).usage]).toEqual(['DsiError', false, true]);
    expect(asDsiError(named('CredentialsProviderError', 'x'))).toBeInstanceOf(DsiError);
  });
});
