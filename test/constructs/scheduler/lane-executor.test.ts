import { catchAll, DYNAMODB_TRANSIENT_ERRORS } from '../../../constructs/scheduler/asl';
import { historyEventsAtMost, laneExecutor, LaneExecutorProps, PLAN_STEPS, RUN_STEPS } from '../../../constructs/scheduler/lane-executor';
import { planLanes } from '../../../constructs/scheduler/lanes';
import { DependencyRecords } from '../../support/dependency-records';
import { aslErrors, LocalRun, runLocally, TaskMock, taskError } from '../../support/state-machines';

/*
 * The lanes on their own, without a workflow around them: each built from a plan and run
 * locally in milliseconds, against the emulated dependency table. Each step is what a real one
 * is: a Pass state named after it, then a task the steps share.
 */

/** A DAG as `[step, dependencies]`, in topological order. */
type Dag = Array<[string, string[]?]>;

const TABLE = 'team-dependencies';
const FAILED = 'Read failure';
const DONE = 'Lanes done';

/** The state the carried snapshots are added in, between the plan and the lanes, as a workflow's are. */
const SNAPSHOTS = 'Add snapshots';

function machine(dag: Dag, props: Partial<LaneExecutorProps> = {}): any {
  const plan = planLanes(dag.map(([name, dependsOn = []]) => ({ name, dependsOn })));
  const executor = laneExecutor({
    plan,
    addStepStates: (step, sink) => {
      const run = sink.shared('Run step', {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob.sync',
        Parameters: { 'JobName.$': '$.step.name', 'Queue.$': sink.ref('the queue'), 'Carried.$': '$' },
        ResultPath: null,
        Catch: [catchAll(sink.stepFailed)],
        Next: sink.afterStep,
      });
      sink.add(step, { Type: 'Pass', Next: run });
    },
    dependencyTable: TABLE,
    onStepFailed: FAILED,
    ...props,
  }, props.carried ? SNAPSHOTS : RUN_STEPS);
  const definition = {
    StartAt: PLAN_STEPS,
    States: {
      [PLAN_STEPS]: executor.plan,
      ...(props.carried ? { [SNAPSHOTS]: { Type: 'Pass', Result: { ids: { sales: '42' } }, ResultPath: '$.snapshots', Next: RUN_STEPS } } : {}),
      [RUN_STEPS]: executor.run,
      [FAILED]: { Type: 'Pass', End: true },
      ...(props.next ? { [props.next]: { Type: 'Pass', Result: 'done', End: true } } : {}),
    },
  };
  // the task integrations name the partition as a token: a deployed machine has it resolved
  return JSON.parse(JSON.stringify(definition).replace(/\$\{Token\[AWS\.Partition\.\d+\]\}/g, 'aws'));
}

/** What the steps did, in order: `start a`, `end a`. */
interface Trace {
  readonly events: string[];
  readonly mock: TaskMock;
}

/** The shared task's answer: each step takes its delay in ms, and `fail` fails with an error of its name. */
function steps(delays: Record<string, number> = {}, fail: Record<string, string> = {}): Trace {
  const events: string[] = [];
  return {
    events,
    mock: async (input) => {
      const step = input.JobName;
      events.push(`start ${step}`);
      await new Promise((resolve) => setTimeout(resolve, delays[step] ?? 0));
      if (fail[step]) {
        throw taskError(fail[step], `${step} broke`);
      }
      events.push(`end ${step}`);
      return {};
    },
  };
}

async function run(definition: any, trace: Trace, mocks: Record<string, TaskMock> = {}, input: any = {}): Promise<LocalRun> {
  return runLocally(definition, { 'Run step': trace.mock, ...mocks }, 'run-0001', input);
}

