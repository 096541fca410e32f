import { ArnFormat, Arn, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { newDeadLetterQueue } from '../core/functions';
import { acknowledgeResourceWildcard } from '../core/grants';
import { allowServiceToUseKey } from '../core/keys';
import { allowServiceToPublish } from '../core/topics';
import type { RunRegistry } from '../versioning/run-registry';
import { AslStates, task, transientRetry } from './asl';
import { grantPublish } from './grant-publish';
import { newLoggedStateMachine } from './logged-state-machine';
import { recordEnd } from './run-records';
import { RUN_FAILED } from './workflow-definition';

export interface RunCloserProps {
  /** The registry whose records it closes. @default - it closes no records, and only reports */
  readonly registry?: RunRegistry;
  /** Encrypts its logs and dead letters. */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** A workflow whose ended runs a closer reports. */
export interface ClosedWorkflow {
  readonly workflowName: string;
  readonly stateMachine: sfn.IStateMachine;
  readonly notificationTopic: sns.ITopic;
}

/** CloudWatch takes at most five actions per alarm state. */
const MAX_ALARM_ACTIONS = 5;

/**
 * Reports and closes runs that end FAILED, TIMED_OUT or ABORTED, from Step Functions' own
 * execution status events, however the run ended: a run that times out or is stopped never
 * reaches its own last states, and a run whose failure path fails (or that fails where no Catch
 * reaches, as States.Runtime errors do) has told no one. One EventBridge rule per workflow hands
 * those ends to this Express state machine, which marks the run's record with the status while
 * it still says RUNNING, then notifies the workflow's topic with the run id, the status and the
 * run's final event (its error and cause) unless the run notified its failure itself. Its own
 * failures, and events it could not be given, raise an alarm on those topics. Nothing runs, or
 * bills, until a run ends so.
 */
export class RunCloser extends Construct {
  /**
   * The closer of `workflow`'s stack for `registry` (or for workflows with none), made with the
   * first of them (whose key, log retention and removal policy it takes). It lives in the
   * workflows' stack, beside the registry when they share one: its rules' dead letters name the
   * rules, so a closer in the registry's stack would make that stack and the workflow's refer to
   * each other.
   */
  public static of(workflow: Construct, props: RunCloserProps): RunCloser {
    const stack = Stack.of(workflow);
    const registry = props.registry;
    const [scope, id] = !registry ? [stack, 'RunCloser']
      : Stack.of(registry) === stack ? [registry, 'RunCloser'] : [stack, `RunCloser${Names.uniqueId(registry)}`];
    return (scope.node.tryFindChild(id) as RunCloser | undefined) ?? new RunCloser(scope, id, props);
  }

  public readonly stateMachine: sfn.StateMachine;
  /** Raised when the closer fails or times out, or when a run's end could not be handed to it. */
  public readonly alarms: cloudwatch.Alarm[];
  private readonly eventsRole: iam.Role;
  private readonly deadLetterQueue: sqs.Queue;
  private readonly topics = new Set<sns.ITopic>();

  constructor(scope: Construct, id: string, props: RunCloserProps) {
    super(scope, id);
    acknowledgeRoleInlinePolicies(this);
    const key = props.registry?.encryptionKey ?? props.encryptionKey;
    ({ stateMachine: this.stateMachine } = newLoggedStateMachine(this, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      comment: 'Reports and closes the runs that failed, timed out or were stopped',
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(closerDefinition(props.registry))),
      encryptionKey: key,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    }));
    if (props.registry) {
      iam.Grant.addToPrincipal({ grantee: this.stateMachine, actions: ['dynamodb:UpdateItem'], resourceArns: [props.registry.table.tableArn] });
      props.registry.encryptionKey.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    this.deadLetterQueue = newDeadLetterQueue(this, 'DeadLetters', key, 'the rules that report ended runs');
    allowServiceToUseKey(key, 'events.amazonaws.com');
    this.eventsRole = new iam.Role(this, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Starts the run closer for runs that failed, timed out or were stopped',
    });
    const period = Duration.minutes(5);
    const closerMetric = (metric: cloudwatch.Metric) => metric.with({ period, statistic: 'Sum' });
    this.alarms = [
      new cloudwatch.Alarm(this, 'Failed', {
        alarmDescription: 'The run closer failed or timed out: a run that ended badly may be neither reported nor closed (see its logs)',
        metric: new cloudwatch.MathExpression({
          expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
          usingMetrics: { failed: closerMetric(this.stateMachine.metricFailed()), timedOut: closerMetric(this.stateMachine.metricTimedOut()) },
          period,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'Undelivered', {
        alarmDescription: 'EventBridge could not start the run closer for a run that ended badly: see the dead-letter queue',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /** Reports, and closes the records of, the runs of `workflow` that fail, time out or are stopped. */
  public closeRunsOf(scope: Construct, id: string, workflow: ClosedWorkflow): events.Rule {
    this.allowReport(workflow);
    return new events.Rule(scope, id, {
      description: `Reports and closes the runs of workflow ${workflow.workflowName} that fail, time out or are stopped`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [workflow.stateMachine.stateMachineArn] },
      },
      targets: [new eventsTargets.SfnStateMachine(this.stateMachine, {
        input: events.RuleTargetInput.fromObject({
          workflow: workflow.workflowName,
          runId: events.EventField.fromPath('$.detail.name'),
          status: events.EventField.fromPath('$.detail.status'),
          endedAt: events.EventField.time,
          executionArn: events.EventField.fromPath('$.detail.executionArn'),
          topicArn: workflow.notificationTopic.topicArn,
        }),
        role: this.eventsRole,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(24),
      })],
    });
  }

  /** Lets the closer read the workflow's run histories and publish to its topic, and its alarms notify that topic. */
  private allowReport(workflow: ClosedWorkflow): void {
    const stack = Stack.of(this);
    const name = Arn.split(workflow.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    iam.Grant.addToPrincipal({ grantee: this.stateMachine, actions: ['states:GetExecutionHistory'], resourceArns: [executions] });
    acknowledgeResourceWildcard(this.stateMachine, executions, 'The runs of one workflow, named as they start; the closer reads how each ended.');
    const topic = workflow.notificationTopic;
    if (this.topics.has(topic)) {
      return;
    }
    this.topics.add(topic);
    grantPublish(this.stateMachine.role, topic);
    if (this.topics.size <= MAX_ALARM_ACTIONS) {
      allowServiceToPublish(topic, 'cloudwatch.amazonaws.com');
      this.alarms.forEach((alarm) => alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic)));
    }
  }
}

/**
 * Record the end while the record says RUNNING; read the run's last two events; unless the run
 * failed in its own `Run failed` state (its notification delivered), notify the topic of the
 * end, with the run's final event. Its input is the rule's: workflow, runId, status, endedAt,
 * executionArn, topicArn.
 */
function closerDefinition(registry?: RunRegistry): object {
  const states = new AslStates();
  const read = 'Read how the run ended';
  const notify = 'Notify run end';
  const closed = 'Run closed';
  if (registry) {
    states.add('Record end', recordEnd(registry, {
      // a record the run closed itself, or never wrote, is left as it is
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: read }],
      Next: read,
    }));
  }
  states.add(read, task('aws-sdk:sfn:getExecutionHistory', {
    'ExecutionArn.$': '$.executionArn', 'ReverseOrder': true, 'MaxResults': 2, 'IncludeExecutionData': false,
  }, {
    ResultSelector: { 'events.$': '$.Events' },
    ResultPath: '$.history',
    Retry: [transientRetry(['Sfn.SfnException', 'Sfn.ThrottlingException'])],
    Next: 'Failed?',
  }));
  // a FAILED run whose last state is `Run failed` delivered its own notification
  const lastState = '$.history.events[1].StateEnteredEventDetails.Name';
  states.add('Failed?', { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'FAILED', Next: 'Ended in a state?' }], Default: notify });
  states.add('Ended in a state?', { Type: 'Choice', Choices: [{ Variable: lastState, IsPresent: true, Next: 'Notified already?' }], Default: notify });
  states.add('Notified already?', { Type: 'Choice', Choices: [{ Variable: lastState, StringEquals: RUN_FAILED, Next: closed }], Default: notify });
  states.add(notify, task('sns:publish', {
    'TopicArn.$': '$.topicArn',
    'Subject.$': "States.Format('Workflow {} run {}', $.workflow, $.status)",
    'Message': { 'workflow.$': '$.workflow', 'runId.$': '$.runId', 'status.$': '$.status', 'end.$': '$.history.events[0]' },
  }, {
    Retry: [transientRetry(['SNS.ThrottledException', 'SNS.InternalErrorException', 'SNS.KMSThrottlingException'])],
    Next: closed,
  }));
  states.add(closed, { Type: 'Succeed' });
  return {
    Comment: 'Reports and closes the runs that failed, timed out or were stopped',
    TimeoutSeconds: Duration.minutes(5).toSeconds(),
    ...states.scope(registry ? 'Record end' : read),
  };
}
