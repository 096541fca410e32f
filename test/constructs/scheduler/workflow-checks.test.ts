import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { checkDefinitionSize, checkHistory, checkRunProps } from '../../../constructs/scheduler/workflow-checks';
import { checkerProblems, problemLines } from '../../support/validation';

const MIB = 1024 * 1024;
const SPLIT = 'split the workflow in two and start the second with runAfter, or fan repeated work out with forEach';
/** A definition of exactly `bytes` bytes as JSON: `{"s":"xx…"}`, with `tail` at the end of its string. */
const definitionOf = (bytes: number, tail = '') => ({ s: 'x'.repeat(bytes - 8 - tail.length) + tail });

describe('checkDefinitionSize', () => {
  test('takes a definition of 1 MiB and refuses one byte more, in KiB rounded up', () => {
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB), 12))).toEqual([]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB + 1), 12))).toEqual([
      `steps = "12 steps": the state machine would be about 1025 KiB, over Step Functions' 1 MB limit; ${SPLIT}`,
    ]);
  });

  test('counts each unresolved token as 100 bytes, whatever its placeholder\'s length', () => {
    const token = '${Token[TOKEN.1234]}';
    // the placeholder is 20 characters; counted as 100, the definition is exactly 1 MiB
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 80, token), 3))).toEqual([]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 79, token), 3))).toEqual([
      `steps = "3 steps": the state machine would be about 1025 KiB, over Step Functions' 1 MB limit; ${SPLIT}`,
    ]);
    // two tokens count twice
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 160, token + token), 3))).toEqual([]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 159, token + token), 3))).toHaveLength(1);
  });
});

describe('checkHistory', () => {
  const empty = { lanes: [], waitsFor: new Map(), tells: new Map() };

  test('takes a run of 25,000 events and refuses one more, saying how many', () => {
    // a workflow without steps still starts, records and ends its run: 8 events
    expect(problemLines(() => checkHistory(empty, 2, 25_000 - 8))).toEqual([]);
    expect(problemLines(() => checkHistory(empty, 2, 25_000 - 7))).toEqual([
      `steps = "2 steps": a run would record up to 25001 history events, over the 25000 Step Functions keeps for a run; ${SPLIT}`,
    ]);
  });

  test('counts one step as one step, not "1 steps"', () => {
    expect(problemLines(() => checkHistory(empty, 1, 25_000 - 7))).toEqual([
      `steps = "1 step": a run would record up to 25001 history events, over the 25000 Step Functions keeps for a run; ${SPLIT}`,
    ]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB + 1), 1))[0]).toMatch(/^steps = "1 step": /);
  });
});

describe('checkRunProps', () => {
  /** What a workflow refuses of its run's props, as `prop = value: fix` lines. */
  const problems = (timeout: Duration, inputLocations: string[] = [], logRetention = logs.RetentionDays.ONE_MONTH, removalPolicy?: RemovalPolicy) =>
    checkerProblems((check) => checkRunProps(check, timeout, inputLocations, logRetention, removalPolicy));
  const TIMEOUT_FIX = 'give whole seconds, from 1 second to 365 days (the longest a standard execution runs)';
  const S3_FIX = 'give an S3 URL such as "s3://bucket/events/"';

  test('takes a run of 1 second to 365 days, its inputs as S3 URLs, a retention that ends, and a removal policy without snapshots', () => {
    expect(problems(Duration.seconds(1), ['s3://raw-bucket', 's3://raw.bucket-1/events/', Lazy.string({ produce: () => 's3://b/x/' })],
      logs.RetentionDays.TEN_YEARS, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)).toEqual([]);
    expect(problems(Duration.days(365))).toEqual([]);
  });

  test.each<[string, () => string[], string[]]>([
    ['no time at all', () => problems(Duration.seconds(0)), [`timeout = "0 seconds": ${TIMEOUT_FIX}`]],
    ['part of a second', () => problems(Duration.millis(1500)), [`timeout = "1.5 seconds": ${TIMEOUT_FIX}`]],
    ['a day past a year', () => problems(Duration.days(366)), [`timeout = "366 days": ${TIMEOUT_FIX}`]],
    ['inputs that are no S3 URLs', () => problems(Duration.hours(1), ['https://raw-bucket/events/', 'xs3://raw-bucket/', 's3://ab/', 's3://raw-bucket?x']), [
      `inputLocations[0] = "https://raw-bucket/events/": ${S3_FIX}`, `inputLocations[1] = "xs3://raw-bucket/": ${S3_FIX}`,
      `inputLocations[2] = "s3://ab/": ${S3_FIX}`, `inputLocations[3] = "s3://raw-bucket?x": ${S3_FIX}`,
    ]],
    // from JavaScript: a list of one URL prints as the URL, and is still no URL
    ['an input that is a list', () => problems(Duration.hours(1), [['s3://raw-bucket/a/'] as any]), [`inputLocations[0] = ["s3://raw-bucket/a/"]: ${S3_FIX}`]],
    ['an input named twice', () => problems(Duration.hours(1), ['s3://raw-bucket/a/', 's3://raw-bucket/a/']),
      ['inputLocations = ["s3://raw-bucket/a/","s3://raw-bucket/a/"]: name each location once']],
    ['logs kept forever', () => problems(Duration.hours(1), [], logs.RetentionDays.INFINITE),
      ['logRetention = "RetentionDays.INFINITE": give a retention such as logs.RetentionDays.TEN_YEARS: the rule packs require every log group to expire its logs']],
    ['a retention CloudWatch Logs has not', () => problems(Duration.hours(1), [], 2 as logs.RetentionDays),
      ['logRetention = 2: use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods']],
    ['snapshots', () => problems(Duration.hours(1), [], logs.RetentionDays.ONE_MONTH, RemovalPolicy.SNAPSHOT),
      ['removalPolicy = "snapshot": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted']],
  ])('refuses %s, whole', (_, act, expected) => {
    expect(act()).toEqual(expected);
  });
});

describe('the workflow\'s limits', () => {
  test('are refused as the Workflow\'s props', () => {
    expect(() => checkDefinitionSize(definitionOf(MIB + 1), 2)).toThrow(/^Invalid props for Workflow:\n/);
    expect(() => checkHistory({ lanes: [], waitsFor: new Map(), tells: new Map() }, 2, 25_000)).toThrow(/^Invalid props for Workflow:\n/);
  });
});
