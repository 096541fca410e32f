import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BatchCompute, BatchComputeProps, BatchMultiNodeJobDefinitionProps, MultiNodeQueue, MultiNodeQueueOptions } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { ArtifactStore } from '../../../constructs/versioning';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { PolicySimulator } from '../../support/iam';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines, validationErrorOf } from '../../support/validation';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');

function compute(multiNode?: MultiNodeQueueOptions, props: Partial<BatchComputeProps> = {}) {
  const stack = new Stack(newTestApp(), 'Compute');
  const { vpc } = new DataScienceNetwork(stack, 'Network');
  return { stack, vpc, compute: new BatchCompute(stack, 'Compute', { vpc, multiNode, ...props }) };
}

/** The one resource of `type` whose logical id starts with `prefix`. */
function resource(template: Template, type: string, prefix: string): any {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

describe('BatchCompute multi-node queue', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, compute: c } = compute({});
    c.addMultiNodeJobDefinition('Ddp', { numNodes: 2, image, command: ['torchrun', 'train.py'], timeout: Duration.hours(8) });
    template = checkedTemplate(stack, { regulated: true, controlTower: true });
  });

  test('is one on-demand EC2 environment from 0 vCPUs, in one subnet and a cluster placement group, on the ECS GPU AMI', () => {
    const env = resource(template, 'AWS::Batch::ComputeEnvironment', 'ComputeMultiNodeQueueOnDemand').ComputeResources;
    expect(env).toMatchObject({
      Type: 'EC2', MinvCpus: 0, MaxvCpus: 64, InstanceTypes: ['g5.xlarge'], Ec2Configuration: [{ ImageType: 'ECS_AL2023_NVIDIA' }],
      PlacementGroup: { 'Fn::GetAtt': [expect.stringMatching(/^ComputeMultiNodeQueuePlacementGroup/), 'GroupName'] },
    });
    // the first compute subnet: one Availability Zone
    expect(env.Subnets).toEqual([{ Ref: expect.stringMatching(/^NetworkVpcpublicSubnet1/) }]);
    expect(env.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^ComputeMultiNodeQueueSecurityGroup/), 'GroupId'] }]);
    template.hasResourceProperties('AWS::EC2::PlacementGroup', { Strategy: 'cluster' });
    const queue = resource(template, 'AWS::Batch::JobQueue', 'ComputeMultiNodeQueueJobQueue');
    expect(queue.ComputeEnvironmentOrder).toEqual([{ ComputeEnvironment: { 'Fn::GetAtt': [expect.stringMatching(/^ComputeMultiNodeQueueOnDemand/), 'ComputeEnvironmentArn'] }, Order: 1 }]);
  });

  test('lets nodes reach each other over TCP, and nothing else in', () => {
    const groupId = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).find((id) => id.startsWith('ComputeMultiNodeQueueSecurityGroup'))!;
    expect(resource(template, 'AWS::EC2::SecurityGroup', 'ComputeMultiNodeQueueSecurityGroup').SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r: any) => r.Properties).filter((p: any) => p.GroupId['Fn::GetAtt'][0] === groupId);
    expect(ingress).toEqual([expect.objectContaining({
      IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, SourceSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] },
    })]);
  });

  test('launches hosts from a launch template of its own, pinned: IMDSv2 with a hop limit of 1, encrypted gp3 roots, no EFA', () => {
    const lt = resource(template, 'AWS::EC2::LaunchTemplate', 'ComputeMultiNodeQueueLaunchTemplate').LaunchTemplateData;
    expect(lt.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    expect(lt.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 200, VolumeType: 'gp3' } }]);
    expect(lt.NetworkInterfaces).toBeUndefined();
    const env = resource(template, 'AWS::Batch::ComputeEnvironment', 'ComputeMultiNodeQueueOnDemand').ComputeResources;
    expect(env.LaunchTemplate.Version).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ComputeMultiNodeQueueLaunchTemplate/), 'LatestVersionNumber'] });
  });

  test('defines a job of 2 nodes that take a whole g5.xlarge each, retried only when a host is lost', () => {
    const job = resource(template, 'AWS::Batch::JobDefinition', 'ComputeDdp');
    expect(job).toMatchObject({
      Type: 'multinode', PlatformCapabilities: ['EC2'], Timeout: { AttemptDurationSeconds: 8 * 3600 },
      RetryStrategy: { Attempts: 3, EvaluateOnExit: [{ Action: 'RETRY', OnStatusReason: 'Host EC2*' }, { Action: 'EXIT', OnReason: '*' }] },
    });
    expect(job.NodeProperties).toMatchObject({ NumNodes: 2, MainNode: 0 });
    const { stack, compute: c } = compute({});
    c.addMultiNodeJobDefinition('Led', { numNodes: 3, mainNode: 2, image });
    expect(resource(Template.fromStack(stack), 'AWS::Batch::JobDefinition', 'ComputeLed').NodeProperties).toMatchObject({ NumNodes: 3, MainNode: 2 });
    const [range] = job.NodeProperties.NodeRangeProperties;
    expect(range.TargetNodes).toBe('0:1');
    expect(range.Container).toMatchObject({
      InstanceType: 'g5.xlarge', Command: ['torchrun', 'train.py'],
      // all of the host: 4 vCPUs and its GPU, 90% of its 16 GiB; a quarter of that as /dev/shm
      ResourceRequirements: expect.arrayContaining([{ Type: 'VCPU', Value: '4' }, { Type: 'GPU', Value: '1' }, { Type: 'MEMORY', Value: '14745' }]),
      LinuxParameters: { SharedMemorySize: 3686 },
      LogConfiguration: { LogDriver: 'awslogs', Options: expect.objectContaining({ 'awslogs-stream-prefix': 'Ddp' }) },
    });
    expect(range.Container.LinuxParameters.Devices).toBeUndefined();
    expect(range.Container.Ulimits).toBeUndefined();
  });

  test('adds a queue named multi-node to what grantSubmit covers, with its job definitions', () => {
    const { stack, compute: c } = compute({});
    const role = new iam.Role(stack, 'Submitter', { assumedBy: new iam.AccountRootPrincipal() });
    c.grantSubmit(role);
    c.addMultiNodeJobDefinition('Later', { numNodes: 2, image });
    expect(c.multiNodeQueue!.queueName).toBe('multi-node');
    expect(problemLines(() => c.queue('multi-node'))).toEqual(['name = "multi-node": the multi-node queue is BatchCompute.multiNodeQueue, for multi-node jobs alone']);
    expect(c.jobQueues.map((q) => q.node.path)).toContain('Compute/Compute/MultiNodeQueue/JobQueue');
    const resources = JSON.stringify(Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('SubmitterDefaultPolicy')).map(([, p]) => p.Properties.PolicyDocument));
    expect(resources).toContain('ComputeMultiNodeQueueJobQueue');
    expect(resources).toContain('ComputeLater');
  });

  test('takes another instance type, and counts the nodes the queue holds', () => {
    const { compute: c } = compute({ instanceType: new ec2.InstanceType('p4d.24xlarge'), maxvCpus: 384 });
    expect(c.multiNodeQueue).toMatchObject({ instanceType: 'p4d.24xlarge', gpusPerNode: 8, vcpusPerNode: 96, maxNodes: 4, efa: false });
  });
});

