import { StateMachine } from 'aws-local-stepfunctions';
// asl-validator ships no types; it returns { isValid, errors }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateAsl: (definition: unknown) => { isValid: boolean; errors: unknown[] } = require('asl-validator');
import { Template } from 'aws-cdk-lib/assertions';
import { PolicySimulator } from './iam';

/** The definitions of a template's state machines, intrinsics resolved, by logical id. */
export function stateMachineDefinitions(template: Template): Record<string, any> {
  const resolver = new PolicySimulator(template);
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  return Object.fromEntries(Object.entries(machines)
    .map(([id, machine]) => [id, JSON.parse(resolver.resolve(machine.Properties.DefinitionString))]));
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
  readonly calls: Array<{ state: string; input: any }>;
}

/** A mocked Task: what it returns, or throws to fail the state with that error name. */
export type TaskMock = (input: any, attempt: number) => any;

/**
 * Runs a definition on `input` with aws-local-stepfunctions: every Task state is answered by `mocks`
 * (by state name; a Task with none returns `{}`), retries wait no time.
 */
export async function runLocally(definition: any, mocks: Record<string, TaskMock> = {}, executionName = 'run-0001', input: any = {}): Promise<LocalRun> {
  const calls: LocalRun['calls'] = [];
  const attempts = new Map<string, number>();
  const handlers: Record<string, (input: any) => Promise<any>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const name of taskStateNames(definition)) {
    retryIntervalOverrides[name] = 0;
    handlers[name] = async (input: any) => {
      const attempt = (attempts.get(name) ?? 0) + 1;
      attempts.set(name, attempt);
      calls.push({ state: name, input });
      return (mocks[name] ?? (() => ({})))(input, attempt);
    };
  }
  for (const name of mapStateNames(definition)) {
    retryIntervalOverrides[name] = 0;
  }
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
    // the runner fills no $$.State; a fixed time stands in for each state's entry
    context: {
      Execution: { Name: executionName, Id: `arn:aws:states:eu-west-1:111122223333:execution:wf:${executionName}`, StartTime: '2026-11-27T02:00:00Z', Input: input },
      State: { EnteredTime: '2026-11-27T02:00:05Z' },
    },
  });
  try {
    return { result: await execution.result, calls };
  } catch (error: any) {
    // an ExecutionError wraps the error the run failed with
    const failure = error.cause ?? error;
    return { error: { name: failure.name, message: failure.message }, calls };
  }
}

/** An error a mocked Task throws, named as Step Functions names service errors. */
export function taskError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function allStates(definition: any): Array<[string, any]> {
  return Object.entries(definition.States ?? {}).flatMap(([name, state]: [string, any]) => [
    [name, state] as [string, any],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
    ...(state.Iterator ? allStates(state.Iterator) : []),
  ]);
}

function taskStateNames(definition: any): string[] {
  return allStates(definition).filter(([, s]) => s.Type === 'Task').map(([name]) => name);
}

function mapStateNames(definition: any): string[] {
  return allStates(definition).filter(([, s]) => s.Type === 'Map' || s.Type === 'Parallel').map(([name]) => name);
}

/** What asl-validator finds wrong with a definition: nothing, for a valid one. */
export function aslErrors(definition: unknown): unknown[] {
  const { isValid, errors } = validateAsl(definition);
  return isValid && errors.length === 0 ? [] : errors.length > 0 ? errors : ['invalid'];
}
