import { BOUNDS, NOT_YET } from './support/bound-cases';
import { boundSites } from './support/bound-sites';

/*
 * The bounds of the source, read as text, against the cases test/bounds.test.ts tests. Mutation
 * testing leaves this file out: there the source is Stryker's instrumented text.
 */
test('each bound in the source is tested from both sides, or listed as not yet', () => {
  const tested = BOUNDS.map((b) => b.site);
  const sites = boundSites();
  expect(sites.filter((site) => !tested.includes(site) && !NOT_YET.includes(site))).toEqual([]);
  // a bound tested, or gone from the source, leaves the list
  expect(NOT_YET.filter((site) => tested.includes(site) || !sites.includes(site))).toEqual([]);
  expect(tested.filter((site) => !sites.includes(site))).toEqual([]);
});
