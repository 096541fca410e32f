/**
 * What a command line prints and its exit code. Each command of bin/ is a function returning one,
 * so tests call it in-process, and its entry point only passes the outcome on.
 */
export interface CommandOutcome {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Prints `outcome` and sets the process's exit code to its status. */
export function exitWith(outcome: CommandOutcome): void {
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.status;
}
