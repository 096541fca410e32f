import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BatchCompute, BatchComputeProps } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { checkedTemplate, newTestApp } from '../../support/synth';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');

function compute(props: Partial<BatchComputeProps> = {}) {
  const stack = new Stack(newTestApp(), 'Compute');
  const { vpc } = new DataScienceNetwork(stack, 'Network');
  return { stack, compute: new BatchCompute(stack, 'Compute', { vpc, ...props }) };
}

describe('BatchCompute', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, compute: c } = compute();
    c.addJobDefinition('Train', { image, vcpus: 2, memoryMiB: 4096 });
    template = checkedTemplate(stack);
  });

  test('backs the cpu queue with spot first, then on-demand, both scaling from zero', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({ Type: 'SPOT', AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', MinvCpus: 0, MaxvCpus: 256 }),
    });
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({ Type: 'EC2', AllocationStrategy: 'BEST_FIT_PROGRESSIVE', MinvCpus: 0 }),
    });
    const queue = Object.values(template.findResources('AWS::Batch::JobQueue'))[0];
    expect(queue.Properties.ComputeEnvironmentOrder.map((e: any) => e.Order)).toEqual([1, 2]);
  });

  test('launches only the instance families asked for, on the ECS Amazon Linux 2023 AMI', () => {
    for (const ce of Object.values(template.findResources('AWS::Batch::ComputeEnvironment'))) {
      expect(ce.Properties.ComputeResources.InstanceTypes).toEqual(['c6i', 'm6i', 'r6i']);
      expect(ce.Properties.ComputeResources.Ec2Configuration).toEqual([{ ImageType: 'ECS_AL2023' }]);
    }
  });

  test('uses a launch template with IMDSv2 and an encrypted gp3 root volume', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 100, VolumeType: 'gp3' } }],
      }),
    });
  });

  test('lets nothing connect in', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0' })],
      SecurityGroupIngress: Match.absent(),
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
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
      ContainerProperties: Match.objectLike({
        ResourceRequirements: Match.arrayWith([{ Type: 'MEMORY', Value: '4096' }, { Type: 'VCPU', Value: '2' }]),
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
      }),
    });
  });

  test('keeps job logs for three months and retains the log group', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({ LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({
        'awslogs-group': { Ref: Match.stringLikeRegexp('^ComputeJobLogs') },
      }) } }),
    });
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

  test.each([
    [{ maxvCpus: 0 }, 'maxvCpus = 0: give a whole number above 0'],
    [{ maxvCpus: -4 }, 'maxvCpus = -4'],
    [{ rootVolumeSizeGiB: 8 }, 'rootVolumeSizeGiB = 8'],
  ])('rejects %j', (props, message) => {
    expect(() => compute(props)).toThrow(message);
  });

  test.each([
    [{ vcpus: 4, memoryMiB: 1024 }, 'memoryMiB = 1024: give at least 512 MiB per vCPU (2048 MiB for 4 vCPUs)'],
    [{ vcpus: 0 }, 'vcpus = 0'],
    [{ vcpus: 0.5 }, 'vcpus = 0.5: give a whole number of vCPUs'],
    [{ memoryMiB: 1000.5 }, 'memoryMiB = 1000.5: give a whole number of MiB'],
    [{ attempts: 0 }, 'attempts = 0'],
  ])('rejects job %j', (props, message) => {
    expect(() => compute().compute.addJobDefinition('Bad', { image, ...props })).toThrow(message);
  });
});
