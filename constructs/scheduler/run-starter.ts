import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantDeadLetters, newDeadLetterQueue, newSmallFunction } from '../core/functions';
import { allowServiceToUseKey } from '../core/keys';

export interface RunStarterProps {
  readonly stateMachine: sfn.IStateMachine;
  /** Start a run even while another is running. */
  readonly allowConcurrentRuns: boolean;
  /** Encrypts the function's logs and the dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The function every trigger of a workflow invokes to start a run: it checks no run is
 * still going (unless concurrent runs are allowed) and names the run after the trigger, so
 * a trigger delivered twice starts one run. Reserved concurrency of one runs triggers one
 * after another, and each returns only once the run it started is listed, so the next cannot
 * miss it and start a second.
 */
export class RunStarter extends Construct {
  public readonly function: lambda.Function;
  /** Where triggers that could not start a run, after their retries, are kept for 14 days. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The role EventBridge Scheduler invokes the function as. */
  public readonly schedulerRole: iam.Role;

  constructor(scope: Construct, id: string, props: RunStarterProps) {
    super(scope, id);
    this.deadLetterQueue = newDeadLetterQueue(this, 'DeadLetters', props.encryptionKey, 'the triggers and of the function');
    const { fn, role } = newSmallFunction(this, {
      handlerName: 'run-starter',
      description: 'Starts a workflow run for a trigger, once, and not beside a running one',
      roleDescription: 'Starts runs of one workflow',
      environment: {
        STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        ALLOW_CONCURRENT_RUNS: String(props.allowConcurrentRuns),
      },
      encryptionKey: props.encryptionKey,
      deadLetterQueue: this.deadLetterQueue,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      ids: { function: 'Function', role: 'Role', logs: 'Logs' },
    });
    this.function = fn;
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets schedules invoke the run starter',
    });
    grantDeadLetters(this.schedulerRole, this.deadLetterQueue, props.encryptionKey);
    allowServiceToUseKey(props.encryptionKey, 'events.amazonaws.com'); // rule targets' dead letters
    props.stateMachine.grantStartExecution(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['states:ListExecutions'], resources: [props.stateMachine.stateMachineArn],
    }));
  }
}
