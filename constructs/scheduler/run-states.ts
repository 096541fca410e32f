/*
 * The names of the states a workflow adds around its steps, and how to read a definition and a
 * run's history by them: shared by the state machine and by `dsi`, which follows runs. No
 * aws-cdk-lib here, so `dsi` loads quickly.
 */

/** The state that routes a lane to its next step; one rule per step, on `$.step.name`. */
export const START_STEP = 'Start step';
/** The state a lane enters after each step, its input holding the step that ended. */
export const AFTER_STEP = 'After step';
/** The failure path's states: their input holds `failure.step`. */
export const RECORD_FAILURE = 'Record failure';
export const NOTIFY_FAILURE = 'Notify failure';

/** A state of the n-th Map of lanes: the first has the plain name, the others say which Map. */
export function laneState(base: string, map: number): string {
  return map === 0 ? base : `${base} (Map ${map + 1})`;
}

/** The name a state of any Map of lanes has in the first: `After step (Map 2)` is an `After step`. */
export function baseName(state: string): string {
  return state.replace(/ \(Map \d+\)$/, '');
}

/** The steps of a workflow's definition, in the order of its lanes: the states its lanes start. */
export function stepNamesOf(definition: any): string[] {
  const steps: string[] = [];
  const visit = (states: Record<string, any>) => Object.entries(states ?? {}).forEach(([name, state]) => {
    if (baseName(name) === START_STEP && state.Type === 'Choice') {
      steps.push(...state.Choices.map((choice: any) => choice.Next));
    }
    (state.Branches ?? []).forEach((branch: any) => visit(branch.States));
    visit(state.ItemProcessor?.States);
  });
  visit(definition.States);
  return steps;
}

/** What a history event says of the steps of a run: a step began, ended, or failed. */
export function stepEventOf(name: string, type: 'entered' | 'exited', data: string | undefined, steps: string[]): { step: string; is: 'running' | 'done' | 'failed' } | undefined {
  if (type === 'entered' && steps.includes(name)) {
    return { step: name, is: 'running' };
  }
  const read = () => {
    try {
      return JSON.parse(data ?? '');
    } catch {
      return undefined;
    }
  };
  if (type === 'entered' && baseName(name) === AFTER_STEP) {
    const step = read()?.step?.name;
    return typeof step === 'string' ? { step, is: 'done' } : undefined;
  }
  if (type === 'entered' && (name === RECORD_FAILURE || name === NOTIFY_FAILURE)) {
    const step = read()?.failure?.step;
    return typeof step === 'string' ? { step, is: 'failed' } : undefined;
  }
  return undefined;
}

/**
 * The states that record the snapshots of the Iceberg tables a run reads, before its first step:
 * the query, its rows, and the state that hands them to the steps, whose output holds `snapshots`.
 */
export const READ_SNAPSHOTS = 'Read table snapshots';
export const SNAPSHOT_ROWS = 'Snapshot ids';
export const HAND_SNAPSHOTS = 'Hand snapshots to steps';

/** The snapshot ids a run recorded, by table, from the output of `HAND_SNAPSHOTS`; undefined when it holds none. */
export function snapshotsOf(output: string | undefined): { [table: string]: string } | undefined {
  try {
    const ids = JSON.parse(output ?? '')?.snapshots?.ids;
    return ids !== null && typeof ids === 'object' && !Array.isArray(ids) ? ids : undefined;
  } catch {
    return undefined;
  }
}
