import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { newDataKey } from '../core/keys';
import { newEncryptedLogGroup } from '../core/log-groups';
import { autoDeleteObjects, statefulRemovalPolicy } from '../core/removal';
import { checkArguments, checkPropsStruct, MAX_INT32, PropChecker, shownDuration } from '../core/validation-error';
import { checkComputeSubnets, computeSubnetsOf } from '../network/compute-subnets';
import { checkQueueOptions, ComputeQueue, ComputeQueueOptions, FargateQueueOptions, QUEUE_NAME } from './compute-queue';
import { BatchJobDefinitionProps, checkJobDefinition, validateJobDefinition } from './job-definition-props';
import { BatchMultiNodeJobDefinitionProps, checkMultiNodeJob, multiNodeJobSizes } from './multi-node-job-definition-props';
import { checkMultiNodeQueue, MultiNodeQueue, MultiNodeQueueOptions } from './multi-node-queue';

export interface BatchComputeProps {
  /** The VPC compute environments run in. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets compute environments run in.
   * @default - private subnets with egress when the VPC has them, public subnets otherwise
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Create the four standard queues: `cpu`, `cpu-ondemand`, `gpu` and `fargate`.
   * @default true
   */
  readonly standardQueues?: boolean;

  /**
   * The `cpu` queue: spot first, on-demand as fallback.
   * @default - spot on c6i, m6i and r6i, 256 vCPUs per environment
   */
  readonly cpu?: ComputeQueueOptions;

  /**
   * The `cpu-ondemand` queue, for jobs that must not be interrupted.
   * @default - on-demand c6i, m6i and r6i, 256 vCPUs
   */
  readonly cpuOnDemand?: ComputeQueueOptions;

  /**
   * The `gpu` queue; `gpu: true` is implied.
   * @default - on-demand g5, g6 and g6e, 64 vCPUs, 200 GiB root volumes
   */
  readonly gpu?: ComputeQueueOptions;

  /**
   * The `fargate` queue, for small jobs that should start without waiting for an instance.
   * @default - Fargate, 64 vCPUs
   */
  readonly fargate?: FargateQueueOptions;

  /**
   * A queue for multi-node jobs (`addMultiNodeJobDefinition`): on-demand GPU hosts in one
   * subnet and a cluster placement group, optionally with EFA; it scales from 0 vCPUs.
   * @default - none
   */
  readonly multiNode?: MultiNodeQueueOptions;

  /**
   * The repository job definitions take their image from unless given one.
   * @default - a new repository that scans images on push and expires untagged ones
   */
  readonly repository?: ecr.IRepository;

  /**
   * How long untagged images stay in the new repository.
   * @default Duration.days(14)
   */
  readonly untaggedImageExpiration?: Duration;

  /**
   * Let a tag of the new repository move to another image. By default a tag, once pushed, names
   * that image for good, so no one who may push can swap the image behind a tag jobs run: push
   * each build under a tag of its own, such as its git sha.
   * @default false
   */
  readonly mutableImageTags?: boolean;

  /**
   * Encrypts job logs. A key you import must allow CloudWatch Logs to use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long job logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the job log group and the repository when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * AWS Batch capacity for the team: named job queues (`cpu`, `cpu-ondemand`, `gpu`,
 * `fargate` and any you add) whose compute environments scale from zero, an ECR
 * repository for job images, and job definitions that log to one place.
 */
export class BatchCompute extends Construct {
  /** Egress-only security group of every compute environment. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Where every job of this construct logs. */
  public readonly logGroup: logs.LogGroup;
  /** Where job images live. */
  public readonly repository: ecr.IRepository;
  /** The subnets compute runs in. */
  public readonly subnets: ec2.SubnetSelection;
  /** The queue of multi-node jobs, when `multiNode` asked for it. */
  public readonly multiNodeQueue?: MultiNodeQueue;

