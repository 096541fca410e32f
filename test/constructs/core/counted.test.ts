import { counted } from '../../../constructs/core/counted';

test('a count takes its noun in the plural but for one', () => {
  expect([0, 1, 2, 25].map((n) => counted(n, 'step'))).toEqual(['0 steps', '1 step', '2 steps', '25 steps']);
  expect(counted(1, 'GPU')).toBe('1 GPU');
});
