/**
 * Starts a workflow run for a trigger (a schedule, data landing in the lake, another
 * workflow's success). Unless concurrent runs are allowed, it starts none while a run is
 * still going. Run names come from the trigger's own id, so a trigger delivered twice
 * starts one run.
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

export async function handler(event: TriggerEvent): Promise<StartResult> {
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
  try {
    await sfn.send(new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify({ trigger: { type: event.trigger, id: event.id, detail: event.detail ?? null } }),
    }));
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      return { started: false, executionName: name, reason: 'this trigger already started its run' };
    }
    throw error;
  }
  console.log(JSON.stringify({ started: name }));
  return { started: true, executionName: name };
}
