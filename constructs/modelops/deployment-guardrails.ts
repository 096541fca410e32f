import { Duration } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { checkArguments, isDuration, PropChecker } from '../core/validation-error';

/** SageMaker's longest blue/green or rolling update: 8 hours. */
const MAX_EXECUTION_SECONDS = 28_800;
/** Room for one rolling batch's instances to start, before its traffic moves. */
const BATCH_START_SECONDS = 600;
/** How long the old fleet stays after the shift, to roll back to quickly. */
const TERMINATION_WAIT_SECONDS = 600;
/** Room for the new fleet to start, before traffic moves. */
const FLEET_START_SECONDS = 1800;

/**
 * How an endpoint update shifts traffic from the old fleet to the new: blue/green (all at once,
 * canary or linear; real-time and serverless endpoints) or rolling (real-time endpoints of one
 * variant), rolling back when an alarm fires.
 */
export class DeploymentGuardrails {
  /** Shift `canaryPercent` of capacity first, wait, then the rest. */
  public static canary(canaryPercent: number, waitTime: Duration = Duration.minutes(10)): DeploymentGuardrails {
    checkKinds('DeploymentGuardrails.canary', { canaryPercent }, waitTime);
    return new DeploymentGuardrails('CANARY', canaryPercent, waitTime);
  }

  /** Shift `stepPercent` of capacity at a time, waiting between steps. */
  public static linear(stepPercent: number, waitTime: Duration = Duration.minutes(5)): DeploymentGuardrails {
    checkKinds('DeploymentGuardrails.linear', { stepPercent }, waitTime);
    return new DeploymentGuardrails('LINEAR', stepPercent, waitTime);
  }

  /** Shift all traffic at once, still rolling back on alarms during the bake time. */
  public static allAtOnce(waitTime: Duration = Duration.minutes(5)): DeploymentGuardrails {
    checkKinds('DeploymentGuardrails.allAtOnce', {}, waitTime);
    return new DeploymentGuardrails('ALL_AT_ONCE', undefined, waitTime);
  }

  /**
   * Replace `batchPercent` of the instances at a time, waiting between batches: no second fleet,
   * so it needs fewer instances than blue/green. Real-time endpoints of one variant only:
   * SageMaker excludes serverless and multi-variant endpoints from rolling updates.
   */
  public static rolling(batchPercent: number, waitTime: Duration = Duration.minutes(5)): DeploymentGuardrails {
    checkKinds('DeploymentGuardrails.rolling', { batchPercent }, waitTime);
    return new DeploymentGuardrails('ROLLING', batchPercent, waitTime);
  }

  private constructor(
    /** `CANARY`, `LINEAR`, `ALL_AT_ONCE` or `ROLLING`. @jsii suppress reserved-word Go's binding names it Type */
    public readonly type: string,
    /** The canary, step or batch size, in percent of capacity. */
    public readonly percent: number | undefined,
    /** How long each step watches the alarms before the next. */
    public readonly waitTime: Duration,
  ) {}

  /**
   * Records what is wrong with these guardrails on `endpoint`.
   * @internal
   */
  public _check(check: PropChecker, prop: string, endpoint: { serverless: boolean; variantCount: number }): void {
    if (this.type === 'ROLLING') {
      // docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html
      check.check(!endpoint.serverless, prop, 'rolling', 'SageMaker updates serverless endpoints blue/green only, never rolling: '
        + 'use DeploymentGuardrails.allAtOnce, canary or linear');
      check.check(endpoint.serverless || endpoint.variantCount === 1, prop, 'rolling', `SageMaker updates endpoints of ${endpoint.variantCount} variants `
        + 'blue/green only, never rolling: use DeploymentGuardrails.allAtOnce, canary or linear, or serve one variant');
      check.integer(`${prop}.batchPercent`, this.percent ?? NaN, 5, 50, 'give a whole percent from 5 to 50 of the instances, SageMaker\'s range for a batch');
    }
    if (this.type === 'CANARY') {
      check.integer(`${prop}.canaryPercent`, this.percent ?? NaN, 1, 50,
        'give a whole percent from 1 to 50: the canary must leave most traffic on the old fleet');
    }
    if (this.type === 'LINEAR') {
      check.integer(`${prop}.stepPercent`, this.percent ?? NaN, 10, 50, 'give a whole percent from 10 to 50');
    }
    check.duration(`${prop}.waitTime`, this.waitTime, 'seconds', 0, 3600);
    const wholeSeconds = !this.waitTime.isUnresolved() && Number.isInteger(this.waitTime.toSeconds({ integral: false }));
    if (wholeSeconds && (this.percent === undefined || Number.isInteger(this.percent))) {
      check.check(this.maximumExecutionSeconds() <= MAX_EXECUTION_SECONDS, `${prop}.waitTime`, this.waitTime.toHumanString(),
        `the shift and its waits must end within ${MAX_EXECUTION_SECONDS / 3600} hours, SageMaker's limit: wait less or take bigger steps`);
    }
  }

  /** Long enough for every step's wait, the old fleet's termination wait and the new fleet's start; for rolling, each batch's start and wait. */
  private maximumExecutionSeconds(): number {
    if (this.type === 'ROLLING') {
      return Math.max(600, Math.ceil(100 / (this.percent ?? 100)) * (BATCH_START_SECONDS + this.waitTime.toSeconds()));
    }
    const steps = this.type === 'CANARY' ? 2 : this.type === 'LINEAR' ? Math.ceil(100 / (this.percent ?? 100)) : 1;
    return Math.max(600, steps * this.waitTime.toSeconds() + TERMINATION_WAIT_SECONDS + FLEET_START_SECONDS);
  }

  /**
   * The endpoint's deployment config, rolling back when any of `alarmNames` fires.
   * @internal
   */
  public _render(alarmNames: string[]): sagemaker.CfnEndpoint.DeploymentConfigProperty {
    const size = this.percent === undefined ? undefined : { type: 'CAPACITY_PERCENT', value: this.percent };
    const autoRollbackConfiguration = { alarms: alarmNames.map((alarmName) => ({ alarmName })) };
    if (this.type === 'ROLLING') {
      return {
        rollingUpdatePolicy: {
          maximumBatchSize: size!,
          waitIntervalInSeconds: this.waitTime.toSeconds(),
          maximumExecutionTimeoutInSeconds: this.maximumExecutionSeconds(),
        },
        autoRollbackConfiguration,
      };
    }
    return {
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: {
          type: this.type,
          waitIntervalInSeconds: this.waitTime.toSeconds(),
          ...(this.type === 'CANARY' ? { canarySize: size } : {}),
          ...(this.type === 'LINEAR' ? { linearStepSize: size } : {}),
        },
        terminationWaitInSeconds: TERMINATION_WAIT_SECONDS,
        maximumExecutionTimeoutInSeconds: this.maximumExecutionSeconds(),
      },
      autoRollbackConfiguration,
    };
  }
}

/**
 * Refuses arguments of the wrong kind as they are given; their ranges, some of which depend on
 * the endpoint, are judged on it (`_check`).
 */
function checkKinds(method: string, percent: { [prop: string]: unknown }, waitTime: unknown): void {
  checkArguments(method, (check) => {
    check.numbers(percent, 'give a whole percent, for example 10');
    check.check(isDuration(waitTime), 'waitTime', waitTime, 'give a Duration, for example Duration.minutes(5)');
  });
}
