import * as batch from 'aws-cdk-lib/aws-batch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledgeControlTower, acknowledgeFinding } from '../core/compliance';
import { checkMetricName, checkMetricOptions } from '../core/metric-arguments';
import { checkArguments, checkPropsStruct, MAX_INT32, PropChecker } from '../core/validation-error';
import { checkSelectsSubnets, checkVpc } from '../network/compute-subnets';
import { hasNvidiaGpu, instanceFamily } from './gpu-instances';

/** A job queue backed by managed EC2 compute environments. */
export interface ComputeQueueOptions {
  /**
   * Most vCPUs each of the queue's compute environments runs at once; with `spot`, the
   * queue has two (spot, then on-demand) and may reach twice this.
   * @default 256, or 64 on GPU queues
   */
  readonly maxvCpus?: number;

  /**
   * Instance families, any size.
   * @default - c6i, m6i and r6i; g5, g6 and g6e on GPU queues
   */
  readonly instanceClasses?: ec2.InstanceClass[];

  /**
   * Instance types (family and size), beside `instanceClasses`.
   * @default - none
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * Run on spot capacity first (price-capacity optimized) and on on-demand capacity once
   * the spot environment is at `maxvCpus`.
   * @default false
   */
  readonly spot?: boolean;

  /**
   * NVIDIA GPU instances only, on the ECS GPU-optimized Amazon Linux 2023 AMI.
   * @default false
   */
  readonly gpu?: boolean;

  /**
   * Root volume of each instance, in GiB; it holds images and scratch data.
   * @default 64, or 200 on GPU queues (at least 100: GPU images are large)
   */
  readonly rootVolumeSizeGiB?: number;

  /**
   * A fair-share scheduling policy, to share the queue between projects or users.
   * @default - first in, first out
   */
  readonly schedulingPolicy?: batch.ISchedulingPolicy;

  /**
   * Let jobs' containers reach the host's instance metadata service (IMDSv2, hop limit 2 instead
   * of 1), and with it the credentials of the host's instance role. Jobs get their own job role's
   * credentials from the ECS agent either way; turn this on only for a tool that must read the
   * instance's metadata, such as its instance type.
   * @default false
   */
  readonly containerInstanceMetadata?: boolean;
}

/** A job queue backed by Fargate. */
export interface FargateQueueOptions {
  /**
   * Most vCPUs each of the queue's compute environments runs at once.
   * @default 64
   */
  readonly maxvCpus?: number;

  /**
   * Run on Fargate Spot first, on Fargate once Fargate Spot is at `maxvCpus`.
   * @default false
   */
  readonly spot?: boolean;
}

/** Where a queue's environments run; `BatchCompute` gives them to every queue. */
export interface ComputeQueuePlacement {
  /** The VPC the compute environments run in. */
  readonly vpc: ec2.IVpc;
  /** The subnets of `vpc` that hosts and Fargate tasks are placed in. */
  readonly subnets: ec2.SubnetSelection;
  /** The security group of every host and Fargate task. */
  readonly securityGroup: ec2.ISecurityGroup;
}

export interface ComputeQueueProps extends ComputeQueueOptions, ComputeQueuePlacement {
  /** The queue's name in its `BatchCompute`, for example `gpu`. */
  readonly queueName: string;
  /**
   * Fargate rather than EC2 environments.
   * @default false
   */
  readonly fargate?: boolean;
}

/** A queue's name in its `BatchCompute`, from which the queue's construct id is made. */
export const QUEUE_NAME = /^[a-z](-?[a-z0-9])*$/;

const DEFAULT_CPU_CLASSES = [ec2.InstanceClass.C6I, ec2.InstanceClass.M6I, ec2.InstanceClass.R6I];
const DEFAULT_GPU_CLASSES = [ec2.InstanceClass.G5, ec2.InstanceClass.G6, ec2.InstanceClass.G6E];

/**
 * One named job queue of a `BatchCompute` and its compute environments, all scaling from
 * zero: nothing runs, and nothing bills, while no job is queued.
 */