/** Each step started once, after every step it depends on ended. */
function expectDagOrder(dag: Dag, events: string[]): void {
  for (const [step, dependsOn = []] of dag) {
    expect({ step, starts: events.filter((e) => e === `start ${step}`).length }).toEqual({ step, starts: 1 });
    for (const dep of dependsOn) {
      expect({ step, dep, after: events.indexOf(`start ${step}`) > events.indexOf(`end ${dep}`) }).toEqual({ step, dep, after: true });
    }
  }
}

const callsOf = (run: LocalRun, state: string) => run.calls.filter((c) => c.state === state);

/** An N: c after a; d after a and b. Its lanes are [a, c] and [b, d]: d waits for a across lanes. */
const N: Dag = [['a'], ['b'], ['c', ['a']], ['d', ['a', 'b']]];

describe('the lanes of a workflow', () => {
  test('run an N, each step once and after its dependencies, a late dependency waking its dependent by its token', async () => {
    const definition = machine(N);
    expect(aslErrors(definition)).toEqual([]);
    const trace = steps({ a: 40 });
    const ran = await run(definition, trace);
    expect(ran.error).toBeUndefined();
    expect(ran.endedIn).toBe(RUN_STEPS);
    expectDagOrder(N, trace.events);
    // d waited before a ended, and a, done, sent its token: d started then and only then
    expect(trace.events.indexOf('start d')).toBeGreaterThan(trace.events.indexOf('end a'));
    expect(callsOf(ran, 'Wait for dependencies').map((c) => [c.input.TableName, c.input.Key, c.input.ExpressionAttributeValues[':waits']]))
      .toEqual([[TABLE, { run: { S: 'run-0001' }, step: { S: 'd' } }, { N: '1' }]]);
    expect(callsOf(ran, 'Count dependency').map((c) => [c.input.Key.step.S, c.input.ExpressionAttributeValues[':step']])).toEqual([['d', { SS: ['a'] }]]);
    expect(callsOf(ran, 'Start dependent').map((c) => c.input)).toEqual([{ TaskToken: 'token-1', Output: '{}' }]);
    expect(callsOf(ran, 'Forget dependencies').map((c) => c.input.Key.step.S)).toEqual(['d']);
    // every record forgotten once its step went on
    expect(ran.records.keys).toEqual([]);
  });

  test('a dependency done before its dependent waits: the wait\'s condition fails, and the step goes on with no token', async () => {
    const trace = steps({ b: 40 });
    const ran = await run(machine(N), trace);
    expect(ran.error).toBeUndefined();
    expectDagOrder(N, trace.events);
    expect(callsOf(ran, 'Wait for dependencies')).toHaveLength(1);
    expect(callsOf(ran, 'Start dependent')).toEqual([]);
    expect(callsOf(ran, 'Forget dependencies')).toHaveLength(1);
    expect(ran.records.keys).toEqual([]);
  });

  test('a step waiting for two lanes waits for the last of them', async () => {
    // e after b, c and d: one of them runs before it in its lane, two it waits for
    const dag: Dag = [['a'], ['b', ['a']], ['c', ['a']], ['d', ['a']], ['e', ['b', 'c', 'd']]];
    for (const delays of [{ b: 30 }, { c: 30 }, { d: 30 }, { b: 30, c: 60 }, { c: 60, d: 30 }] as Array<Record<string, number>>) {
      const trace = steps(delays);
      const ran = await run(machine(dag), trace);
      expect(ran.error).toBeUndefined();
      expectDagOrder(dag, trace.events);
      expect(callsOf(ran, 'Wait for dependencies').filter((c) => c.input.Key.step.S === 'e').map((c) => c.input.ExpressionAttributeValues[':waits'])).toEqual([{ N: '2' }]);
      expect(ran.records.keys).toEqual([]);
    }
  });

  test('a chain runs in one lane and touches no record', async () => {
    const chain: Dag = [['a'], ['b', ['a']], ['c', ['b']]];
    const definition = machine(chain, { dependencyTable: undefined });
    expect(definition.States[RUN_STEPS].Type).toBe('Map');
    expect(definition.States[PLAN_STEPS].Parameters.groups).toEqual([[{ count: 3, steps: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }]]);
    // no state that waits or tells
    expect(Object.keys(definition.States[RUN_STEPS].ItemProcessor.States).sort())
      .toEqual(['After step', 'Lane finished', 'Next step', 'Run step', 'Start step', 'Step failed', 'Stop run', 'a', 'b', 'c']);
    const trace = steps();
    const ran = await run(definition, trace);
    expect(ran.error).toBeUndefined();
    expect(trace.events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(ran.calls.map((c) => c.state)).toEqual(['Run step', 'Run step', 'Run step']);
  });

  test('go on to the next state when given one, and give each step the refs and the carried fields', async () => {
    const definition = machine(N, { next: DONE, carried: ['snapshots'] });
    expect(aslErrors(definition)).toEqual([]);
    const trace = steps();
    const ran = await run(definition, trace, {}, { other: 'not carried' });
    expect(ran.error).toBeUndefined();
    expect(ran.result).toBe('done');
    expect(ran.endedIn).toBe(DONE);
    const seen = callsOf(ran, 'Run step').map((c) => c.input);
    expect(seen).toHaveLength(4);
    for (const input of seen) {
      expect(input.Queue).toBe('the queue');
      expect(input.Carried.snapshots).toEqual({ ids: { sales: '42' } });
      expect(input.Carried.other).toBeUndefined();
    }
  });

  test.each([
    ['a step of its own lane', 'a', 'StepOne.Broken'],
    ['a step that waits', 'd', 'StepTwo.Broken'],
  ])('a failing step (%s) stops the run with StepFailed, its cause the step, its error and its cause; no step after it starts', async (_, failing, error) => {
    const trace = steps({}, { [failing]: error });
    const ran = await run(machine(N, { next: DONE }), trace);
    expect(ran.error).toBeUndefined();
    expect(ran.endedIn).toBe(FAILED);
    expect(ran.result.caught.Error).toBe('StepFailed');
    expect(JSON.parse(ran.result.caught.Cause)).toEqual([failing, error, `${failing} broke`]);
    for (const [step, dependsOn = []] of N) {
      if (dependsOn.includes(failing)) {
        expect(trace.events).not.toContain(`start ${step}`);
      }
    }
  });

  test.each(['Wait for dependencies', 'Forget dependencies', 'Count dependency'])('%s: DynamoDB\'s transient errors are retried, and the run goes on', async (state) => {
    for (const error of DYNAMODB_TRANSIENT_ERRORS) {
      const records = new DependencyRecords();
      const trace = steps({ a: 20 });
      const ran = await runLocally(machine(N), { 'Run step': trace.mock, [state]: failingFirst(records, state, error) }, 'run-0001', {}, records);
      expect({ error, ran: ran.error }).toEqual({ error, ran: undefined });
      expect(ran.endedIn).toBe(RUN_STEPS);
      expect(callsOf(ran, state)).toHaveLength(2);
      expectDagOrder(N, trace.events);
      expect(records.keys).toEqual([]);
    }
  });

  test.each([
    ['Wait for dependencies', 'd'],
    ['Forget dependencies', 'd'],
    ['Count dependency', 'a'],
  ])('%s failing for good fails the step it ran for (%s)', async (state, step) => {
    const records = new DependencyRecords();
    const trace = steps({ a: 20 });
    const ran = await runLocally(machine(N), { 'Run step': trace.mock, [state]: failingFirst(records, state, 'DynamoDB.AmazonDynamoDBException', Infinity) }, 'run-0001', {}, records);
    expect(ran.endedIn).toBe(FAILED);
    expect(JSON.parse(ran.result.caught.Cause)).toEqual([step, 'DynamoDB.AmazonDynamoDBException', 'DynamoDB.AmazonDynamoDBException']);
    // not retried: an error that does not pass
    expect(callsOf(ran, state)).toHaveLength(1);
    expect(trace.events).not.toContain('start d');
  });

  test.each(['Sfn.SfnException', 'Sfn.ThrottlingException'])('a token not sent for %s is sent again', async (error) => {
    const records = new DependencyRecords();
    const trace = steps({ a: 20 });
    const ran = await runLocally(machine(N), { 'Run step': trace.mock, 'Start dependent': failingFirst(records, 'Start dependent', error) }, 'run-0001', {}, records);
    expect(ran.error).toBeUndefined();
    expect(ran.endedIn).toBe(RUN_STEPS);
    expect(callsOf(ran, 'Start dependent')).toHaveLength(2);
    expectDagOrder(N, trace.events);
  });

  test.each(['Sfn.TaskTimedOutException', 'Sfn.InvalidTokenException'])('a token already used (%s) is no failure: the step it woke runs once', async (error) => {
    const records = new DependencyRecords();
    const trace = steps({ a: 20 });
    // the token is sent, then the answer lost: a retried count finds it used
    const start = records.handlers()['Start dependent'];
    const ran = await runLocally(machine(N), {
      'Run step': trace.mock,
      'Start dependent': (input) => {
        start(input);
        throw taskError(error);
      },
    }, 'run-0001', {}, records);
    expect(ran.error).toBeUndefined();
    expect(ran.endedIn).toBe(RUN_STEPS);
    expect(callsOf(ran, 'Start dependent')).toHaveLength(1);
    expectDagOrder(N, trace.events);
  });

  test('a token never sent fails the step that waits for it once no step is left to send it', async () => {
    const trace = steps({ a: 20 });
    const ran = await runLocally(machine(N), { 'Run step': trace.mock, 'Start dependent': () => ({}) });
    expect(ran.endedIn).toBe(FAILED);
    expect(JSON.parse(ran.result.caught.Cause)).toEqual(['d', 'States.Timeout', 'no step is left to send its token']);
    expect(trace.events).not.toContain('start d');
  });

  test('any other error of a token fails the step that sends it', async () => {
    const trace = steps({ a: 20 });
    const ran = await runLocally(machine(N), { 'Run step': trace.mock, 'Start dependent': () => { throw taskError('Sfn.AccessDeniedException', 'no'); } });
    expect(ran.endedIn).toBe(FAILED);
    expect(JSON.parse(ran.result.caught.Cause)).toEqual(['a', 'Sfn.AccessDeniedException', 'no']);
  });

  test.each([
    [40, 'Map'],
    [41, 'Parallel'],
    [81, 'Parallel'],
  ])('%i lanes run in Maps of 40 at most, each step once, one waiting across Maps', async (lanes, type) => {
    // steps side by side, and one after the first and the last of them, in the lane of one
    const dag: Dag = [...Array.from({ length: lanes }, (_, i) => [`s${i}`] as [string]), ['join', ['s0', `s${lanes - 1}`]]];
    const definition = machine(dag);
    expect(aslErrors(definition)).toEqual([]);
    const groups = definition.States[PLAN_STEPS].Parameters.groups;
    expect(groups.map((group: any[]) => group.length)).toEqual(lanes === 40 ? [40] : lanes === 41 ? [40, 1] : [40, 40, 1]);
    expect(definition.States[RUN_STEPS].Type).toBe(type);
    if (type === 'Parallel') {
      expect(definition.States[RUN_STEPS].Branches.map((b: any) => b.StartAt)).toEqual(groups.map((_: unknown, g: number) => `${RUN_STEPS} ${g + 1}`));
      const second = definition.States[RUN_STEPS].Branches[1].States[`${RUN_STEPS} 2`];
      expect(second.ItemsPath).toBe('$.groups[1]');
      expect(second.ItemProcessor.StartAt).toBe('Next step (Map 2)');
    }
    const trace = steps({ s0: 30 });
    const ran = await run(definition, trace);
    expect(ran.error).toBeUndefined();
    expectDagOrder(dag, trace.events);
    expect(ran.records.keys).toEqual([]);
  });

  test('a failing step of the second Map stops the run as one of the first does', async () => {
    const dag: Dag = Array.from({ length: 42 }, (_, i) => [`s${i}`] as [string]);
    const trace = steps({}, { s41: 'Late.Broken' });
    const ran = await run(machine(dag, { next: DONE }), trace);
    expect(ran.endedIn).toBe(FAILED);
    expect(JSON.parse(ran.result.caught.Cause)).toEqual(['s41', 'Late.Broken', 's41 broke']);
  });
});

/**
 * The history events of a run, counted as Step Functions records them: 2 for the execution, a
 * Task 5 (6 with the Submitted of .sync and .waitForTaskToken), a Map or Parallel 4, and 2 per
 * iteration or branch, any other state 2.
 */
function historyEvents(definition: any, ran: LocalRun): number {
  const types = new Map<string, any>();
  const visit = (states: Record<string, any>) => Object.entries(states).forEach(([name, state]) => {
    types.set(name, state);
    (state.Branches ?? []).forEach((branch: any) => visit(branch.States));
    visit(state.ItemProcessor?.States ?? {});
  });
  visit(definition.States);
  return 2 + 2 * ran.iterations + ran.entered.reduce((sum, name) => {
    const state = types.get(name);
    if (state.Type === 'Task') {
      return sum + (/\.(sync|waitForTaskToken)$/.test(state.Resource) ? 6 : 5);
    }
    return sum + (state.Type === 'Map' || state.Type === 'Parallel' ? 4 : 2);
  }, 0);
}

describe('historyEventsAtMost', () => {
  test.each<[string, Dag, Record<string, number>]>([
    ['a chain', [['a'], ['b', ['a']], ['c', ['b']]], {}],
    ['an N, its wait woken by a token', N, { a: 30 }],
    ['a step waiting for two lanes, both woken late', [['a'], ['b', ['a']], ['c', ['a']], ['d', ['a']], ['e', ['b', 'c', 'd']]], { c: 30, d: 30 }],
    // lanes [b, d], [c, e] and [a]: d and e both wait for a
    ['two steps waiting for one', [['b'], ['c'], ['a'], ['d', ['a', 'b']], ['e', ['a', 'c']]], { a: 30 }],
    ['41 lanes in two Maps, a wait across them', [...Array.from({ length: 40 }, (_, i) => [`s${i}`] as [string]), ['join', ['s0', 's39']]], { s0: 30, s39: 30 }],
    ['81 lanes in three Maps', Array.from({ length: 81 }, (_, i) => [`s${i}`] as [string]), {}],
  ])('is what %s records when every wait is woken by its token', async (_, dag, delays) => {
    const definition = machine(dag);
    const ran = await run(definition, steps(delays));
    expect(ran.error).toBeUndefined();
    // every wait woken: as many tokens sent as steps waited
    expect(callsOf(ran, 'Start dependent')).toHaveLength(callsOf(ran, 'Wait for dependencies').length);
    const plan = planLanes(dag.map(([name, dependsOn = []]) => ({ name, dependsOn })));
    expect(historyEventsAtMost(plan)).toBe(historyEvents(definition, ran));
  });

  test('is more than a run records when its dependencies are done before it waits', async () => {
    const definition = machine(N);
    const ran = await run(definition, steps({ b: 30 }));
    expect(callsOf(ran, 'Start dependent')).toEqual([]);
    expect(historyEventsAtMost(planLanes(N.map(([name, dependsOn = []]) => ({ name, dependsOn }))))).toBe(historyEvents(definition, ran) + 5);
  });
});

/** The emulated table's handler of `state`, failing with `error` on the first `times` calls of a request. */
function failingFirst(records: DependencyRecords, state: string, error: string, times = 1): TaskMock {
  const handler = records.handlers()[state];
  return (input, attempt) => {
    if (attempt <= times) {
      throw taskError(error);
    }
    return handler(input);
  };
}
