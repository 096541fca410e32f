import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, HistoryEvent, paginateGetExecutionHistory,
  paginateListExecutions, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { HAND_SNAPSHOTS, snapshotsOf, stepEventOf, stepNamesOf } from '../../constructs/scheduler/run-states';
import { DsiError } from './errors';
import { StackOptions, stackOutputs, workflowArn, workflows } from './stack-outputs';

/** What the commands talk to; tests give mocks. */
export interface Io {
  readonly sfn: SFNClient;
  readonly cloudformation: CloudFormationClient;
  readonly print: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
}

/** The state machine ARN of the stack's workflow `options.workflow`. */
async function stateMachineOf(io: Io, options: StackOptions & { workflow: string }): Promise<string> {
  return workflowArn(await stackOutputs(io, options), options.stack, options.workflow);
}

/** `dsi workflows`: the stack's workflows. */
export async function listWorkflows(io: Io, options: StackOptions): Promise<void> {
  for (const [name, arn] of Object.entries(workflows(await stackOutputs(io, options), options.stack))) {
    io.print(`${name}\t${arn}`);
  }
}

/** `dsi run`: starts a run; with `wait`, shows its progress until it ends. Returns the exit code. */
export async function run(io: Io, options: StackOptions & { workflow: string; inputFile?: string; wait?: boolean; pollMs?: number }): Promise<number> {
  const stateMachineArn = await stateMachineOf(io, options);
  const input = options.inputFile ? readInput(options.inputFile) : '{}';
  // the second it started, and a random tail so two runs started in one second differ
  const name = `manual-${io.now().toISOString().replace(/[-:]|\.\d+Z$/g, '').replace('T', '-')}-${randomBytes(2).toString('hex')}`;
  const { executionArn } = await io.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  io.print(`started run ${name} of ${options.workflow}`);
  if (!options.wait) {
    return 0;
  }
  const steps = await stepNames(io, stateMachineArn);
  let shown = '';
  for (;;) {
    const { status } = await io.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const progress = stepProgress(await history(io, executionArn!), steps);
    const line = `${progress.done}/${steps.length} steps done${progress.current.length ? `, running ${progress.current.join(', ')}` : ''}`;
    if (line !== shown) {
      io.print(line);
      shown = line;
    }
    if (status !== 'RUNNING') {
      io.print(`run ${name} ${status!.toLowerCase()}${progress.failed ? ` at step ${progress.failed}` : ''}`);
      return status === 'SUCCEEDED' ? 0 : 1;
    }
    await io.sleep(options.pollMs ?? 5000);
  }
}

/**
 * `dsi runs`: a workflow's recent runs with status and duration, and, for a workflow that records
 * the snapshots of the tables it reads, the snapshot of each table each run read.
 */
export async function listRuns(io: Io, options: StackOptions & { workflow: string; max?: number }): Promise<void> {
  const stateMachineArn = await stateMachineOf(io, options);
  const { definition } = await io.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  const recordsSnapshots = JSON.parse(definition ?? '{}').States?.[HAND_SNAPSHOTS] !== undefined;
  const max = options.max ?? 20;
  let shown = 0;
  for await (const page of paginateListExecutions({ client: io.sfn }, { stateMachineArn, maxResults: Math.min(max, 100) })) {
    for (const execution of page.executions ?? []) {
      if (shown++ >= max) {
        return;
      }
      const end = execution.stopDate ?? io.now();
      const seconds = Math.round((end.getTime() - execution.startDate!.getTime()) / 1000);
      const snapshots = recordsSnapshots ? `\t${formatSnapshots(await recordedSnapshots(io, execution.executionArn!))}` : '';
      io.print(`${execution.name}\t${execution.status}\t${execution.startDate!.toISOString()}\t${formatDuration(seconds)}${snapshots}`);
    }
  }
}

