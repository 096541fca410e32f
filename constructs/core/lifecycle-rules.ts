import * as s3 from 'aws-cdk-lib/aws-s3';
import { isDuration, MAX_INT32, PropChecker } from './validation-error';

/** S3's storage classes in the only order lifecycle transitions may take them. */
const TRANSITION_ORDER = [
  s3.StorageClass.INFREQUENT_ACCESS, s3.StorageClass.INTELLIGENT_TIERING, s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS,
  s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, s3.StorageClass.GLACIER, s3.StorageClass.DEEP_ARCHIVE,
].map((c) => c.value);
/** The infrequent-access classes, which take objects 30 days old at the earliest and keep them 30 days at the least. */
const INFREQUENT = [s3.StorageClass.INFREQUENT_ACCESS.value, s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS.value];

/**
 * A rule's value as S3 gets it, to tell two rules alike: a duration by its length, a date by its
 * time, an empty list and `enabled: true` left out as aws-cdk-lib leaves them, keys in one order.
 */
function asS3GetsIt(value: unknown, key = ''): unknown {
  if (isDuration(value)) {
    return value.isUnresolved() ? value.toString() : `${value.toMilliseconds()} ms`;
  }
  if (typeof (value as Partial<Date> | undefined)?.toISOString === 'function') {
    return (value as Date).toISOString();
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? undefined : value.map((item) => asS3GetsIt(item));
  }
  if (key === 'enabled' && value === true) {
    return undefined;
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.keys(value).sort().map((k) => [k, asS3GetsIt((value as Record<string, unknown>)[k], k)]);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

/** What S3, or aws-cdk-lib before it, refuses in lifecycle rules a construct is given. */
export function checkLifecycleRules(check: PropChecker, prop: string, rules: s3.LifecycleRule[]): void {
  const seen = rules.map((rule) => JSON.stringify(asS3GetsIt(rule)));
  rules.forEach((rule, i) => {
    const at = `${prop}[${i}]`;
    check.check(seen.indexOf(seen[i]) === i, at, rule.id ?? i, 'give each rule once: S3 takes no two alike');
    check.check(rule.id === undefined || rules.findIndex((r) => r.id === rule.id) === i, `${at}.id`, rule.id, 'give each rule its own id');
    const actions = [rule.expiration, rule.expirationDate, rule.noncurrentVersionExpiration, rule.abortIncompleteMultipartUploadAfter,
      rule.expiredObjectDeleteMarker || undefined, ...(rule.transitions ?? []), ...(rule.noncurrentVersionTransitions ?? [])];
    check.check(actions.some((a) => a !== undefined), at, rule.id ?? i, 'give the rule at least one action, such as expiration or transitions');
    check.check(!(rule.expiredObjectDeleteMarker && (rule.expiration || rule.expirationDate)), `${at}.expiredObjectDeleteMarker`, true,
      'S3 takes it only in a rule without expiration or expirationDate');
    check.text(`${at}.id`, rule.id, 255);
    check.duration(`${at}.expiration`, rule.expiration, 'days', 1, MAX_INT32);
    check.duration(`${at}.noncurrentVersionExpiration`, rule.noncurrentVersionExpiration, 'days', 1, MAX_INT32);
    check.duration(`${at}.abortIncompleteMultipartUploadAfter`, rule.abortIncompleteMultipartUploadAfter, 'days', 1, MAX_INT32);
    checkTransitions(check, `${at}.transitions`, rule.transitions ?? []);
  });
}

/** What S3 refuses in one lifecycle rule's transitions. */
export function checkTransitions(check: PropChecker, prop: string, transitions: s3.Transition[]): void {
  const byDays = transitions.filter((t) => t.transitionAfter !== undefined);
  check.check(byDays.length === 0 || byDays.length === transitions.length, prop, transitions.length,
    'give every transition a transitionAfter, or every one a transitionDate: S3 takes no mix in one rule');
  let previous: { rank: number; days?: number; storageClass: string } | undefined;
  transitions.forEach((t, i) => {
    const at = `${prop}[${i}]`;
    const rank = TRANSITION_ORDER.indexOf(t.storageClass?.value);
    check.check(rank >= 0, `${at}.storageClass`, t.storageClass?.value, 'use one of s3.StorageClass');
    const after = isDuration(t.transitionAfter) ? t.transitionAfter : undefined;
    check.check((t.transitionAfter === undefined) !== (t.transitionDate === undefined), at, after?.toHumanString() ?? t.transitionAfter ?? t.transitionDate,
      'give exactly one of transitionAfter and transitionDate');
    check.duration(`${at}.transitionAfter`, t.transitionAfter, 'days', 0, MAX_INT32);
    check.check(t.transitionDate === undefined || t.transitionDate.getTime() % 86_400_000 === 0, `${at}.transitionDate`, t.transitionDate,
      'give a date at midnight UTC, as S3 requires');
    const days = after?.isUnresolved() ? undefined : after?.toDays({ integral: false });
    check.check(days === undefined || days >= 30 || !INFREQUENT.includes(t.storageClass?.value), `${at}.transitionAfter`, after?.toHumanString(),
      `S3 moves objects to ${t.storageClass?.value} no sooner than 30 days after creation`);
    if (previous && rank >= 0) {
      check.check(rank > previous.rank, `${at}.storageClass`, t.storageClass.value,
        `list transitions in S3's order (${TRANSITION_ORDER.join(', ')}), each class once: ${previous.storageClass} comes before`);
      const gap = INFREQUENT.includes(previous.storageClass) ? 30 : 0;
      check.check(days === undefined || previous.days === undefined || days >= previous.days + gap, `${at}.transitionAfter`, t.transitionAfter?.toHumanString(),
        `give at least ${previous.days! + gap} days: objects move on ${gap ? `from ${previous.storageClass} 30 days after reaching it` : 'in order'}`);
    }
    if (rank >= 0) {
      previous = { rank, days, storageClass: t.storageClass.value };
    }
  });
}
