import { Template } from 'aws-cdk-lib/assertions';

/*
 * Alarms asserted whole: what they watch (metric or math over metrics, statistic, period) and
 * when they fire (threshold, comparison, evaluation periods, datapoints, missing data), and whom
 * they tell. An alarm checked by its threshold alone would pass with the comparison turned round,
 * always in alarm or never.
 */

/** One metric, as CloudWatch names it; dimension values as the template gives them (a `Ref`, a name). */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
}

/** A math expression over metrics, by the ids the expression uses. */
export interface AlarmExpression {
  readonly expression: string;
  readonly usingMetrics: Record<string, AlarmMetric>;
}

/** Every part of an alarm that decides when it fires and whom it tells. */
export interface AlarmSpec {
  /** The start of its logical id. */
  readonly id: string;
  readonly metric: AlarmMetric | AlarmExpression;
  /** `Sum`, `Maximum`, `p99`...: of the metric, or of each metric of the expression. */
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly threshold: number;
  /** As CloudFormation spells it, for example `GreaterThanOrEqualToThreshold`. */
  readonly comparisonOperator: string;
  readonly evaluationPeriods: number;
  /** CloudWatch takes `evaluationPeriods` when the alarm gives none. */
  readonly datapointsToAlarm: number;
  /** CloudWatch takes `missing` when the alarm gives none. */
  readonly treatMissingData: string;
  /** Its actions in alarm, as the template gives them. */
  readonly actions: unknown[];
  /** Its name, where a name matters (guarded endpoint updates roll back by alarm name). @default - not asserted */
  readonly alarmName?: unknown;
  /** What it tells whoever it notifies. @default - not asserted */
  readonly description?: unknown;
}

const dimensionsOf = (dimensions: { Name: string; Value: unknown }[] = []) => Object.fromEntries(dimensions.map((d) => [d.Name, d.Value]));

/** The spec an alarm of a template meets, its `id` given as its full logical id. */
export function alarmSpecOf(logicalId: string, alarm: any): AlarmSpec {
  const p = alarm.Properties;
  const common = {
    id: logicalId,
    threshold: p.Threshold,
    comparisonOperator: p.ComparisonOperator,
    evaluationPeriods: p.EvaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods,
    treatMissingData: p.TreatMissingData ?? 'missing',
    actions: p.AlarmActions ?? [],
  };
  if (!p.Metrics) {
    return {
      ...common,
      metric: { namespace: p.Namespace, metricName: p.MetricName, dimensions: dimensionsOf(p.Dimensions) },
      statistic: p.Statistic ?? p.ExtendedStatistic,
      periodSeconds: p.Period,
    };
  }
  // a metric with a label is written as the one metric of `Metrics`: it is still one metric
  if (p.Metrics.length === 1 && p.Metrics[0].MetricStat) {
    const { Metric: m, Stat, Period } = p.Metrics[0].MetricStat;
    return { ...common, metric: { namespace: m.Namespace, metricName: m.MetricName, dimensions: dimensionsOf(m.Dimensions) }, statistic: Stat, periodSeconds: Period };
  }
  const [expression, ...others] = [...p.Metrics].sort((a: any, b: any) => Number(b.ReturnData ?? true) - Number(a.ReturnData ?? true));
  const stats = [...new Set(others.map((m: any) => m.MetricStat.Stat))];
  const periods = [...new Set([expression.Period, ...others.map((m: any) => m.MetricStat.Period)].filter((period) => period !== undefined))];
  return {
    ...common,
    metric: {
      expression: expression.Expression,
      usingMetrics: Object.fromEntries(others.map((m: any) => [m.Id, {
        namespace: m.MetricStat.Metric.Namespace, metricName: m.MetricStat.Metric.MetricName, dimensions: dimensionsOf(m.MetricStat.Metric.Dimensions),
      }])),
    },
    // one statistic and one period over the expression and every metric, or what differs
    statistic: stats.length === 1 ? stats[0] : `differs: ${stats.join(', ')}`,
    periodSeconds: periods.length === 1 ? periods[0] : NaN,
  };
}

/** Asserts the one alarm whose logical id starts with `spec.id` meets the whole spec. */
export function expectAlarm(template: Template, spec: AlarmSpec): void {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith(spec.id));
  if (found.length !== 1) {
    throw new Error(`expected one alarm whose logical id starts with ${spec.id}, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  }
  const [logicalId, alarm] = found[0];
  const named = spec.alarmName === undefined ? {} : { alarmName: alarm.Properties.AlarmName };
  const described = spec.description === undefined ? {} : { description: alarm.Properties.AlarmDescription };
  expect({ ...alarmSpecOf(logicalId, alarm), ...named, ...described }).toEqual({ ...spec, id: logicalId });
}

/**
 * Asserts `specs` are all the alarms of the template: each meets its spec whole, and an alarm
 * no spec names fails, shown as the spec it would need.
 */
export function expectAlarms(template: Template, specs: AlarmSpec[], where: string): void {
  const alarms = template.findResources('AWS::CloudWatch::Alarm');
  const unnamed = Object.entries(alarms).filter(([id]) => !specs.some((s) => id.startsWith(s.id)));
  if (unnamed.length > 0) {
    const shown = unnamed.map(([id, alarm]) => JSON.stringify(alarmSpecOf(id, alarm)));
    throw new Error(`${unnamed.length} alarm(s) no spec asserts: add an AlarmSpec for each to ${where}:\n${shown.join('\n')}`);
  }
  specs.forEach((spec) => expectAlarm(template, spec));
  expect(Object.keys(alarms)).toHaveLength(specs.length);
}