describe('BatchCompute multi-node queue with EFA', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, compute: c } = compute({ efa: true });
    c.addMultiNodeJobDefinition('Ddp', { numNodes: 2, image });
    template = checkedTemplate(stack, { regulated: true, controlTower: true });
  });

  test('defaults to g5.8xlarge, the smallest g5 with an EFA, and gives its one network interface the EFA type, the group and, in a public subnet, a public IP', () => {
    const env = resource(template, 'AWS::Batch::ComputeEnvironment', 'ComputeMultiNodeQueueOnDemand').ComputeResources;
    expect(env.InstanceTypes).toEqual(['g5.8xlarge']);
    const lt = resource(template, 'AWS::EC2::LaunchTemplate', 'ComputeMultiNodeQueueLaunchTemplate').LaunchTemplateData;
    expect(lt.NetworkInterfaces).toEqual([{
      DeviceIndex: 0, NetworkCardIndex: 0, InterfaceType: 'efa', DeleteOnTermination: true, AssociatePublicIpAddress: true,
      Groups: [{ 'Fn::GetAtt': [expect.stringMatching(/^ComputeMultiNodeQueueSecurityGroup/), 'GroupId'] }],
    }]);
    expect(lt.SecurityGroupIds).toBeUndefined();
  });

  test('lets every protocol in from the group itself, as EFA needs, and nothing else', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties)
      .filter((p: any) => p.GroupId['Fn::GetAtt'][0].startsWith('ComputeMultiNodeQueueSecurityGroup'));
    expect(ingress).toEqual([expect.objectContaining({ IpProtocol: '-1', SourceSecurityGroupId: ingress[0].GroupId })]);
  });

  test('passes the adapter to every node, with unlimited locked memory', () => {
    const [range] = resource(template, 'AWS::Batch::JobDefinition', 'ComputeDdp').NodeProperties.NodeRangeProperties;
    expect(range.Container.LinuxParameters.Devices).toEqual([
      { HostPath: '/dev/infiniband/uverbs0', ContainerPath: '/dev/infiniband/uverbs0', Permissions: ['READ', 'WRITE', 'MKNOD'] },
    ]);
    expect(range.Container.Ulimits).toEqual([{ Name: 'memlock', SoftLimit: -1, HardLimit: -1 }]);
    expect(range.Container.InstanceType).toBe('g5.8xlarge');
  });
});

