import * as fc from 'fast-check';
import { planLanes } from '../../../constructs/scheduler/lanes';

type Step = { name: string; dependsOn: string[] };

/** Random DAGs in topological order: step i depends only on steps before it. */
const dags = fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(
  ...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (__, j) => j), { maxLength: Math.min(4, i) })),
)).map((deps): Step[] => deps.map((d, i) => ({ name: `s${i}`, dependsOn: d.map((j) => `s${j}`) })));

/** Every step each step depends on, directly or not; `steps` in topological order. */
function ancestorsOf(steps: Step[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  steps.forEach((step) => found.set(step.name, new Set(step.dependsOn.flatMap((dep) => [dep, ...found.get(dep)!]))));
  return found;
}

describe('lane plans', () => {
  test('run a chain in one lane that waits for nothing', () => {
    const plan = planLanes([{ name: 'a', dependsOn: [] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['b'] }]);
    expect(plan.lanes).toEqual([['a', 'b', 'c']]);
    expect([...plan.waitsFor.values()].flat()).toEqual([]);
  });

  test('wait only for direct dependencies: one another implies is dropped', () => {
    const plan = planLanes([{ name: 'a', dependsOn: [] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['a', 'b'] }]);
    expect(plan.lanes).toEqual([['a', 'b', 'c']]);
    expect(plan.waitsFor.get('c')).toEqual([]);
  });

  test('run each branch of a split and join in a lane of its own, waiting across lanes once per branch', () => {
    const plan = planLanes([
      { name: 'split', dependsOn: [] }, { name: 'w1', dependsOn: ['split'] }, { name: 'w2', dependsOn: ['split'] },
      { name: 'w3', dependsOn: ['split'] }, { name: 'join', dependsOn: ['w1', 'w2', 'w3'] },
    ]);
    expect(plan.lanes).toEqual([['split', 'w1', 'join'], ['w2'], ['w3']]);
    expect(Object.fromEntries(plan.waitsFor)).toEqual({ split: [], w1: [], w2: ['split'], w3: ['split'], join: ['w2', 'w3'] });
    expect(Object.fromEntries(plan.tells)).toEqual({ split: ['w2', 'w3'], w2: ['join'], w3: ['join'] });
  });

  test('handle names that are object members like any other', () => {
    const plan = planLanes([{ name: 'constructor', dependsOn: [] }, { name: 'toString', dependsOn: ['constructor'] }, { name: 'valueOf', dependsOn: ['constructor'] }]);
    expect(plan.lanes.flat().sort()).toEqual(['constructor', 'toString', 'valueOf']);
    expect(plan.tells.get('constructor')).toHaveLength(1);
  });

  test('for any DAG: each step in one lane, after a dependency, waiting for exactly its other direct dependencies', () => {
    fc.assert(fc.property(dags, (steps) => {
      const plan = planLanes(steps);
      const all = ancestorsOf(steps);
      const ancestors = (_: Step[], name: string) => all.get(name)!;
      expect(plan.lanes.flat().sort()).toEqual(steps.map((s) => s.name).sort());
      const laneOf = new Map(plan.lanes.flatMap((lane, l) => lane.map((step, i) => [step, { l, i }] as const)));
      for (const step of steps) {
        const { l, i } = laneOf.get(step.name)!;
        const before = i > 0 ? plan.lanes[l][i - 1] : undefined;
        const waited = [...(before ? [before] : []), ...plan.waitsFor.get(step.name)!];
        // what it waits for are dependencies, and they imply all of its dependencies
        waited.forEach((dep) => expect(step.dependsOn).toContain(dep));
        const implied = new Set(waited.flatMap((dep) => [dep, ...ancestors(steps, dep)]));
        step.dependsOn.forEach((dep) => expect(implied.has(dep)).toBe(true));
        // and none implies another: no wait is for nothing
        waited.forEach((dep) => waited.forEach((other) => expect(ancestors(steps, other).has(dep)).toBe(false)));
        // whoever a step waits for tells it
        plan.waitsFor.get(step.name)!.forEach((dep) => expect(plan.tells.get(dep)).toContain(step.name));
      }
      // no wait across lanes could have joined two lanes: the matching cannot grow by one edge
      for (const [step, deps] of plan.waitsFor) {
        for (const dep of deps) {
          const from = laneOf.get(dep)!;
          const to = laneOf.get(step)!;
          expect(from.i === plan.lanes[from.l].length - 1 && to.i === 0).toBe(false);
        }
      }
    }), { numRuns: 200 });
  });
});
