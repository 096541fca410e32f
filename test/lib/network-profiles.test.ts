import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { endpointServicePrefixes } from '../../constructs/network/service-endpoints';
import { DataScienceStack, NetworkProfile, ValidationError } from '../../lib';
import { acknowledgementsOn } from '../support/acknowledgements';
import { checkedTemplate, newTestApp } from '../support/synth';

function team(network?: NetworkProfile): DataScienceStack {
  return new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', network });
}

/** The team stack with the opt-in feature layer: Spark workers run in the compute subnets, as a job's role. */
/** The endpoint policies' perimeter: this account's principals to this account's resources, and AWS services on its behalf. */
const OWN_PRINCIPALS_TO_OWN_RESOURCES = {
  Sid: 'OwnPrincipalsToOwnResources', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' }, 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } },
};
const AWS_SERVICES_ON_OUR_BEHALF = {
  Sid: 'AwsServicesOnOurBehalf', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*',
  Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
};

function teamWithSpark(network: NetworkProfile): DataScienceStack {
  const stack = team(network);
  const job = stack.addSparkRuntime('Spark').addJob('BuildFeatures', { entryPointKey: 'code/features/build.py' });
  stack.warehouse.raw.grantRead(job, 'events/');
  stack.warehouse.curated.grantWrite(job, 'features/');
  return stack;
}

/** Rules about where hosts and functions sit: no profile but `public` may acknowledge them. */
const PLACEMENT_RULES = ['VPCSubnetAutoAssignPublicIpDisabled', 'VPCNoUnrestrictedRouteToIGW', 'LambdaInsideVPC', 'EC2InstanceNoPublicIp'];

function acknowledgedRules(stack: Stack): string[] {
  return stack.node.findAll().flatMap((c) => acknowledgementsOn(c).map(([rule]) => rule));
}

describe.each([NetworkProfile.NAT, NetworkProfile.PRIVATE])('DataScienceStack with network %s', (network) => {
  let stack: DataScienceStack;
  let template: Template;
  beforeAll(() => {
    stack = teamWithSpark(network);
    // AwsSolutions, Serverless, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1, CloudFormation's rules
    // and Control Tower's proactive controls
    template = checkedTemplate(stack, { regulated: true, controlTower: true });
  });

  test('acknowledges no VPC or function placement rule: it passes them', () => {
    const placement = acknowledgedRules(stack).filter((rule) => PLACEMENT_RULES.some((r) => rule.includes(r)));
    expect(placement).toEqual([]);
    expect(acknowledgedRules(team()).filter((rule) => rule.includes('LambdaInsideVPC')).length).toBeGreaterThan(0);
  });

  test('has no public subnet, no public IP and no route to the internet gateway', () => {
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
      expect(route.Properties.GatewayId).toBeUndefined();
    }
    template.allResourcesProperties('AWS::Batch::JobDefinition', Match.objectLike({
      ContainerProperties: Match.not(Match.objectLike({ NetworkConfiguration: { AssignPublicIp: 'ENABLED' } })),
    }));
    expect(stack.network.publicCompute).toBe(false);
  });

  test('runs every function, aws-cdk-lib\'s providers included, in the compute subnets', () => {
    const subnets = stack.network.vpc.selectSubnets(stack.network.computeSubnets).subnetIds.map((id) => stack.resolve(id));
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(2);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.VpcConfig.SubnetIds).toEqual(subnets);
      expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([stack.resolve(stack.network.functionSecurityGroup!.securityGroupId)]);
    }
    // each function's role may manage its network interfaces
    for (const roleId of Object.values(functions).map((fn) => fn.Properties.Role['Fn::GetAtt'][0])) {
      expect(JSON.stringify(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns)).toContain('AWSLambdaVPCAccessExecutionRole');
    }
  });

  test('runs Batch hosts and Fargate jobs in the compute subnets', () => {
    const subnets = stack.network.vpc.selectSubnets(stack.network.computeSubnets).subnetIds.map((id) => stack.resolve(id));
    for (const environment of Object.values(template.findResources('AWS::Batch::ComputeEnvironment'))) {
      expect(environment.Properties.ComputeResources.Subnets).toEqual(subnets);
    }
  });

  test('runs Spark workers in the compute subnets, behind an egress-only security group', () => {
    const subnets = stack.network.vpc.selectSubnets(stack.network.computeSubnets).subnetIds.map((id) => stack.resolve(id));
    const [application] = Object.values(template.findResources('AWS::EMRServerless::Application'));
    expect(application.Properties.NetworkConfiguration.SubnetIds).toEqual(subnets);
    const [group] = application.Properties.NetworkConfiguration.SecurityGroupIds;
    expect(template.toJSON().Resources[group['Fn::GetAtt'][0]].Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('records the profile on the VPC for the stateful guard', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'cdk-data-science:network', Value: network }]) });
  });
});

