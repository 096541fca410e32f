import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeRegulated, acknowledgeRoleInlinePolicies } from '../core/compliance';
import { acknowledgeResourceWildcard } from '../core/grants';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import type { ArtifactStore } from '../versioning/artifact-store';

export interface MetaflowProfileProps {
  /** Metaflow's datastore and data tools roots live under `metaflow/` and `metaflow-data/` of this store. */
  readonly artifactStore: ArtifactStore;
  /** The queue `@batch` steps run on, for example `compute.queue('cpu').jobQueue`. */
  readonly jobQueue: batch.IJobQueue;
  /** Encrypts the foreach state table. */
  readonly encryptionKey: kms.IKey;
  /**
   * What Metaflow puts before the name of each state machine it creates (as
   * `METAFLOW_SFN_STATE_MACHINE_PREFIX`, joined with `_`); the EventBridge role may start those
   * only. Letters, digits and hyphens: no `_`, so that no other prefix starts with this one and `_`.
   * @default - the stack's name, for example `data-science-dev`
   */
  readonly stateMachinePrefix?: string;

  /**
   * The queue `@parallel` steps run on, for example `compute.multiNodeQueue.jobQueue`.
   * @default - none
   */
  readonly parallelJobQueue?: batch.IJobQueue;

  /**
   * What happens to the foreach table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Metaflow names each job definition it registers `metaflow_<sha224 of the definition>` (metaflow/plugins/aws/batch/batch_client.py). */
const METAFLOW_JOB_DEFINITIONS = 'metaflow_*';

/**
 * What Metaflow's `@batch` and `step-functions create` need, with the permissions Metaflow
 * calls and no more: the role Batch tasks assume, the Fargate execution role, the Step
 * Functions role, the EventBridge role for schedules, and the DynamoDB table for foreach
 * state. No metadata service: Metaflow keeps metadata in the datastore, so nothing bills idle.
 */
export class MetaflowProfile extends Construct {
  /** Where Metaflow's datastore lives, under the artifact store. */
  public static readonly DATASTORE_PREFIX = 'metaflow/';
  /** Where `metaflow.S3` writes by default. */
  public static readonly DATATOOLS_PREFIX = 'metaflow-data/';

  /** The role `@batch` tasks assume: the datastore and data roots, the foreach table, nothing else. */
  public readonly taskRole: iam.Role;
  /** The role ECS pulls images and writes logs as, for Fargate tasks. */
  public readonly fargateExecutionRole: iam.Role;
  /** The role the state machines Metaflow creates run as. */
  public readonly stepFunctionsRole: iam.Role;
  /** The role EventBridge starts scheduled flows as. */
  public readonly eventBridgeRole: iam.Role;
  /** The table Metaflow's state machines keep foreach state in. */
  public readonly foreachTable: dynamodb.Table;
  /** What the state machines Metaflow creates are named after: `<prefix>_<flow>`. */
  public readonly stateMachinePrefix: string;
  /** `s3://<artifact bucket>/metaflow` */
  public readonly datastoreRoot: string;
  /** `s3://<artifact bucket>/metaflow-data` */
  public readonly dataToolsRoot: string;
  /** The queue `@parallel` steps name in `@batch(queue=...)`: Metaflow has no setting for it. */
  public readonly parallelJobQueue?: batch.IJobQueue;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `MetaflowProfileProps`
   */
  constructor(scope: Construct, id: string, props: MetaflowProfileProps) {
    super(scope, id);
    checkPropsStruct('MetaflowProfile', props, '{ artifactStore, jobQueue, encryptionKey }', { required: true });
    const stack = Stack.of(this);
    this.stateMachinePrefix = props.stateMachinePrefix ?? stack.stackName;
    const check = new PropChecker('MetaflowProfile');
    check.matches('stateMachinePrefix', this.stateMachinePrefix, /^[A-Za-z0-9-]{1,60}$/, 'give 1 to 60 letters, digits and hyphens (no "_": Metaflow joins prefix and flow name with it)');
    check.removalPolicy('removalPolicy', props.removalPolicy);
    check.construct('artifactStore', props.artifactStore, 'an ArtifactStore, such as new ArtifactStore(this, "Artifacts")', { required: true });
    const queue = 'a batch.IJobQueue, such as compute.queue("cpu").jobQueue';
    check.construct('jobQueue', props.jobQueue, queue, { required: true });
    check.construct('parallelJobQueue', props.parallelJobQueue, queue);
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })', { required: true });
    check.throwIfAny();
    acknowledgeRoleInlinePolicies(this);
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const store = props.artifactStore;
    this.parallelJobQueue = props.parallelJobQueue;
    this.datastoreRoot = store.bucket.s3UrlForObject(MetaflowProfile.DATASTORE_PREFIX.slice(0, -1));
    this.dataToolsRoot = store.bucket.s3UrlForObject(MetaflowProfile.DATATOOLS_PREFIX.slice(0, -1));

