import { BOUNDS } from './support/bound-cases';
import { boundFindings } from './support/bounds';

/* Every bound the props checks hold a value to, from both sides (the cases: support/bound-cases.ts). */
test.each(BOUNDS.map((b) => [b.site, b] as const))('%s', (_, bound) => {
  expect(boundFindings(bound)).toEqual([]);
});
