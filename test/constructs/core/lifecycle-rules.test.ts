import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { checkLifecycleRules, checkTransitions } from '../../../constructs/core/lifecycle-rules';
import { checkerProblems } from '../../support/validation';

const ofRules = (rules: s3.LifecycleRule[]) => checkerProblems((check) => checkLifecycleRules(check, 'rules', rules));
const ofTransitions = (transitions: s3.Transition[]) => checkerProblems((check) => checkTransitions(check, 'transitions', transitions));
const after = (storageClass: s3.StorageClass, days: number): s3.Transition => ({ storageClass, transitionAfter: Duration.days(days) });
const { INFREQUENT_ACCESS: IA, INTELLIGENT_TIERING, ONE_ZONE_INFREQUENT_ACCESS: ONE_ZONE, GLACIER_INSTANT_RETRIEVAL: GLACIER_IR, GLACIER, DEEP_ARCHIVE } = s3.StorageClass;

describe('lifecycle rules', () => {
  test('takes rules that each act, with ids of their own', () => {
    expect(ofRules([
      { id: 'expire', expiration: Duration.days(1) },
      { id: 'old-versions', noncurrentVersionExpiration: Duration.days(1) },
      { abortIncompleteMultipartUploadAfter: Duration.days(7) },
      { expiredObjectDeleteMarker: true },
      { expirationDate: new Date('2027-01-01T00:00:00Z') },
      { transitions: [after(GLACIER, 0)] },
      { noncurrentVersionTransitions: [{ storageClass: GLACIER, transitionAfter: Duration.days(30) }] },
    ])).toEqual([]);
  });

  test('refuses a rule twice, an id twice, a rule that does nothing, and a delete-marker rule that also expires', () => {
    expect(ofRules([
      { expiration: Duration.days(30) },
      { expiration: Duration.days(30) },
      { id: 'a', expiration: Duration.days(1) },
      { id: 'a', expiration: Duration.days(2) },
      { id: 'idle', expiredObjectDeleteMarker: false },
      { id: 'markers', expiredObjectDeleteMarker: true, expiration: Duration.days(3) },
      { id: 'markers-by-date', expiredObjectDeleteMarker: true, expirationDate: new Date('2027-01-01T00:00:00Z') },
    ])).toEqual([
      'rules[1] = 1: give each rule once: S3 takes no two alike',
      'rules[3].id = "a": give each rule its own id',
      'rules[4] = "idle": give the rule at least one action, such as expiration or transitions',
      'rules[5].expiredObjectDeleteMarker = true: S3 takes it only in a rule without expiration or expirationDate',
      'rules[6].expiredObjectDeleteMarker = true: S3 takes it only in a rule without expiration or expirationDate',
    ]);
  });

  test('tells rules alike by what S3 gets, however they were written', () => {
    const problem = (i: number) => `rules[${i}] = ${i}: give each rule once: S3 takes no two alike`;
    // an empty list, left out; a duration in other units; keys in another order; a rule enabled by default
    expect(ofRules([{ expiration: Duration.days(30), transitions: [] }, { expiration: Duration.days(30) }])).toEqual([problem(1)]);
    expect(ofRules([{ expiration: Duration.days(30) }, { expiration: Duration.hours(720) }])).toEqual([problem(1)]);
    expect(ofRules([{ prefix: 'a/', expiration: Duration.days(30) }, { expiration: Duration.days(30), prefix: 'a/' }])).toEqual([problem(1)]);
    expect(ofRules([{ expiration: Duration.days(30) }, { expiration: Duration.days(30), enabled: true }])).toEqual([problem(1)]);
    expect(ofRules([{ expirationDate: new Date('2027-01-01T00:00:00Z') }, { expirationDate: new Date('2027-01-01T00:00:00Z') }])).toEqual([problem(1)]);
    expect(ofRules([{ transitions: [after(GLACIER, 90)] }, { transitions: [{ transitionAfter: Duration.days(90), storageClass: GLACIER }] }])).toEqual([problem(1)]);
    // and apart when S3 gets them apart
    expect(ofRules([
      { expiration: Duration.days(30) }, { expiration: Duration.days(31) }, { expiration: Duration.days(30), prefix: 'a/' },
      { expiration: Duration.days(30), enabled: false }, { expirationDate: new Date('2027-01-01T00:00:00Z') }, { expirationDate: new Date('2027-01-02T00:00:00Z') },
      { transitions: [after(GLACIER, 90)] }, { transitions: [after(DEEP_ARCHIVE, 90)] }, { transitions: [after(GLACIER, 91)] },
      { expiration: Duration.days(30), tagFilters: { team: 'a' } }, { expiration: Duration.days(30), tagFilters: { team: 'b' } },
    ])).toEqual([]);
  });

  test('holds ids to 255 characters, and expirations and upload aborts to whole days from 1', () => {
    expect(ofRules([{ id: 'x'.repeat(255), expiration: Duration.days(1) }])).toEqual([]);
    const fix = (example: string) => `give a whole number of days from 1 to 2147483647, for example ${example}`;
    expect(ofRules([
      { id: 'x'.repeat(256), expiration: Duration.days(0) },
      { noncurrentVersionExpiration: Duration.hours(36) },
      { abortIncompleteMultipartUploadAfter: Duration.days(0) },
    ])).toEqual([
      `rules[0].id = "${'x'.repeat(256)}": give 1 to 255 characters, or leave it unset`,
      `rules[0].expiration = "0 days": ${fix('Duration.days(1)')}`,
      `rules[1].noncurrentVersionExpiration = "1 day 12 hours": ${fix('Duration.days(1)')}`,
      `rules[2].abortIncompleteMultipartUploadAfter = "0 days": ${fix('Duration.days(1)')}`,
    ]);
  });

  test('checks each rule\'s transitions, under the rule', () => {
    expect(ofRules([{ transitions: [after(IA, 29)] }])).toEqual(['rules[0].transitions[0].transitionAfter = "29 days": S3 moves objects to STANDARD_IA no sooner than 30 days after creation']);
  });
});

