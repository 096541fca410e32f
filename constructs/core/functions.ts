import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeControlTower, acknowledgeFinding, acknowledgeRegulated, NO_VPC_FOR_FUNCTIONS } from './compliance';
import { functionPlacementOf } from './function-placement';
import { handlerBundle } from './handler-bundles';
import { newEncryptedLogGroup } from './log-groups';

/**
 * An encrypted, TLS-only queue that keeps, for 14 days, what could not be delivered. It is
 * itself the last stop, which cdk-nag and Control Tower are told for the queue only. Lambda,
 * EventBridge and Scheduler send to it, never an SQS queue: its redrive-allow policy lets no
 * queue make it its dead-letter queue.
 */
export function newDeadLetterQueue(scope: Construct, id: string, key: kms.IKey, deadLettersOf: string, removalPolicy?: RemovalPolicy): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14), removalPolicy,
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  const reason = `This queue is the dead-letter queue of ${deadLettersOf}; a queue behind it would hold nothing.`;
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  // the control counts as dead-letter queues only those SQS queues may redrive into (allowAll, byQueue)
  acknowledgeControlTower(queue, 'CT.SQS.PR.1', `${reason} It takes failed deliveries from Lambda, EventBridge and Scheduler, not from SQS `
    + 'queues, so its redrive-allow policy lets no queue redrive into it (denyAll).');
  return queue;
}

/** Lets `sender` put messages on an encrypted queue: send, and use the queue's key. */
export function grantDeadLetters(sender: iam.IGrantable, queue: sqs.IQueue, key: kms.IKey): void {
  iam.Grant.addToPrincipal({ grantee: sender, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
  key.grant(sender, 'kms:GenerateDataKey', 'kms:Decrypt');
}

export interface SmallFunctionProps {
  /** The name of the folder that holds the handler's `handler.ts`, for example `run-starter`. */
  readonly handlerName: string;
  readonly description: string;
  readonly roleDescription: string;
  readonly environment: { [name: string]: string };
  /** Encrypts the function's logs. */
  readonly encryptionKey: kms.IKey;
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Construct ids, kept as they were when these parts were written by hand. */
  readonly ids: { readonly function: string; readonly role: string; readonly logs: string };
}

/**
 * A small TypeScript function, deployed from the bundle `npm run build` made of its handler, so
 * synthesis bundles nothing: its own role, encrypted logs with retention, X-Ray, one invocation
 * at a time, and a dead-letter queue for failed async calls.
 */
export function newSmallFunction(scope: Construct, props: SmallFunctionProps): { fn: lambda.Function; role: iam.Role } {
  const role = new iam.Role(scope, props.ids.role, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: props.roleDescription });
  const logGroup = newEncryptedLogGroup(scope, props.ids.logs, {
    retention: props.logRetention, removalPolicy: props.removalPolicy, encryptionKey: props.encryptionKey,
  });
  logGroup.grantWrite(role);
  grantDeadLetters(role, props.deadLetterQueue, props.encryptionKey);
  const placement = functionPlacementOf(scope);
  const fn = new lambda.Function(scope, props.ids.function, {
    code: lambda.Code.fromAsset(handlerBundle(props.handlerName)),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: props.timeout ?? Duration.seconds(30),
    role,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    reservedConcurrentExecutions: 1,
    deadLetterQueue: props.deadLetterQueue,
    environment: props.environment,
    description: props.description,
    ...(placement ? { vpc: placement.vpc, vpcSubnets: placement.subnets, securityGroups: [placement.securityGroup] } : {}),
  });
  Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions.',
  });
  if (placement) {
    // Lambda adds this policy itself only to roles it creates
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
    acknowledgeVpcAccessPolicy(role);
  } else {
    acknowledgeRegulated(fn, 'LambdaInsideVPC', NO_VPC_FOR_FUNCTIONS);
    acknowledgeControlTower(fn, 'CT.LAMBDA.PR.3', NO_VPC_FOR_FUNCTIONS);
  }
  return { fn, role };
}

/**
 * A function in a VPC gets AWS's managed AWSLambdaVPCAccessExecutionRole on its role: the
 * network interface actions it holds have no resource-level permissions to narrow, and AWS
 * keeps the policy in step with the service.
 */
export function acknowledgeVpcAccessPolicy(role: IConstruct): void {
  acknowledgeFinding(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    'Lambda manages the function\'s network interfaces in the VPC with these EC2 actions, which take no resource ARN; '
    + 'AWS maintains the policy as the service changes.');
}
