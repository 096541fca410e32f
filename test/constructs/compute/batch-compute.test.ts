import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BatchCompute, BatchComputeProps } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { statefulLosses } from '../../../bin/stateful-guard/stateful-changes';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { validationErrorOf, problemLines } from '../../support/validation';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');

function compute(props: Partial<BatchComputeProps> = {}) {
  const stack = new Stack(newTestApp(), 'Compute');
  const { vpc } = new DataScienceNetwork(stack, 'Network');
  return { stack, compute: new BatchCompute(stack, 'Compute', { vpc, ...props }) };
}

/** The compute environments of one queue, in the queue's order. */
function environmentsOf(template: Template, queueId: string): any[] {
  const queue = Object.entries(template.findResources('AWS::Batch::JobQueue')).find(([id]) => id.startsWith(queueId))![1];
  const all = template.findResources('AWS::Batch::ComputeEnvironment');
  return queue.Properties.ComputeEnvironmentOrder
    .sort((a: any, b: any) => a.Order - b.Order)
    .map((e: any) => all[e.ComputeEnvironment['Fn::GetAtt'][0]].Properties);
}

describe('BatchCompute', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, compute: c } = compute();
    c.addJobDefinition('Train', { image, vcpus: 2, memoryMiB: 4096 });
    template = checkedTemplate(stack, { regulated: true });
  });

  test('has the cpu, cpu-ondemand, gpu and fargate queues, every environment scaling from zero', () => {
    template.resourceCountIs('AWS::Batch::JobQueue', 4);
    for (const env of Object.values(template.findResources('AWS::Batch::ComputeEnvironment'))) {
      expect(env.Properties.ComputeResources.MinvCpus ?? 0).toBe(0);
    }
  });

  test('backs cpu with spot first (price-capacity optimized), then on-demand', () => {
    const [first, second] = environmentsOf(template, 'ComputeCpuQueue');
    expect(first.ComputeResources).toMatchObject({ Type: 'SPOT', AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', MaxvCpus: 256 });
    expect(second.ComputeResources).toMatchObject({ Type: 'EC2', AllocationStrategy: 'BEST_FIT_PROGRESSIVE', MaxvCpus: 256 });
    expect(first.ComputeResources.InstanceTypes).toEqual(['c6i', 'm6i', 'r6i']);
    expect(first.ComputeResources.Ec2Configuration).toEqual([{ ImageType: 'ECS_AL2023' }]);
  });

  test('backs cpu-ondemand with on-demand capacity only', () => {
    const envs = environmentsOf(template, 'ComputeCpuOndemandQueue');
    expect(envs).toHaveLength(1);
    expect(envs[0].ComputeResources).toMatchObject({ Type: 'EC2', InstanceTypes: ['c6i', 'm6i', 'r6i'] });
  });

  test('backs gpu with GPU families only, no `optimal`, on the ECS GPU AMI', () => {
    const [gpu] = environmentsOf(template, 'ComputeGpuQueue');
    expect(gpu.ComputeResources.InstanceTypes).toEqual(['g5', 'g6', 'g6e']);
    expect(gpu.ComputeResources.Ec2Configuration).toEqual([{ ImageType: 'ECS_AL2023_NVIDIA' }]);
    expect(gpu.ComputeResources.MaxvCpus).toBe(64);
  });

  test('backs fargate with Fargate', () => {
    const [fargate] = environmentsOf(template, 'ComputeFargateQueue');
    expect(fargate.ComputeResources).toMatchObject({ Type: 'FARGATE', MaxvCpus: 64 });
  });

  test('launches EC2 hosts from a pinned launch template version with IMDSv2 and encrypted gp3 roots sized per queue', () => {
    const sizes = Object.values(template.findResources('AWS::EC2::LaunchTemplate')).map((lt) => {
      const data = lt.Properties.LaunchTemplateData;
      expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required' });
      const [root] = data.BlockDeviceMappings;
      expect(root).toMatchObject({ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } });
      return root.Ebs.VolumeSize;
    });
    expect(sizes.sort()).toEqual([200, 64, 64].sort());
    for (const env of environmentsOf(template, 'ComputeGpuQueue')) {
      const [template_, attribute] = env.ComputeResources.LaunchTemplate.Version['Fn::GetAtt'];
      expect([template_, attribute]).toEqual([expect.stringMatching(/^ComputeGpuQueueLaunchTemplate/), 'LatestVersionNumber']);
    }
  });

  test('keeps the hosts\' instance metadata, and their role\'s credentials, from the jobs\' containers (CT.EC2.PR.2)', () => {
    const launchTemplates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(launchTemplates).toHaveLength(3);
    for (const lt of launchTemplates) {
      expect(lt.Properties.LaunchTemplateData.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    }
  });

  test('lets a queue that asks for it give containers the instance metadata, one hop further', () => {
    const { stack } = compute({ gpu: { containerInstanceMetadata: true } });
    const hopLimits = Object.entries(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))
      .map(([id, lt]) => [id.replace(/QueueLaunchTemplate.*$/, ''), lt.Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit]);
    expect(Object.fromEntries(hopLimits)).toEqual({ ComputeCpu: 1, ComputeCpuOndemand: 1, ComputeGpu: 2 });
  });

  test('lets nothing connect in', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0' })],
      SecurityGroupIngress: Match.absent(),
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('creates an image repository that scans on push and expires untagged images', () => {
    template.hasResource('AWS::ECR::Repository', {
      Properties: Match.objectLike({
        ImageScanningConfiguration: { ScanOnPush: true },
        // a tag names one image for good (CT.ECR.PR.3)
        ImageTagMutability: 'IMMUTABLE',
        LifecyclePolicy: { LifecyclePolicyText: Match.serializedJson({ rules: [Match.objectLike({
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
          action: { type: 'expire' },
        })] }) },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('retries a job on spot reclamation and exits on anything else', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      RetryStrategy: {
        Attempts: 3,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'EXIT', OnReason: '*' },
        ],
      },
      Timeout: { AttemptDurationSeconds: 4 * 3600 },
      PlatformCapabilities: ['EC2'],
      ContainerProperties: Match.objectLike({
        ResourceRequirements: Match.arrayWith([{ Type: 'MEMORY', Value: '4096' }, { Type: 'VCPU', Value: '2' }]),
      }),
    });
  });

  test('keeps job logs for three months in a retained log group every job writes to', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({ LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({
        'awslogs-group': { Ref: Match.stringLikeRegexp('^ComputeJobLogs') },
      }) } }),
    });
  });
});

