import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledgeControlTower, acknowledgeFinding, acknowledgeRegulated } from '../core/compliance';
import { counted } from '../core/counted';
import { checkPropsStruct, MAX_INT32, PropChecker } from '../core/validation-error';
import { checkSelectsSubnets, checkVpc, computeSubnetsOf } from '../network/compute-subnets';
import { efaSizesOf, supportsEfa } from './efa-instances';
import { gpuInstanceSize, knownGpuInstanceTypes } from './gpu-instance-sizes';
import { instanceFamily } from './gpu-instances';

/** The multi-node queue of a `BatchCompute`, for jobs that span several GPU hosts. */
export interface MultiNodeQueueOptions {
  /**
   * The GPU instance type every node runs on: one node is one host. A whole type, such as
   * `g5.12xlarge`, so the GPUs, vCPUs and memory of a node are known at synth.
   * @default - g5.xlarge (1 GPU, 4 vCPUs, 16 GiB), or g5.8xlarge with `efa` (the smallest g5 with EFA)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Most vCPUs the queue runs at once; nodes take their host's vCPUs whole, so it holds
   * `maxvCpus` / the type's vCPUs nodes.
   * @default 64
   */
  readonly maxvCpus?: number;

  /**
   * Give each host an Elastic Fabric Adapter and pass it to the job's containers, for NCCL and
   * MPI traffic that bypasses the kernel. Only some instance types have one (see efa-instances.ts).
   * @default false
   */
  readonly efa?: boolean;

  /**
   * The one subnet, and so the one Availability Zone, every host starts in.
   * @default - the first of the compute subnets
   */
  readonly subnet?: ec2.ISubnet;

  /**
   * Root volume of each host, in GiB; it holds images and scratch data.
   * @default 200
   */
  readonly rootVolumeSizeGiB?: number;
}

export interface MultiNodeQueueProps extends MultiNodeQueueOptions {
  /** The VPC the hosts run in. */
  readonly vpc: ec2.IVpc;
  /**
   * The compute subnets, whose first is the one hosts start in unless `subnet` is given.
   * @default - private subnets with egress when the VPC has them, public subnets otherwise
   */
  readonly subnets?: ec2.SubnetSelection;
}

/** The default node without and with EFA: one GPU each. */
const DEFAULT_TYPE = 'g5.xlarge';
const DEFAULT_EFA_TYPE = 'g5.8xlarge';

/**
 * A job queue for multi-node parallel jobs: one on-demand compute environment (Batch runs no
 * multi-node job on spot or Fargate) from 0 vCPUs, its hosts in one subnet and a cluster
 * placement group, behind a security group that admits its own members and nothing else.
 * Batch gives each node a network interface of its own (awsvpc) with that group, so nodes reach
 * each other by private address. Nothing runs, and nothing bills, while no job is queued.
 */
