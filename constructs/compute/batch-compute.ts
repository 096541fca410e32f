import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { statefulRemovalPolicy } from '../core/removal';
import { computeSubnetsOf } from '../network/compute-subnets';
import { PropChecker } from '../core/validation-error';

export interface BatchComputeProps {
  /** The VPC compute environments run in. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets compute environments run in.
   * @default - private subnets with egress when the VPC has them, public subnets otherwise
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Most vCPUs each of the `cpu` queue's two environments (spot, on-demand) runs at once;
   * the queue as a whole may reach twice this.
   * @default 256
   */
  readonly maxvCpus?: number;

  /**
   * Instance families of the `cpu` queue, any size.
   * @default - c6i, m6i and r6i
   */
  readonly instanceClasses?: ec2.InstanceClass[];

  /**
   * Instance types (family and size) of the `cpu` queue, beside `instanceClasses`.
   * @default - none
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * Size of the root volume of each instance, in GiB; holds images and scratch data.
   * @default 100
   */
  readonly rootVolumeSizeGiB?: number;

  /**
   * How long job logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the job log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A container job that runs on a `BatchCompute` queue. */
export interface BatchJobDefinitionProps {
  /** The container image. */
  readonly image: ecs.ContainerImage;
  /** @default 1 */
  readonly vcpus?: number;
  /** @default 2048 */
  readonly memoryMiB?: number;
  /** @default - the image's command */
  readonly command?: string[];
  /** @default - none */
  readonly environment?: { [name: string]: string };
  /**
   * After this long Batch stops the job.
   * @default Duration.hours(4)
   */
  readonly timeout?: Duration;
  /**
   * The role the job's code runs as; grant it data access with the layers' `grantX` methods.
   * @default - a new role that may do nothing until granted
   */
  readonly jobRole?: iam.IRole;
  /**
   * How many times a job reclaimed with its spot instance is tried in all.
   * @default 3
   */
  readonly attempts?: number;
}

interface Ec2EnvironmentOptions {
  readonly maxvCpus: number;
  readonly instanceClasses: ec2.InstanceClass[];
  readonly instanceTypes: ec2.InstanceType[];
  readonly spot: boolean;
}

/** Batch memory per vCPU below which containers rarely start: 512 MiB. */
const MIN_MEMORY_PER_VCPU_MIB = 512;

/**
 * AWS Batch capacity for the team: job queues backed by managed EC2 compute environments
 * that scale from zero, so nothing runs, and nothing bills, while no job is queued.
 */
export class BatchCompute extends Construct {
  /** The `cpu` queue: spot capacity first, on-demand once the spot environment is at its `maxvCpus`. */
  public readonly cpuQueue: batch.JobQueue;
  /** Egress-only security group of every compute environment. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Where every job of this construct logs. */
  public readonly logGroup: logs.LogGroup;

  private readonly props: BatchComputeProps;
  private readonly subnets: ec2.SubnetSelection;
  private readonly launchTemplate: ec2.LaunchTemplate;

