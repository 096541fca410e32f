import { AslState, AslStates, catchAll, DYNAMODB_TRANSIENT_ERRORS, task, transientRetry } from './asl';
import type { LanePlan } from './lanes';
import { RUN_ID_PATH } from './step-states';
import { AFTER_STEP, laneState, START_STEP } from './run-states';
import type { StepStateSink } from './step-types';

/*
 * The states that run a workflow's lanes (lanes.ts). Each lane is one iteration of an inline
 * Map: it takes its steps one by one, and for each waits for its dependencies in other lanes,
 * runs the step's states, and tells the steps of other lanes that wait for it. A Map runs at most
 * 40 iterations at once, so lanes go 40 to a Map, and the Maps run side by side in a Parallel.
 *
 * Why this shape. Nested Parallel states (fork and join) can run a series-parallel DAG exactly,
 * but not an N (c after a; d after a and b): some step would wait for one it does not depend on.
 * So every DAG runs the same way, and steps wait for each other through records. The lanes are a
 * loop over states they share (a router on the step's name, one task per kind of step), so a
 * step adds a Pass state named after it and a router rule, not a copy of every state: 500 steps
 * fit in a quarter of Step Functions' 1 MB. The price is history: a Map's iterations record their
 * events in the run's history, which holds 25,000, about 16 for a step and 16 more for each wait
 * across lanes (historyEventsAtMost); a workflow that could pass it is refused at synth.
 *
 * Waiting needs no polling and no function. A step that waits for others has a record in the
 * dependency table, keyed by run and step: the set of its dependencies that are `done`, and the
 * `token` of its wait. The waiting step writes its token with an
 * `aws-sdk:dynamodb:updateItem.waitForTaskToken` task (AWS SDK integrations support the
 * callback pattern in standard workflows), on the condition that not all its dependencies are
 * done yet: if they are, the condition fails and the step goes on at once. Each dependency, once
 * it succeeds, adds itself to the set (ReturnValues ALL_NEW); the one that completes the set
 * while a token is there sends the token back (SendTaskSuccess). Both writes are to one item,
 * which DynamoDB applies one at a time, so exactly one of the two sides sees the other: the step
 * is started once, and never before its last dependency. Adding to a set, unlike counting, is the
 * same when retried. A record per waiting step, not per dependency, keeps an item to one token
 * however many steps wait for one step. The step deletes its record once it goes on. So a wait
 * across lanes costs one write per dependency, one write, one delete and at most one
 * SendTaskSuccess per waiting step; a chain, which runs in one lane, costs none, and a workflow
 * with no wait across lanes has no table.
 */

/** The state that plans the lanes, and the state (a Map, or a Parallel of Maps) that runs them. */
export const PLAN_STEPS = 'Plan steps';
export const RUN_STEPS = 'Run steps';

/** How many iterations an inline Map runs at once: Step Functions runs no more. */
const LANES_PER_MAP = 40;

/** The error a lane stops the run with; its cause is `[step, error, cause]` as JSON. */
export const STEP_FAILED_ERROR = 'StepFailed';

export interface LaneExecutorProps {
  readonly plan: LanePlan;
  /** Puts the states of the step named `step` in `sink`. */
  readonly addStepStates: (step: string, sink: StepStateSink) => void;
  /** The name of the table of dependency records; needed when a step waits for another lane. */
  readonly dependencyTable?: string;
  /** Where the run goes when a step fails, the lane's error (StepFailed) at `$.caught`. */
  readonly onStepFailed: string;
  /** Where the run goes once every lane has finished. @default - the run ends */
  readonly next?: string;
  /** Fields of the run's input every step sees beside the refs, such as the snapshots the run recorded. @default - none */
  readonly carried?: string[];
}

