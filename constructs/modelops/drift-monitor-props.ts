import type { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { checkArguments } from '../core/validation-error';
import type { ModelEndpoint } from './model-endpoint';

/** What a model-quality monitor compares predictions with labels as. */
export enum ModelProblemType {
  /** Two classes: accuracy, precision, recall, F1 and AUC. */
  BINARY_CLASSIFICATION = 'BinaryClassification',
  /** More than two classes: accuracy and weighted precision, recall and F1. */
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  /** A number: mean absolute error, root mean squared error and R squared. */
  REGRESSION = 'Regression',
}

/**
 * How often a monitoring schedule runs its job, in the forms SageMaker accepts: hourly, daily
 * at an hour, or every few hours (CreateMonitoringSchedule ScheduleExpression). Each run bills
 * its job's instance time.
 */
export class MonitoringFrequency {
  /** At the start of every hour (UTC). */
  public static readonly HOURLY = new MonitoringFrequency('cron(0 * ? * * *)', 1);

  /** Once a day, at `hourUtc` (0 to 23). */
  public static daily(hourUtc: number = 0): MonitoringFrequency {
    checkHours('MonitoringFrequency.daily', { hourUtc });
    return new MonitoringFrequency(`cron(0 ${hourUtc} ? * * *)`, 24, hourUtc);
  }

  /** Every `hours` hours (1 to 24, a divisor of 24), from `startHourUtc` (0 to 23). */
  public static everyHours(hours: number, startHourUtc: number = 0): MonitoringFrequency {
    checkHours('MonitoringFrequency.everyHours', { hours, startHourUtc });
    return new MonitoringFrequency(`cron(0 ${startHourUtc}/${hours} ? * * *)`, hours, startHourUtc);
  }

  private constructor(
    /** SageMaker's cron expression. */
    public readonly scheduleExpression: string,
    /** Hours between runs. */
    public readonly hours: number,
    private readonly startHour = 0,
  ) {}

  /**
   * What is wrong with this frequency, if anything.
   * @internal
   */
  public _problem(): string | undefined {
    if (!Number.isInteger(this.startHour) || this.startHour < 0 || this.startHour > 23) {
      return 'give a start hour from 0 to 23 (UTC)';
    }
    return Number.isInteger(this.hours) && this.hours >= 1 && this.hours <= 24 ? undefined : 'give whole hours from 1 to 24 between runs';
  }
}

/** Refuses hours of the wrong kind as they are given; their ranges are judged where the frequency is used (`_problem`). */
function checkHours(method: string, hours: { [prop: string]: unknown }): void {
  checkArguments(method, (check) => check.numbers(hours, 'give a whole number of hours, for example 6'));
}

/** Model-quality monitoring: predictions the endpoint captured, compared with labels that arrive later. */
export interface ModelQualityMonitoring {
  /**
   * Where the labels land in the endpoint's capture store (its artifact store), as Model
   * Monitor reads them: JSON lines under `<prefix>yyyy/mm/dd/hh/`, each naming the captured
   * request's inference id. For example `models/churn/ground-truth/`.
   */
  readonly groundTruthKeyPrefix: string;
  /** What the model predicts, which decides the metrics computed and what the attributes below may be. */
  readonly problemType: ModelProblemType;
  /**
   * Where the prediction is in the endpoint's output: a JSONPath for JSON, a 0-based column
   * index for CSV.
   * @default - the whole output is the prediction
   */
  readonly inferenceAttribute?: string;
  /**
   * Classification only: where the predicted probability is in the output.
   * @default - none
   */
  readonly probabilityAttribute?: string;
  /**
   * Binary classification only: the probability from which a prediction counts as positive.
   * @default - none: the inference attribute is the predicted label
   */
  readonly probabilityThreshold?: number;
  /**
   * How late labels arrive: each run compares the hour of requests that ended this long
   * before it with their labels.
   * @default Duration.hours(1)
   */
  readonly labelDelay?: Duration;
}

export interface DriftMonitorProps {
  /** A real-time endpoint that captures its data (`dataCapture`). */
  readonly endpoint: ModelEndpoint;
  /**
   * The model the endpoint serves, as the artifact store names it: the baseline is read from
   * `models/<modelName>/monitoring/<data-quality|model-quality>/baseline/` (where
   * `WorkflowStep.monitoringBaseline` writes it), reports are written beside it under `reports/`.
   */
  readonly modelName: string;
  /**
   * How often each monitoring schedule runs its job; also the period of the alarms' metrics.
   * @default MonitoringFrequency.HOURLY
   */
  readonly frequency?: MonitoringFrequency;
  /**
   * The instance each monitoring job runs on; it bills for the job's run time.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Size of each monitoring job's storage volume, in GiB, encrypted with the endpoint's key.
   * @default 20
   */
  readonly volumeSizeGiB?: number;
  /**
   * After this long a monitoring job is stopped; at most the time between runs, and an hour
   * for hourly runs.
   * @default Duration.minutes(50)
   */
  readonly maxRuntime?: Duration;
  /**
   * Features whose drift from the baseline gets an alarm of its own (Model Monitor's
   * `feature_baseline_drift_<feature>` metric), beside the alarm on any violation.
   * @default - none
   */
  readonly driftAlarmFeatures?: string[];
  /**
   * The drift distance (0 to 1) above which a feature's drift alarm fires.
   * @default 0.1
   */
  readonly driftAlarmThreshold?: number;
  /**
   * Monitor model quality too, on a second schedule that compares the captured predictions with
   * labels; it reads the model-quality baseline (`WorkflowStep.monitoringBaseline` with `modelQuality`).
   * @default - data quality only
   */
  readonly modelQuality?: ModelQualityMonitoring;
  /**
   * The analyzer image the monitoring jobs run.
   * @default - SageMaker Model Monitor's image in the stack's region (ModelMonitorImage)
   */
  readonly analyzerImageUri?: string;
  /** Where the alarms notify. @default - the endpoint's notification topic, if any */
  readonly notificationTopic?: sns.ITopic;
}
