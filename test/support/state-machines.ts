import { StateMachine } from './local-stepfunctions';
import { validateAsl } from './asl-validator';
import { Template } from 'aws-cdk-lib/assertions';
import { DependencyRecords, serviceError } from './dependency-records';
import { PolicySimulator } from './iam';

/** The definitions of a template's state machines, intrinsics resolved, by logical id. */
export function stateMachineDefinitions(template: Template): Record<string, any> {
  const resolver = new PolicySimulator(template);
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  return Object.fromEntries(Object.entries(machines)
    .map(([id, machine]) => [id, JSON.parse(resolver.resolve(machine.Properties.DefinitionString))]));
}

/** The definition of the state machine whose logical id starts with `prefix`, for example `FlowStateMachine`. */
export function definitionOf(template: Template, prefix: string): any {
  const found = Object.entries(stateMachineDefinitions(template)).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) {
    throw new Error(`expected one state machine ${prefix}*, found ${found.length}`);
  }
  return found[0][1];
}

/** The states of a workflow's lanes, where its steps' states are, from every Map of lanes. */
export function laneStates(definition: any): Record<string, any> {
  const run = definition.States['Run steps'];
  const maps = run.Type === 'Map' ? [run] : run.Branches.map((branch: any) => branch.States[branch.StartAt]);
  return Object.assign({}, ...maps.map((map: any) => map.ItemProcessor.States));
}

/** The one state machine definition of a template. */
export function onlyDefinition(template: Template): any {
  const definitions = Object.values(stateMachineDefinitions(template));
  if (definitions.length !== 1) {
    throw new Error(`expected one state machine, found ${definitions.length}`);
  }
  return definitions[0];
}

/** One local run's outcome: the result or the error, and the Task states in the order they ran. */
export interface LocalRun {
  readonly result?: any;
  readonly error?: { name: string; message: string };
  /** Each Task call: its state, the step it ran for (a Batch job's name, else the state), its input. */
  readonly calls: Array<{ state: string; step: string; input: any }>;
  /** The states entered, those of lanes and branches included (which the runner may log late). */
  readonly entered: string[];
  /** The last of the machine's own top-level states the run entered: where it ended. */
  readonly endedIn?: string;
  /** How many Map iterations and Parallel branches ran. */
  readonly iterations: number;
  /** The dependency records left in the emulated table. */
  readonly records: DependencyRecords;
}

/** A mocked Task: what it returns (or a promise of it), or throws to fail the state with that error name. */
export type TaskMock = (input: any, attempt: number) => any;

/**
 * Runs a definition on `input` with aws-local-stepfunctions: every Task state is answered by
 * `mocks` (by state name; a Task with none returns `{}`), the lanes' dependency states by an
 * emulated table (dependency-records.ts, or `records`) unless mocked, and retries and Wait states wait no time. A mock's
 * `attempt` counts the calls of that state with that input: the retries of one request.
 */
