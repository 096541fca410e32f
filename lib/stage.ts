import * as logs from 'aws-cdk-lib/aws-logs';
import { checkArguments, PropChecker } from '../constructs/core/validation-error';

/** Where a stack sits on the way to production. */
export enum DataScienceStage {
  /** Where a team works: small limits, short retention, data may be destroyed. */
  DEV = 'dev',
  /** Where a release is tried at scale before production. */
  STAGING = 'staging',
  /** Production: the largest limits, a year of logs, termination protection, no sandboxes. */
  PROD = 'prod',
}

/** What a stage sets for every layer. */
export interface StageSettings {
  /** Most vCPUs each environment of the `cpu`, `cpu-ondemand` and `fargate` queues runs at once. */
  readonly maxvCpus: number;
  /** Most vCPUs the `gpu` queue runs at once. */
  readonly gpuMaxvCpus: number;
  /** Most vCPUs a Spark runtime (`addSparkRuntime`) runs at once, over all its jobs. */
  readonly sparkMaxvCpus: number;
  /** Most data one Athena query may scan, in GiB. */
  readonly bytesScannedCutoffPerQueryGiB: number;
  /** How long logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** How long old versions of artifacts are kept, in days. */
  readonly noncurrentVersionRetentionDays: number;
  /** Instances per real-time model endpoint variant: two in prod, so one can fail. */
  readonly endpointInstanceCount: number;
  /** p99 model latency, in milliseconds, above which an endpoint's latency alarm fires. */
  readonly endpointLatencyAlarmMillis: number;
  /** Whether CloudFormation refuses to delete the stack. */
  readonly terminationProtection: boolean;
}

const SETTINGS: Record<DataScienceStage, StageSettings> = {
  [DataScienceStage.DEV]: {
    maxvCpus: 64,
    gpuMaxvCpus: 32,
    sparkMaxvCpus: 64,
    bytesScannedCutoffPerQueryGiB: 10,
    logRetention: logs.RetentionDays.ONE_MONTH,
    noncurrentVersionRetentionDays: 30,
    endpointInstanceCount: 1,
    endpointLatencyAlarmMillis: 2000,
    terminationProtection: false,
  },
  [DataScienceStage.STAGING]: {
    maxvCpus: 256,
    gpuMaxvCpus: 64,
    sparkMaxvCpus: 256,
    bytesScannedCutoffPerQueryGiB: 100,
    logRetention: logs.RetentionDays.THREE_MONTHS,
    noncurrentVersionRetentionDays: 90,
    endpointInstanceCount: 1,
    endpointLatencyAlarmMillis: 1000,
    terminationProtection: false,
  },
  [DataScienceStage.PROD]: {
    maxvCpus: 1024,
    gpuMaxvCpus: 256,
    sparkMaxvCpus: 1024,
    bytesScannedCutoffPerQueryGiB: 1024,
    logRetention: logs.RetentionDays.ONE_YEAR,
    noncurrentVersionRetentionDays: 365,
    endpointInstanceCount: 2,
    endpointLatencyAlarmMillis: 500,
    terminationProtection: true,
  },
};

const STAGES = Object.values(DataScienceStage) as string[];

/** The stages and what each sets. */
export class DataScienceStages {
  /** The settings of a stage. */
  public static settingsOf(stage: DataScienceStage): StageSettings {
    checkArguments('DataScienceStages.settingsOf', (check) => checkStage(check, 'stage', stage));
    return SETTINGS[stage];
  }

  /** Whether `value` names a stage, for example a context value. */
  public static isStage(value: any): boolean {
    return typeof value === 'string' && STAGES.includes(value);
  }

  private constructor() {}
}

/** Records a problem on `check` unless `value` names a stage. */
export function checkStage(check: PropChecker, prop: string, value: unknown): void {
  check.choice(prop, value, STAGES, `use one of ${STAGES.map((s) => `"${s}"`).join(', ')}`, { required: true });
}
