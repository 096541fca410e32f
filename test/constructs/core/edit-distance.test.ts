import { editDistance } from '../../../constructs/core/edit-distance';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['team', 'team', 0],
    ['Team', 'team', 1],
    ['multinode', 'multiNode', 1],
    ['sandboxExpiresIn', 'sandboxExpiresOn', 1],
    ['sandboxExpires', 'sandboxExpiresOn', 2],
    ['IsCompete', 'IsComplete', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s to %s is %i, either way round', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  test('is Infinity beyond max only where the lengths alone exceed it; within it, exact', () => {
    expect(editDistance('team', '@aws-cdk/core:newStyleStackSynthesis', 2)).toBe(Infinity);
    expect(editDistance('abc', 'abcdef', 2)).toBe(Infinity);
    expect(editDistance('abc', 'abcde', 2)).toBe(2);
    // the same lengths: the exact distance, even above max, which callers compare themselves
    expect(editDistance('abcd', 'wxyz', 2)).toBe(4);
  });
});