export async function runLocally(definition: any, mocks: Record<string, TaskMock> = {}, executionName = 'run-0001', input: any = {},
  records = new DependencyRecords()): Promise<LocalRun> {
  const calls: LocalRun['calls'] = [];
  const answers: Record<string, TaskMock> = { ...records.handlers(), ...mocks };
  // the second Map of lanes on names its states `<name> (Map 2)`: they answer as `<name>` does
  const answerOf = (state: string) => answers[state] ?? answers[state.replace(/ \(Map \d+\)$/, '')] ?? (() => ({}));
  const attempts = new Map<string, number>();
  const handlers: Record<string, (input: any) => Promise<any>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  // Tasks in flight. When every one of them waits for a token, for a while, no step is left to send
  // one: Step Functions would wait until the run timed out; here those tasks fail, so a run that
  // cannot end fails in seconds rather than at the emulator's 60-second task timeout
  let busy = 0;
  let stuck: ReturnType<typeof setTimeout> | undefined;
  const allWaiting = () => records.waitingTasks > 0 && busy === records.waitingTasks;
  const watch = () => {
    clearTimeout(stuck);
    if (allWaiting()) {
      stuck = setTimeout(() => allWaiting() && records.closeWaits('no step is left to send its token'), STUCK_MS);
    }
  };
  for (const name of taskStateNames(definition)) {
    retryIntervalOverrides[name] = 0;
    handlers[name] = async (input: any) => {
      const request = `${name}\u0000${JSON.stringify(input)}`;
      const attempt = (attempts.get(request) ?? 0) + 1;
      attempts.set(request, attempt);
      calls.push({ state: name, step: typeof input?.JobName === 'string' ? input.JobName : name, input });
      busy++;
      try {
        const answer = answerOf(name)(input, attempt);
        watch();
        return await answer;
      } finally {
        busy--;
        watch();
      }
    };
  }
  for (const name of mapStateNames(definition)) {
    retryIntervalOverrides[name] = 0;
  }
  // Wait states (a step that polls) wait no time either
  const waitTimeOverrides = Object.fromEntries(allStates(definition).filter(([, s]) => s.Type === 'Wait').map(([name]) => [name, 0]));
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides, waitTimeOverrides },
    // the runner fills no $$.State nor $$.Task; a fixed time stands in for each state's entry,
    // and the emulated table gives each waiting task a token of its own
    context: {
      Execution: { Name: executionName, Id: `arn:aws:states:eu-west-1:111122223333:execution:wf:${executionName}`, StartTime: '2026-11-27T02:00:00Z', Input: input },
      State: { EnteredTime: '2026-11-27T02:00:05Z' },
      Task: { Token: 'the task token' },
    },
  });
  const entered: string[] = [];
  let iterations = 0;
  const logged = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') {
        entered.push((event as any).state.name);
      } else if (event.type === 'MapIterationStarted' || event.type === 'ParallelBranchStarted') {
        iterations++;
      }
    }
  })();
  try {
    const result = await execution.result;
    await logged;
    return { result, calls, entered, endedIn: endedIn(definition, entered), iterations, records };
  } catch (error: any) {
    await logged;
    // an ExecutionError wraps the error the run failed with
    const failure = error.cause ?? error;
    return { error: { name: failure.name, message: failure.message }, calls, entered, endedIn: endedIn(definition, entered), iterations, records };
  } finally {
    // a failed run can leave lanes waiting for a token no one sends
    clearTimeout(stuck);
    execution.abort();
    records.closeWaits();
  }
}

/** How long every task in flight may wait for a token before the run is taken for stuck: far longer than a state's step. */
const STUCK_MS = 2000;

function endedIn(definition: any, entered: string[]): string | undefined {
  return entered.filter((name) => Object.prototype.hasOwnProperty.call(definition.States, name)).pop();
}

/** An error a mocked Task throws, named as Step Functions names service errors. */
export function taskError(name: string, message = name): Error {
  return serviceError(name, message);
}

function allStates(definition: any): Array<[string, any]> {
  return Object.entries(definition.States ?? {}).flatMap(([name, state]: [string, any]) => [
    [name, state] as [string, any],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
    ...(state.Iterator ? allStates(state.Iterator) : []),
  ]);
}

/** The names of the Task states of a definition, those of lanes and branches included, that `test` accepts. */
export function taskStateNames(definition: any, test: (state: any) => boolean = () => true): string[] {
  return allStates(definition).filter(([, s]) => s.Type === 'Task' && test(s)).map(([name]) => name);
}

function mapStateNames(definition: any): string[] {
  return allStates(definition).filter(([, s]) => s.Type === 'Map' || s.Type === 'Parallel').map(([name]) => name);
}

/** What asl-validator finds wrong with a definition: nothing, for a valid one. */
export function aslErrors(definition: unknown): unknown[] {
  const { isValid, errors } = JSON.parse(JSON.stringify(validateAsl(definition)));
  return isValid && errors.length === 0 ? [] : errors.length > 0 ? errors : ['invalid'];
}