export class ComputeQueue extends Construct {
  /** The queue's name in its `BatchCompute`, for example `gpu`. */
  public readonly queueName: string;
  /** The Batch job queue that jobs are submitted to. */
  public readonly jobQueue: batch.JobQueue;
  /** The environments, in the order the queue uses them. */
  public readonly computeEnvironments: batch.IManagedComputeEnvironment[];
  /** Whether its hosts have NVIDIA GPUs. */
  public readonly gpu: boolean;
  /** Whether its environments are Fargate rather than EC2. */
  public readonly fargate: boolean;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `ComputeQueueProps`
   */
  constructor(scope: Construct, id: string, props: ComputeQueueProps) {
    super(scope, id);
    checkPropsStruct('ComputeQueue', props, '{ queueName: "cpu", vpc, subnets, securityGroup }', { required: true });
    this.queueName = props.queueName;
    this.gpu = props.gpu ?? false;
    this.fargate = props.fargate ?? false;
    const spot = props.spot ?? false;
    const maxvCpus = props.maxvCpus ?? (this.fargate ? 64 : this.gpu ? 64 : 256);
    const rootGiB = props.rootVolumeSizeGiB ?? (this.gpu ? 200 : 64);
    validate(props, maxvCpus, rootGiB, this.gpu, this.fargate);

    if (this.fargate) {
      const fargate = (envId: string, onSpot: boolean) => new batch.FargateComputeEnvironment(this, envId, {
        vpc: props.vpc, vpcSubnets: props.subnets, securityGroups: [props.securityGroup], maxvCpus, spot: onSpot,
      });
      this.computeEnvironments = spot ? [fargate('FargateSpot', true), fargate('Fargate', false)] : [fargate('Fargate', false)];
    } else {
      const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
        requireImdsv2: true,
        // containers sit one hop behind the host (bridge network): a limit of 1 keeps IMDSv2, and
        // the host role's credentials, from them
        httpPutResponseHopLimit: props.containerInstanceMetadata ? 2 : 1,
        blockDevices: [{
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(rootGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true,
          }),
        }],
      });
      acknowledgeControlTower(launchTemplate, 'CT.EC2.PR.10', 'A Batch host lives for the jobs it runs, which Batch watches by job state '
        + 'and the jobs\' logs; it scales on its queue, not on host metrics. One-minute host metrics would bill per instance for graphs '
        + 'nothing reads; the free five-minute ones remain.');
      const instances = {
        // Batch takes families as EC2 spells them (g5, not graphics5)
        instanceClasses: (props.instanceClasses ?? (this.gpu ? DEFAULT_GPU_CLASSES : DEFAULT_CPU_CLASSES))
          .map((c) => instanceFamily(c) as ec2.InstanceClass),
        instanceTypes: props.instanceTypes ?? [],
      };
      const environment = (envId: string, onSpot: boolean) => {
        const env = new batch.ManagedEc2EcsComputeEnvironment(this, envId, {
          vpc: props.vpc,
          vpcSubnets: props.subnets,
          securityGroups: [props.securityGroup],
          minvCpus: 0,
          maxvCpus,
          spot: onSpot,
          allocationStrategy: onSpot ? batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED : batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
          ...instances,
          // without this aws-cdk-lib adds `optimal`, which would put CPU hosts in a GPU queue
          useOptimalInstanceClasses: false,
          images: [{ imageType: this.gpu ? batch.EcsMachineImageType.ECS_AL2023_NVIDIA : batch.EcsMachineImageType.ECS_AL2023 }],
          launchTemplate,
          updateToLatestImageVersion: true,
        });
        // pin the template version, so a changed template reaches the environment
        (env.node.defaultChild as batch.CfnComputeEnvironment)
          .addPropertyOverride('ComputeResources.LaunchTemplate.Version', launchTemplate.latestVersionNumber);
        acknowledgeFinding(env, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
          'The ECS agent on Batch hosts needs exactly this AWS-maintained policy to register with the cluster; AWS keeps it current as the agent changes.');
        return env;
      };
      this.computeEnvironments = spot ? [environment('Spot', true), environment('OnDemand', false)] : [environment('OnDemand', false)];
    }

    this.jobQueue = new batch.JobQueue(this, 'JobQueue', {
      computeEnvironments: this.computeEnvironments.map((computeEnvironment, i) => ({ computeEnvironment, order: i + 1 })),
      schedulingPolicy: props.schedulingPolicy,
    });
  }

  /**
   * A metric AWS Batch publishes for this queue in the `AWS/Batch` namespace, by its name
   * (job state transitions and durations; see "Using CloudWatch metrics with AWS Batch").
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    checkArguments('ComputeQueue.metric', (check) => {
      checkMetricName(check, 'metricName', metricName, 'PendingJobs');
      checkMetricOptions(check, props);
    });
    return new cloudwatch.Metric({
      namespace: 'AWS/Batch',
      metricName,
      dimensionsMap: { JobQueueName: this.jobQueue.jobQueueName },
      ...props,
    });
  }
}

function validate(props: ComputeQueueProps, maxvCpus: number, rootGiB: number, gpu: boolean, fargate: boolean): void {
  const check = new PropChecker(`ComputeQueue '${props.queueName}'`);
  check.matches('queueName', props.queueName, QUEUE_NAME,
    'use lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen', { required: true });
  check.boolean('fargate', props.fargate);
  checkVpc(check, props.vpc);
  checkSelectsSubnets(check, 'subnets', props.vpc, props.subnets);
  check.construct('securityGroup', props.securityGroup, 'an ec2.ISecurityGroup, such as new ec2.SecurityGroup(this, "Hosts", { vpc })', { required: true });
  checkQueueOptions(check, { ...props, maxvCpus, rootVolumeSizeGiB: fargate ? props.rootVolumeSizeGiB : rootGiB }, { gpu, fargate });
  check.throwIfAny();
}

/**
 * Records what is wrong with a queue's options, each prop named after `prefix` (`gpu.` for
 * BatchCompute's `gpu` prop); `gpu` and `fargate` say what kind of queue they are for.
 */
