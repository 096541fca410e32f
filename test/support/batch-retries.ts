/**
 * What AWS Batch does with a failed attempt of a job, given its job definition's
 * `RetryStrategy` as synthesized, following Batch's documented rules (Automated job retries):
 * the first `EvaluateOnExit` entry whose every given condition matches decides; a condition is
 * matched exactly or, ending in `*`, by its start; when no entry matches the job is retried; and
 * never beyond `Attempts` in all.
 */
export interface FailedAttempt {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** The job's status reason, such as `Host EC2 (instance i-0abc) terminated.` */
  readonly statusReason?: string;
  /** The container's reason, such as `CannotPullContainerError: ...` */
  readonly reason?: string;
  readonly exitCode?: number;
}

export function batchRetryAction(retryStrategy: any, failed: FailedAttempt): 'RETRY' | 'EXIT' {
  if (failed.attempt >= (retryStrategy?.Attempts ?? 1)) {
    return 'EXIT';
  }
  const matches = (pattern: string | undefined, value: string | undefined) => pattern === undefined
    || (pattern.endsWith('*') ? (value ?? '').startsWith(pattern.slice(0, -1)) : value === pattern);
  const entry = (retryStrategy?.EvaluateOnExit ?? []).find((e: any) => matches(e.OnStatusReason, failed.statusReason)
    && matches(e.OnReason, failed.reason) && matches(e.OnExitCode, failed.exitCode?.toString()));
  return entry ? entry.Action.toUpperCase() : 'RETRY';
}
