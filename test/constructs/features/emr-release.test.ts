import { EmrRelease } from '../../../constructs/features';
import { checkerProblems } from '../../support/validation';

const FIX = 'give an EMR release label from emr-7.0.0 on, for example EmrRelease.LATEST or EmrRelease.of(\'emr-7.14.0\')';
/** What a runtime refuses of `release`, as `prop = value: fix` lines. */
const problems = (release: EmrRelease) => checkerProblems((check) => release._check(check, 'release'));

describe('EmrRelease', () => {
  test.each(['emr-7.0.0', 'emr-7.14.0', 'emr-7.14.10', 'emr-10.0.0', 'emr-12.1.123'])('takes %s', (label) => {
    expect(problems(EmrRelease.of(label))).toEqual([]);
  });

  test.each(['emr-6.15.0', 'emr-7.14', 'emr-7.14.0-beta', 'xemr-7.14.0', 'emr-7.x.0', 'emr-7.14.x', 'emr-spark-8.1.0', ''])('refuses %j, whole', (label) => {
    expect(problems(EmrRelease.of(label))).toEqual([`release = ${JSON.stringify(label)}: ${FIX}`]);
  });

  test('refuses a label that is not text, as JavaScript may give one', () => {
    expect(problems(EmrRelease.of(7 as unknown as string))).toEqual([`release = 7: ${FIX}`]);
    expect(problems(EmrRelease.of(['emr-7.14.0'] as unknown as string))).toEqual([`release = ["emr-7.14.0"]: ${FIX}`]);
  });

  test('names its releases, the newest the latest', () => {
    expect([EmrRelease.EMR_7_12_0, EmrRelease.EMR_7_13_0, EmrRelease.EMR_7_14_0, EmrRelease.LATEST].map((r) => r.label))
      .toEqual(['emr-7.12.0', 'emr-7.13.0', 'emr-7.14.0', 'emr-7.14.0']);
  });
});