    this.foreachTable = new dynamodb.Table(this, 'ForeachState', {
      partitionKey: { name: 'pathspec', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // as the run registry's: on, unless the table is to go with its stack
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
    acknowledgeRegulated(this.foreachTable, 'DynamoDBInBackupPlan',
      'Foreach state lives for one run and expires by TTL; point-in-time recovery covers it, a backup plan would keep nothing of use.');
    const tableItems = (role: iam.Role) => {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [this.foreachTable.tableArn],
      }));
      props.encryptionKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    };

    // the role each @batch task runs as: its datastore and data roots, the foreach table
    this.taskRole = new iam.Role(this, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'Metaflow @batch tasks' });
    for (const prefix of [MetaflowProfile.DATASTORE_PREFIX, MetaflowProfile.DATATOOLS_PREFIX]) {
      store.grantRead(this.taskRole, prefix);
      store.grantWrite(this.taskRole, prefix);
    }
    tableItems(this.taskRole);

    // Fargate pulls the task image and writes its logs as this role
    this.fargateExecutionRole = new iam.Role(this, 'FargateExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'Metaflow @batch tasks on Fargate: image pull and logs' });
    const batchLogs = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/batch/job:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.fargateExecutionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [batchLogs] }));
    const repositories = stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' });
    this.fargateExecutionRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], resources: [repositories],
    }));
    this.fargateExecutionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    acknowledgeResourceWildcard(this.fargateExecutionRole, batchLogs, 'Batch writes every job\'s logs to streams it names in /aws/batch/job.');
    acknowledgeResourceWildcard(this.fargateExecutionRole, repositories, 'Metaflow tasks name their image at run time (@batch(image=...)), '
      + 'from any repository of this account and region; pulls only.');
    Validations.of(this.fargateExecutionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions at all.',
    });

    // what a Metaflow state machine calls: Batch on the team queue (submitJob.sync), its foreach
    // table, log delivery. Job definitions are registered by whoever runs `step-functions create`,
    // with their own credentials, never by the state machine.
    this.stepFunctionsRole = new iam.Role(this, 'StepFunctionsRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), description: 'Metaflow state machines' });
    const definitions = stack.formatArn({ service: 'batch', resource: 'job-definition', resourceName: METAFLOW_JOB_DEFINITIONS });
    const jobs = stack.formatArn({ service: 'batch', resource: 'job', resourceName: '*' });
    this.stepFunctionsRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:SubmitJob'], resources: [props.jobQueue.jobQueueArn, definitions] }));
    this.stepFunctionsRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:TerminateJob'], resources: [jobs] }));
    this.stepFunctionsRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:DescribeJobs'], resources: ['*'] }));
    this.stepFunctionsRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForBatchJobsRule' })],
    }));
    this.stepFunctionsRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
        'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: ['*'],
    }));
    tableItems(this.stepFunctionsRole);
    // a Distributed Map foreach reads its items from the datastore
    store.grantRead(this.stepFunctionsRole, MetaflowProfile.DATASTORE_PREFIX);
    acknowledgeResourceWildcard(this.stepFunctionsRole, definitions, 'The job definitions Metaflow registers at `step-functions create`, '
      + 'named metaflow_ and a hash of each definition, which no name narrower than the prefix can foresee; SubmitJob is held to the team queue.');
    acknowledgeResourceWildcard(this.stepFunctionsRole, jobs, 'batch:TerminateJob names jobs by the id Batch gives them at submission; '
      + 'Step Functions stops a stopped run\'s jobs by it.');
    Validations.of(this.stepFunctionsRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'batch:DescribeJobs and the CloudWatch Logs delivery actions have no resource-level permissions.',
    });

    // schedules: EventBridge starts Metaflow's state machines, which Metaflow names `<prefix>_<flow>`
    this.eventBridgeRole = new iam.Role(this, 'EventBridgeRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com'), description: 'Metaflow schedules' });
    const machines = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: `${this.stateMachinePrefix}_*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.eventBridgeRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machines] }));
    acknowledgeResourceWildcard(this.eventBridgeRole, machines, 'The state machines Metaflow creates with this profile, named `<prefix>_<flow>` '
      + 'when a data scientist runs `step-functions create`; the flows are not known at deploy. This role only starts them.');
  }
}