  constructor(scope: Construct, id: string, props: BatchComputeProps) {
    super(scope, id);
    this.props = props;
    const maxvCpus = props.maxvCpus ?? 256;
    const rootVolumeSizeGiB = props.rootVolumeSizeGiB ?? 100;

    const check = new PropChecker('BatchCompute');
    check.check(Number.isInteger(maxvCpus) && maxvCpus > 0, 'maxvCpus', maxvCpus, 'give a whole number above 0, for example 256');
    check.check(Number.isInteger(rootVolumeSizeGiB) && rootVolumeSizeGiB >= 30 && rootVolumeSizeGiB <= 16384,
      'rootVolumeSizeGiB', rootVolumeSizeGiB, 'give a whole number of GiB from 30 (the ECS AMI needs that much) to 16384');
    check.throwIfAny();

    this.subnets = props.subnets ?? computeSubnetsOf(props.vpc);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Batch compute environments: egress only, nothing may connect in',
      allowAllOutbound: true,
    });
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      requireImdsv2: true,
      httpPutResponseHopLimit: 2, // containers sit one hop behind the host
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(rootVolumeSizeGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }),
      }],
    });
    this.logGroup = new logs.LogGroup(this, 'JobLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: statefulRemovalPolicy(props.removalPolicy),
    });

    const instances = {
      instanceClasses: props.instanceClasses ?? [ec2.InstanceClass.C6I, ec2.InstanceClass.M6I, ec2.InstanceClass.R6I],
      instanceTypes: props.instanceTypes ?? [],
    };
    this.cpuQueue = new batch.JobQueue(this, 'CpuQueue', {
      computeEnvironments: [
        { computeEnvironment: this.newEc2Environment('CpuSpot', { maxvCpus, ...instances, spot: true }), order: 1 },
        { computeEnvironment: this.newEc2Environment('CpuOnDemand', { maxvCpus, ...instances, spot: false }), order: 2 },
      ],
    });
  }

  /**
   * Defines a container job for this construct's queues, logging to its log group,
   * with its own role (`jobDefinition.container.jobRole`) and a retry on spot reclamation only.
   */
  public addJobDefinition(id: string, props: BatchJobDefinitionProps): batch.EcsJobDefinition {
    const vcpus = props.vcpus ?? 1;
    const memoryMiB = props.memoryMiB ?? 2048;
    const attempts = props.attempts ?? 3;
    const check = new PropChecker(`BatchCompute.addJobDefinition('${id}')`);
    check.check(Number.isInteger(vcpus) && vcpus >= 1, 'vcpus', vcpus, 'give a whole number of vCPUs, 1 or more (EC2 jobs take whole vCPUs)');
    check.check(Number.isInteger(memoryMiB), 'memoryMiB', memoryMiB, 'give a whole number of MiB');
    check.check(memoryMiB >= vcpus * MIN_MEMORY_PER_VCPU_MIB, 'memoryMiB', memoryMiB,
      `give at least ${MIN_MEMORY_PER_VCPU_MIB} MiB per vCPU (${vcpus * MIN_MEMORY_PER_VCPU_MIB} MiB for ${vcpus} vCPUs)`);
    check.check(Number.isInteger(attempts) && attempts >= 1 && attempts <= 10, 'attempts', attempts, 'give a whole number from 1 to 10');
    check.throwIfAny();

    const scope = new Construct(this, id);
    const jobRole = props.jobRole ?? new iam.Role(scope, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Role of the ${id} Batch job`,
    });
    return new batch.EcsJobDefinition(scope, 'Resource', {
      container: new batch.EcsEc2ContainerDefinition(scope, 'Container', {
        image: props.image,
        cpu: vcpus,
        memory: Size.mebibytes(memoryMiB),
        command: props.command,
        environment: props.environment,
        jobRole,
        logging: ecs.LogDriver.awsLogs({ logGroup: this.logGroup, streamPrefix: id }),
      }),
      timeout: props.timeout ?? Duration.hours(4),
      retryAttempts: attempts,
      retryStrategies: [
        batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onReason: '*' })),
      ],
    });
  }

  private newEc2Environment(id: string, options: Ec2EnvironmentOptions) {
    const environment = new batch.ManagedEc2EcsComputeEnvironment(this, id, {
      vpc: this.props.vpc,
      vpcSubnets: this.subnets,
      securityGroups: [this.securityGroup],
      minvCpus: 0,
      maxvCpus: options.maxvCpus,
      spot: options.spot,
      allocationStrategy: options.spot
        ? batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
        : batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
      instanceClasses: options.instanceClasses,
      instanceTypes: options.instanceTypes,
      useOptimalInstanceClasses: false,
      images: [{ imageType: batch.EcsMachineImageType.ECS_AL2023 }],
      launchTemplate: this.launchTemplate,
      updateToLatestImageVersion: true,
    });
    Validations.of(environment).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      reason: 'The ECS agent on Batch hosts needs exactly this AWS-maintained policy to register with the cluster; AWS keeps it current as the agent changes.',
    });
    return environment;
  }
}
