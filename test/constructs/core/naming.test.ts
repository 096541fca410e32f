import * as fc from 'fast-check';
import { checkName, glueName, MAX_NAME_LENGTH } from '../../../constructs/core/naming';
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

  test.each(['', '-fraud', '1fraud', 'fraud-', 'fraud--models', 'a'.repeat(MAX_NAME_LENGTH + 1)])('"%s" is rejected', (name) => {
    expect(fixesOf(name)).not.toEqual([]);
  });

  test('glueName joins parts with underscores', () => {
    expect(glueName('fraud-models', 'prod', 'raw')).toBe('fraud_models_prod_raw');
  });
});
