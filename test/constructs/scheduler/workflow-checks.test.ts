import { Duration } from 'aws-cdk-lib';
import { checkDefinitionSize, checkHistory, shownDuration } from '../../../constructs/scheduler/workflow-checks';
import { problemLines } from '../../support/validation';

const MIB = 1024 * 1024;
const SPLIT = 'split the workflow in two and start the second with runAfter, or fan repeated work out with forEach';
/** A definition of exactly `bytes` bytes as JSON: `{"s":"xx…"}`, with `tail` at the end of its string. */
const definitionOf = (bytes: number, tail = '') => ({ s: 'x'.repeat(bytes - 8 - tail.length) + tail });

describe('checkDefinitionSize', () => {
  test('takes a definition of 1 MiB and refuses one byte more, in KiB rounded up', () => {
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB), 12))).toEqual([]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB + 1), 12))).toEqual([
      `steps = "12 steps": the state machine would be about 1025 KiB, over Step Functions' 1 MB limit; ${SPLIT}`,
    ]);
  });

  test('counts each unresolved token as 100 bytes, whatever its placeholder\'s length', () => {
    const token = '${Token[TOKEN.1234]}';
    // the placeholder is 20 characters; counted as 100, the definition is exactly 1 MiB
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 80, token), 3))).toEqual([]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 79, token), 3))).toEqual([
      `steps = "3 steps": the state machine would be about 1025 KiB, over Step Functions' 1 MB limit; ${SPLIT}`,
    ]);
    // two tokens count twice
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 160, token + token), 3))).toEqual([]);
    expect(problemLines(() => checkDefinitionSize(definitionOf(MIB - 159, token + token), 3))).toHaveLength(1);
  });
});

describe('checkHistory', () => {
  const empty = { lanes: [], waitsFor: new Map(), tells: new Map() };

  test('takes a run of 25,000 events and refuses one more, saying how many', () => {
    // a workflow without steps still starts, records and ends its run: 8 events
    expect(problemLines(() => checkHistory(empty, 2, 25_000 - 8))).toEqual([]);
    expect(problemLines(() => checkHistory(empty, 2, 25_000 - 7))).toEqual([
      `steps = "2 steps": a run would record up to 25001 history events, over the 25000 Step Functions keeps for a run; ${SPLIT}`,
    ]);
  });
});

describe('shownDuration', () => {
  test('shows a duration as given, and one with a part of a second in seconds', () => {
    expect(shownDuration(Duration.minutes(90))).toBe('1 hour 30 minutes');
    expect(shownDuration(Duration.millis(1500))).toBe('1.5 seconds');
    expect(shownDuration(undefined)).toBeUndefined();
  });
});
