import { PropChecker } from '../core/validation-error';

/** What the DAG needs of a step. */
export interface DagNode {
  readonly name: string;
  readonly dependsOn: string[];
}

// Batch job names, which steps become, start with a letter or digit; no space or dot, so a step
// never takes the name of a state the workflow adds around its steps, nor of an error
const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Checks the steps form a DAG (unique names, known dependencies, no cycle) and returns them in
 * a topological order: every step after the steps it depends on. Names are looked up in Maps
 * only, so a step named like an object member (`constructor`, `toString`) is a name like any other.
 */
export function dagOrder<T extends DagNode>(steps: T[], check: PropChecker): T[] {
  check.check(steps.length > 0, 'steps', [], 'give at least one step');
  const byName = new Map<string, T>();
  steps.forEach((step, i) => {
    check.check(typeof step.name === 'string' && STEP_NAME.test(step.name), `steps[${i}].name`, step.name,
      'use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit');
    check.check(!byName.has(step.name), `steps[${i}].name`, step.name, 'give each step its own name');
    byName.set(step.name, step);
  });
  steps.forEach((step, i) => {
    const dependsOn = check.list(`steps[${i}].dependsOn`, step.dependsOn, '["prepare"]');
    dependsOn.forEach((dep) => {
      check.check(byName.has(dep), `steps[${i}].dependsOn`, dep, `name a step of this workflow: ${[...byName.keys()].join(', ')}`);
      check.check(dep !== step.name, `steps[${i}].dependsOn`, dep, 'a step cannot depend on itself');
    });
    check.check(new Set(dependsOn).size === dependsOn.length, `steps[${i}].dependsOn`, dependsOn, 'name each dependency once');
  });
  check.throwIfAny();

  // Kahn's algorithm, in the order the steps were given where the dependencies allow
  const order: T[] = [];
  const placed = new Set<string>();
  let remaining = [...byName.values()];
  while (remaining.length > 0) {
    const ready = remaining.filter((step) => step.dependsOn.every((dep) => placed.has(dep)));
    if (ready.length === 0) {
      check.check(false, 'steps', cycleIn(remaining), 'remove a dependency from this cycle: a workflow is a DAG');
      check.throwIfAny();
    }
    ready.forEach((step) => placed.add(step.name));
    order.push(...ready);
    remaining = remaining.filter((step) => !placed.has(step.name));
  }
  return order;
}

/** One cycle among steps that all wait on each other, as names from start back to start. */
function cycleIn<T extends DagNode>(stuck: T[]): string[] {
  const byName = new Map(stuck.map((s) => [s.name, s]));
  const path: string[] = [];
  let current = stuck[0];
  while (!path.includes(current.name)) {
    path.push(current.name);
    current = byName.get(current.dependsOn.find((dep) => byName.has(dep))!)!;
  }
  return [...path.slice(path.indexOf(current.name)), current.name];
}