/** The plan state, which `planNext` follows, and the state that runs the lanes. */
export function laneExecutor(props: LaneExecutorProps, planNext: string): { plan: AslState; run: AslState } {
  const refs = new Map<string, { key: string; value: unknown }>();
  const ref = (value: unknown) => {
    const id = JSON.stringify(value);
    if (!refs.has(id)) {
      refs.set(id, { key: `r${refs.size + 1}`, value });
    }
    return `$.refs.${refs.get(id)!.key}`;
  };
  const tablePath = props.dependencyTable === undefined ? undefined : ref(props.dependencyTable);
  const groups: string[][][] = [];
  for (let i = 0; i < props.plan.lanes.length; i += LANES_PER_MAP) {
    groups.push(props.plan.lanes.slice(i, i + LANES_PER_MAP));
  }
  // state names are unique in a whole state machine: the states of the second Map on say so
  const maps = groups.map((lanes, g) => laneMap(props, lanes, `$.groups[${g}]`, new LaneNames(g), ref, tablePath));
  const failure = {
    Catch: [{ ErrorEquals: [STEP_FAILED_ERROR], ResultPath: '$.caught', Next: props.onStepFailed }],
    ...(props.next ? { Next: props.next } : { End: true }),
  };
  const run = maps.length === 1 ? { ...maps[0], ...failure } : {
    Type: 'Parallel',
    Branches: maps.map((map, g) => ({ StartAt: `${RUN_STEPS} ${g + 1}`, States: { [`${RUN_STEPS} ${g + 1}`]: { ...map, End: true } } })),
    ResultPath: null,
    ...failure,
  };
  const plan = {
    Type: 'Pass',
    Comment: 'The lanes of steps, and the ARNs and names their states share',
    Parameters: {
      refs: Object.fromEntries([...refs.values()].map(({ key, value }) => [key, value])),
      groups: groups.map((lanes) => lanes.map((lane) => ({ count: lane.length, steps: lane.map((step) => stepPlan(props.plan, step)) }))),
    },
    Next: planNext,
  };
  return { plan, run };
}

/** Step Functions ends a standard execution that passes this many history events. */
export const HISTORY_LIMIT = 25_000;

/**
 * The most history events a successful run records in these states, forEach items aside: a
 * Task 5 (Entered, Scheduled, Started, Succeeded, Exited), 6 with the Submitted of .sync and
 * .waitForTaskToken; a Map or Parallel 4, and 2 per iteration or branch; any other state 2. The
 * most is when every step that waits is woken by its token. Inline Map iterations record
 * their events in the run's own history, which holds 25,000.
 */
export function historyEventsAtMost(plan: LanePlan): number {
  const groups = Math.ceil(plan.lanes.length / LANES_PER_MAP);
  const waitingMaps = new Set(plan.lanes.map((lane, i) => (lane.some((step) => plan.waitsFor.get(step)!.length > 0) ? Math.floor(i / LANES_PER_MAP) : -1)));
  const steps = plan.lanes.flatMap((lane, i) => lane.map((step) => ({ step, checks: waitingMaps.has(Math.floor(i / LANES_PER_MAP)) })));
  return 2 + 2 + 4 + (groups > 1 ? groups * (4 + 2) : 0) + plan.lanes.length * (2 + 2) + steps.reduce((sum, { step, checks }) => {
    const tells = plan.tells.get(step) ?? [];
    return sum + 2 + (checks ? 2 : 0) + 2 + 2 + 6 + 2 // next step, check dependencies, start step, the step's first state, its task, after step
      + (plan.waitsFor.get(step)!.length > 0 ? 6 + 5 + 5 : 0) // wait, forget, and the token that wakes it
      + (tells.length > 0 ? 4 + 2 + tells.length * (2 + 5 + 2 + 2) : 0); // tell dependents: each one counted, checked, told
  }, 0);
}

/** What a lane knows of a step: its name, how many dependencies it waits for, whom it tells. */
function stepPlan(plan: LanePlan, step: string): object {
  const waits = plan.waitsFor.get(step)!.length;
  const tells = plan.tells.get(step) ?? [];
  return {
    name: step,
    ...(waits > 0 ? { waits } : {}),
    ...(tells.length > 0 ? { tells: tells.map((name) => ({ name, waits: plan.waitsFor.get(name)!.length })) } : {}),
  };
}

