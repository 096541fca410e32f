import { AFTER_STEP, baseName, laneState, snapshotsOf, START_STEP, stepEventOf, stepNamesOf } from '../../../constructs/scheduler/run-states';

describe('the states a workflow adds around its steps', () => {
  test('a state of the n-th Map of lanes says which Map after the first, and reads back as its base name', () => {
    expect([0, 1, 11].map((map) => laneState(AFTER_STEP, map))).toEqual(['After step', 'After step (Map 2)', 'After step (Map 12)']);
    expect(['After step', 'After step (Map 2)', 'After step (Map 12)'].map(baseName)).toEqual(['After step', 'After step', 'After step']);
    // only a Map suffix at the end is dropped
    expect(baseName('After step (Map 2) again')).toBe('After step (Map 2) again');
    expect(baseName('After step (Map x)')).toBe('After step (Map x)');
  });

  test('the steps of a definition are the choices of its start states, in every Map, branch and item processor', () => {
    const start = (...steps: string[]) => ({ Type: 'Choice', Choices: steps.map((step) => ({ Next: step })) });
    const definition = {
      States: {
        [START_STEP]: start('a', 'b'),
        Fan: { Type: 'Parallel', Branches: [{ States: { [laneState(START_STEP, 1)]: start('c') } }] },
        Each: { Type: 'Map', ItemProcessor: { States: { [START_STEP]: start('d') } } },
        // a state of that name that routes nothing is no start state
        [laneState(START_STEP, 2)]: { Type: 'Pass' },
      },
    };
    expect(stepNamesOf(definition)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('history events tell a step started, ended or failed; others tell nothing', () => {
    const steps = ['train', 'score'];
    expect(stepEventOf('train', 'entered', undefined, steps)).toEqual({ step: 'train', is: 'running' });
    expect(stepEventOf('train', 'exited', undefined, steps)).toBeUndefined();
    expect(stepEventOf('After step (Map 2)', 'entered', JSON.stringify({ step: { name: 'score' } }), steps)).toEqual({ step: 'score', is: 'done' });
    expect(stepEventOf('After step', 'entered', 'not json', steps)).toBeUndefined();
    expect(stepEventOf('After step', 'entered', '{}', steps)).toBeUndefined();
    expect(stepEventOf('After step', 'exited', JSON.stringify({ step: { name: 'score' } }), steps)).toBeUndefined();
    expect(stepEventOf('Notify failure', 'entered', JSON.stringify({ failure: { step: 'score' } }), steps)).toEqual({ step: 'score', is: 'failed' });
    expect(stepEventOf('Record failure', 'exited', JSON.stringify({ failure: { step: 'train' } }), steps)).toBeUndefined();
    expect(['not json', '{}', JSON.stringify({ failure: { step: 3 } })].map((data) => stepEventOf('Record failure', 'entered', data, steps))).toEqual([undefined, undefined, undefined]);
    expect(stepEventOf('Record failure', 'entered', JSON.stringify({ failure: { step: 'train' } }), steps)).toEqual({ step: 'train', is: 'failed' });
    expect(stepEventOf('Notify failure', 'entered', JSON.stringify({ failure: {} }), steps)).toBeUndefined();
    expect(stepEventOf('Other', 'entered', '{}', steps)).toBeUndefined();
    expect(stepEventOf('Other', 'entered', JSON.stringify({ failure: { step: 'train' }, step: { name: 'train' } }), steps)).toBeUndefined();
  });

  test('the snapshots a run recorded are read from the hand-over state\'s output, when it holds them', () => {
    expect(snapshotsOf(JSON.stringify({ snapshots: { ids: { events: '123' } } }))).toEqual({ events: '123' });
    expect([undefined, 'not json', '{}', JSON.stringify({ snapshots: { ids: ['1'] } }), JSON.stringify({ snapshots: { ids: null } }), JSON.stringify({ snapshots: { ids: 5 } })].map(snapshotsOf))
      .toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
