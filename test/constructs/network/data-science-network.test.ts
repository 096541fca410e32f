import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DataScienceNetwork, NetworkProfile } from '../../../constructs/network';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines, validationErrorOf } from '../../support/validation';

describe('DataScienceNetwork', () => {
  test('creates a VPC that costs nothing idle: public subnets, no NAT, free gateway endpoints, flow logs', () => {
    const stack = new Stack(newTestApp(), 'Net');
    const network = new DataScienceNetwork(stack, 'Network');
    const template = checkedTemplate(stack, { regulated: true });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Retain' });
    expect(network.publicCompute).toBe(true);
    expect(network.computeSubnets).toEqual({ subnetType: ec2.SubnetType.PUBLIC });
  });

  test('uses a VPC the user brings, in its private subnets, and creates nothing', () => {
    const app = newTestApp();
    const vpc = new ec2.Vpc(new Stack(app, 'Org'), 'Own', { natGateways: 1 });
    const stack = new Stack(app, 'Team');
    const network = new DataScienceNetwork(stack, 'Network', { vpc });
    expect(network.vpc).toBe(vpc);
    expect(network.flowLogGroup).toBeUndefined();
    expect(network.computeSubnets).toEqual({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    expect(stack.node.findAll().filter((c) => c instanceof CfnResource)).toEqual([]);
  });

  test('takes the flow log settings', () => {
    const stack = new Stack(newTestApp(), 'Net');
    new DataScienceNetwork(stack, 'Network', { flowLogsTrafficType: ec2.FlowLogTrafficType.ALL, maxAzs: 1 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    template.resourceCountIs('AWS::EC2::Subnet', 1);
  });

  test.each([
    [{ maxAzs: 0 }, 'maxAzs = 0: give a whole number from 1 to 6'],
    [{ maxAzs: 2.5 }, 'maxAzs = 2.5: give a whole number from 1 to 6'],
  ])('rejects %j', (props, message) => {
    expect(problemLines(() => new DataScienceNetwork(new Stack(), 'Network', props))).toEqual([message].flat());
  });

  test.each([
    [NetworkProfile.NAT, ec2.SubnetType.PRIVATE_WITH_EGRESS, 2],
    [NetworkProfile.PRIVATE, ec2.SubnetType.PRIVATE_ISOLATED, 24],
  ])('profile %s: private subnets only, compute and functions in them, and every regulated pack passes', (profile, subnetType, endpoints) => {
    const stack = new Stack(newTestApp(), 'Net');
    const network = new DataScienceNetwork(stack, 'Network', { profile, maxAzs: 2 });
    const template = checkedTemplate(stack, { regulated: true });
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', endpoints);
    expect(network.computeSubnets).toEqual({ subnetType });
    expect(network.profile).toBe(profile);
    expect(network.publicCompute).toBe(false);
    const functions = template.toJSON().Resources[stack.getLogicalId(network.functionSecurityGroup!.node.defaultChild as CfnResource)].Properties;
    expect(functions).toMatchObject({ GroupDescription: 'Functions of the stack: they call AWS APIs, nothing may connect in', SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }] });
    expect(functions.SecurityGroupIngress).toBeUndefined();
  });

  test('private, it has an interface endpoint for each service its hosts, functions and jobs call, and no other', () => {
    const stack = new Stack(newTestApp(), 'Net', { env: { account: '111122223333', region: 'eu-west-1' } });
    new DataScienceNetwork(stack, 'Network', { profile: NetworkProfile.PRIVATE, maxAzs: 2 });
    const endpoints = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    expect(endpoints.map((e) => e.Properties.ServiceName.replace(/^com\.amazonaws\.eu-west-1\./, '')).sort()).toEqual([
      'athena', 'batch', 'cloudformation', 'ec2', 'ecr.api', 'ecr.dkr', 'ecs', 'ecs-agent', 'ecs-telemetry', 'glue', 'kms', 'lambda', 'logs',
      'sagemaker.api', 'sagemaker.runtime', 'sns', 'sqs', 'ssm', 'states', 'sts', 'sync-states', 'xray',
    ]);
  });

  test('encrypts its flow logs with a key of its own, named for them, unless given one', () => {
    const stack = new Stack(newTestApp(), 'Net');
    new DataScienceNetwork(stack, 'Network');
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    expect(Object.values(keys).map((k) => k.Properties.Description)).toEqual(['Encrypts VPC flow logs']);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Object.keys(keys)[0], 'Arn'] } });
  });

  test('rejects a profile beside a VPC the user brings, and one it does not know', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Own');
    expect(problemLines(() => new DataScienceNetwork(stack, 'Network', { vpc, profile: NetworkProfile.NAT }))).toEqual(['profile = "nat": leave profile unset when you bring your own vpc']);
    expect(problemLines(() => new DataScienceNetwork(stack, 'Other', { profile: 'open' as NetworkProfile }))).toEqual(['profile = "open": use one of "public", "nat", "private"']);
  });

  test('refuses the nat profile, naming the prop and the release, on an aws-cdk-lib without regional NAT gateways (before 2.273.0)', () => {
    const regionalGateway = Object.getOwnPropertyDescriptor(ec2.NatProvider, 'regionalGateway')!;
    Object.defineProperty(ec2.NatProvider, 'regionalGateway', { value: undefined, configurable: true });
    try {
      expect(problemLines(() => new DataScienceNetwork(new Stack(), 'Network', { profile: NetworkProfile.NAT })))
        .toEqual(['profile = "nat": the nat profile needs a regional NAT gateway, which aws-cdk-lib makes from 2.273.0 on: upgrade aws-cdk-lib, or use "private"']);
      expect(() => new DataScienceNetwork(new Stack(), 'Network', { profile: NetworkProfile.PRIVATE })).not.toThrow();
    } finally {
      Object.defineProperty(ec2.NatProvider, 'regionalGateway', regionalGateway);
    }
  });

  test('rejects maxAzs beside a VPC the user brings', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Own');
    expect(problemLines(() => new DataScienceNetwork(stack, 'Network', { vpc, maxAzs: 2 }))).toEqual(['maxAzs = 2: leave maxAzs unset when you bring your own vpc']);
  });
});

