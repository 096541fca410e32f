import { Template } from 'aws-cdk-lib/assertions';
import { AlarmSpec } from './alarms';
import { attributeOf, propertyOf, refTo } from './resources';

/*
 * The alarms this library makes, as whole specs, for the tests of every stack that has them:
 * one place says when each fires, so a comparison turned round fails every test that meets it.
 */

/** What every alarm here shares: one five-minute period, in alarm from the threshold on, quiet without data. */
const ONE_PERIOD = { periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'notBreaching' };

/**
 * The alarms of `StackMonitoring.monitorWorkflow`: in alarm on the first run that fails, times
 * out or is stopped within five minutes, each saying so of the workflow by its name.
 */
export function workflowAlarms(template: Template, where: { monitoring: string; workflow: string; stateMachine: string; workflowName: string },
  actions: unknown[]): AlarmSpec[] {
  const stateMachineArn = refTo(template, 'AWS::StepFunctions::StateMachine', where.stateMachine);
  return [['Failed', 'ExecutionsFailed', 'failed'], ['TimedOut', 'ExecutionsTimedOut', 'timed out'], ['Aborted', 'ExecutionsAborted', 'was stopped']]
    .map(([end, metricName, what]) => ({
      id: `${where.monitoring}${where.workflow}${end}`,
      metric: { namespace: 'AWS/States', metricName, dimensions: { StateMachineArn: stateMachineArn } },
      statistic: 'Sum', threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', ...ONE_PERIOD, actions,
      description: `A run of workflow ${where.workflowName} ${what}`,
    }));
}

/**
 * The run closer's alarms (`closer` is the start of its logical id): in alarm on its first failed
 * or timed-out execution, and on the first run end waiting in its dead-letter queue, each telling
 * whoever it notifies what a run may have missed.
 */
export function runCloserAlarms(template: Template, closer: string, actions: unknown[]): AlarmSpec[] {
  const stateMachineArn = refTo(template, 'AWS::StepFunctions::StateMachine', `${closer}StateMachine`);
  const states = (metricName: string) => ({ namespace: 'AWS/States', metricName, dimensions: { StateMachineArn: stateMachineArn } });
  return [{
    id: `${closer}Failed`,
    metric: { expression: 'FILL(failed, 0) + FILL(timedOut, 0)', usingMetrics: { failed: states('ExecutionsFailed'), timedOut: states('ExecutionsTimedOut') } },
    statistic: 'Sum', threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', ...ONE_PERIOD, actions,
    description: 'The run closer failed or timed out: a run that ended badly may be neither reported nor closed (see its logs)',
  }, {
    id: `${closer}Undelivered`,
    metric: {
      namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: attributeOf(template, 'AWS::SQS::Queue', `${closer}DeadLetters`, 'QueueName') },
    },
    statistic: 'Maximum', threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', ...ONE_PERIOD, actions,
    description: 'EventBridge could not start the run closer for a run that ended badly: see the dead-letter queue',
  }];
}

/** How an endpoint's alarms are set, by its props. */
export interface EndpointAlarmSettings {
  /** Its variants' names, in order: errors are summed over them, latency is the first's. */
  readonly variants: string[];
  /** `errorAlarmThreshold`: in alarm past this many 5xx errors in five minutes. */
  readonly errors: number;
  /** `latencyAlarmThresholdMillis`: in alarm when p99 latency is past it three minutes running. */
  readonly latencyMillis: number;
  readonly actions: unknown[];
}

/** The error and latency alarms of the `ModelEndpoint` whose id starts with `endpoint`, which roll its guarded updates back. */
export function endpointAlarms(template: Template, endpoint: string, settings: EndpointAlarmSettings): AlarmSpec[] {
  const endpointName = attributeOf(template, 'AWS::SageMaker::Endpoint', `${endpoint}Endpoint`, 'EndpointName');
  const sageMaker = (metricName: string, variant: string) => ({ namespace: 'AWS/SageMaker', metricName, dimensions: { EndpointName: endpointName, VariantName: variant } });
  const errors = Object.fromEntries(settings.variants.map((variant, i) => [`invocation5xxerrors${i}`, sageMaker('Invocation5XXErrors', variant)]));
  // named after the endpoint: its guarded updates roll back by these names
  const alarmName = (suffix: string) => expect.stringMatching(new RegExp(`${endpoint}.*-${suffix}$`));
  return [{
    id: `${endpoint}ErrorAlarm`,
    alarmName: alarmName('errors'),
    metric: { expression: Object.keys(errors).join(' + '), usingMetrics: errors },
    statistic: 'Sum', threshold: settings.errors, comparisonOperator: 'GreaterThanThreshold', ...ONE_PERIOD, actions: settings.actions,
  }, {
    id: `${endpoint}LatencyAlarm`,
    alarmName: alarmName('latency'),
    metric: sageMaker('ModelLatency', settings.variants[0]),
    // SageMaker reports latency in microseconds
    statistic: 'p99', periodSeconds: 60, threshold: settings.latencyMillis * 1000, comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'notBreaching', actions: settings.actions,
  }];
}

/** How a drift monitor's alarms are set, by its props. */
export interface DriftAlarmSettings {
  /** The endpoint it watches, as the start of the endpoint's logical id. */
  readonly endpoint: string;
  /** `driftAlarmFeatures` with `driftAlarmThreshold`: each in alarm from this baseline drift on. */
  readonly features: { [feature: string]: number };
  /** `frequency`, in seconds: each alarm looks at one run's worth. */
  readonly periodSeconds: number;
  readonly actions: unknown[];
}

/**
 * The data-quality alarms of the `DriftMonitor` whose id starts with `monitor`: in alarm on the
 * first run that finds violations, on the first run that fails, and on each chosen feature's
 * drift from its threshold on.
 */
export function driftAlarms(template: Template, monitor: string, settings: DriftAlarmSettings): AlarmSpec[] {
  const ONE_RUN = { periodSeconds: settings.periodSeconds, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'notBreaching', actions: settings.actions };
  const matched = (rule: string): AlarmSpec => ({
    id: `${monitor}DataQuality${rule}Alarm`,
    metric: { namespace: 'AWS/Events', metricName: 'MatchedEvents', dimensions: { RuleName: refTo(template, 'AWS::Events::Rule', `${monitor}DataQuality${rule}`) } },
    statistic: 'Sum', threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', ...ONE_RUN,
  });
  const schedule = propertyOf(template, 'AWS::SageMaker::MonitoringSchedule', `${monitor}DataQuality`, 'MonitoringScheduleName');
  const endpointName = attributeOf(template, 'AWS::SageMaker::Endpoint', `${settings.endpoint}Endpoint`, 'EndpointName');
  return [matched('Violations'), matched('Failures'), ...Object.entries(settings.features).map(([feature, threshold]): AlarmSpec => ({
    id: `${monitor}Drift${feature.replace(/[^A-Za-z0-9]/g, '')}Alarm`,
    metric: {
      namespace: 'aws/sagemaker/Endpoints/data-metrics', metricName: `feature_baseline_drift_${feature}`,
      dimensions: { Endpoint: endpointName, MonitoringSchedule: schedule },
    },
    statistic: 'Maximum', threshold, comparisonOperator: 'GreaterThanOrEqualToThreshold', ...ONE_RUN,
  }))];
}