export class MultiNodeQueue extends Construct {
  /** The queue's name in its `BatchCompute`. */
  public readonly queueName = 'multi-node';
  /** The job queue multi-node jobs are submitted to. */
  public readonly jobQueue: batch.JobQueue;
  /** The queue's one compute environment: on-demand EC2 from 0 vCPUs, in one subnet. */
  public readonly computeEnvironment: batch.ManagedEc2EcsComputeEnvironment;
  /** Admits traffic from its own members only: the hosts and the nodes' interfaces. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The cluster placement group the hosts start in, close together for fast traffic between nodes. */
  public readonly placementGroup: ec2.PlacementGroup;
  /** The queue's own launch template: IMDSv2 with a hop limit of 1, encrypted roots, the EFA. */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** The instance type of every node, such as `g5.xlarge`. */
  public readonly instanceType: string;
  /** Whether hosts have an EFA that jobs' containers get. */
  public readonly efa: boolean;
  /** Most vCPUs the queue runs at once. */
  public readonly maxvCpus: number;
  /** vCPUs, memory and NVIDIA GPUs of one node's host. */
  public readonly vcpusPerNode: number;
  /** Memory of one node's host, in MiB, as its instance type gives it (ECS registers somewhat less). */
  public readonly memoryMiBPerNode: number;
  /** NVIDIA GPUs of one node's host. */
  public readonly gpusPerNode: number;
  /** Most nodes the queue runs at once: `maxvCpus` / `vcpusPerNode`. */
  public readonly maxNodes: number;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `MultiNodeQueueProps`
   */
  constructor(scope: Construct, id: string, props: MultiNodeQueueProps) {
    super(scope, id);
    checkPropsStruct('MultiNodeQueue', props, '{ vpc }', { required: true });
    const resolved = resolveMultiNodeQueue(props);
    this.efa = resolved.efa;
    this.instanceType = resolved.instanceType;
    this.maxvCpus = resolved.maxvCpus;
    const rootGiB = resolved.rootVolumeSizeGiB;
    const check = new PropChecker('MultiNodeQueue');
    checkVpc(check, props.vpc);
    if (props.subnets !== undefined) {
      checkSelectsSubnets(check, 'subnets', props.vpc, props.subnets);
    }
    checkMultiNodeQueue(check, props);
    check.throwIfAny();
    const size = gpuInstanceSize(this.instanceType)!;
    this.vcpusPerNode = size.vcpus;
    this.memoryMiBPerNode = size.memoryGiB * 1024;
    this.gpusPerNode = size.gpus;
    this.maxNodes = Math.floor(this.maxvCpus / size.vcpus);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Multi-node Batch jobs: nodes reach each other; nothing else may connect in',
      allowAllOutbound: true,
    });
    // in from its own members only (out is open); EFA's own transport is neither TCP nor UDP,
    // so with EFA every protocol
    this.securityGroup.addIngressRule(this.securityGroup, this.efa ? ec2.Port.allTraffic() : ec2.Port.allTcp(),
      this.efa ? 'EFA and NCCL traffic between nodes' : 'NCCL and rendezvous traffic between nodes');
    if (this.efa) {
      acknowledgeRegulated(this.securityGroup, 'EC2RestrictedCommonPorts', 'The one rule that admits every protocol has this group itself as its '
        + 'source, no address range: EFA\'s transport is neither TCP nor UDP, and AWS requires an EFA\'s group to admit all traffic from its own members.');
    }
    this.placementGroup = new ec2.PlacementGroup(this, 'PlacementGroup', { strategy: ec2.PlacementGroupStrategy.CLUSTER });

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      requireImdsv2: true,
      // nodes get their job role's credentials from the ECS agent, never from the host's metadata
      httpPutResponseHopLimit: 1,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(rootGiB, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }),
      }],
    });
    acknowledgeControlTower(this.launchTemplate, 'CT.EC2.PR.10', 'A host lives for the one job it runs, which Batch watches by job state '
      + 'and the nodes\' logs; one-minute host metrics would bill per host for graphs nothing reads. The free five-minute ones remain.');
    const subnet = props.subnet ?? props.vpc.selectSubnets(props.subnets ?? computeSubnetsOf(props.vpc)).subnets[0];
    if (this.efa) {
      // one EFA on the first network card; a template with interfaces carries the groups on them, and
      // says itself whether the host gets a public IP: in public subnets it must, to reach ECS and ECR
      const publicIp = props.vpc.publicSubnets.some((s) => s.subnetId === subnet.subnetId);
      (this.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.NetworkInterfaces', [{
        DeviceIndex: 0, NetworkCardIndex: 0, InterfaceType: 'efa', Groups: [this.securityGroup.securityGroupId], DeleteOnTermination: true,
        AssociatePublicIpAddress: publicIp,
      }]);
      if (publicIp) {
        acknowledgeControlTower(this.launchTemplate, 'CT.EC2.PR.9', 'In a public subnet, with no NAT gateway, a host reaches ECS, ECR and '
          + 'CloudWatch through the internet gateway only, as every host of the public network profile does; its group admits only its peers.');
      }
    }

    this.computeEnvironment = new batch.ManagedEc2EcsComputeEnvironment(this, 'OnDemand', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [subnet] },
      securityGroups: [this.securityGroup],
      minvCpus: 0,
      maxvCpus: this.maxvCpus,
      spot: false,
      instanceTypes: [new ec2.InstanceType(this.instanceType)],
      useOptimalInstanceClasses: false,
      images: [{ imageType: batch.EcsMachineImageType.ECS_AL2023_NVIDIA }],
      launchTemplate: this.launchTemplate,
      placementGroup: this.placementGroup,
      updateToLatestImageVersion: true,
    });
    // a changed template reaches the environment only with its version pinned
    (this.computeEnvironment.node.defaultChild as batch.CfnComputeEnvironment)
      .addPropertyOverride('ComputeResources.LaunchTemplate.Version', this.launchTemplate.latestVersionNumber);
    acknowledgeFinding(this.computeEnvironment, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      'The ECS agent on Batch hosts needs exactly this AWS-maintained policy to register with the cluster; AWS keeps it current as the agent changes.');

    this.jobQueue = new batch.JobQueue(this, 'JobQueue', { computeEnvironments: [{ computeEnvironment: this.computeEnvironment, order: 1 }] });
  }
}