/** `dsi logs`: where each step of a run wrote its logs. */
export async function logs(io: Io, options: StackOptions & { workflow: string; run: string }): Promise<void> {
  const outputs = await stackOutputs(io, options);
  const stateMachineArn = workflowArn(outputs, options.stack, options.workflow);
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${options.run}`;
  const machine = await io.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  const runLog = machine.loggingConfiguration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn?.replace(/^.*:log-group:/, '').replace(/:\*$/, '');
  io.print(`run ${options.run}: states, inputs and outputs in log group ${runLog ?? '(none)'}`);
  const events = await history(io, executionArn);
  const byId = new Map(events.map((event) => [event.id, event]));
  for (const event of events) {
    const output = event.taskSucceededEventDetails?.output ?? event.taskFailedEventDetails?.cause;
    const job = output ? batchJobOf(output) : undefined;
    if (job) {
      // steps of a kind share the task that runs their jobs: the job is named after its step
      const step = job.name ?? enteredState(byId, event.previousEventId);
      io.print(`step ${step}: Batch job log stream ${job.stream} in log group ${outputs.JobLogGroupName ?? '(the job definition\'s)'}`);
    }
  }
}

/**
 * The snapshots a run recorded, from the state that hands them to its steps: among the first
 * events of its history, since the run reads them before its first step.
 */
async function recordedSnapshots(io: Io, executionArn: string): Promise<{ [table: string]: string } | undefined> {
  const { events } = await io.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 100 }));
  const handed = (events ?? []).find((event) => event.stateExitedEventDetails?.name === HAND_SNAPSHOTS);
  return snapshotsOf(handed?.stateExitedEventDetails?.output);
}

/** `user_features=8744736658442914487 events=5386758483127398421`; `-` when the run recorded none (yet). */
function formatSnapshots(snapshots: { [table: string]: string } | undefined): string {
  const pairs = Object.entries(snapshots ?? {}).map(([table, id]) => `${table}=${id || '(none)'}`);
  return pairs.length > 0 ? pairs.join(' ') : '-';
}

function readInput(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    JSON.parse(text);
    return text;
  } catch (error) {
    throw new DsiError(`--input ${file} is not a readable JSON file: ${(error as Error).message}`);
  }
}

async function history(io: Io, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client: io.sfn }, { executionArn, maxResults: 1000 })) {
    events.push(...(page.events ?? []));
  }
  return events;
}

/** The workflow's steps, as its state machine definition names them. */
async function stepNames(io: Io, stateMachineArn: string): Promise<string[]> {
  const { definition } = await io.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return stepNamesOf(JSON.parse(definition ?? '{}'));
}

/**
 * How far a run is: steps ended, steps under way, and the step that failed, if one did. A step
 * runs from its first state until its lane goes on (`After step`, whose input names it).
 */
export function stepProgress(events: HistoryEvent[], steps: string[]): { done: number; current: string[]; failed?: string } {
  const running = new Set<string>();
  const done = new Set<string>();
  let failed: string | undefined;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails;
    const seen = entered?.name ? stepEventOf(entered.name, 'entered', entered.input, steps) : undefined;
    if (seen?.is === 'running') {
      running.add(seen.step);
    } else if (seen?.is === 'done') {
      done.add(seen.step);
    } else if (seen?.is === 'failed') {
      failed = seen.step;
    }
  }
  return { done: done.size, current: [...running].filter((s) => !done.has(s) && s !== failed), failed };
}

/** The log stream and name of the Batch job a task's output or cause describes. */
function batchJobOf(json: string): { stream: string; name?: string } | undefined {
  try {
    const value = JSON.parse(json);
    const stream = value?.Container?.LogStreamName ?? value?.Attempts?.[0]?.Container?.LogStreamName;
    return typeof stream === 'string' ? { stream, name: typeof value.JobName === 'string' ? value.JobName : undefined } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state whose task an event belongs to: the state entered before it in its own branch, found by
 * following each event to the one that led to it. The event just before by id may be another
 * branch's, when steps run side by side.
 */
function enteredState(byId: Map<number | undefined, HistoryEvent>, id?: number): string {
  for (let event = byId.get(id); event; event = byId.get(event.previousEventId)) {
    if (event.stateEnteredEventDetails?.name) {
      return event.stateEnteredEventDetails.name;
    }
  }
  return '(unknown)';
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${seconds % 60}s`;
}
