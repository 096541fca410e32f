/**
 * Starts a workflow run for a trigger (a schedule, data landing in the lake, another
 * workflow's success). Unless concurrent runs are allowed, it starts none while a run is
 * still going. Run names come from the trigger's own id, so a trigger delivered twice
 * starts one run.
 *
 * ListExecutions is eventually consistent: a run just started may not be listed yet. The
 * function runs one invocation at a time, so, having started a run, it returns only once
 * ListExecutions lists it; the next trigger then sees it.
 */
import { ExecutionAlreadyExists, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** What a trigger sends. */
export interface TriggerEvent {
  /** `schedule`, `data` or `workflow`. */
  readonly trigger: string;
  /** Unique per occurrence and stable across redeliveries: an EventBridge event id, a scheduled time. */
  readonly id: string;
  /** Passed to the run, beside the trigger. */
  readonly detail?: unknown;
}

export interface StartResult {
  readonly started: boolean;
  readonly executionName: string;
  readonly reason?: string;
}

const sfn = new SFNClient({ maxAttempts: 5 }); // the SDK backs off on throttling

/** Execution names: 1 to 80 of letters, digits, hyphens and underscores. */
export function executionName(trigger: string, id: string): string {
  return `${trigger}-${id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
}

/** How often, and how many times, to look for a run just started before giving up the wait. */
const LISTED_POLL_MS = 1000;
const LISTED_POLLS = 15;
/** Time kept back, so the wait never turns a started run into a timed-out invocation. */
const RETURN_MARGIN_MS = 5000;

/** How a run started: waiting between looks for it, and the invocation's time left. */
export interface StartClock {
  readonly sleep: (ms: number) => Promise<void>;
  readonly timeLeft: () => number;
}

export async function handler(event: TriggerEvent, context: { getRemainingTimeInMillis(): number }): Promise<StartResult> {
  return startRun(event, {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    timeLeft: () => context.getRemainingTimeInMillis(),
  });
}

/** Starts the trigger's run, if it may. */
export async function startRun(event: TriggerEvent, clock: StartClock): Promise<StartResult> {
  const stateMachineArn = process.env.STATE_MACHINE_ARN!;
  const allowConcurrent = process.env.ALLOW_CONCURRENT_RUNS === 'true';
  const name = executionName(event.trigger, event.id);

  if (!allowConcurrent) {
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }));
    const current = running.executions?.[0];
    if (current) {
      console.log(JSON.stringify({ skipped: name, because: `run ${current.name} is still running` }));
      return { started: false, executionName: name, reason: `run ${current.name} is still running` };
    }
  }
  let executionArn: string | undefined;
  try {
    ({ executionArn } = await sfn.send(new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify({ trigger: { type: event.trigger, id: event.id, detail: event.detail ?? null } }),
    })));
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      return { started: false, executionName: name, reason: 'this trigger already started its run' };
    }
    throw error;
  }
  const unlisted = allowConcurrent ? undefined : await untilListed(stateMachineArn, executionArn!, clock);
  console.log(JSON.stringify({ started: name, ...unlisted ? { warning: `${unlisted}; a trigger now may start a second run` } : {} }));
  return { started: true, executionName: name };
}

/**
 * Looks, newest first, for `executionArn` among the state machine's runs until it is listed;
 * returns why it stopped looking if it never was. A failed look ends the wait, never the
 * invocation: the run has started, and a retry would only send the trigger to dead letters.
 */
async function untilListed(stateMachineArn: string, executionArn: string, clock: StartClock): Promise<string | undefined> {
  for (let poll = 1; ; poll++) {
    try {
      const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 10 }));
      if (executions?.some((execution) => execution.executionArn === executionArn)) {
        return undefined;
      }
    } catch (error) {
      return `could not look for the run: ${(error as Error).name}`;
    }
    if (poll === LISTED_POLLS || clock.timeLeft() < RETURN_MARGIN_MS + LISTED_POLL_MS) {
      return `not listed after ${poll} looks`;
    }
    await clock.sleep(LISTED_POLL_MS);
  }
}