describe('DataScienceNetwork props of the wrong kind', () => {
  test('are refused whole, under its name, each with its fix', () => {
    const stack = new Stack(newTestApp(), 'Network');
    const maxAzs = Lazy.number({ produce: () => 2 });
    expect(validationErrorOf(() => new DataScienceNetwork(stack, 'Network', {
      maxAzs, flowLogsTrafficType: 'EVERYTHING' as any, flowLogsRetention: 42 as any, removalPolicy: 'keep' as any, encryptionKey: 'alias/logs' as any,
    })).message.split('\n')).toEqual([
      'Invalid props for DataScienceNetwork:',
      // a number token prints as its token text
      expect.stringMatching(/^ {2}- maxAzs = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number: the subnets are laid out at synth time$/),
      '  - flowLogsTrafficType = "EVERYTHING": use one of "ACCEPT", "ALL", "REJECT"',
      '  - flowLogsRetention = 42: use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods',
      '  - removalPolicy = "keep": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
      '  - encryptionKey = "alias/logs": give a kms.IKey CloudWatch Logs may use, such as new kms.Key(this, "Key", { enableKeyRotation: true })',
    ]);
  });
});

describe('a private network\'s provider functions', () => {
  test('wait for every subnet, route and interface endpoint they reach AWS through', () => {
    const stack = new Stack(newTestApp(), 'Network');
    new DataScienceNetwork(stack, 'Network', { profile: NetworkProfile.PRIVATE });
    const resources = Template.fromStack(stack).toJSON().Resources;
    const ids = (type: string) => Object.keys(resources).filter((id) => resources[id].Type === type).sort();
    const handler = Object.entries<any>(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('CustomVpcRestrictDefaultSG'))![1];
    const waits = new Set<string>(handler.DependsOn);
    const needed = [...ids('AWS::EC2::Subnet'), ...ids('AWS::EC2::SubnetRouteTableAssociation'), ...ids('AWS::EC2::RouteTable'),
      ...ids('AWS::EC2::VPCEndpoint').filter((id) => resources[id].Properties.VpcEndpointType === 'Interface')];
    expect(needed.length).toBeGreaterThan(20);
    expect(needed.filter((id) => !waits.has(id))).toEqual([]);
  });
});

describe('the subnets of a network', () => {
  test.each([
    [NetworkProfile.PUBLIC, 'NetworkVpcpublicSubnet'],
    [NetworkProfile.NAT, 'NetworkVpcprivateSubnet'],
    [NetworkProfile.PRIVATE, 'NetworkVpcisolatedSubnet'],
  ])('keep their names in the %s profile, as their logical ids carry them', (profile, prefix) => {
    const stack = new Stack(newTestApp(), 'Network');
    new DataScienceNetwork(stack, 'Network', { profile });
    const subnets = Object.keys(Template.fromStack(stack).findResources('AWS::EC2::Subnet'));
    expect(subnets.length).toBeGreaterThan(0);
    expect(subnets.filter((id) => !id.startsWith(prefix))).toEqual([]);
  });
});