  private readonly vpc: ec2.IVpc;
  private readonly queues = new Map<string, ComputeQueue>();
  private readonly jobDefinitions: batch.IJobDefinition[] = [];
  private readonly submitters: iam.IGrantable[] = [];

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `BatchComputeProps`
   */
  constructor(scope: Construct, id: string, props: BatchComputeProps) {
    super(scope, id);
    checkPropsStruct('BatchCompute', props, '{ vpc }', { required: true });
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const untaggedExpiration = props.untaggedImageExpiration ?? Duration.days(14);
    validate(props);

    acknowledgeRoleInlinePolicies(this);
    this.vpc = props.vpc;
    this.subnets = props.subnets ?? computeSubnetsOf(props.vpc);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Batch compute environments: egress only, nothing may connect in',
      allowAllOutbound: true,
    });
    this.logGroup = newEncryptedLogGroup(this, 'JobLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
      encryptionKey: props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts Batch job logs', removalPolicy),
    });
    this.repository = props.repository ?? new ecr.Repository(this, 'Images', {
      imageScanOnPush: true,
      imageTagMutability: props.mutableImageTags ? ecr.TagMutability.MUTABLE : ecr.TagMutability.IMMUTABLE,
      lifecycleRules: [{ description: 'Expire untagged images', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: untaggedExpiration }],
      removalPolicy,
      emptyOnDelete: autoDeleteObjects(removalPolicy),
    });

    if (props.standardQueues ?? true) {
      this.addQueue('cpu', { spot: true, ...props.cpu });
      this.addQueue('cpu-ondemand', { ...props.cpuOnDemand });
      this.addQueue('gpu', { ...props.gpu, gpu: true });
      this.addFargateQueue('fargate', { ...props.fargate });
    }
    if (props.multiNode) {
      this.multiNodeQueue = new MultiNodeQueue(this, 'MultiNodeQueue', { ...props.multiNode, vpc: props.vpc, subnets: this.subnets });
    }
  }

  /** Every job queue, the multi-node queue's included. */
  public get jobQueues(): batch.IJobQueue[] {
    return [...this.queues.values(), ...(this.multiNodeQueue ? [this.multiNodeQueue] : [])].map((q) => q.jobQueue);
  }

  /** The names of the queues, in the order they were added. */
  public get queueNames(): string[] {
    return [...this.queues.keys()];
  }

  /** The queue of that name; fails naming the queues there are. */
  public queue(name: string): ComputeQueue {
    const check = new PropChecker('BatchCompute.queue');
    check.known('name', name, 'give the queue\'s name as a plain string');
    check.check(this.queues.has(name), 'name', name, name === this.multiNodeQueue?.queueName
      ? 'the multi-node queue is BatchCompute.multiNodeQueue, for multi-node jobs alone'
      : `BatchCompute has no queue "${name}"; it has ${this.queueNames.map((n) => `"${n}"`).join(', ') || 'none'}`);
    check.throwIfAny();
    return this.queues.get(name)!;
  }

  /** Adds a queue backed by EC2, for example `highmem` on r7i instances. */
  public addQueue(name: string, options: ComputeQueueOptions = {}): ComputeQueue {
    checkArguments('BatchCompute.addQueue', (check) => check.struct('options', options, '{ instanceClasses: [ec2.InstanceClass.R7I] }'));
    return this.newQueue('BatchCompute.addQueue', name, { ...options, fargate: false });
  }

  /** Adds a queue backed by Fargate. */
  public addFargateQueue(name: string, options: FargateQueueOptions = {}): ComputeQueue {
    checkArguments('BatchCompute.addFargateQueue', (check) => check.struct('options', options, '{ maxvCpus: 16 }'));
    return this.newQueue('BatchCompute.addFargateQueue', name, { ...options, fargate: true });
  }

  /**
   * Defines a container job, logging to this construct's log group, with its own role
   * (`jobDefinition.container.jobRole`) and a retry on spot reclamation only.
   */
  public addJobDefinition(id: string, props: BatchJobDefinitionProps = {}): batch.EcsJobDefinition {
    checkPropsStruct(`BatchCompute.addJobDefinition('${id}')`, props, JOB_EXAMPLE);
    const resolved = {
      vcpus: props.vcpus ?? 1,
      memoryMiB: props.memoryMiB ?? 2048,
      gpuCount: props.gpuCount ?? 0,
      attempts: props.attempts ?? 3,
    };
    validateJobDefinition(this, id, props, resolved);

    const scope = new Construct(this, id);
    const container = { ...this.containerBasics(scope, id, props), cpu: resolved.vcpus, memory: Size.mebibytes(resolved.memoryMiB) };
    const jobDefinition = new batch.EcsJobDefinition(scope, 'Resource', {
      container: props.fargate
        ? new batch.EcsFargateContainerDefinition(scope, 'Container', {
          ...container,
          // in public subnets a task needs a public IP to pull its image and reach AWS APIs
          assignPublicIp: this.subnets.subnetType === ec2.SubnetType.PUBLIC,
          fargatePlatformVersion: ecs.FargatePlatformVersion.LATEST,
        })
        : new batch.EcsEc2ContainerDefinition(scope, 'Container', { ...container, gpu: resolved.gpuCount || undefined }),
      ...retryOnHostLoss(props.timeout, resolved.attempts),
    });
    this.register(jobDefinition, jobDefinition.container, props.image);
    return jobDefinition;
  }

  /**
   * Defines a job whose nodes run together on the multi-node queue, one per host: every node
   * runs the same container, as its own role (`jobDefinition.containers[0].container.jobRole`),
   * logging to this construct's log group; with EFA, each gets its host's adapter. A job whose
   * host was lost is retried; a container error is not.
   */
  public addMultiNodeJobDefinition(id: string, props: BatchMultiNodeJobDefinitionProps): batch.MultiNodeJobDefinition {
    const check = new PropChecker(`BatchCompute.addMultiNodeJobDefinition('${id}')`);
    if (!check.struct('props', props, JOB_EXAMPLE, { required: true })) {
      check.throwIfAny();
    }
    const queue = this.multiNodeQueue;
    if (!queue) {
      check.check(false, 'multiNode', undefined,
        'give the BatchCompute a multi-node queue first (its multiNode prop; on the team stack multiNode, or -c multiNode=true): multi-node jobs run there alone');
      check.throwIfAny();
    }
    const sizes = multiNodeJobSizes(props, queue!);
    const attempts = props.attempts ?? 3;
    checkJobDefinition(check, this, id, props, { ...sizes, attempts });
    checkMultiNodeJob(check, props, sizes, queue!);
    check.throwIfAny();

    const scope = new Construct(this, id);
    const linuxParameters = new batch.LinuxParameters(scope, 'LinuxParameters', { sharedMemorySize: Size.mebibytes(sizes.sharedMemoryMiB) });
    const container = new batch.EcsEc2ContainerDefinition(scope, 'Container', {
      ...this.containerBasics(scope, id, props),
      cpu: sizes.vcpus,
      memory: Size.mebibytes(sizes.memoryMiB),
      gpu: sizes.gpuCount || undefined,
      linuxParameters,
      // EFA registers the memory it reads and writes: libfabric needs it unlimited
      ulimits: queue!.efa ? [{ name: batch.UlimitName.MEMLOCK, softLimit: -1, hardLimit: -1 }] : undefined,
    });
    const jobDefinition = new batch.MultiNodeJobDefinition(scope, 'Resource', {
      containers: [{ startNode: 0, endNode: props.numNodes - 1, container }],
      mainNode: props.mainNode ?? 0,
      instanceType: new ec2.InstanceType(queue!.instanceType),
      ...retryOnHostLoss(props.timeout, attempts),
    });
    if (queue!.efa) {
      // Batch spells device permissions in capitals, where LinuxParameters.addDevices writes ECS's lower case
      (jobDefinition.node.defaultChild as batch.CfnJobDefinition).addPropertyOverride('NodeProperties.NodeRangeProperties.0.Container.LinuxParameters.Devices', [
        { HostPath: EFA_DEVICE, ContainerPath: EFA_DEVICE, Permissions: ['READ', 'WRITE', 'MKNOD'] },
      ]);
    }
    this.register(jobDefinition, container, props.image);
    return jobDefinition;
  }

  /**
   * Lets `grantee` submit this construct's job definitions to its queues, those added later
   * included. Nothing else: no other queue, no other job definition.
   */
  public grantSubmit(grantee: iam.IGrantable): iam.Grant {
    this.submitters.push(grantee);
    return this.grantSubmitTo(grantee, [
      ...this.jobQueues.map((q) => q.jobQueueArn),
      ...this.jobDefinitions.map((j) => j.jobDefinitionArn),
    ]);
  }

  /** What every job's container has: its image, its own role, its logs in the layer's log group. */
  private containerBasics(scope: Construct, id: string, props: BatchJobDefinitionProps) {
    return {
      image: props.image ?? ecs.ContainerImage.fromEcrRepository(this.repository, props.imageTag ?? 'latest'),
      command: props.command,
      environment: props.environment,
      secrets: props.secrets,
      jobRole: props.jobRole ?? new iam.Role(scope, 'JobRole', {
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        description: `Role of the ${id} Batch job`,
      }),
      logging: ecs.LogDriver.awsLogs({ logGroup: this.logGroup, streamPrefix: id }),
    };
  }

  /** Counts a new job definition among those `grantSubmit` covers. */
  private register(jobDefinition: batch.IJobDefinition, container: batch.IEcsContainerDefinition, image?: ecs.ContainerImage): void {
    if (!image) {
      // the execution role now holds ecr:GetAuthorizationToken, which has no resource-level permissions
      Validations.of(container.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken has no resource-level permissions; image pulls themselves are limited to this repository.',
      });
    }
    this.jobDefinitions.push(jobDefinition);
    this.submitters.forEach((grantee) => this.grantSubmitTo(grantee, [jobDefinition.jobDefinitionArn]));
  }

  private grantSubmitTo(grantee: iam.IGrantable, resourceArns: string[]): iam.Grant {
    if (resourceArns.length === 0) {
      // nothing to submit to yet: the queues and job definitions added later are granted as they come
      return iam.Grant.drop(grantee, 'submit jobs to a BatchCompute that has no queue or job definition yet');
    }
    return iam.Grant.addToPrincipal({ grantee, actions: ['batch:SubmitJob'], resourceArns });
  }

  /** A queue `method` was asked for, its refusals named as the method's with the queue's name. */
  private newQueue(method: string, name: string, options: ComputeQueueOptions & { fargate: boolean }): ComputeQueue {
    const check = new PropChecker(`${method}('${name}')`);
    check.known('name', name, 'give a plain string: the queue\'s construct id is made from it');
    const valid = typeof name === 'string' && QUEUE_NAME.test(name) && name.length <= 32;
    check.check(valid, 'name', name, 'use 1 to 32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen');
    check.check(!this.queues.has(name), 'name', name, 'give each queue its own name');
    // `gpu-2` and `gpu2` would both be Gpu2Queue
    const id = valid ? `${name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Queue` : '';
    if (valid && !this.queues.has(name)) {
      const twin = [...this.queues.values()].find((q) => q.node.id === id);
      check.check(twin === undefined, 'name', name, `it would take the construct id ${id} of queue "${twin?.queueName}": pick a name that differs in more than hyphens`);
      if (!twin) {
        check.check(this.node.tryFindChild(id) === undefined, 'name', name, `${id} is taken by another part of this BatchCompute: pick another name`);
      }
    }
    checkQueueOptions(check, options, { gpu: options.gpu ?? false, fargate: options.fargate }, 'options.');
    check.throwIfAny();
    const queue = new ComputeQueue(this, id, {
      ...options, queueName: name, vpc: this.vpc, subnets: this.subnets, securityGroup: this.securityGroup,
    });
    this.queues.set(name, queue);
    this.submitters.forEach((grantee) => this.grantSubmitTo(grantee, [queue.jobQueue.jobQueueArn]));
    return queue;
  }
}