/** The names of the states of one Map of lanes: the same for each Map but for a suffix. */
class LaneNames {
  /** What the names of this Map's states end with, after their base name. */
  public readonly suffix: string;
  public readonly nextStep: string;
  public readonly checkDependencies: string;
  public readonly wait: string;
  public readonly forget: string;
  public readonly startStep: string;
  public readonly afterStep: string;
  public readonly tell: string;
  public readonly counted: string;
  public readonly last: string;
  public readonly startDependent: string;
  public readonly told: string;
  public readonly moreSteps: string;
  public readonly laneFinished: string;
  public readonly stepFailed: string;
  public readonly stopRun: string;

  constructor(map: number) {
    const name = (base: string) => laneState(base, map);
    this.suffix = laneState('', map);
    this.nextStep = name('Next step');
    this.checkDependencies = name('Check dependencies');
    this.wait = name('Wait for dependencies');
    this.forget = name('Forget dependencies');
    this.startStep = name(START_STEP);
    this.afterStep = name(AFTER_STEP);
    this.tell = name('Tell dependents');
    this.counted = name('Count dependency');
    this.last = name('Last dependency?');
    this.startDependent = name('Start dependent');
    this.told = name('Dependent told');
    this.moreSteps = name('More steps?');
    this.laneFinished = name('Lane finished');
    this.stepFailed = name('Step failed');
    this.stopRun = name('Stop run');
  }
}

/** An inline Map over lanes, each iteration taking its lane's steps one by one. */
function laneMap(props: LaneExecutorProps, lanes: string[][], itemsPath: string, names: LaneNames, ref: (value: unknown) => string, tablePath?: string): AslState {
  const steps = lanes.flat();
  const waits = steps.some((step) => props.plan.waitsFor.get(step)!.length > 0);
  const tells = steps.some((step) => (props.plan.tells.get(step) ?? []).length > 0);
  const states = new AslStates();
  const sink: StepStateSink = {
    afterStep: names.afterStep,
    stepFailed: names.stepFailed,
    add: (name, state) => states.add(name, state),
    shared: (name, state) => states.addOnce(`${name}${names.suffix}`, state),
    sharedName: (name) => `${name}${names.suffix}`,
    ref,
  };
  const more = { Variable: '$.next', NumericLessThanPath: '$.count', Next: names.nextStep };
  const carried = Object.fromEntries((props.carried ?? []).map((field) => [`${field}.$`, `$.${field}`]));

  states.add(names.nextStep, {
    Type: 'Pass',
    Parameters: {
      'refs.$': '$.refs', 'steps.$': '$.steps', 'count.$': '$.count',
      'next.$': 'States.MathAdd($.next, 1)', 'step.$': 'States.ArrayGetItem($.steps, $.next)', ...carried,
    },
    Next: waits ? names.checkDependencies : names.startStep,
  });
  if (waits) {
    addWaitStates(states, names, tablePath!);
  }
  states.add(names.startStep, { Type: 'Choice', Choices: steps.map((step) => ({ Variable: '$.step.name', StringEquals: step, Next: step })) });
  steps.forEach((step) => props.addStepStates(step, sink));
  states.add(names.afterStep, {
    Type: 'Choice',
    Choices: [...(tells ? [{ Variable: '$.step.tells', IsPresent: true, Next: names.tell }] : []), more],
    Default: names.laneFinished,
  });
  if (tells) {
    states.add(names.tell, tellDependents(names, tablePath!));
    states.add(names.moreSteps, { Type: 'Choice', Choices: [more], Default: names.laneFinished });
  }
  states.add(names.laneFinished, { Type: 'Succeed' });
  states.add(names.stepFailed, {
    Type: 'Pass',
    Parameters: { 'cause.$': 'States.JsonToString(States.Array($.step.name, $.caught.Error, $.caught.Cause))' },
    Next: names.stopRun,
  });
  states.add(names.stopRun, { Type: 'Fail', Error: STEP_FAILED_ERROR, CausePath: '$.cause' });
  return {
    Type: 'Map',
    ItemsPath: itemsPath,
    ItemSelector: { 'refs.$': '$.refs', 'steps.$': '$$.Map.Item.Value.steps', 'count.$': '$$.Map.Item.Value.count', 'next': 0, ...carried },
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...states.scope(names.nextStep) },
    ResultPath: null,
  };
}

