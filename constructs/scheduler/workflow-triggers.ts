import { Token } from 'aws-cdk-lib';
import type { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { isDuration, PropChecker, shownDuration } from '../core/validation-error';
import type { DataTriggerProps, WorkflowScheduleProps } from './workflow-trigger-props';

/*
 * What the triggers of a workflow check of their props, and the S3 key pattern a data trigger matches.
 */

/** The longest S3 key: a prefix and suffix longer than that match nothing. */
const MAX_KEY_BYTES = 1024;

/**
 * Records what is wrong with the construct id of a workflow's trigger: an empty id, one an object
 * has already (`constructor`, `toString`: constructs keeps children by name in an object), or
 * one the workflow gave already.
 */
export function checkTriggerId(check: PropChecker, workflow: Construct, id: string): void {
  const member = typeof id !== 'string' || id in Object.prototype;
  check.check(!member && id.length > 0 && !workflow.node.tryFindChild(id), 'id', id,
    'give an id of letters and digits the workflow does not have yet (its own are Key, Notifications, Dependencies, Logs, StateMachine, RunStarter and ReportEndedRuns), and not an object member name such as "constructor"');
}

/** Records what is wrong with a schedule's props. */
export function checkSchedule(check: PropChecker, props: WorkflowScheduleProps): void {
  // a ScheduleExpression has no method to know it by: its expression is a field
  check.check(typeof (props.schedule as Partial<ScheduleExpression> | undefined)?.expressionString === 'string', 'schedule', props.schedule,
    'give a ScheduleExpression, for example ScheduleExpression.rate(Duration.hours(6))');
  check.boolean('enabled', props.enabled);
  const retryAttempts = props.retryAttempts ?? 3;
  check.check(Number.isInteger(retryAttempts) && retryAttempts >= 0 && retryAttempts <= 185, 'retryAttempts', retryAttempts,
    'give a whole number from 0 to 185');
  const within = (value: number | undefined, min: number, max: number) => value === undefined || (Number.isInteger(value) && value >= min && value <= max);
  check.check(within(check.durationIn('flexibleWindow', props.flexibleWindow, 'minutes', 'Duration.minutes(15)'), 1, 1440), 'flexibleWindow',
    shownDuration(props.flexibleWindow), 'give whole minutes, from 1 minute to 24 hours');
  // aws-cdk-lib judges the window's minutes as it makes it
  check.check(!isDuration(props.flexibleWindow) || !props.flexibleWindow.isUnresolved(), 'flexibleWindow', shownDuration(props.flexibleWindow),
    'give a Duration known at synth, for example Duration.minutes(15)');
  check.check(within(check.durationIn('maxEventAge', props.maxEventAge, 'seconds', 'Duration.hours(1)'), 60, 86400), 'maxEventAge',
    shownDuration(props.maxEventAge), 'give whole seconds, from 1 minute to 24 hours, as long as Scheduler keeps retrying');
  check.check(props.description === undefined || (typeof props.description === 'string' && props.description.length <= 512), 'description', props.description,
    'give at most 512 characters');
}

/**
 * The pattern a data trigger matches object keys with: by prefix, or, with a suffix, a wildcard
 * between the two, where a `\` of the key is escaped (a `*` is refused: prefix and suffix are
 * literal text, and a wildcard next to the one between them would be refused by EventBridge).
 */
export function dataTriggerKey(check: PropChecker, props: DataTriggerProps): object[] {
  const { prefix, suffix } = props;
  check.check(typeof prefix === 'string' && /^[^/].*\/$/s.test(prefix), 'prefix', prefix, 'give a key prefix ending in "/", for example "events/"');
  check.check(typeof prefix !== 'string' || !prefix.includes('*'), 'prefix', prefix,
    'give the prefix as literal text: "*" is not a wildcard here; a workflow triggered on every key under a prefix needs no suffix');
  check.check(suffix === undefined || typeof suffix === 'string', 'suffix', suffix, 'give the end of the key as text, for example ".parquet"');
  check.check(typeof suffix !== 'string' || !suffix.includes('*'), 'suffix', suffix,
    'give the end of the key as literal text, for example ".parquet"; "*" is not a wildcard here: leave suffix out to match every key under the prefix');
  check.check(Token.isUnresolved(prefix) || Buffer.byteLength(`${prefix}${suffix ?? ''}`) <= MAX_KEY_BYTES, 'prefix', prefix,
    'give a prefix and suffix of 1024 bytes at most together: S3 keys are no longer');
  check.throwIfAny();
  const escape = (text: string) => text.replace(/\\/g, '\\\\');
  return suffix ? [{ wildcard: `${escape(prefix)}*${escape(suffix)}` }] : [{ prefix }];
}
