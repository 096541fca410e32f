import * as fc from 'fast-check';
import { batchWorkflowDefinition } from '../../support/dags';
import { aslErrors, runLocally } from '../../support/state-machines';
import { randomDag } from '../../support/timed-runs';
import { validationErrorOf } from '../../support/validation';

/** Random DAGs: step i may depend only on steps before it, so the graph is acyclic. */
const dag = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(
  ...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (__, j) => j), { maxLength: Math.min(3, i) })),
)).map((deps) => deps.map((d, i) => ({ name: `s${i}`, dependsOn: d.map((j) => `s${j}`) })));

describe('workflows over random DAGs', () => {
  test('acyclic ones synthesize to valid ASL and run every step once, after all its dependencies', async () => {
    await fc.assert(fc.asyncProperty(dag, async (steps) => {
      const definition = batchWorkflowDefinition(steps);
      expect(aslErrors(definition)).toEqual([]);
      const run = await runLocally(definition);
      expect(run.error).toBeUndefined();
      const order = run.calls.filter((c) => c.state === 'Batch job').map((c) => c.step);
      expect([...order].sort()).toEqual(steps.map((s) => s.name).sort());
      for (const step of steps) {
        for (const dep of step.dependsOn) {
          expect(order.indexOf(dep)).toBeLessThan(order.indexOf(step.name));
        }
      }
      // every record a waiting step wrote is gone once it went on
      expect(run.records.keys).toEqual([]);
    }), { numRuns: 15 });
  });

  test('a workflow whose definition would pass Step Functions\' 1 MB limit fails at synth, not at deploy', () => {
    // each step's request carries its environment: 300 steps of 4 KiB each are over 1 MiB
    const chain = Array.from({ length: 300 }, (_, i) => ({ name: `s${i}`, dependsOn: i === 0 ? [] : [`s${i - 1}`] }));
    expect(() => batchWorkflowDefinition(chain, {}, { CONFIG: 'x'.repeat(4096) })).toThrow(/steps = "300 steps": the state machine would be about \d+ KiB, over Step Functions' 1 MB limit/);
  });

  test('a workflow whose runs would pass Step Functions\' 25,000 history events fails at synth, not hours into a run', () => {
    // 900 steps, each after up to two random ones before it: most wait across lanes, most tell
    const dense = randomDag(900, 7);
    expect(() => batchWorkflowDefinition(dense)).toThrow(/steps = "900 steps": a run would record up to \d+ history events, over the 25000 Step Functions keeps for a run/);
    // a long chain runs in one lane and fits
    const chain = Array.from({ length: 600 }, (_, i) => ({ name: `s${i}`, dependsOn: i === 0 ? [] : [`s${i - 1}`] }));
    expect(() => batchWorkflowDefinition(chain)).not.toThrow();
  });

  test('cyclic ones fail with an error that names a cycle', () => {
    // close a random DAG into a cycle: a step's first dependency now also depends on that step
    const cyclic = dag.filter((steps) => steps.some((s) => s.dependsOn.length > 0)).map((steps) => {
      const last = steps.find((s) => s.dependsOn.length > 0)!;
      return steps.map((s) => (s.name === last.dependsOn[0] ? { ...s, dependsOn: [...s.dependsOn, last.name] } : s));
    });
    fc.assert(fc.property(cyclic, (steps) => {
      const problem = validationErrorOf(() => batchWorkflowDefinition(steps)).problems.find((p) => p.prop === 'steps');
      expect(problem?.fix).toBe('remove a dependency from this cycle: a workflow is a DAG');
      const cycle: string[] = problem!.value;
      expect(cycle[0]).toBe(cycle[cycle.length - 1]);
      // each step of the listing depends on the next: the cycle is real
      const byName = new Map(steps.map((s) => [s.name, s]));
      for (let i = 0; i + 1 < cycle.length; i++) {
        expect(byName.get(cycle[i])!.dependsOn).toContain(cycle[i + 1]);
      }
    }), { numRuns: 40 });
  });
});