const JOB_EXAMPLE = '{ image: ecs.ContainerImage.fromAsset("train") }';

/** The device of a host's EFA, which a node's container gets. */
const EFA_DEVICE = '/dev/infiniband/uverbs0';

/**
 * How long a job may run, and its retries: a job whose host was lost (spot reclaimed, or an
 * instance gone, both `Host EC2*`) is tried again, up to `attempts` in all; any other failure exits.
 */
function retryOnHostLoss(timeout: Duration | undefined, attempts: number) {
  return {
    timeout: timeout ?? Duration.hours(4),
    retryAttempts: attempts,
    retryStrategies: [
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
      batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onReason: '*' })),
    ],
  };
}

function validate(props: BatchComputeProps): void {
  const check = new PropChecker('BatchCompute');
  checkComputeSubnets(check, props.vpc, props.subnets, 'subnets');
  check.construct('repository', props.repository, 'an ecr.IRepository, such as new ecr.Repository(this, "Images")');
  check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey CloudWatch Logs may use, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
  check.duration('untaggedImageExpiration', props.untaggedImageExpiration, 'days', 1, MAX_INT32);
  check.check(!(props.repository && props.untaggedImageExpiration), 'untaggedImageExpiration', shownDuration(props.untaggedImageExpiration),
    'leave it unset when you bring your own repository: it sets up the new repository\'s lifecycle only');
  check.retentionDays('logRetention', props.logRetention);
  check.removalPolicy('removalPolicy', props.removalPolicy);
  check.boolean('standardQueues', props.standardQueues);
  check.boolean('mutableImageTags', props.mutableImageTags);
  const standard = props.standardQueues ?? true;
  for (const [prop, kind] of [['cpu', {}], ['cpuOnDemand', {}], ['gpu', { gpu: true }], ['fargate', { fargate: true }]] as const) {
    const options = props[prop];
    check.check(standard || options === undefined, prop, options, 'it configures a standard queue, which standardQueues: false leaves out; add your queues with addQueue');
    if (standard && check.struct(prop, options, '{ maxvCpus: 128 }')) {
      checkQueueOptions(check, options!, { gpu: false, fargate: false, ...kind }, `${prop}.`);
    }
  }
  if (check.struct('multiNode', props.multiNode, '{ efa: true }')) {
    checkMultiNodeQueue(check, props.multiNode!, 'multiNode.');
  }
  check.throwIfAny();
}