describe('a multi-node queue\'s security group', () => {
  /** The queue's group, its ingress from itself and what it acknowledges, with EFA or without. */
  function group(efa: boolean) {
    const { stack, compute: c } = compute({ efa });
    const template = Template.fromStack(stack);
    const [id, sg] = Object.entries(template.findResources('AWS::EC2::SecurityGroup')).find(([logicalId]) => logicalId.startsWith('ComputeMultiNodeQueueSecurityGroup'))!;
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties)
      .filter((p: any) => p.GroupId['Fn::GetAtt'][0] === id);
    return { sg: sg.Properties, ingress, acknowledged: acknowledgementsOn(c.multiNodeQueue!.securityGroup).map(([rule]) => rule) };
  }

  test('says what it is for, lets every node out, and names its rule for what crosses it', () => {
    const plain = group(false);
    expect(plain.sg.GroupDescription).toBe('Multi-node Batch jobs: nodes reach each other; nothing else may connect in');
    expect(plain.sg.SecurityGroupEgress).toEqual([{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }]);
    expect(plain.ingress.map((i: any) => i.Description)).toEqual(['NCCL and rendezvous traffic between nodes']);
    // only EFA's rule, which admits every protocol, is acknowledged
    expect(plain.acknowledged.filter((rule) => rule.includes('EC2RestrictedCommonPorts'))).toEqual([]);
    const efa = group(true);
    expect(efa.ingress.map((i: any) => i.Description)).toEqual(['EFA and NCCL traffic between nodes']);
    expect(efa.acknowledged.filter((rule) => rule.includes('EC2RestrictedCommonPorts'))).toEqual([
      'Annotation::NIST.800.53.R5-EC2RestrictedCommonPorts', 'Annotation::HIPAA.Security-EC2RestrictedCommonPorts', 'Annotation::PCI.DSS.321-EC2RestrictedCommonPorts',
    ]);
  });

  test('gives an EFA host in a private subnet no public IP', () => {
    const stack = new Stack(newTestApp(), 'Compute');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const c = new BatchCompute(stack, 'Compute', { vpc, multiNode: { efa: true } });
    const [lt] = Object.entries(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate')).filter(([id]) => id.startsWith('ComputeMultiNodeQueueLaunchTemplate'));
    expect(lt[1].Properties.LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress).toBe(false);
    // and so needs no word on public IPs
    expect(acknowledgementsOn(c.multiNodeQueue!.launchTemplate).map(([rule]) => rule).filter((rule) => rule.includes('ec2_launch_template_public_ip_disabled_check'))).toEqual([]);
    const inPublic = compute({ efa: true }).compute;
    expect(acknowledgementsOn(inPublic.multiNodeQueue!.launchTemplate).map(([rule]) => rule).filter((rule) => rule.includes('ec2_launch_template_public_ip_disabled_check'))).toHaveLength(1);
  });

  test('a queue made on its own names itself in its refusals', () => {
    const stack = new Stack(newTestApp(), 'Compute');
    expect(validationErrorOf(() => new MultiNodeQueue(stack, 'Queue', { vpc: 42 as any })).message).toMatch(/^Invalid props for MultiNodeQueue:\n {2}- vpc = 42: /);
    expect(problemLines(() => compute({ subnet: 'subnet-1' as any }))).toEqual(['multiNode.subnet = "subnet-1": give an ec2.ISubnet of the VPC, such as vpc.privateSubnets[0]']);
  });

  test('keeps its hosts on the latest image', () => {
    const env = resource(Template.fromStack(compute({}).stack), 'AWS::Batch::ComputeEnvironment', 'ComputeMultiNodeQueueOnDemand');
    expect(env.ComputeResources.UpdateToLatestImageVersion).toBe(true);
  });
});