describe('network nat', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(team(NetworkProfile.NAT));
  });

  test('sends egress through one regional NAT gateway that needs no public subnet', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::NatGateway', { AvailabilityMode: 'regional', ConnectivityType: 'public' });
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::Route', 2);
    template.allResourcesProperties('AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
  });
});

describe('network private', () => {
  let template: Template;
  let resources: Record<string, any>;
  beforeAll(() => {
    template = Template.fromStack(teamWithSpark(NetworkProfile.PRIVATE));
    resources = template.toJSON().Resources;
  });

  test('has no way out: no internet gateway, no NAT, no route', () => {
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::Route']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('reaches AWS through endpoints with private DNS and a perimeter policy, open to HTTPS from the VPC only', () => {
    const interfaces = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    expect(interfaces).toHaveLength(22);
    for (const endpoint of interfaces) {
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
      expect(endpoint.Properties.SubnetIds).toHaveLength(2);
      const statement = endpoint.Properties.PolicyDocument.Statement[0];
      expect(statement.Condition.StringEquals).toEqual({ 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' }, 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } });
    }
    // HTTPS in from the VPC's range, nothing out (aws-cdk-lib's rule that matches no traffic)
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
      SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', Description: 'HTTPS from the VPC', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
      SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, ToPort: 86, IpProtocol: 'icmp' }],
    });
    const gateways = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    expect(gateways.map((g) => g.Properties.PolicyDocument.Statement[0].Sid)).toEqual(['OwnPrincipalsToOwnResources', 'OwnPrincipalsToOwnResources']);
  });

  test('knows the IAM service prefix each endpoint service answers for', () => {
    const services = ['ecs', 'ecs-agent', 'ecs-telemetry', 'ecr.api', 'ecr.dkr', 'states', 'sync-states', 'sagemaker.api', 'sagemaker.runtime', 's3'];
    expect(Object.fromEntries(services.map((service) => [service, endpointServicePrefixes(service)]))).toEqual({
      'ecs': ['ecs'], 'ecs-agent': ['ecs'], 'ecs-telemetry': ['ecs'], 'ecr.api': ['ecr'], 'ecr.dkr': ['ecr'], 'states': ['states'], 'sync-states': ['states'],
      'sagemaker.api': ['sagemaker'], 'sagemaker.runtime': ['sagemaker'], 's3': ['s3'],
    });
  });

  test('has an endpoint for each service its hosts, tasks, functions and jobs call, each by its service name', () => {
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties.ServiceName['Fn::Join'][1][2]);
    expect(services.sort()).toEqual([
      '.athena', '.batch', '.cloudformation', '.dynamodb', '.ec2', '.ecr.api', '.ecr.dkr', '.ecs', '.ecs-agent', '.ecs-telemetry', '.glue', '.kms',
      '.lambda', '.logs', '.s3', '.sagemaker.api', '.sagemaker.runtime', '.sns', '.sqs', '.ssm', '.states', '.sts', '.sync-states', '.xray',
    ]);
  });

  test('lets through an interface endpoint the account\'s principals to its resources, and AWS services on its behalf; nothing else', () => {
    const [endpoint] = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    expect(endpoint.Properties.PolicyDocument).toEqual({ Version: '2012-10-17', Statement: [OWN_PRINCIPALS_TO_OWN_RESOURCES, AWS_SERVICES_ON_OUR_BEHALF] });
  });

  test('lets through the S3 gateway the account\'s own buckets, ECR\'s image layers and CloudFormation\'s responses; DynamoDB\'s, the account\'s own tables', () => {
    const policies = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))
      .map((e) => e.Properties.PolicyDocument);
    const arn = (...parts: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]] });
    const awsOwnedBuckets = {
      Sid: 'AwsOwnedBuckets', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:GetObject', 's3:PutObject'],
      Resource: [
        arn(':s3:::cloudformation-custom-resource-response-', { 'Fn::Join': ['', { 'Fn::Split': ['-', { Ref: 'AWS::Region' }] }] }, '/*'),
        arn(':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*'),
      ],
    };
    expect(policies).toEqual([
      { Version: '2012-10-17', Statement: [OWN_PRINCIPALS_TO_OWN_RESOURCES, awsOwnedBuckets] },
      { Version: '2012-10-17', Statement: [OWN_PRINCIPALS_TO_OWN_RESOURCES] },
    ]);
  });

  test('the example jobs take their image from the team\'s repository', () => {
    const images = Object.values(template.findResources('AWS::Batch::JobDefinition')).map((j) => JSON.stringify(j.Properties.ContainerProperties.Image));
    expect(images.every((image) => image.includes('python-3.12-slim') && !image.includes('public.ecr.aws'))).toBe(true);
  });

  /**
   * Every service a role that runs inside the VPC may call has an endpoint. Roles that AWS
   * services assume call from outside the VPC, so their services need none; this table says
   * why for each, and an unknown principal fails the test.
   */
  const CALLS_FROM_OUTSIDE: Record<string, string> = {
    'states.amazonaws.com': 'Step Functions calls its integrations from the service side',
    'events.amazonaws.com': 'EventBridge starts targets from the service side',
    'scheduler.amazonaws.com': 'EventBridge Scheduler invokes targets from the service side',
    'vpc-flow-logs.amazonaws.com': 'flow logs are delivered by the VPC service itself',
    'glue.amazonaws.com': 'Glue Data Quality evaluates a catalog table on Glue\'s own workers: the table has no connection into the VPC',
  };
  // Spark workers call AWS from their network interfaces in the compute subnets, as the job's role
  const IN_VPC = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'emr-serverless.amazonaws.com'];
  /** The service prefixes of the AWS managed policies roles in the VPC carry. */
  const MANAGED_POLICY_PREFIXES: Record<string, string[]> = {
    AWSLambdaBasicExecutionRole: ['logs'],
    AWSLambdaVPCAccessExecutionRole: ['ec2', 'logs'],
    AmazonEC2ContainerServiceforEC2Role: ['ec2', 'ecs', 'ecr', 'logs'],
  };
  /** Prefixes a statement may name that are not network calls. */
  const NOT_CALLS: Record<string, string> = { iam: 'iam:PassRole is checked by the receiving service, not called' };

  test('every service named by a role inside the VPC has an endpoint', () => {
    const endpointPrefixes = new Set(Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::VPCEndpoint')
      .flatMap((r) => endpointServicePrefixes(r.Properties.ServiceName['Fn::Join'][1][2].slice(1))));
    const prefixesByRole = new Map<string, Set<string>>();
    const add = (roleId: string, actions: unknown) => ([] as string[]).concat(actions as string[])
      .forEach((action) => prefixesByRole.get(roleId)?.add(action.split(':')[0]));
    const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    for (const [id, role] of roles) {
      const principals = role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal.Service);
      const outside = principals.filter((p: string) => p in CALLS_FROM_OUTSIDE);
      expect([id, principals.filter((p: string) => !IN_VPC.includes(p) && !(p in CALLS_FROM_OUTSIDE))]).toEqual([id, []]);
      if (outside.length === 0) {
        prefixesByRole.set(id, new Set());
        for (const arn of role.Properties.ManagedPolicyArns ?? []) {
          const name = JSON.stringify(arn).match(/policy\/(?:service-role\/)?([A-Za-z0-9]+)/)![1];
          expect(MANAGED_POLICY_PREFIXES).toHaveProperty(name);
          MANAGED_POLICY_PREFIXES[name].forEach((prefix) => prefixesByRole.get(id)!.add(prefix));
        }
        (role.Properties.Policies ?? []).forEach((p: any) => p.PolicyDocument.Statement.forEach((s: any) => add(id, s.Action)));
      }
    }
    for (const policy of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      for (const roleRef of policy.Properties.Roles) {
        policy.Properties.PolicyDocument.Statement.forEach((s: any) => add(roleRef.Ref, s.Action));
      }
    }
    const inVpcRoles = [...prefixesByRole.keys()];
    expect(inVpcRoles.length).toBeGreaterThanOrEqual(10); // functions, Batch hosts, job and execution roles, Metaflow's task roles
    expect(inVpcRoles.some((id) => id.startsWith('SparkBuildFeaturesJobRole'))).toBe(true);
    const unreachable = [...prefixesByRole].flatMap(([id, prefixes]) => [...prefixes]
      .filter((prefix) => !endpointPrefixes.has(prefix) && !(prefix in NOT_CALLS))
      .map((prefix) => `${id}: ${prefix}`));
    expect(unreachable).toEqual([]);
  });
});

describe('network profile', () => {
  test('public is the default, template for template', () => {
    const explicit = Template.fromStack(team(NetworkProfile.PUBLIC)).toJSON();
    expect(explicit).toEqual(Template.fromStack(team()).toJSON());
  });

  test('public keeps hosts in public subnets and functions outside the VPC', () => {
    const template = Template.fromStack(team());
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    template.allResourcesProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
  });

  test('an unknown profile is a ValidationError naming the prop, the value and the choices', () => {
    const make = () => team('isolated' as NetworkProfile);
    expect(make).toThrow(ValidationError);
    expect(make).toThrow('network = "isolated": use one of "public", "nat", "private"');
  });

  test('refuses a profile beside a VPC the user brings', () => {
    const app = newTestApp();
    const vpc = new ec2.Vpc(new Stack(app, 'Org'), 'Vpc');
    expect(() => new DataScienceStack(app, 'Team', { teamName: 'fraud-models', vpc, network: NetworkProfile.PRIVATE }))
      .toThrow('network = "private": leave network unset when you bring your own vpc');
  });
});