describe('transitions', () => {
  test('take S3\'s classes in its order, each later than the one before by what S3 asks', () => {
    expect(ofTransitions([after(IA, 30), after(INTELLIGENT_TIERING, 60), after(ONE_ZONE, 60), after(GLACIER_IR, 90), after(GLACIER, 90), after(DEEP_ARCHIVE, 90)])).toEqual([]);
    expect(ofTransitions([after(GLACIER_IR, 0), after(GLACIER, 0)])).toEqual([]);
    expect(ofTransitions([
      { storageClass: IA, transitionDate: new Date('2027-01-01T00:00:00Z') }, { storageClass: GLACIER, transitionDate: new Date('2027-01-02T00:00:00Z') },
    ])).toEqual([]);
  });

  test('refuse the infrequent-access classes before 30 days', () => {
    expect(ofTransitions([after(ONE_ZONE, 29)])).toEqual(['transitions[0].transitionAfter = "29 days": S3 moves objects to ONEZONE_IA no sooner than 30 days after creation']);
    expect(ofTransitions([after(ONE_ZONE, 30)])).toEqual([]);
    expect(ofTransitions([{ storageClass: IA, transitionAfter: Duration.hours(720 - 1) }])).toEqual([
      'transitions[0].transitionAfter = "29 days 23 hours": give a whole number of days from 0 to 2147483647, for example Duration.days(1)',
      'transitions[0].transitionAfter = "29 days 23 hours": S3 moves objects to STANDARD_IA no sooner than 30 days after creation',
    ]);
  });

  test('refuse a class out of S3\'s order, or twice', () => {
    const order = 'STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE';
    expect(ofTransitions([after(GLACIER, 90), after(GLACIER_IR, 120), after(GLACIER_IR, 150)])).toEqual([
      `transitions[1].storageClass = "GLACIER_IR": list transitions in S3's order (${order}), each class once: GLACIER comes before`,
      `transitions[2].storageClass = "GLACIER_IR": list transitions in S3's order (${order}), each class once: GLACIER_IR comes before`,
    ]);
    // the first class of the order, last or twice
    expect(ofTransitions([after(GLACIER, 90), after(IA, 120)])).toContain(
      `transitions[1].storageClass = "STANDARD_IA": list transitions in S3's order (${order}), each class once: GLACIER comes before`);
    expect(ofTransitions([after(IA, 30), after(IA, 90)])).toEqual([
      `transitions[1].storageClass = "STANDARD_IA": list transitions in S3's order (${order}), each class once: STANDARD_IA comes before`]);
  });

  test('refuse a class sooner than the one before, and sooner than 30 days after an infrequent-access one', () => {
    expect(ofTransitions([after(GLACIER_IR, 90), after(GLACIER, 89)])).toEqual([
      'transitions[1].transitionAfter = "89 days": give at least 90 days: objects move on in order',
    ]);
    expect(ofTransitions([after(IA, 30), after(GLACIER, 59)])).toEqual([
      'transitions[1].transitionAfter = "59 days": give at least 60 days: objects move on from STANDARD_IA 30 days after reaching it',
    ]);
    expect(ofTransitions([after(IA, 30), after(GLACIER, 60)])).toEqual([]);
  });

  test('refuse a mix of days and dates, neither or both, a date past midnight UTC, and a class not of s3.StorageClass', () => {
    const date = new Date('2027-01-01T00:00:00Z');
    expect(ofTransitions([
      after(IA, 30),
      { storageClass: GLACIER, transitionDate: date },
      { storageClass: DEEP_ARCHIVE, transitionAfter: Duration.days(200), transitionDate: date },
    ])).toEqual([
      'transitions = 3: give every transition a transitionAfter, or every one a transitionDate: S3 takes no mix in one rule',
      'transitions[2] = "200 days": give exactly one of transitionAfter and transitionDate',
    ]);
    expect(ofTransitions([{ storageClass: GLACIER } as s3.Transition])).toEqual(['transitions[0] = undefined: give exactly one of transitionAfter and transitionDate']);
    expect(ofTransitions([{ storageClass: GLACIER, transitionDate: new Date('2027-01-01T06:00:00Z') }])).toEqual([
      'transitions[0].transitionDate = 2027-01-01T06:00:00.000Z: give a date at midnight UTC, as S3 requires',
    ]);
    expect(ofTransitions([after(new s3.StorageClass('REDUCED_REDUNDANCY'), 30)])).toEqual([
      'transitions[0].storageClass = "REDUCED_REDUNDANCY": use one of s3.StorageClass',
    ]);
    // nor is a class S3 lacks, or none, held to the order of the classes before it
    expect(ofTransitions([after(IA, 30), after(new s3.StorageClass('REDUCED_REDUNDANCY'), 40)])).toEqual([
      'transitions[1].storageClass = "REDUCED_REDUNDANCY": use one of s3.StorageClass',
    ]);
    expect(ofTransitions([{ transitionAfter: Duration.days(10) } as s3.Transition])).toEqual(['transitions[0].storageClass = undefined: use one of s3.StorageClass']);
  });
});
