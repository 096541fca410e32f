import { Duration } from 'aws-cdk-lib';
import { DeploymentGuardrails } from '../../../constructs/modelops';
import { checkerProblems } from '../../support/validation';

const ONE_VARIANT = { serverless: false, variantCount: 1 };
const problems = (guardrails: DeploymentGuardrails, endpoint = ONE_VARIANT) => checkerProblems((check) => guardrails._check(check, 'guardrails', endpoint));

describe('DeploymentGuardrails', () => {
  test.each([
    ['all at once', DeploymentGuardrails.allAtOnce(Duration.minutes(10)), { type: 'ALL_AT_ONCE', waitIntervalInSeconds: 600 }, 600 + 600 + 1800],
    ['a canary of 10%', DeploymentGuardrails.canary(10), { type: 'CANARY', waitIntervalInSeconds: 600, canarySize: { type: 'CAPACITY_PERCENT', value: 10 } }, 2 * 600 + 600 + 1800],
    ['linear steps of 20%', DeploymentGuardrails.linear(20, Duration.minutes(6)),
      { type: 'LINEAR', waitIntervalInSeconds: 360, linearStepSize: { type: 'CAPACITY_PERCENT', value: 20 } }, 5 * 360 + 600 + 1800],
    ['linear steps of 30%, rounded up to four', DeploymentGuardrails.linear(30), { type: 'LINEAR', waitIntervalInSeconds: 300, linearStepSize: { type: 'CAPACITY_PERCENT', value: 30 } },
      4 * 300 + 600 + 1800],
  ])('%s shifts blue/green, waits out the old fleet, and gives SageMaker time for every step', (_, guardrails, routing, timeout) => {
    expect(guardrails._render(['errors', 'latency'])).toEqual({
      blueGreenUpdatePolicy: { trafficRoutingConfiguration: routing, terminationWaitInSeconds: 600, maximumExecutionTimeoutInSeconds: timeout },
      autoRollbackConfiguration: { alarms: [{ alarmName: 'errors' }, { alarmName: 'latency' }] },
    });
    expect(problems(guardrails)).toEqual([]);
  });

  test('rolling batches take each batch\'s start and wait, and at least 10 minutes in all', () => {
    expect(DeploymentGuardrails.rolling(25, Duration.minutes(5))._render([])).toEqual({
      rollingUpdatePolicy: { maximumBatchSize: { type: 'CAPACITY_PERCENT', value: 25 }, waitIntervalInSeconds: 300, maximumExecutionTimeoutInSeconds: 4 * (600 + 300) },
      autoRollbackConfiguration: { alarms: [] },
    });
    expect(DeploymentGuardrails.allAtOnce(Duration.seconds(0))._render([])).toMatchObject({ blueGreenUpdatePolicy: { maximumExecutionTimeoutInSeconds: 2400 } });
  });

  test.each([
    ['a rolling batch over half', DeploymentGuardrails.rolling(60), ['guardrails.batchPercent = 60: give a whole percent from 5 to 50 of the instances, SageMaker\'s range for a batch']],
    ['a rolling batch under 5%', DeploymentGuardrails.rolling(4), ['guardrails.batchPercent = 4: give a whole percent from 5 to 50 of the instances, SageMaker\'s range for a batch']],
    ['a linear step under 10%', DeploymentGuardrails.linear(9), ['guardrails.stepPercent = 9: give a whole percent from 10 to 50']],
    ['a canary of half a percent', DeploymentGuardrails.canary(0.5), ['guardrails.canaryPercent = 0.5: give a whole percent from 1 to 50: the canary must leave most traffic on the old fleet']],
    ['a wait over an hour', DeploymentGuardrails.allAtOnce(Duration.minutes(61)), ['guardrails.waitTime = "1 hour 1 minute": give a whole number of seconds from 0 to 3600, for example Duration.seconds(1)']],
    ['steps whose waits pass 8 hours', DeploymentGuardrails.rolling(5, Duration.minutes(20)), [
      'guardrails.waitTime = "20 minutes": the shift and its waits must end within 8 hours, SageMaker\'s limit: wait less or take bigger steps',
    ]],
  ])('refuses %s', (_, guardrails, expected) => {
    expect(problems(guardrails)).toEqual(expected);
  });

  test('a shift that ends at exactly 8 hours is taken, and one a second longer refused', () => {
    // ten linear steps: 10 waits, the old fleet's termination wait and the new fleet's start
    expect(problems(DeploymentGuardrails.linear(10, Duration.seconds(2640)))).toEqual([]);
    expect(problems(DeploymentGuardrails.linear(10, Duration.seconds(2641)))).toEqual([
      'guardrails.waitTime = "44 minutes 1 second": the shift and its waits must end within 8 hours, SageMaker\'s limit: wait less or take bigger steps',
    ]);
    // twenty rolling batches, each its start and its wait
    expect(problems(DeploymentGuardrails.rolling(5, Duration.seconds(840)))).toEqual([]);
    expect(problems(DeploymentGuardrails.rolling(5, Duration.seconds(841)))).toHaveLength(1);
  });

  test('a wait of part of a second, or a size of part of a percent, is not also judged against the 8 hours', () => {
    expect(problems(DeploymentGuardrails.rolling(5, Duration.millis(1_200_500)))).toEqual([
      'guardrails.waitTime = "20 minutes 500 millis": give a whole number of seconds from 0 to 3600, for example Duration.seconds(1)',
    ]);
    expect(problems(DeploymentGuardrails.linear(10.5, Duration.hours(1)))).toEqual(['guardrails.stepPercent = 10.5: give a whole percent from 10 to 50']);
  });

  test('rolling updates are refused where SageMaker makes them blue/green only, and only there', () => {
    expect(problems(DeploymentGuardrails.rolling(20), { serverless: true, variantCount: 1 })).toEqual([
      'guardrails = "rolling": SageMaker updates serverless endpoints blue/green only, never rolling: use DeploymentGuardrails.allAtOnce, canary or linear',
    ]);
    expect(problems(DeploymentGuardrails.rolling(20), { serverless: false, variantCount: 3 })).toEqual([
      'guardrails = "rolling": SageMaker updates endpoints of 3 variants blue/green only, never rolling: use DeploymentGuardrails.allAtOnce, canary or linear, or serve one variant',
    ]);
    expect(problems(DeploymentGuardrails.linear(20), { serverless: true, variantCount: 1 })).toEqual([]);
  });
});
