import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeRegulated } from '../core/compliance';
import { allowServiceToUseKey } from '../core/keys';
import { newEncryptedLogGroup } from '../core/log-groups';

export interface RunStarterProps {
  readonly stateMachine: sfn.IStateMachine;
  /** Start a run even while another is running. */
  readonly allowConcurrentRuns: boolean;
  /** Encrypts the function's logs and the dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The handler's source beside this file: TypeScript in the repository, JavaScript once compiled. */
function handlerEntry(): string {
  const ts = path.join(__dirname, 'run-starter', 'handler.ts');
  return fs.existsSync(ts) ? ts : path.join(__dirname, 'run-starter', 'handler.js');
}

/**
 * The function every trigger of a workflow invokes to start a run: it checks no run is
 * still going (unless concurrent runs are allowed) and names the run after the trigger, so
 * a trigger delivered twice starts one run. Reserved concurrency of one keeps two triggers
 * from both seeing no run and both starting one.
 */
export class RunStarter extends Construct {
  public readonly function: nodejs.NodejsFunction;
  /** Where triggers that could not start a run, after their retries, are kept for 14 days. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The role EventBridge Scheduler invokes the function as. */
  public readonly schedulerRole: iam.Role;

  constructor(scope: Construct, id: string, props: RunStarterProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const isTheDeadLetterQueue = 'This queue is the dead-letter queue of the triggers and of the function; a queue behind it would hold nothing.';
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: isTheDeadLetterQueue });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: isTheDeadLetterQueue });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Starts runs of one workflow',
    });
    const logGroup = newEncryptedLogGroup(this, 'Logs', {
      retention: props.logRetention, removalPolicy: props.removalPolicy, encryptionKey: props.encryptionKey,
    });
    logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: handlerEntry(),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: 1,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        ALLOW_CONCURRENT_RUNS: String(props.allowConcurrentRuns),
      },
      description: 'Starts a workflow run for a trigger, once, and not beside a running one',
      bundling: { minify: true, sourceMap: false, target: 'node24', externalModules: ['@aws-sdk/*'] },
    });
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets schedules invoke the run starter',
    });
    props.stateMachine.grantStartExecution(role);
    // the function's and the schedules' failed invocations go to the encrypted dead-letter queue
    for (const sender of [role, this.schedulerRole]) {
      sender.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
      props.encryptionKey.grant(sender, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    allowServiceToUseKey(props.encryptionKey, 'events.amazonaws.com'); // rule targets' dead letters
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['states:ListExecutions'], resources: [props.stateMachine.stateMachineArn],
    }));
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions.',
    });
    acknowledgeRegulated(this.function, 'LambdaInsideVPC',
      'The function only calls the Step Functions API; in a VPC it would need a NAT gateway or an interface endpoint, which bill while idle.');
  }
}
