import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';

/** When a workflow runs by itself. */
export interface WorkflowScheduleProps {
  /**
   * When: `ScheduleExpression.cron({ hour: '2', minute: '0', timeZone: TimeZone.EUROPE_BERLIN })`
   * or `ScheduleExpression.rate(Duration.hours(6))`.
   */
  readonly schedule: scheduler.ScheduleExpression;
  /**
   * Let the run start any time within this window after the scheduled time, to spread load.
   * @default - on the scheduled time
   */
  readonly flexibleWindow?: Duration;
  /**
   * How many times Scheduler retries a start that failed, before the dead-letter queue.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * How long Scheduler keeps retrying a start.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
  /**
   * The schedule's description.
   * @default - "Starts workflow <name>"
   */
  readonly description?: string;
  /**
   * Whether the schedule starts runs once deployed.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Data whose arrival starts a run. */
export interface DataTriggerProps {
  /** The bucket whose new objects start a run; it must send events to EventBridge. */
  readonly bucket: s3.IBucket;
  /** A key prefix ending in `/`, for example `events/`. */
  readonly prefix: string;
  /**
   * Only keys ending so, for example `.parquet` or `_SUCCESS`.
   * @default - any key under the prefix
   */
  readonly suffix?: string;
}
