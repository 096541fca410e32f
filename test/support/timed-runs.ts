import { runLocally, taskStateNames } from './state-machines';

/** A DAG of steps with how long each takes, in units of simulated time. */
export interface TimedStep {
  readonly name: string;
  readonly dependsOn: string[];
  readonly duration: number;
}

/** When each step started and ended in a simulated run, and how long the run took. */
export interface TimedRun {
  readonly start: Map<string, number>;
  readonly end: Map<string, number>;
  readonly makespan: number;
  /** The error the run failed with, if it did. */
  readonly error?: string;
}

/**
 * Runs a workflow definition locally on simulated time: each Batch job (found by its job name,
 * the step's) is held until the clock reaches its start plus its duration. The clock moves
 * only when nothing else can happen: every step that can start at a time has started before
 * the clock leaves it, so a step's start time says which ends it waited for, whatever the speed
 * of the machine.
 */
export async function runTimed(definition: any, steps: TimedStep[]): Promise<TimedRun> {
  const duration = new Map(steps.map((s) => [s.name, s.duration]));
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  const running: Array<{ step: string; at: number; finish: () => void }> = [];
  let now = 0;
  let settled = 0;
  const job = (input: any) => {
    const step: string = input.JobName;
    start.set(step, now);
    settled++;
    return new Promise<object>((resolve) => running.push({ step, at: now + duration.get(step)!, finish: () => resolve({ JobName: step }) }));
  };
  const batchJobs = taskStateNames(definition, (state) => /:batch:submitJob\.sync$/.test(String(state.Resource)));
  const mocks = Object.fromEntries(batchJobs.map((state) => [state, job]));
  let finished = false;
  const run = runLocally(definition, mocks).then((outcome) => {
    finished = true;
    return outcome;
  });
  for (;;) {
    await quiet(() => settled + (finished ? 1 : 0));
    if (finished || running.length === 0) {
      break;
    }
    running.sort((a, b) => a.at - b.at);
    now = running[0].at;
    // every job ending now ends together, before anything they start can start
    while (running.length > 0 && running[0].at === now) {
      const { step, finish } = running.shift()!;
      end.set(step, now);
      finish();
    }
  }
  const outcome = await run;
  return { start, end, makespan: Math.max(0, ...end.values()), error: outcome.error?.name };
}

/** Waits until `progress` has not changed for some turns of the event loop: the run can do nothing more until a job ends. */
async function quiet(progress: () => number): Promise<void> {
  let last = -1;
  let still = 0;
  while (still < 20) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** The length of the longest chain of steps, counting their durations: no run can be shorter. */
export function criticalPath(steps: TimedStep[]): number {
  const finish = new Map<string, number>();
  const byName = new Map(steps.map((s) => [s.name, s]));
  const at = (name: string): number => {
    if (!finish.has(name)) {
      const step = byName.get(name)!;
      finish.set(name, Math.max(0, ...step.dependsOn.map(at)) + step.duration);
    }
    return finish.get(name)!;
  };
  return Math.max(...steps.map((s) => at(s.name)));
}

/** A random DAG of `count` steps with durations 1 to 5, from `seed` (the same seed, the same DAG). */
export function randomDag(count: number, seed: number): TimedStep[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => ({
    name: `s${i}`,
    dependsOn: [...new Set(Array.from({ length: i === 0 ? 0 : Math.floor(random() * 3) }, () => `s${Math.floor(random() * i)}`))],
    duration: 1 + Math.floor(random() * 5),
  }));
}