describe('multi-node jobs, refused', () => {
  test.each<[string, MultiNodeQueueOptions, string[]]>([
    ['EFA on a size without it', { efa: true, instanceType: new ec2.InstanceType('g5.xlarge') }, [
      'multiNode.efa = true: g5.xlarge has no EFA: in g5 only g5.8xlarge, g5.12xlarge, g5.16xlarge, g5.24xlarge, g5.48xlarge have one; pick one of those, or leave efa unset',
    ]],
    ['EFA on a family without it', { efa: true, instanceType: new ec2.InstanceType('p3.16xlarge'), maxvCpus: 128 }, [
      'multiNode.efa = true: p3.16xlarge has no EFA: no size of p3 has one; pick one of those, or leave efa unset',
    ]],
    ['a CPU or unknown instance type', { instanceType: new ec2.InstanceType('c6i.32xlarge') }, ['multiNode.instanceType = "c6i.32xlarge": give a size of an NVIDIA GPU family, one of g4dn, g5, g6, g6e, gr6, p3, p3dn, p4d, p4de, p5, p5e, p5en, p6-b200, for example g5.xlarge: each node takes one host, whose GPUs are known by type']],
    ['a queue that holds fewer than 2 nodes', { instanceType: new ec2.InstanceType('g5.48xlarge'), maxvCpus: 256 }, [
      'multiNode.maxvCpus = 256: it holds 1 node of g5.48xlarge (192 vCPUs each), and a multi-node job has 2 or more: give at least 384',
    ]],
    ['a small root volume and no vCPUs', { rootVolumeSizeGiB: 30, maxvCpus: 0 }, [
      'multiNode.rootVolumeSizeGiB = 30: give a whole number of GiB from 100 to 16384 (GPU images need room)',
      'multiNode.maxvCpus = 0: give a whole number above 0',
    ]],
  ])('%s', (_, options, expected) => {
    expect(problemLines(() => compute(options))).toEqual(expected);
  });

  test.each<[string, Partial<BatchMultiNodeJobDefinitionProps>, string[]]>([
    ['one node', { numNodes: 1 }, ['numNodes = 1: give a whole number from 2 (one node is a single-node job: use addJobDefinition) to 16, the nodes of g5.xlarge the multi-node queue holds (maxvCpus 64 / 4 vCPUs); raise its maxvCpus for more']],
    ['more nodes than the queue holds', { numNodes: 17 }, ['numNodes = 17: give a whole number from 2 (one node is a single-node job: use addJobDefinition) to 16, the nodes of g5.xlarge the multi-node queue holds (maxvCpus 64 / 4 vCPUs); raise its maxvCpus for more']],
    ['more GPUs than a node has', { numNodes: 2, gpuCount: 4 }, [
      'gpuCount = 4: give at most 1: a g5.xlarge node has 1 GPU; for more per node, give the multi-node queue a larger instanceType',
    ]],
    ['more vCPUs and memory than a node has', { numNodes: 2, vcpus: 8, memoryMiB: 16384 }, [
      'vcpus = 8: give at most 4, the vCPUs of one g5.xlarge node',
      'memoryMiB = 16384: give at most 14745 MiB, 90% of a g5.xlarge node\'s 16384 MiB: ECS registers less than that, and a node that does not fit never starts',
    ]],
    ['a main node outside the job', { numNodes: 2, mainNode: 2 }, ['mainNode = 2: give a node index from 0 to 1']],
    ['/dev/shm beyond the memory, a reserved variable', { numNodes: 2, memoryMiB: 4096, sharedMemoryMiB: 8192, environment: { AWS_BATCH_X: '1' } }, [
      'environment = "AWS_BATCH_X": give variable names of letters, digits and underscores, not starting with a digit or AWS_BATCH (Batch\'s own)',
      'sharedMemoryMiB = 8192: give a whole number of MiB up to memoryMiB (4096): /dev/shm is the node\'s memory',
    ]],
  ])('a job of %s', (_, props, expected) => {
    const { compute: c } = compute({});
    expect(problemLines(() => c.addMultiNodeJobDefinition('Bad', { numNodes: 2, image, ...props }))).toEqual(expected);
  });

  test('a job of more GPUs than a node of several has, and node counts known only at deploy', () => {
    const { compute: c } = compute({ instanceType: new ec2.InstanceType('g5.12xlarge'), maxvCpus: 96 });
    expect(problemLines(() => c.addMultiNodeJobDefinition('Bad', { numNodes: 2, image, gpuCount: 8 }))).toEqual([
      'gpuCount = 8: give at most 4: a g5.12xlarge node has 4 GPUs; for more per node, give the multi-node queue a larger instanceType',
    ]);
    const { compute: d } = compute({});
    expect(problemLines(() => d.addMultiNodeJobDefinition('Tokens', { numNodes: Lazy.number({ produce: () => 2 }), mainNode: Lazy.number({ produce: () => 0 }), image }))).toEqual([
      expect.stringMatching(/^numNodes = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number: the nodes are counted against the queue at synth time$/),
      expect.stringMatching(/^mainNode = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number, or leave it unset$/),
    ]);
  });

  test('a multi-node job where there is no multi-node queue', () => {
    const { compute: c } = compute();
    expect(problemLines(() => c.addMultiNodeJobDefinition('Ddp', { numNodes: 2, image }))).toEqual(['multiNode = undefined: give the BatchCompute a multi-node queue first (its multiNode prop; on the team stack multiNode, or -c multiNode=true): multi-node jobs run there alone']);
  });
});

