import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ComputeQueue, ComputeQueueProps } from '../../../constructs/compute';
import { newTestApp } from '../../support/synth';
import { problemLines, validationErrorOf } from '../../support/validation';

/** A queue made on its own, as an organization would next to its own VPC. */
function queue(props: Partial<ComputeQueueProps> = {}) {
  const stack = new Stack(newTestApp(), 'Queues');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const securityGroup = new ec2.SecurityGroup(stack, 'Hosts', { vpc });
  const made = new ComputeQueue(stack, 'Queue', { queueName: 'cpu', vpc, subnets: { subnetType: ec2.SubnetType.PUBLIC }, securityGroup, ...props });
  return { stack, queue: made };
}

/** The queue's compute environments, in its order. */
function environments(stack: Stack): any[] {
  const template = Template.fromStack(stack);
  const [jobQueue] = Object.values(template.findResources('AWS::Batch::JobQueue'));
  const all = template.findResources('AWS::Batch::ComputeEnvironment');
  return [...jobQueue.Properties.ComputeEnvironmentOrder]
    .sort((a: any, b: any) => a.Order - b.Order)
    .map((e: any) => all[e.ComputeEnvironment['Fn::GetAtt'][0]].Properties.ComputeResources);
}

describe('ComputeQueue', () => {
  test('runs on EC2 unless asked for Fargate, on demand unless asked for spot', () => {
    const { stack, queue: q } = queue();
    expect([q.fargate, q.gpu]).toEqual([false, false]);
    expect(environments(stack).map((r) => [r.Type, r.MaxvCpus])).toEqual([['EC2', 256]]);
  });

  test('on Fargate with spot, runs on Fargate Spot first and on Fargate once that is full', () => {
    const { stack, queue: q } = queue({ fargate: true, spot: true });
    expect(q.fargate).toBe(true);
    expect(environments(stack).map((r) => [r.Type, r.MaxvCpus])).toEqual([['FARGATE_SPOT', 64], ['FARGATE', 64]]);
    expect(environments(queue({ fargate: true }).stack).map((r) => r.Type)).toEqual(['FARGATE']);
  });

  test('puts every environment in the security group it is given, and keeps EC2 hosts on the latest image', () => {
    for (const fargate of [false, true]) {
      const { stack } = queue({ fargate, spot: true });
      const group = { 'Fn::GetAtt': [expect.stringMatching(/^Hosts/), 'GroupId'] };
      expect(environments(stack).map((r) => r.SecurityGroupIds)).toEqual([[group], [group]]);
      expect(environments(stack).map((r) => r.UpdateToLatestImageVersion)).toEqual(fargate ? [undefined, undefined] : [true, true]);
    }
  });

  test('orders its environments from 1', () => {
    const { stack } = queue({ fargate: true, spot: true });
    const [jobQueue] = Object.values(Template.fromStack(stack).findResources('AWS::Batch::JobQueue'));
    expect(jobQueue.Properties.ComputeEnvironmentOrder.map((e: any) => e.Order)).toEqual([1, 2]);
  });

  test('refuses a name and a security group of the wrong kind, whole, under its name', () => {
    expect(validationErrorOf(() => queue({ queueName: 'GPU', securityGroup: 'sg-1' as any })).message).toBe('Invalid props for ComputeQueue \'GPU\':\n'
      + '  - queueName = "GPU": use lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen\n'
      + '  - securityGroup = "sg-1": give an ec2.ISecurityGroup, such as new ec2.SecurityGroup(this, "Hosts", { vpc })');
  });

  test('refuses options of the wrong kind with their fixes, and a GPU queue\'s classes as a GPU queue\'s', () => {
    expect(problemLines(() => queue({ instanceClasses: 'm7i' as any, instanceTypes: 'm7i.large' as any, schedulingPolicy: 42 as any }))).toEqual([
      'instanceClasses = "m7i": give a list, for example [ec2.InstanceClass.M7I]',
      'instanceTypes = "m7i.large": give a list, for example [new ec2.InstanceType("m7i.large")]',
      'schedulingPolicy = 42: give a batch.ISchedulingPolicy, such as new batch.FairshareSchedulingPolicy(this, "Shares")',
    ]);
    expect(problemLines(() => queue({ gpu: true, instanceClasses: [ec2.InstanceClass.M7I] })))
      .toEqual(['instanceClasses[0] = "m7i": a GPU queue takes NVIDIA GPU families only, such as g5, g6, g6e, p4d or p5']);
  });

  test('takes a Fargate queue\'s EC2 switches when they are off', () => {
    expect(() => queue({ fargate: true, gpu: false, containerInstanceMetadata: false })).not.toThrow();
    expect(problemLines(() => queue({ fargate: true, gpu: true }))).toEqual(['gpu = "true": leave it unset on a Fargate queue; use an EC2 queue for it']);
  });

  test('takes instance types alone, with no instance class', () => {
    const { stack } = queue({ instanceClasses: [], instanceTypes: [new ec2.InstanceType('m7i.large')] });
    expect(environments(stack)[0].InstanceTypes).toEqual(['m7i.large']);
    expect(problemLines(() => queue({ instanceClasses: [], instanceTypes: [] }))).toEqual(['instanceClasses = []: give at least one instance class or type']);
  });

  test('refuses an instance type that is none, once, on a GPU queue too', () => {
    const fix = 'give an ec2.InstanceType, such as new ec2.InstanceType("m7i.large")';
    expect(problemLines(() => queue({ instanceTypes: ['m7i.large' as any] }))).toEqual([`instanceTypes[0] = "m7i.large": ${fix}`]);
    expect(problemLines(() => queue({ gpu: true, instanceTypes: ['m7i.large' as any, new ec2.InstanceType('m7i.large')] }))).toEqual([
      `instanceTypes[0] = "m7i.large": ${fix}`, 'instanceTypes[1] = "m7i.large": a GPU queue takes NVIDIA GPU families only, such as g5, g6, g6e, p4d or p5',
    ]);
    expect(problemLines(() => queue({ gpu: true, instanceTypes: [null as any] }))).toEqual(['instanceTypes[0] = null: give the element a value, or take it out of the list']);
  });
});
