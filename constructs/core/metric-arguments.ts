import { checkArguments, PropChecker } from './validation-error';

/** CloudWatch takes metric names of 1 to 255 characters. */
const MAX_METRIC_NAME = 255;

/** A metric's name, as a metric method's caller gives it. */
export function checkMetricName(check: PropChecker, prop: string, value: unknown, example: string): void {
  check.text(prop, value as string, MAX_METRIC_NAME, `give 1 to ${MAX_METRIC_NAME} characters, for example "${example}"`, { required: true });
}

/**
 * The options of a metric method, which aws-cdk-lib's Metric spreads over its own: a number or a
 * string would add none, silently.
 */
export function checkMetricOptions(check: PropChecker, props: unknown): void {
  check.struct('props', props, '{ period: Duration.minutes(5) }');
}

/** The options of a metric method that takes nothing else, as `method`'s. */
export function checkMetricOptionsOf(method: string, props: unknown): void {
  checkArguments(method, (check) => checkMetricOptions(check, props));
}