/** A multi-node queue's options, their defaults filled in. */
function resolveMultiNodeQueue(options: MultiNodeQueueOptions) {
  return {
    efa: options.efa ?? false,
    instanceType: options.instanceType?.toString() ?? (options.efa ? DEFAULT_EFA_TYPE : DEFAULT_TYPE),
    maxvCpus: options.maxvCpus ?? 64,
    rootVolumeSizeGiB: options.rootVolumeSizeGiB ?? 200,
  };
}

/** Records what is wrong with a multi-node queue's options, each prop after `prefix`. */
export function checkMultiNodeQueue(check: PropChecker, options: MultiNodeQueueOptions, prefix = ''): void {
  check.boolean(`${prefix}efa`, options.efa);
  check.construct(`${prefix}subnet`, options.subnet, 'an ec2.ISubnet of the VPC, such as vpc.privateSubnets[0]');
  const { instanceType, maxvCpus, rootVolumeSizeGiB } = resolveMultiNodeQueue(options);
  const size = gpuInstanceSize(instanceType);
  const family = instanceFamily(new ec2.InstanceType(instanceType));
  const families = [...new Set(knownGpuInstanceTypes().map((type) => type.split('.')[0]))];
  check.check(size !== undefined, `${prefix}instanceType`, instanceType,
    `give a size of an NVIDIA GPU family, one of ${families.join(', ')}, for example g5.xlarge: each node takes one host, whose GPUs are known by type`);
  if (options.efa && size) {
    const sizes = efaSizesOf(family);
    check.check(supportsEfa(instanceType), `${prefix}efa`, true, `${instanceType} has no EFA: ${sizes.length > 0
      ? `in ${family} only ${sizes.join(', ')} have one` : `no size of ${family} has one`}; pick one of those, or leave efa unset`);
  }
  check.integer(`${prefix}rootVolumeSizeGiB`, rootVolumeSizeGiB, 100, 16384, 'give a whole number of GiB from 100 to 16384 (GPU images need room)');
  check.integer(`${prefix}maxvCpus`, maxvCpus, 1, MAX_INT32, 'give a whole number above 0');
  if (size && Number.isInteger(maxvCpus) && maxvCpus > 0) {
    const nodes = Math.floor(maxvCpus / size.vcpus);
    check.check(nodes >= 2, `${prefix}maxvCpus`, maxvCpus,
      `it holds ${counted(nodes, 'node')} of ${instanceType} (${size.vcpus} vCPUs each), and a multi-node job has 2 or more: give at least ${2 * size.vcpus}`);
  }
}
