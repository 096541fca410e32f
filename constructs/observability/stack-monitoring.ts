import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { newDeadLetterQueue } from '../core/functions';
import { allowServiceToUseKey, newDataKey } from '../core/keys';
import { allowServiceToPublish } from '../core/topics';
import { newEncryptedLogGroup } from '../core/log-groups';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import type { BatchCompute } from '../compute/batch-compute';
import type { DriftMonitor } from '../modelops/drift-monitor';
import type { ModelEndpoint } from '../modelops/model-endpoint';
import type { Workflow } from '../scheduler/workflow';
import type { DataWarehouse } from '../warehouse/data-warehouse';

export interface StackMonitoringProps {
  /** Where alarms and failures are sent. @default - a new topic encrypted with `encryptionKey` */
  readonly notificationTopic?: sns.ITopic;
  /** Addresses that get the notifications by email, once they confirm. @default - none */
  readonly alarmEmails?: string[];
  /** Encrypts the new topic and the job-event log. @default - a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long failed Batch job events are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the key and logs it creates when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The StackMonitoring of each stack that keeps its Batch job events, in a log group named after the stack. */
const jobEventLogOwners = new WeakMap<Stack, StackMonitoring>();

/** The Batch job states counted on the dashboard. */
const JOB_STATES = ['SUBMITTED', 'RUNNABLE', 'RUNNING', 'SUCCEEDED', 'FAILED'];
const JOB_METRICS_NAMESPACE = 'DataScience/Batch';

/**
 * One dashboard and the alarms of a data-science stack, in the style of a monitoring facade:
 * call `monitorX()` for each resource to watch, the stack's own and yours. Alarms, failed runs
 * and failed Batch jobs all go to one notification topic.
 */
export class StackMonitoring extends Construct {
  /** The stack's one dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Where alarms, failed runs and failed Batch jobs are sent. */
  public readonly notificationTopic: sns.ITopic;
  /** Every alarm it made, for the resources it monitors. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly key: kms.IKey;
  private readonly settings: { logRetention: logs.RetentionDays; removalPolicy: RemovalPolicy };
  private jobEvents?: logs.LogGroup;
  private readonly watched = new Set<IConstruct>();
  private deadLetters?: sqs.Queue;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `StackMonitoringProps`
   */
  constructor(scope: Construct, id: string, props: StackMonitoringProps = {}) {
    super(scope, id);
    checkPropsStruct('StackMonitoring', props, '{ alarmEmails: ["ml-oncall@example.com"] }');
    const check = new PropChecker('StackMonitoring');
    const alarmEmails = check.list('alarmEmails', props.alarmEmails, '["ml-oncall@example.com"]');
    alarmEmails.forEach((email, i, all) => {
      check.check(typeof email === 'string' && EMAIL.test(email), `alarmEmails[${i}]`, email, 'give an email address');
      check.check(all.indexOf(email) === i, `alarmEmails[${i}]`, email, 'give each address once: SNS keeps one subscription per address');
    });
    check.retentionDays('logRetention', props.logRetention);
    check.removalPolicy('removalPolicy', props.removalPolicy);
    check.construct('notificationTopic', props.notificationTopic, 'an sns.ITopic, such as new sns.Topic(this, "Alerts", { masterKey })');
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
    check.throwIfAny();
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    this.settings = { logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy };
    this.key = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts monitoring notifications and job events', removalPolicy);
    this.notificationTopic = props.notificationTopic ?? new sns.Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    alarmEmails.forEach((email, i) => new sns.Subscription(this, `Email${i}`, {
      topic: this.notificationTopic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email, deadLetterQueue: this.deadLetterQueue(),
    }));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    // CloudWatch publishes alarm actions to the topic, encrypted or not
    allowServiceToPublish(this.notificationTopic, 'cloudwatch.amazonaws.com');
  }

