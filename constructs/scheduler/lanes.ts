import type { DagNode } from './workflow-dag';

/**
 * How a workflow's steps run: in lanes, each a chain of steps that run one after the other,
 * all lanes side by side. Each step follows the step before it in its lane, which is one of its
 * dependencies; it waits for its other dependencies (`waitsFor`, in other lanes) through the
 * run's dependency records, and tells the steps of other lanes that wait for it (`tells`).
 */
export interface LanePlan {
  /** The lanes, each a list of step names in the order they run. */
  readonly lanes: string[][];
  /** Each step's dependencies in other lanes, direct ones only. */
  readonly waitsFor: Map<string, string[]>;
  /** The steps of other lanes that wait for each step. */
  readonly tells: Map<string, string[]>;
}

/**
 * Plans the lanes of a DAG given in topological order. A step starts once the step before it
 * in its lane and its `waitsFor` have succeeded, which are exactly the steps it depends on once
 * dependencies implied by others are dropped: so each step starts when its last dependency
 * ends, whatever the DAG. The lanes follow a maximum matching of the remaining dependencies,
 * which leaves the fewest of them to wait for across lanes: a chain runs in one lane and waits
 * for nothing, a tree waits once per branch.
 */
export function planLanes(ordered: DagNode[]): LanePlan {
  const index = new Map(ordered.map((step, i) => [step.name, i]));
  const deps = directDependencies(ordered, index);
  const next = maximumMatching(ordered.length, deps);
  const previous = new Map<number, number>([...next].map(([from, to]) => [to, from]));

  const lanes: string[][] = [];
  ordered.forEach((_, start) => {
    if (previous.has(start)) {
      return;
    }
    const lane: string[] = [];
    for (let i: number | undefined = start; i !== undefined; i = next.get(i)) {
      lane.push(ordered[i].name);
    }
    lanes.push(lane);
  });

  const waitsFor = new Map<string, string[]>();
  const tells = new Map<string, string[]>();
  deps.forEach((stepDeps, i) => {
    const across = stepDeps.filter((dep) => previous.get(i) !== dep).map((dep) => ordered[dep].name);
    waitsFor.set(ordered[i].name, across);
    across.forEach((dep) => tells.set(dep, [...tells.get(dep) ?? [], ordered[i].name]));
  });
  return { lanes, waitsFor, tells };
}

/**
 * Each step's dependencies, by index, without those another dependency already implies (the
 * transitive reduction): waiting for `b` that depends on `a` is waiting for `a` too.
 */
function directDependencies(ordered: DagNode[], index: Map<string, number>): number[][] {
  const words = Math.ceil(ordered.length / 32);
  const ancestors: Uint32Array[] = [];
  const has = (set: Uint32Array, i: number) => (set[i >>> 5] & (1 << (i & 31))) !== 0;
  return ordered.map((step, i) => {
    const deps = step.dependsOn.map((dep) => index.get(dep)!);
    const set = new Uint32Array(words);
    for (const dep of deps) {
      set[dep >>> 5] |= 1 << (dep & 31);
      ancestors[dep].forEach((word, w) => { set[w] |= word; });
    }
    ancestors[i] = set;
    return deps.filter((dep) => !deps.some((other) => other !== dep && has(ancestors[other], dep)));
  });
}

/**
 * A maximum matching of dependencies (Kuhn's augmenting paths): each step follows at most one
 * of its dependencies, and each step is followed by at most one of its dependents.
 * Returns step index → the index of the step that follows it in its lane.
 */
function maximumMatching(count: number, deps: number[][]): Map<number, number> {
  const dependents: number[][] = Array.from({ length: count }, () => []);
  deps.forEach((stepDeps, i) => stepDeps.forEach((dep) => dependents[dep].push(i)));
  const followedBy = new Map<number, number>(); // dep → dependent
  const follows = new Map<number, number>(); // dependent → dep
  for (let dep = 0; dep < count; dep++) {
    augment(dep, new Set<number>());
  }
  return followedBy;

  function augment(dep: number, seen: Set<number>): boolean {
    for (const dependent of dependents[dep]) {
      if (seen.has(dependent)) {
        continue;
      }
      seen.add(dependent);
      const taken = follows.get(dependent);
      if (taken === undefined || augment(taken, seen)) {
        followedBy.set(dep, dependent);
        follows.set(dependent, dep);
        return true;
      }
    }
    return false;
  }
}
