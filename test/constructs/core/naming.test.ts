import { Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { checkName, checkWorkflowName, glueName, MAX_NAME_LENGTH } from '../../../constructs/core/naming';
import { PropChecker } from '../../../constructs/core/validation-error';
import { problemsOf } from '../../support/validation';

/** What `checkName` asks to fix in `name`. */
function fixesOf(name: string): string[] {
  const check = new PropChecker('Test');
  checkName(check, 'teamName', name);
  return problemsOf(() => check.throwIfAny()).map((p) => p.fix);
}

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
/** Names built by the rule: a letter, then words of letters and digits joined by single hyphens. */
const validName = fc.tuple(letter, fc.array(fc.tuple(fc.boolean(), fc.array(alnum, { minLength: 1, maxLength: 5 })), { maxLength: 6 }))
  .map(([first, words]) => first + words.map(([hyphen, chars]) => (hyphen ? '-' : '') + chars.join('')).join(''))
  .filter((name) => name.length <= MAX_NAME_LENGTH);

describe('team and project names', () => {
  test('every name built by the rule is accepted and gives a valid Glue name', () => {
    fc.assert(fc.property(validName, (name) => {
      expect(fixesOf(name)).toEqual([]);
      expect(glueName(name, 'raw')).toMatch(/^[a-z][a-z0-9_]*$/);
    }));
  });

  test('any character outside lowercase letters, digits and hyphens is rejected', () => {
    const bad = fc.constantFrom(...'ABZ_. /@:!é');
    fc.assert(fc.property(validName, bad, fc.nat(), (name, char, at) => {
      const i = at % (name.length + 1);
      expect(fixesOf(name.slice(0, i) + char + name.slice(i))).not.toEqual([]);
    }));
  });

  const LENGTH = 'give 1 to 32 characters, for example "fraud-models"';
  const PATTERN = 'use lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen, '
    + 'so it stays valid in S3 and Glue names (for example "fraud-models")';
  test.each([
    ['', [LENGTH]],
    ['-fraud', [PATTERN]],
    ['1fraud', [PATTERN]],
    ['fraud-', [PATTERN]],
    ['fraud--models', [PATTERN]],
    ['a'.repeat(MAX_NAME_LENGTH + 1), [LENGTH]],
    [`${'a'.repeat(MAX_NAME_LENGTH)}-`, [LENGTH, PATTERN]],
  ])('"%s" is rejected, each rule it breaks named once', (name, fixes) => {
    expect(fixesOf(name)).toEqual(fixes);
  });

  test('the longest name is accepted, and a shorter limit is named in the fix', () => {
    expect(fixesOf('a'.repeat(MAX_NAME_LENGTH))).toEqual([]);
    const check = new PropChecker('Test');
    checkName(check, 'projectName', 'abcdefghijk', 10);
    expect(problemsOf(() => check.throwIfAny())).toEqual([{ prop: 'projectName', value: 'abcdefghijk', fix: 'give 1 to 10 characters, for example "fraud-models"' }]);
  });

  test('a name that is not a string breaks the length rule alone, and a token is refused as one', () => {
    expect(fixesOf(7 as unknown as string)).toEqual([LENGTH]);
    expect(fixesOf(Token.asString({ Ref: 'TeamName' }))).toEqual(
      ['give a plain string: Glue and Athena names are derived from it at synth time, so it cannot be a token']);
  });

  test('glueName joins parts with underscores', () => {
    expect(glueName('fraud-models', 'prod', 'raw')).toBe('fraud_models_prod_raw');
  });
});

describe('workflow names', () => {
  const WORKFLOW_FIX = 'use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit, for example "nightly-training"';
  const refused = (name: unknown) => {
    const check = new PropChecker('Test');
    checkWorkflowName(check, 'workflowName', name);
    return problemsOf(() => check.throwIfAny()).map((p) => `${p.prop}: ${p.fix}`);
  };

  test.each(['a', '9lives', 'Nightly_Training-2', 'a'.repeat(64), `A${'_-'.repeat(31)}b`])('takes %s', (name) => {
    expect(refused(name)).toEqual([]);
  });

  test.each([['a name of 65 characters', 'a'.repeat(65)], ['a leading hyphen', '-nightly'], ['a leading underscore', '_nightly'],
    ['a character after the name', 'nightly!'], ['a character before it', '!nightly'], ['a space', 'nightly training'], ['no name', ''], ['none at all', undefined]])(
    'refuses %s, naming the prop', (_, name) => {
      expect(refused(name)).toEqual([`workflowName: ${WORKFLOW_FIX}`]);
    });
});
