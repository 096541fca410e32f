import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SandboxNotebook, SandboxNotebookProps } from '../../../constructs/development';
import { problemLines } from '../../support/validation';

/** What a notebook refuses of its props, as `prop = value: fix` lines. */
const problems = (props: Partial<SandboxNotebookProps>) => problemLines(() => {
  const stack = new Stack(new App(), 'Sandbox');
  new SandboxNotebook(stack, 'Notebook', {
    domain: { domainId: 'd-abc123', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 },
    userProfileName: 'churn-ana', encryptionKey: new kms.Key(stack, 'Key'), ...props,
  });
});

const PROFILE_FIX = 'give 1 to 59 letters, digits and hyphens, starting and ending with a letter or digit';

describe('SandboxNotebook props from JavaScript', () => {
  test.each<[string, Partial<SandboxNotebookProps>, string[]]>([
    ['no profile name', { userProfileName: undefined }, [`userProfileName = undefined: ${PROFILE_FIX}`]],
    ['a profile name that is a number', { userProfileName: 42 as any }, [`userProfileName = 42: ${PROFILE_FIX}`]],
    ['a profile name in a list', { userProfileName: ['ana'] as any }, [`userProfileName = ["ana"]: ${PROFILE_FIX}`]],
    ['a variable whose value is no text', { environment: { EPOCHS: 3 as any, NAME: 'x' } }, ['environment.EPOCHS = 3: give the value as text, for example "3"']],
    ['variables given as one string', { environment: 'EPOCHS=3' as any }, ['environment = "EPOCHS=3": give an object of names to values, for example { EPOCHS: "3" }']],
    ['a variable named with a hyphen', { environment: { 'MY-VAR': 'x' } },
      ['environment = "MY-VAR": name variables with letters, digits and underscores, not starting with a digit']],
  ])('refuses %s by name', (_, props, expected) => {
    expect(problems(props)).toEqual(expected);
  });

  test('takes a profile name and variables as text', () => {
    expect(problems({ environment: { EPOCHS: '3' } })).toEqual([]);
  });
});