export function checkQueueOptions(check: PropChecker, options: ComputeQueueOptions, kind: { gpu: boolean; fargate: boolean }, prefix = ''): void {
  check.integer(`${prefix}maxvCpus`, options.maxvCpus, 1, MAX_INT32, 'give a whole number above 0, for example 256');
  for (const prop of ['spot', 'gpu', 'containerInstanceMetadata'] as const) {
    check.boolean(`${prefix}${prop}`, options[prop]);
  }
  if (kind.fargate) {
    for (const prop of ['gpu', 'instanceClasses', 'instanceTypes', 'rootVolumeSizeGiB', 'schedulingPolicy'] as const) {
      const value = options[prop];
      check.check(value === undefined || value === false, `${prefix}${prop}`, Array.isArray(value) ? value.map(String) : String(value),
        'leave it unset on a Fargate queue; use an EC2 queue for it');
    }
    return;
  }
  const minRootGiB = kind.gpu ? 100 : 30;
  check.integer(`${prefix}rootVolumeSizeGiB`, options.rootVolumeSizeGiB, minRootGiB, 16384,
    `give a whole number of GiB from ${minRootGiB} to 16384${kind.gpu ? ' (GPU images need room)' : ' (the ECS AMI needs 30)'}`);
  const classes = check.list(`${prefix}instanceClasses`, options.instanceClasses, '[ec2.InstanceClass.M7I]');
  const types = check.list(`${prefix}instanceTypes`, options.instanceTypes, '[new ec2.InstanceType("m7i.large")]');
  check.check(!Array.isArray(options.instanceClasses) || classes.length + types.length > 0, `${prefix}instanceClasses`, [],
    'give at least one instance class or type');
  classes.forEach((c, i) => check.check(KNOWN_CLASSES.has(c), `${prefix}instanceClasses[${i}]`, c, 'use one of ec2.InstanceClass, for example ec2.InstanceClass.M7I'));
  types.forEach((t, i) => check.instance(`${prefix}instanceTypes[${i}]`, t, 'sameInstanceClassAs', 'an ec2.InstanceType, such as new ec2.InstanceType("m7i.large")'));
  check.construct(`${prefix}schedulingPolicy`, options.schedulingPolicy, 'a batch.ISchedulingPolicy, such as new batch.FairshareSchedulingPolicy(this, "Shares")');
  if (kind.gpu) {
    const gpuOnly = 'a GPU queue takes NVIDIA GPU families only, such as g5, g6, g6e, p4d or p5';
    classes.forEach((c, i) => check.check(!KNOWN_CLASSES.has(c) || hasNvidiaGpu(c), `${prefix}instanceClasses[${i}]`, instanceFamily(c), gpuOnly));
    // what is no instance type has its problem above
    types.forEach((t, i) => check.check(typeof t.sameInstanceClassAs !== 'function' || hasNvidiaGpu(t), `${prefix}instanceTypes[${i}]`, String(t), gpuOnly));
  }
}

const KNOWN_CLASSES = new Set<string>(Object.values(ec2.InstanceClass));
