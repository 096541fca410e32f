import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SandboxNotebook, SandboxNotebookProps } from '../../../constructs/development';
import { problemLines, validationErrorOf } from '../../support/validation';

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
    // the pattern holds at both ends
    ['a profile name ending in a hyphen', { userProfileName: 'churn-ana-' }, [`userProfileName = "churn-ana-": ${PROFILE_FIX}`]],
    ['a profile name starting with a hyphen', { userProfileName: '-churn-ana' }, [`userProfileName = "-churn-ana": ${PROFILE_FIX}`]],
    ['a profile name of 60 characters', { userProfileName: 'a'.repeat(60) }, [`userProfileName = "${'a'.repeat(60)}": ${PROFILE_FIX}`]],
    ['a profile name of 61 characters, 30 of them hyphens', { userProfileName: `${'a-'.repeat(30)}a` }, [`userProfileName = "${'a-'.repeat(30)}a": ${PROFILE_FIX}`]],
    ['a domain id ending in a hyphen', { domain: { domainId: 'd-abc123-', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 } },
      ['domain.domainId = "d-abc123-": give the domain\'s id, for example "d-abc123"']],
    ['a domain id with something before it', { domain: { domainId: 'x-d-abc123', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 } },
      ['domain.domainId = "x-d-abc123": give the domain\'s id, for example "d-abc123"']],
    ['instance types given as one, and keys and a queue of the wrong kind', {
      domain: { domainId: 'd-abc123', allowedInstanceTypes: 'ml.t3.medium' as any, defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60, encryptionKey: 'alias/team' as any },
      encryptionKey: 'alias/sandbox' as any, deadLetterQueue: 'dead-letters' as any,
    }, [
      'domain.allowedInstanceTypes = "ml.t3.medium": give a list, for example ["ml.t3.medium", "ml.g5.xlarge"]',
      'domain.encryptionKey = "alias/team": give the domain\'s kms.IKey, such as notebookDomain.encryptionKey',
      'encryptionKey = "alias/sandbox": give a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })',
      'deadLetterQueue = "dead-letters": give an sqs.IQueue, such as new sqs.Queue(this, "DeadLetters")',
    ]],
    ['no instance type', { domain: { domainId: 'd-abc123', allowedInstanceTypes: [], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 } },
      ['domain.allowedInstanceTypes = 0: give at least one instance type the notebook may start on']],
    ['a domain that is its id', { domain: 'd-abc123' as any },
      ['domain = "d-abc123": give an object of props, for example { domainId: "d-abc123", allowedInstanceTypes: ["ml.t3.medium"], defaultInstanceType: "ml.t3.medium", idleTimeoutMinutes: 60 }']],
  ])('refuses %s by name', (_, props, expected) => {
    expect(problems(props)).toEqual(expected);
  });

  test('takes a profile name and variables as text', () => {
    expect(problems({ environment: { EPOCHS: '3' } })).toEqual([]);
    expect(problems({ userProfileName: 'a'.repeat(59) })).toEqual([]);
    expect(problems({ userProfileName: `${'a-'.repeat(29)}a` })).toEqual([]);
  });

  test('refuses a profile name known only at deploy, under its own name', () => {
    const stack = new Stack(new App(), 'Sandbox');
    const name = Lazy.string({ produce: () => 'churn-ana' });
    expect(validationErrorOf(() => new SandboxNotebook(stack, 'Notebook', {
      domain: { domainId: 'd-abc123', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 },
      userProfileName: name, encryptionKey: new kms.Key(stack, 'Key'),
    })).message).toBe(`Invalid props for SandboxNotebook:\n  - userProfileName = "${name}": give a plain string: the space's name is derived from it at synth time`);
  });

  test('keeps its cleanup\'s logs a month unless told otherwise', () => {
    const retention = (props: Partial<SandboxNotebookProps>) => {
      const stack = new Stack(new App(), 'Sandbox');
      new SandboxNotebook(stack, 'Notebook', {
        domain: { domainId: 'd-abc123', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 },
        userProfileName: 'churn-ana', encryptionKey: new kms.Key(stack, 'Key'), ...props,
      });
      return Object.entries(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('NotebookCleanupLogs'))
        .map(([, group]) => group.Properties.RetentionInDays);
    };
    expect(retention({})).toEqual([30]);
    expect(retention({ logRetention: logs.RetentionDays.THREE_MONTHS })).toEqual([90]);
  });
});