  /** Runs succeeded and failed, run time, and an alarm on failed runs. */
  public monitorWorkflow(workflow: Workflow): void {
    if (!this.firstWatch(workflow, { method: 'monitorWorkflow', prop: 'workflow', has: 'metricFailed', what: 'a Workflow', alarmSuffix: 'Failed' })) {
      return;
    }
    // Step Functions' run counts are sums over five minutes as they come
    this.alarm(`${workflow.node.id}Failed`, `A run of workflow ${workflow.workflowName} failed`, workflow.metricFailed(), 1);
    // runs that time out or are stopped skip the workflow's own failure path: alarm on them too
    this.alarm(`${workflow.node.id}TimedOut`, `A run of workflow ${workflow.workflowName} timed out`, workflow.stateMachine.metricTimedOut(), 1);
    this.alarm(`${workflow.node.id}Aborted`, `A run of workflow ${workflow.workflowName} was stopped`, workflow.stateMachine.metricAborted(), 1);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Workflow ${workflow.workflowName}: runs`,
        left: [workflow.metricSucceeded({ label: 'succeeded' }), workflow.metricFailed({ label: 'failed' })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: `Workflow ${workflow.workflowName}: run time`,
        left: [workflow.metricTime({ statistic: 'Average', label: 'average' }), workflow.metricTime({ statistic: 'p90', label: 'p90' })],
        width: 12,
      }),
    );
  }

  /**
   * Batch jobs of the compute layer's queues by queue and state, counted from Batch's job
   * events, and a notification for every job that fails.
   */
  public monitorBatchCompute(compute: BatchCompute): void {
    if (!this.firstWatch(compute, { method: 'monitorBatchCompute', prop: 'compute', has: 'addQueue', what: 'a BatchCompute', alarmSuffix: 'JobFailed' })) {
      return;
    }
    const owner = jobEventLogOwners.get(Stack.of(this));
    const check = new PropChecker('StackMonitoring.monitorBatchCompute');
    check.check(owner === undefined || owner === this, 'compute', compute.node.path,
      `${owner?.node.path} already counts this stack's Batch jobs in log group /aws/events/${Stack.of(this).stackName}-batch-jobs, `
      + 'which can exist once: monitor every BatchCompute of the stack with that StackMonitoring');
    check.throwIfAny();
    jobEventLogOwners.set(Stack.of(this), this);
    const queueArns = compute.jobQueues.map((q) => q.jobQueueArn);
    const pattern = (status?: string[]): events.EventPattern => ({
      source: ['aws.batch'], detailType: ['Batch Job State Change'],
      detail: { jobQueue: queueArns, ...(status ? { status } : {}) },
    });
    new events.Rule(this, `${compute.node.id}JobFailed`, {
      description: 'Tells the team about each failed Batch job',
      eventPattern: pattern(['FAILED']),
      targets: [this.topicTarget(events.RuleTargetInput.fromObject({
        alert: 'Batch job failed',
        job: events.EventField.fromPath('$.detail.jobName'),
        jobId: events.EventField.fromPath('$.detail.jobId'),
        queue: events.EventField.fromPath('$.detail.jobQueue'),
        reason: events.EventField.fromPath('$.detail.statusReason'),
      }))],
    });
    new events.Rule(this, `${compute.node.id}JobEvents`, {
      description: 'Keeps Batch job state changes, counted on the dashboard',
      eventPattern: pattern(),
      targets: [this.jobEventLogTarget()],
    });
    const metric = (state: string, queue: string) => new cloudwatch.Metric({
      namespace: JOB_METRICS_NAMESPACE, metricName: `Jobs${state}`, statistic: 'Sum', period: Duration.minutes(5),
      dimensionsMap: { JobQueue: queue }, label: `${Arn.split(queue, ArnFormat.SLASH_RESOURCE_NAME).resourceName} ${state.toLowerCase()}`,
    });
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: 'Batch jobs by queue and state',
      left: queueArns.flatMap((arn) => ['RUNNABLE', 'RUNNING', 'SUCCEEDED', 'FAILED'].map((state) => metric(state, arn))),
      width: 24,
    }));
  }

  /** Data Athena scanned through the warehouse's workgroup. */
  public monitorWarehouse(warehouse: DataWarehouse): void {
    if (!this.firstWatch(warehouse, { method: 'monitorWarehouse', prop: 'warehouse', has: 'queryTargetFor', what: 'a DataWarehouse' })) {
      return;
    }
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: `Athena: data scanned in ${warehouse.workGroupName}`,
      left: [new cloudwatch.Metric({
        namespace: 'AWS/Athena', metricName: 'ProcessedBytes', statistic: 'Sum', period: Duration.hours(1),
        dimensionsMap: { WorkGroup: warehouse.workGroupName }, label: 'bytes scanned',
      })],
      width: 24,
    }));
  }

  /** Invocations, errors and latency of a model endpoint; its alarms notify the topic. */
  public monitorEndpoint(endpoint: ModelEndpoint): void {
    if (!this.firstWatch(endpoint, { method: 'monitorEndpoint', prop: 'endpoint', has: 'metricInvocations', what: 'a ModelEndpoint' })) {
      return;
    }
    if (endpoint.notificationTopic !== this.notificationTopic) {
      for (const alarm of [endpoint.errorAlarm, endpoint.latencyAlarm]) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.notificationTopic));
      }
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Endpoint ${endpoint.node.id}: invocations and errors`,
        left: [endpoint.metricInvocations(), endpoint.metricInvocation5XXErrors(), endpoint.metricInvocation4XXErrors()],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: `Endpoint ${endpoint.node.id}: model latency (µs)`,
        left: ['p50', 'p90', 'p99'].map((p) => endpoint.metricModelLatency(p, { label: p })),
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: `Endpoint ${endpoint.node.id}: alarms`, alarms: [endpoint.errorAlarm, endpoint.latencyAlarm], width: 24 }),
    );
  }

  /**
   * A drift monitor's alarms (violations, failed runs, drift of chosen features) notify the
   * topic; the dashboard shows them with the drift and model-quality metrics.
   */
  public monitorDrift(monitor: DriftMonitor): void {
    if (!this.firstWatch(monitor, { method: 'monitorDrift', prop: 'monitor', has: 'metricFeatureDrift', what: 'a DriftMonitor' })) {
      return;
    }
    if (monitor.notificationTopic !== this.notificationTopic) {
      monitor.alarms.forEach((alarm) => alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.notificationTopic)));
    }
    const title = `Model ${monitor.modelName}`;
    const drift = Object.keys(monitor.driftAlarms).map((feature) => monitor.metricFeatureDrift(feature));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: `${title}: monitoring alarms`, alarms: monitor.alarms, width: 24 }),
      ...(drift.length > 0 ? [new cloudwatch.GraphWidget({ title: `${title}: drift from the baseline`, left: drift, width: 12 })] : []),
      ...(monitor.modelQualityMetricNames.length > 0 ? [new cloudwatch.GraphWidget({
        title: `${title}: quality against labels`, left: monitor.modelQualityMetricNames.map((name) => monitor.metricModelQuality(name)), width: 12,
      })] : []),
    );
  }

  /**
   * Whether `resource` is new to this monitoring: watching it twice would add nothing but
   * duplicate widgets and alarm actions. Refuses what is not `takes.what` (known by its method
   * `takes.has`: one of another copy of the library is no `instanceof` this one's), and a new one
   * whose alarms would take the construct id `<its id><takes.alarmSuffix>`, which another one's took.
   */
  private firstWatch(resource: IConstruct, takes: { method: string; prop: string; has: string; what: string; alarmSuffix?: string }): boolean {
    const check = new PropChecker(`StackMonitoring.${takes.method}`);
    if (check.construct(takes.prop, resource, takes.what, { required: true })) {
      check.instance(takes.prop, resource, takes.has, takes.what, { required: true });
    }
    check.throwIfAny();
    if (this.watched.has(resource)) {
      return false;
    }
    if (takes.alarmSuffix) {
      const childId = `${resource.node.id}${takes.alarmSuffix}`;
      check.check(this.node.tryFindChild(childId) === undefined, takes.prop, resource.node.path,
        `another one with the id ${resource.node.id} is monitored here already, and its alarms take ${childId}: give them different ids`);
      check.throwIfAny();
    }
    this.watched.add(resource);
    return true;
  }

  private alarm(id: string, description: string, metric: cloudwatch.IMetric, threshold: number): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description, metric, threshold, evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.notificationTopic));
    this.alarms.push(alarm);
    return alarm;
  }

  /**
   * The topic as a rule target, publishing as a role of this construct's: aws-cdk-lib's SNS
   * target would instead let `events.amazonaws.com` publish, and use the topic's key, for any
   * rule of any account (topic-policy and key-policy statements without conditions).
   */
  private topicTarget(message: events.RuleTargetInput): events.IRuleTarget {
    const role = this.eventsPublisher();
    const deadLetters = this.deadLetterQueue();
    return { bind: () => ({ arn: this.notificationTopic.topicArn, role, input: message, deadLetterConfig: { arn: deadLetters.queueArn } }) };
  }

  /** The role this construct's rules publish to the topic as: publish, and use the topic's key. */
  private eventsPublisher(): iam.Role {
    const existing = this.node.tryFindChild('EventsPublisher') as iam.Role | undefined;
    if (existing) {
      return existing;
    }
    const role = new iam.Role(this, 'EventsPublisher', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'Publishes this stack\'s monitoring events to its notification topic',
    });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['sns:Publish'], resourceArns: [this.notificationTopic.topicArn] });
    this.notificationTopic.masterKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledgeRoleInlinePolicies(role);
    return role;
  }

  /**
   * The job-event log as a rule target, by ARN: aws-cdk-lib's log group target would add a
   * custom resource (a Lambda) to write the resource policy this construct writes itself.
   */
  private jobEventLogTarget(): events.IRuleTarget {
    const logGroup = this.jobEventLog();
    const arn = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const deadLetters = this.deadLetterQueue();
    return { bind: () => ({ arn, deadLetterConfig: { arn: deadLetters.queueArn } }) };
  }

  /** Where events that could not be delivered wait, 14 days; EventBridge may send to it. */
  private deadLetterQueue(): sqs.Queue {
    if (!this.deadLetters) {
      const queue = newDeadLetterQueue(this, 'DeadLetters', this.key, 'the monitoring rules and email subscriptions');
      queue.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['sqs:SendMessage'], principals: [new iam.ServicePrincipal('events.amazonaws.com')], resources: [queue.queueArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }));
      allowServiceToUseKey(this.key, 'events.amazonaws.com');
      allowServiceToUseKey(this.key, 'sns.amazonaws.com');
      this.deadLetters = queue;
    }
    return this.deadLetters;
  }

  /** The log of Batch job events, which EventBridge writes under its own resource policy, counted by state and queue. */
  private jobEventLog(): logs.LogGroup {
    if (!this.jobEvents) {
      const logGroup = newEncryptedLogGroup(this, 'JobEvents', {
        logGroupName: `/aws/events/${Stack.of(this).stackName}-batch-jobs`,
        retention: this.settings.logRetention, removalPolicy: this.settings.removalPolicy, encryptionKey: this.key,
      });
      new logs.CfnResourcePolicy(this, 'JobEventsPolicy', {
        policyName: `${Stack.of(this).stackName}-batch-job-events`,
        policyDocument: Stack.of(this).toJsonString({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${logGroup.logGroupArn}`,
            Condition: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
          }],
        }),
      });
      // one count per job event, whichever compute layer's rule wrote it
      for (const state of JOB_STATES) {
        new logs.MetricFilter(this, `Jobs${state}`, {
          logGroup,
          filterPattern: logs.FilterPattern.stringValue('$.detail.status', '=', state),
          metricNamespace: JOB_METRICS_NAMESPACE,
          metricName: `Jobs${state}`,
          metricValue: '1',
          dimensions: { JobQueue: '$.detail.jobQueue' },
        });
      }
      this.jobEvents = logGroup;
    }
    return this.jobEvents;
  }
}
