import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as fc from 'fast-check';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore } from '../../../constructs/versioning';
import { DataWarehouse } from '../../../constructs/warehouse';
import { ValidationError } from '../../../lib';
import { expectNoFindings, newTestApp } from '../../support/synth';

/**
 * Wild Workflow props (step lists, names, dependencies, retries, timeouts, schedules, trigger
 * prefixes and suffixes) have exactly two outcomes: a ValidationError, or a template that passes
 * the rule packs and CloudFormation's rule validation. FUZZ_RUNS raises the number of cases.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** The default run is the same every time; FUZZ_RUNS alone draws new cases, FUZZ_SEED repeats some. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? undefined : 20261201;

/** Mostly what a user would give, sometimes anything: so that both outcomes come up. */
function mostly<T>(valid: fc.Arbitrary<T>, wild: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: wild, weight: 1 });
}
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

const names = mostly(fc.constantFrom('train', 'features', 'score-2', 'a_b', 'x'.repeat(64), 'constructor', 'toString', 'valueOf', 'hasOwnProperty'),
  fc.oneof(fc.constantFrom('x'.repeat(65), '__proto__', '-a', 'a b', 'a.b', '', 'é'), fc.string({ maxLength: 8 })));
const whole = (min: number, max: number) => mostly(fc.integer({ min, max }), fc.constantFrom(-1, 0.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, max + 1));
const seconds = (valid: number[], wild: number[]) => optional(mostly(fc.constantFrom(...valid), fc.constantFrom(...wild)).map((s) => Duration.millis(s * 1000)));
const sql = mostly(fc.constantFrom('SELECT 1', '  with x as (select 1) select * from x', 'SELECT {run_id}', "SELECT 'it''s'", "-- a\nSELECT '{}'"),
  fc.constantFrom("UNLOAD (SELECT 1) TO 's3://b/f/'", '/* c */ CREATE TABLE t AS SELECT 1', 'INSERT INTO t SELECT 1', '', '   '));
const prefixes = mostly(fc.constantFrom('events/', 'a/b/', 'x\\y/', 'k=1/'), fc.oneof(fc.constantFrom('events', '/events/', 'e*/', `${'k'.repeat(1030)}/`), fc.string({ maxLength: 6 })));
const suffixes = optional(mostly(fc.constantFrom('.parquet', '_SUCCESS', 'a\\b', ''), fc.oneof(fc.constantFrom('*', '**', 'a*'), fc.string({ maxLength: 4 }))));

const step = fc.record({
  kind: fc.constantFrom('batch', 'athena', 'forEach'),
  name: names,
  deps: fc.array(fc.nat(5), { maxLength: 3 }),
  wildDep: mostly(fc.constant(undefined), names),
  retries: optional(whole(0, 10)),
  vcpus: optional(whole(1, 256)),
  timeout: seconds([60, 3600, 7200], [0, 59, 90.5, 2 ** 31]),
  variable: optional(mostly(fc.constantFrom('DATA', 'MODE'), fc.constantFrom('DSI_STEP', 'AWS_BATCH_X', ''))),
  query: sql,
  output: fc.boolean(),
  concurrency: optional(mostly(fc.constantFrom(1, 10, 40, 41, 10000), fc.constantFrom(0, 10001, 2.5))),
});

const props = fc.record({
  workflowName: names,
  steps: fc.array(step, { minLength: 1, maxLength: 5 }),
  timeout: seconds([60, 86400, 365 * 86400], [0, 0.5, 365 * 86400 + 1]),
  inputLocations: optional(mostly(fc.constantFrom<string[]>(['s3://raw/events/'], ['s3://raw/a/', 's3://raw/b/']),
    fc.constantFrom<string[]>(['https://x'], ['s3://raw/a/', 's3://raw/a/'], ['s3://Bad_Bucket/']))),
  logRetention: optional(mostly(fc.constantFrom(logs.RetentionDays.ONE_WEEK, logs.RetentionDays.ONE_YEAR, logs.RetentionDays.INFINITE),
    fc.constantFrom(0, 4, -1) as unknown as fc.Arbitrary<logs.RetentionDays>)),
  removalPolicy: optional(mostly(fc.constantFrom(RemovalPolicy.RETAIN, RemovalPolicy.DESTROY), fc.constant(RemovalPolicy.SNAPSHOT))),
  schedule: optional(fc.record({
    id: names,
    every: fc.constantFrom(1, 6, 24),
    window: seconds([60, 900, 86400], [30, 90, 86460]),
    retryAttempts: optional(whole(0, 185)),
    maxEventAge: seconds([60, 3600, 86400], [59, 86401, 60.5]),
    description: optional(mostly(fc.constantFrom('nightly'), fc.constant('d'.repeat(513)))),
  })),
  trigger: optional(fc.record({ id: names, prefix: prefixes, suffix: suffixes })),
});