describe('a multi-node job\'s role, simulated', () => {
  let sim: PolicySimulator;
  let role: string;
  beforeAll(() => {
    const { stack, compute: c } = compute({});
    const artifacts = new ArtifactStore(stack, 'Artifacts');
    const job = c.addMultiNodeJobDefinition('Ddp', { numNodes: 2, image });
    artifacts.grantWriteRun(job.containers[0].container.jobRole!, 'training');
    sim = new PolicySimulator(Template.fromStack(stack));
    role = sim.logicalId('AWS::IAM::Role', 'ComputeDdpJobRole');
  });
  const object = (key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'ArtifactsBucket'))}/${key}`;

  test.each([
    ['may write its workflow\'s runs', 's3:PutObject', () => object('runs/training/run-1/train/model.pt'), 'Allowed'],
    ['may not write another workflow\'s runs', 's3:PutObject', () => object('runs/scoring/run-1/train/model.pt'), 'NotAllowed'],
    ['may not delete what it wrote', 's3:DeleteObject', () => object('runs/training/run-1/train/model.pt'), 'NotAllowed'],
    ['may not submit more jobs', 'batch:SubmitJob', () => sim.arn(sim.logicalId('AWS::Batch::JobQueue', 'ComputeMultiNodeQueueJobQueue')), 'NotAllowed'],
    ['may not pass itself on', 'iam:PassRole', () => sim.arn(role), 'NotAllowed'],
    ['may not touch the hosts', 'ec2:TerminateInstances', () => 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0', 'NotAllowed'],
  ])('%s', async (_, action, resourceArn, expected) => {
    expect(await sim.outcome(role, action, resourceArn())).toBe(expected);
  });
});
