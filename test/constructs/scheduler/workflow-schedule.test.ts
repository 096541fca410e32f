import * as fc from 'fast-check';
import { batchWorkflowDefinition, TIMED_DAGS } from '../../support/dags';
import { aslErrors } from '../../support/state-machines';
import { criticalPath, runTimed, TimedStep } from '../../support/timed-runs';

/**
 * Workflows run locally on simulated time (timed-runs.ts): the clock moves only when nothing
 * else can happen, so a step that starts at the time its last dependency ended started on that
 * end, before any later one; no wall-clock time is measured.
 */
async function expectEachStepStartsWhenItsLastDependencyEnds(steps: TimedStep[]): Promise<void> {
  const definition = batchWorkflowDefinition(steps);
  expect(aslErrors(definition)).toEqual([]);
  const run = await runTimed(definition, steps);
  expect(run.error).toBeUndefined();
  for (const step of steps) {
    const lastDependencyEnd = Math.max(0, ...step.dependsOn.map((dep) => run.end.get(dep)!));
    expect({ step: step.name, start: run.start.get(step.name) }).toEqual({ step: step.name, start: lastDependencyEnd });
  }
  // so the run takes its critical path, no more
  expect(run.makespan).toBe(criticalPath(steps));
}

describe('Workflow scheduling', () => {
  test.each(TIMED_DAGS)('%s: each step starts when its last dependency ends', async (_, steps) => {
    await expectEachStepStartsWhenItsLastDependencyEnds(steps);
  });

  test('more lanes than a Map runs at once (45 branches of a split) run in Maps side by side, each step on time', async () => {
    const workers = Array.from({ length: 45 }, (_, i): TimedStep => ({ name: `w${i}`, dependsOn: ['split'], duration: 1 + (i % 5) }));
    await expectEachStepStartsWhenItsLastDependencyEnds([
      { name: 'split', dependsOn: [], duration: 1 },
      ...workers,
      { name: 'join', dependsOn: workers.map((w) => w.name), duration: 1 },
    ]);
  });

  test('random DAGs with random durations: each step starts when its last dependency ends', async () => {
    const timedDags = fc.integer({ min: 1, max: 14 }).chain((n) => fc.tuple(
      ...Array.from({ length: n }, (_, i) => fc.tuple(
        fc.subarray(Array.from({ length: i }, (__, j) => j), { maxLength: Math.min(3, i) }),
        fc.integer({ min: 1, max: 5 }),
      )),
    )).map((steps) => steps.map(([deps, duration], i): TimedStep => ({ name: `s${i}`, dependsOn: deps.map((j) => `s${j}`), duration })));
    await fc.assert(fc.asyncProperty(timedDags, expectEachStepStartsWhenItsLastDependencyEnds), { numRuns: 8 });
  });
});
