import { Template } from 'aws-cdk-lib/assertions';

/*
 * Buckets' lifecycle rules asserted whole: each rule's filter (prefix, tags) with its actions,
 * since a rule that loses its prefix expires the whole bucket and still has the right id and days.
 */

/** The rules of each bucket of a template, by the start of the bucket's logical id, as the template gives them. */
export type BucketLifecycles = Record<string, object[]>;

/**
 * The rules that expire current objects of a whole bucket, by rule id, each with the reason that
 * is the bucket's purpose. Any other rule that expires current objects must have a filter.
 */
export const WHOLE_BUCKET_EXPIRATIONS: Record<string, string> = {
  'expire-access-logs': 'the access-log bucket holds logs alone, kept a year',
  'expire-query-results': 'the query-results bucket holds Athena\'s results alone, which are kept for days',
};

/** Asserts each bucket of the template has the rules `expected` gives it, whole, and that `expected` names every bucket. */
export function expectBucketLifecycles(template: Template, expected: BucketLifecycles, where: string): void {
  const buckets = template.findResources('AWS::S3::Bucket');
  const unnamed = Object.keys(buckets).filter((id) => !Object.keys(expected).some((prefix) => id.startsWith(prefix)));
  if (unnamed.length > 0) {
    throw new Error(`bucket(s) with no expected lifecycle rules: add each to ${where}: ${unnamed.join(', ')}`);
  }
  const actual = Object.fromEntries(Object.keys(expected).map((prefix) => {
    const ids = Object.keys(buckets).filter((id) => id.startsWith(prefix));
    if (ids.length !== 1) {
      throw new Error(`expected one bucket whose logical id starts with ${prefix}, found ${ids.length}: ${ids.join(', ')}`);
    }
    return [prefix, buckets[ids[0]].Properties.LifecycleConfiguration?.Rules ?? []];
  }));
  expect(actual).toEqual(expected);
}

/**
 * The rules of a template that expire a whole bucket's current objects (no prefix, no tags, no
 * size filter) and are not `WHOLE_BUCKET_EXPIRATIONS`, as `<bucket id>: <rule id>`.
 */
export function unfilteredExpirations(template: Template): string[] {
  return Object.entries(template.findResources('AWS::S3::Bucket')).flatMap(([id, bucket]) => (bucket.Properties.LifecycleConfiguration?.Rules ?? [])
    .filter((rule: any) => rule.Status !== 'Disabled' && (rule.ExpirationInDays !== undefined || rule.ExpirationDate !== undefined))
    .filter((rule: any) => !rule.Prefix && !(rule.TagFilters?.length > 0) && rule.ObjectSizeGreaterThan === undefined && rule.ObjectSizeLessThan === undefined)
    .filter((rule: any) => !(rule.Id in WHOLE_BUCKET_EXPIRATIONS))
    .map((rule: any) => `${id}: ${rule.Id ?? '(no id)'}`));
}