type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

/** Builds a stack from wild props, as a user might: whatever it throws is the outcome. */
function build(p: Props): Stack {
  const stack = new Stack(newTestApp(), 'Wild');
  const jobQueue = batch.JobQueue.fromJobQueueArn(stack, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu');
  const jobDefinition = batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:1');
  const needsWarehouse = p.steps.some((s) => s.kind === 'athena');
  const warehouse = needsWarehouse ? new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' }) : undefined;
  const artifactStore = new ArtifactStore(stack, 'Artifacts');
  // names as given, a repeat of a valid one told apart, as a user would; dependencies on earlier steps, and now and then on anything
  const named = p.steps.map((s, i, all) => (all.findIndex((other) => other.name === s.name) < i && /^[a-z]/.test(s.name) ? `${s.name}-${i}` : s.name));
  const steps = p.steps.map((s, i) => {
    const dependsOn = [...new Set(i === 0 ? [] : s.deps.map((d) => named[d % i]))].concat(s.wildDep !== undefined ? [s.wildDep] : []);
    const job = { jobQueue, jobDefinition, vcpus: s.vcpus, timeout: s.timeout, environment: s.variable !== undefined ? { [s.variable]: 'x' } : undefined };
    if (s.kind === 'athena') {
      return WorkflowStep.athenaQuery({
        name: named[i], dependsOn, retries: s.retries, warehouse: warehouse!, queryString: s.query,
        output: s.output ? { zone: warehouse!.curated, prefix: 'features/' } : undefined,
      });
    }
    if (s.kind === 'forEach' && i > 0) {
      return WorkflowStep.forEach({ name: named[i], dependsOn, retries: s.retries, itemsFrom: dependsOn[0] ?? named[(i + 1) % named.length], maxConcurrency: s.concurrency, job });
    }
    return WorkflowStep.batchJob({ name: named[i], dependsOn, retries: s.retries, ...job });
  });
  const workflow = new Workflow(stack, 'Flow', {
    workflowName: p.workflowName, steps, artifactStore, timeout: p.timeout, inputLocations: p.inputLocations,
    logRetention: p.logRetention, removalPolicy: p.removalPolicy,
  });
  if (p.schedule) {
    workflow.addSchedule(p.schedule.id, {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(p.schedule.every)), flexibleWindow: p.schedule.window,
      retryAttempts: p.schedule.retryAttempts, maxEventAge: p.schedule.maxEventAge, description: p.schedule.description,
    });
  }
  if (p.trigger) {
    workflow.addDataTrigger(p.trigger.id, { bucket: artifactStore.bucket, prefix: p.trigger.prefix, suffix: p.trigger.suffix });
  }
  return stack;
}

describe('Workflow props, fuzzed', () => {
  const outcomes = { refused: 0, valid: 0 };
  afterAll(() => {
    // how many cases ran, and how each ended
    process.stdout.write(`Workflow props fuzz: ${outcomes.refused + outcomes.valid} cases, ${outcomes.refused} refused with a ValidationError, ${outcomes.valid} valid templates\n`);
  });

  test('end in a ValidationError or a template that passes the rule packs, nothing else', () => {
    fc.assert(fc.property(props, (p) => {
      let stack: Stack;
      try {
        stack = build(p);
      } catch (error) {
        if (!(error instanceof ValidationError)) {
          throw error;
        }
        outcomes.refused++;
        if (process.env.FUZZ_SHOW) {
          process.stdout.write(`${(error as ValidationError).problems.map((q) => q.prop + ': ' + q.fix.slice(0, 50)).join(' | ')}\n`);
        }
        return;
      }
      expectNoFindings(stack.node.root as any);
      outcomes.valid++;
    }), { numRuns: RUNS, seed: SEED });
    // both outcomes happen: the generator is not all refusals
    if (SEED !== undefined || RUNS >= 100) {
      expect(outcomes.refused).toBeGreaterThan(0);
      expect(outcomes.valid).toBeGreaterThan(0);
    }
  });
});