describe('BatchCompute image tags', () => {
  test('stay movable when asked; making them immutable updates the repository in place', () => {
    const mutable = compute({ mutableImageTags: true }).stack;
    const repositories = (stack: Stack) => Template.fromStack(stack).findResources('AWS::ECR::Repository');
    expect(Object.values(repositories(mutable))[0].Properties.ImageTagMutability).toBe('MUTABLE');
    const immutable = compute().stack;
    expect(Object.keys(repositories(immutable))).toEqual(Object.keys(repositories(mutable)));
    expect(statefulLosses(Template.fromStack(mutable).toJSON(), Template.fromStack(immutable).toJSON())).toEqual([]);
  });
});

describe('BatchCompute queues and jobs', () => {
  test('takes an image from its own repository by default, and GPUs, secrets and environment per job', () => {
    const { stack, compute: c } = compute();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'hf-token'); // the team's, rotated elsewhere
    c.addJobDefinition('Train', {
      imageTag: 'v3', vcpus: 8, memoryMiB: 61440, gpuCount: 1,
      environment: { EPOCHS: '10' }, secrets: { HF_TOKEN: batch.Secret.fromSecretsManager(secret) },
    });
    checkedTemplate(stack, { regulated: true }).hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({
        Image: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':v3$')])] },
        ResourceRequirements: Match.arrayWith([{ Type: 'GPU', Value: '1' }]),
        Environment: [{ Name: 'EPOCHS', Value: '10' }],
        Secrets: [{ Name: 'HF_TOKEN', ValueFrom: { 'Fn::Join': ['', Match.arrayWith([':secret:hf-token']) ] } }],
      }),
    });
  });

  test('takes its repository\'s latest image when given no tag', () => {
    const { stack, compute: c } = compute();
    c.addJobDefinition('Report', { vcpus: 1, memoryMiB: 2048 });
    const [definition] = Object.values(Template.fromStack(stack).findResources('AWS::Batch::JobDefinition'));
    expect(definition.Properties.ContainerProperties.Image['Fn::Join'][1].slice(-3)).toEqual(['/', { Ref: expect.stringMatching(/^ComputeImages/) }, ':latest']);
  });

  test('keeps job logs three months unless told otherwise, and gives each job a role of its own that ECS tasks assume', () => {
    const { stack, compute: c } = compute();
    const train = c.addJobDefinition('Train', { vcpus: 1, memoryMiB: 2048 });
    const template = Template.fromStack(stack);
    expect(Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('ComputeJobLogs')).map(([, r]) => r.Properties.RetentionInDays))
      .toEqual([90]);
    const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: 'Role of the Train Batch job' } });
    expect(Object.values(roles).map((r) => r.Properties.AssumeRolePolicyDocument.Statement)).toEqual([
      [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' } }],
    ]);
    expect(train.container.jobRole).toBeDefined();
  });

  test('acknowledges the image pull\'s unscoped action on the execution role only when it pulls from the repository', () => {
    const { compute: c } = compute();
    const own = c.addJobDefinition('Own', { vcpus: 1, memoryMiB: 2048 });
    const given = c.addJobDefinition('Given', { image, vcpus: 1, memoryMiB: 2048 });
    expect(acknowledgementsOn(own.container.executionRole).map(([id]) => id)).toContain('Annotation::AwsSolutions-IAM5[Resource::*]');
    expect(acknowledgementsOn(given.container.executionRole)).toEqual([]);
  });

  test('gives the on-demand CPU and Fargate queues the options they were given', () => {
    const { stack } = compute({ cpuOnDemand: { maxvCpus: 32 }, fargate: { maxvCpus: 16 } });
    const template = Template.fromStack(stack);
    expect(environmentsOf(template, 'ComputeCpuOndemandQueue').map((e) => e.ComputeResources.MaxvCpus)).toEqual([32]);
    expect(environmentsOf(template, 'ComputeFargateQueue').map((e) => e.ComputeResources.MaxvCpus)).toEqual([16]);
  });

  test('refuses a queue name that is a token or none, whole', () => {
    const { compute: c } = compute({ standardQueues: false });
    expect(problemLines(() => c.queue('cpu'))).toEqual(['name = "cpu": BatchCompute has no queue "cpu"; it has none']);
    const token = Lazy.string({ produce: () => 'cpu' });
    expect(problemLines(() => c.queue(token))).toEqual([`name = "${token}": give the queue's name as a plain string`]);
    expect(problemLines(() => c.addQueue(token))).toEqual([`name = "${token}": give a plain string: the queue's construct id is made from it`]);
    expect(problemLines(() => c.addQueue(''))).toEqual(['name = "": use 1 to 32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen']);
    for (const name of ['gpu--2', 'gpu-', '2gpu']) {
      expect(problemLines(() => c.addQueue(name))).toEqual([`name = "${name}": use 1 to 32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen`]);
    }
    // from JavaScript: a list of one name prints as the name, and is still no name
    expect(problemLines(() => c.addQueue(['gpu'] as any))).toEqual(['name = ["gpu"]: use 1 to 32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen']);
    expect(problemLines(() => compute().compute.queue('highmem')))
      .toEqual(['name = "highmem": BatchCompute has no queue "highmem"; it has "cpu", "cpu-ondemand", "gpu", "fargate"']);
  });

  test('checks an added GPU queue as a GPU queue', () => {
    const { compute: c } = compute({ standardQueues: false });
    expect(problemLines(() => c.addQueue('gpu2', { gpu: true, rootVolumeSizeGiB: 99 })))
      .toEqual(['options.rootVolumeSizeGiB = 99: give a whole number of GiB from 100 to 16384 (GPU images need room)']);
    expect(() => c.addQueue('gpu3', { gpu: true, rootVolumeSizeGiB: 100 })).not.toThrow();
  });

  test('runs Fargate jobs with a public IP in public subnets', () => {
    const { stack, compute: c } = compute();
    c.addJobDefinition('Small', { image, fargate: true, vcpus: 0.5, memoryMiB: 1024 });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: Match.objectLike({ NetworkConfiguration: { AssignPublicIp: 'ENABLED' } }),
    });
  });

  test('adds queues, for example highmem, and names them in errors', () => {
    const { stack, compute: c } = compute({ standardQueues: false });
    const highmem = c.addQueue('highmem', { instanceClasses: [ec2.InstanceClass.R7I], maxvCpus: 512, spot: true });
    expect(c.queueNames).toEqual(['highmem']);
    expect(c.queue('highmem')).toBe(highmem);
    expect(problemLines(() => c.queue('gpu'))).toEqual(['name = "gpu": BatchCompute has no queue "gpu"; it has "highmem"']);
    expect(problemLines(() => c.addQueue('highmem'))).toEqual(['name = "highmem": give each queue its own name']);
    expect(problemLines(() => c.addQueue('High_Mem'))).toEqual(['name = "High_Mem": use 1 to 32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen']);
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({ InstanceTypes: ['r7i'], MaxvCpus: 512, Type: 'SPOT' }),
    });
  });

  test('takes queue names of up to 32 characters and refuses each fault whole: a bad name, a twin\'s id, an id taken, a token', () => {
    const { compute: c } = compute({ standardQueues: false });
    const longest = `q${'x'.repeat(31)}`;
    expect(c.addQueue(longest).queueName).toBe(longest);
    const nameFix = 'use 1 to 32 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen';
    expect(validationErrorOf(() => c.addQueue(`${longest}x`)).message).toBe(`Invalid props for BatchCompute.addQueue('${longest}x'):\n  - name = "${longest}x": ${nameFix}`);
    c.addQueue('gpu2');
    expect(validationErrorOf(() => c.addQueue('gpu-2')).message).toBe('Invalid props for BatchCompute.addQueue(\'gpu-2\'):\n'
      + '  - name = "gpu-2": it would take the construct id Gpu2Queue of queue "gpu2": pick a name that differs in more than hyphens');
    new Construct(c, 'ExtraQueue');
    expect(validationErrorOf(() => c.addQueue('extra')).message).toBe('Invalid props for BatchCompute.addQueue(\'extra\'):\n'
      + '  - name = "extra": ExtraQueue is taken by another part of this BatchCompute: pick another name');
    const token = Lazy.string({ produce: () => 'late' });
    expect(validationErrorOf(() => c.addQueue(token)).problems.map((p) => p.fix)).toEqual(['give a plain string: the queue\'s construct id is made from it']);
    expect(validationErrorOf(() => c.queue(token)).problems.map((p) => p.fix)[0]).toBe('give the queue\'s name as a plain string');
    expect(validationErrorOf(() => compute({ standardQueues: false }).compute.queue('cpu')).message)
      .toBe('Invalid props for BatchCompute.queue:\n  - name = "cpu": BatchCompute has no queue "cpu"; it has none');
  });

  test('refuses settings of what it will not make, each whole: standard queues it leaves out, the lifecycle of a repository it is given, a multi-node job without its queue', () => {
    const { stack } = compute();
    const { vpc } = new DataScienceNetwork(stack, 'Other');
    const repository = new ecr.Repository(stack, 'Own');
    expect(validationErrorOf(() => new BatchCompute(stack, 'Bare', {
      vpc, standardQueues: false, cpu: { maxvCpus: 8 }, repository, untaggedImageExpiration: Duration.days(3),
    })).message).toBe('Invalid props for BatchCompute:\n'
      + '  - untaggedImageExpiration = "3 days": leave it unset when you bring your own repository: it sets up the new repository\'s lifecycle only\n'
      + '  - cpu = {"maxvCpus":8}: it configures a standard queue, which standardQueues: false leaves out; add your queues with addQueue');
    expect(validationErrorOf(() => compute().compute.addMultiNodeJobDefinition('Train', { image } as any)).message)
      .toBe('Invalid props for BatchCompute.addMultiNodeJobDefinition(\'Train\'):\n  - multiNode = undefined: give the BatchCompute a multi-node queue first '
        + '(its multiNode prop; on the team stack multiNode, or -c multiNode=true): multi-node jobs run there alone');
  });

  test('refuses queue options whole: EC2 options on Fargate, a root volume below what the AMI needs, a class EC2 lacks', () => {
    const fargate = 'leave it unset on a Fargate queue; use an EC2 queue for it';
    expect(validationErrorOf(() => compute({
      fargate: { gpu: true, instanceClasses: [ec2.InstanceClass.M7I], rootVolumeSizeGiB: 30 } as any,
      cpu: { rootVolumeSizeGiB: 29, instanceClasses: ['m99' as ec2.InstanceClass] },
      gpu: { rootVolumeSizeGiB: 99, maxvCpus: 0.5 },
    })).message).toBe('Invalid props for BatchCompute:\n'
      + '  - cpu.rootVolumeSizeGiB = 29: give a whole number of GiB from 30 to 16384 (the ECS AMI needs 30)\n'
      + '  - cpu.instanceClasses[0] = "m99": use one of ec2.InstanceClass, for example ec2.InstanceClass.M7I\n'
      + '  - gpu.maxvCpus = 0.5: give a whole number above 0, for example 256\n'
      + '  - gpu.rootVolumeSizeGiB = 99: give a whole number of GiB from 100 to 16384 (GPU images need room)\n'
      + `  - fargate.gpu = "true": ${fargate}\n`
      + `  - fargate.instanceClasses = ["m7i"]: ${fargate}\n`
      + `  - fargate.rootVolumeSizeGiB = "30": ${fargate}`);
    expect(() => compute({ cpu: { rootVolumeSizeGiB: 30 }, gpu: { rootVolumeSizeGiB: 100 }, fargate: { maxvCpus: 1 } })).not.toThrow();
  });

  test('refuses props of the wrong kind, whole, each with its fix', () => {
    expect(problemLines(() => compute({
      repository: 42 as any, encryptionKey: {} as any, logRetention: 42 as any, removalPolicy: 'keep' as any,
      cpu: 'spot' as any, multiNode: 'efa' as any,
    }))).toEqual([
      'repository = 42: give an ecr.IRepository, such as new ecr.Repository(this, "Images")',
      'encryptionKey = {}: give a kms.IKey CloudWatch Logs may use, such as new kms.Key(this, "Key", { enableKeyRotation: true })',
      'logRetention = 42: use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods',
      'removalPolicy = "keep": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
      'cpu = "spot": give an object of props, for example { maxvCpus: 128 }',
      'multiNode = "efa": give an object of props, for example { efa: true }',
    ]);
  });

  test('says what its security group, key and image expiry are for', () => {
    const template = Template.fromStack(compute().stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'Batch compute environments: egress only, nothing may connect in' });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts Batch job logs' });
    const [repository] = Object.values(template.findResources('AWS::ECR::Repository'));
    expect(JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules[0].description).toBe('Expire untagged images');
  });

  test('takes p4d and p5 on the GPU queue, spelled as EC2 spells them', () => {
    const { stack } = compute({
      gpu: { instanceClasses: [ec2.InstanceClass.P4D, ec2.InstanceClass.GRAPHICS5], instanceTypes: [new ec2.InstanceType('p5.48xlarge')], spot: true },
    });
    const [spot, onDemand] = environmentsOf(Template.fromStack(stack), 'ComputeGpuQueue');
    expect(spot.ComputeResources).toMatchObject({ Type: 'SPOT', InstanceTypes: ['p5.48xlarge', 'p4d', 'g5'] });
    expect(onDemand.ComputeResources.Ec2Configuration).toEqual([{ ImageType: 'ECS_AL2023_NVIDIA' }]);
  });

  test('gives each queue\'s AWS/Batch metrics, by queue name', () => {
    const { stack, compute: c } = compute();
    const metric = c.queue('gpu').metric('SomeJobMetric', { statistic: 'Sum' });
    expect(metric.namespace).toBe('AWS/Batch');
    expect(metric.statistic).toBe('Sum');
    expect(stack.resolve(metric.dimensions)).toEqual({
      JobQueueName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': [expect.stringMatching(/^ComputeGpuQueueJobQueue/), 'JobQueueArn'] }] }] }] }] },
    });
  });

  test('attaches a fair-share scheduling policy when given', () => {
    const { stack, compute: c } = compute({ standardQueues: false });
    const policy = new batch.FairshareSchedulingPolicy(stack, 'Share', { shares: [{ shareIdentifier: 'fraud', weightFactor: 1 }] });
    c.addQueue('shared', { schedulingPolicy: policy });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobQueue', {
      SchedulingPolicyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Share'), 'Arn'] },
    });
  });

  test('grantSubmit allows SubmitJob on its queues and job definitions only, later ones included', () => {
    const { stack, compute: c } = compute();
    const role = new iam.Role(stack, 'Submitter', { assumedBy: new iam.AccountRootPrincipal() });
    c.addJobDefinition('Before', { image });
    c.grantSubmit(role);
    c.addJobDefinition('After', { image });
    c.addQueue('late');
    const statements = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('SubmitterDefaultPolicy'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(new Set(statements.flatMap((s: any) => [s.Action].flat()))).toEqual(new Set(['batch:SubmitJob']));
    const resources = JSON.stringify(statements.map((s: any) => s.Resource));
    for (const id of ['ComputeCpuQueueJobQueue', 'ComputeGpuQueueJobQueue', 'ComputeLateQueueJobQueue', 'ComputeBefore', 'ComputeAfter']) {
      expect(resources).toContain(id);
    }
    expect(resources).not.toContain('*');
  });

  test.each([
    ['a GPU queue given CPU instance types', { gpu: { instanceTypes: [new ec2.InstanceType('c6i.xlarge')] } },
      'gpu.instanceTypes[0] = "c6i.xlarge": a GPU queue takes NVIDIA GPU families only, such as g5, g6, g6e, p4d or p5'],
    ['a GPU queue given a CPU family', { gpu: { instanceClasses: [ec2.InstanceClass.M6I] } }, 'gpu.instanceClasses[0] = "m6i": a GPU queue takes NVIDIA GPU families only, such as g5, g6, g6e, p4d or p5'],
    ['a GPU queue with a small root volume', { gpu: { rootVolumeSizeGiB: 50 } }, 'gpu.rootVolumeSizeGiB = 50: give a whole number of GiB from 100 to 16384 (GPU images need room)'],
    ['zero max vCPUs', { cpu: { maxvCpus: 0 } }, 'cpu.maxvCpus = 0: give a whole number above 0, for example 256'],
    ['negative max vCPUs', { fargate: { maxvCpus: -4 } }, 'fargate.maxvCpus = -4: give a whole number above 0, for example 256'],
    ['a root volume too small for the AMI', { cpu: { rootVolumeSizeGiB: 8 } }, 'cpu.rootVolumeSizeGiB = 8: give a whole number of GiB from 30 to 16384 (the ECS AMI needs 30)'],
    ['a queue without instances', { cpuOnDemand: { instanceClasses: [] } }, 'cpuOnDemand.instanceClasses = []: give at least one instance class or type'],
  ])('rejects %s', (_, props, message) => {
    expect(problemLines(() => compute(props))).toEqual([message].flat());
  });

  test('a refusal names the BatchCompute in its message', () => {
    expect(() => compute({ cpu: { maxvCpus: 0 } })).toThrow('Invalid props for BatchCompute:\n  - cpu.maxvCpus = 0: give a whole number above 0, for example 256');
  });

  test.each([
    ['a Fargate job asking for a GPU', { fargate: true, gpuCount: 1 }, 'gpuCount = 1: Fargate has no GPUs: leave gpuCount at 0 or run the job on the gpu queue (fargate: false)'],
    ['memory too small for the vCPUs', { vcpus: 4, memoryMiB: 1024 }, 'memoryMiB = 1024: give at least 512 MiB per vCPU (2048 MiB for 4 vCPUs)'],
    ['a fractional vCPU on EC2', { vcpus: 0.5 }, 'vcpus = 0.5: give a whole number of vCPUs, 1 or more (EC2 jobs take whole vCPUs)'],
    ['a Fargate size Fargate does not have', { fargate: true, vcpus: 3 }, 'vcpus = 3: Fargate takes 1, 2, 4, 8, 16, 0.25, 0.5 vCPUs'],
    ['Fargate memory out of its range', { fargate: true, vcpus: 1, memoryMiB: 512 }, 'memoryMiB = 512: Fargate with 1 vCPU takes 2048 to 8192 MiB in steps of 1024'],
    ['more GPUs than an instance has', { gpuCount: 9 }, 'gpuCount = 9: give a whole number from 0 to 8'],
    ['zero attempts', { attempts: 0 }, 'attempts = 0: give a whole number from 1 to 10'],
  ])('rejects %s', (_, props, message) => {
    expect(problemLines(() => compute().compute.addJobDefinition('Bad', { image, ...props }))).toEqual([message].flat());
  });

  test('takes a timeout and attempts per job', () => {
    const { stack, compute: c } = compute();
    c.addJobDefinition('Score', { image, timeout: Duration.minutes(30), attempts: 5 });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      Timeout: { AttemptDurationSeconds: 1800 }, RetryStrategy: Match.objectLike({ Attempts: 5 }),
    });
  });

  test('runs a job as the role the user brings', () => {
    const { stack, compute: c } = compute();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const job = c.addJobDefinition('Score', { image, jobRole: role });
    expect(job.container.jobRole).toBe(role);
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({ JobRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } }),
    });
  });

  test('runs in the private subnets of a VPC that has them', () => {
    const stack = new Stack(newTestApp(), 'Compute');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const c = new BatchCompute(stack, 'Compute', { vpc });
    expect(c.subnets).toEqual({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    // where a Fargate task reaches out through NAT, with no public IP
    c.addJobDefinition('Small', { image, fargate: true, vcpus: 0.5, memoryMiB: 1024 });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: Match.objectLike({ NetworkConfiguration: { AssignPublicIp: 'DISABLED' } }),
    });
  });
});