/** The key of a step's dependency record in this run. */
function recordKey(stepPath: string): object {
  return { run: { 'S.$': RUN_ID_PATH }, step: { 'S.$': stepPath } };
}

function addWaitStates(states: AslStates, names: LaneNames, tablePath: string): void {
  const dynamoRetry = [transientRetry(DYNAMODB_TRANSIENT_ERRORS)];
  states.add(names.checkDependencies, {
    Type: 'Choice', Choices: [{ Variable: '$.step.waits', IsPresent: true, Next: names.wait }], Default: names.startStep,
  });
  states.add(names.wait, task('aws-sdk:dynamodb:updateItem.waitForTaskToken', {
    'TableName.$': tablePath,
    'Key': recordKey('$.step.name'),
    'UpdateExpression': 'SET #token = :token',
    'ConditionExpression': 'attribute_not_exists(#done) OR size(#done) < :waits',
    'ExpressionAttributeNames': { '#token': 'token', '#done': 'done' },
    'ExpressionAttributeValues': { ':token': { 'S.$': '$$.Task.Token' }, ':waits': { 'N.$': "States.Format('{}', $.step.waits)" } },
  }, {
    Retry: dynamoRetry,
    // the condition fails when every dependency is done already: go on
    Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: names.forget }, catchAll(names.stepFailed)],
    Next: names.forget,
  }));
  states.add(names.forget, task('dynamodb:deleteItem', { 'TableName.$': tablePath, 'Key': recordKey('$.step.name') }, {
    Retry: dynamoRetry, Catch: [catchAll(names.stepFailed)], Next: names.startStep,
  }));
}

/** A Map over the steps of other lanes that wait for this one: add it to each one's done set, start the one it completes. */
function tellDependents(names: LaneNames, tablePath: string): AslState {
  return {
    Type: 'Map',
    ItemsPath: '$.step.tells',
    ItemSelector: { 'table.$': tablePath, 'step.$': '$.step.name', 'dependent.$': '$$.Map.Item.Value' },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: names.counted,
      States: {
        [names.counted]: task('dynamodb:updateItem', {
          'TableName.$': '$.table',
          'Key': recordKey('$.dependent.name'),
          'UpdateExpression': 'ADD #done :step',
          'ExpressionAttributeNames': { '#done': 'done' },
          'ExpressionAttributeValues': { ':step': { 'SS.$': 'States.Array($.step)' } },
          'ReturnValues': 'ALL_NEW',
        }, {
          ResultSelector: { 'done.$': 'States.ArrayLength($.Attributes.done.SS)', 'item.$': '$.Attributes' },
          ResultPath: '$.counted',
          Retry: [transientRetry(DYNAMODB_TRANSIENT_ERRORS)],
          Next: names.last,
        }),
        [names.last]: {
          Type: 'Choice',
          Choices: [{
            And: [{ Variable: '$.counted.done', NumericEqualsPath: '$.dependent.waits' }, { Variable: '$.counted.item.token', IsPresent: true }],
            Next: names.startDependent,
          }],
          Default: names.told,
        },
        [names.startDependent]: task('aws-sdk:sfn:sendTaskSuccess', { 'TaskToken.$': '$.counted.item.token.S', 'Output': '{}' }, {
          Retry: [transientRetry(['Sfn.SfnException', 'Sfn.ThrottlingException'])],
          // a token already used: a retried count started the step before
          Catch: [{ ErrorEquals: ['Sfn.TaskTimedOutException', 'Sfn.InvalidTokenException'], ResultPath: null, Next: names.told }],
          Next: names.told,
        }),
        [names.told]: { Type: 'Succeed' },
      },
    },
    ResultPath: null,
    Catch: [catchAll(names.stepFailed)],
    Next: names.moreSteps,
  };
}
