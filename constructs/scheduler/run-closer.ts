import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { newDeadLetterQueue } from '../core/functions';
import { allowServiceToUseKey } from '../core/keys';
import type { RunRegistry } from '../versioning/run-registry';
import { newLoggedStateMachine } from './logged-state-machine';
import { recordStopped } from './run-records';

export interface RunCloserProps {
  readonly registry: RunRegistry;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Closes the records of runs that end without reaching their last states: a run that times
 * out or is stopped never writes its own end. Step Functions announces those ends on
 * EventBridge; one rule per workflow hands them to this Express state machine, one per
 * registry, which marks the record TIMED_OUT or ABORTED with the end time. Nothing runs, or
 * bills, until a run ends that way.
 */
export class RunCloser extends Construct {
  /**
   * The registry's closer for the workflows of `workflow`'s stack, made with the first of them
   * (whose log retention and removal policy it takes). It lives in the workflows' stack, beside
   * the registry when they share one: its rules' dead letters name the rules, so a closer in
   * the registry's stack would make that stack and the workflow's refer to each other.
   */
  public static of(registry: RunRegistry, workflow: Construct, props: Omit<RunCloserProps, 'registry'>): RunCloser {
    const stack = Stack.of(workflow);
    const [scope, id] = Stack.of(registry) === stack ? [registry, 'RunCloser'] : [stack, `RunCloser${Names.uniqueId(registry)}`];
    return (scope.node.tryFindChild(id) as RunCloser | undefined) ?? new RunCloser(scope, id, { ...props, registry });
  }

  public readonly stateMachine: sfn.StateMachine;
  private readonly eventsRole: iam.Role;
  private readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RunCloserProps) {
    super(scope, id);
    acknowledgeRoleInlinePolicies(this);
    const key = props.registry.encryptionKey;
    ({ stateMachine: this.stateMachine } = newLoggedStateMachine(this, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      comment: 'Closes the run records of runs that timed out or were stopped',
      definition: recordStopped(this, props.registry),
      timeout: Duration.minutes(5),
      encryptionKey: key,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    }));
    iam.Grant.addToPrincipal({ grantee: this.stateMachine, actions: ['dynamodb:UpdateItem'], resourceArns: [props.registry.table.tableArn] });
    key.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
    this.deadLetterQueue = newDeadLetterQueue(this, 'DeadLetters', key, 'the rules that close runs');
    allowServiceToUseKey(key, 'events.amazonaws.com');
    this.eventsRole = new iam.Role(this, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Starts the run closer for runs that timed out or were stopped',
    });
  }

  /** Closes the records of the runs of `stateMachine`, recorded as `workflowName`, that time out or are stopped. */
  public closeRunsOf(scope: Construct, id: string, workflowName: string, stateMachine: sfn.IStateMachine): events.Rule {
    return new events.Rule(scope, id, {
      description: `Closes the run records of workflow ${workflowName} when a run times out or is stopped`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['TIMED_OUT', 'ABORTED'], stateMachineArn: [stateMachine.stateMachineArn] },
      },
      targets: [new eventsTargets.SfnStateMachine(this.stateMachine, {
        input: events.RuleTargetInput.fromObject({
          workflow: workflowName,
          runId: events.EventField.fromPath('$.detail.name'),
          status: events.EventField.fromPath('$.detail.status'),
          endedAt: events.EventField.time,
        }),
        role: this.eventsRole,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(24),
      })],
    });
  }
}
