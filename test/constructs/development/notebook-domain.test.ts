import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { Tags } from 'aws-cdk-lib';
import { statefulLosses } from '../../../bin/stateful-guard/stateful-changes';
import { DataScienceStack, DataScienceStackProps, NetworkProfile, NotebookDomain, NotebookLimits, NotebookNetworkAccess } from '../../../lib';
import { statefulResources } from '../../support/stateful';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemsOf, problemLines, validationErrorOf } from '../../support/validation';

function team(props: Partial<DataScienceStackProps> = {}): DataScienceStack {
  return new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', notebooks: {}, exampleWorkflow: false, ...props });
}

const domainOf = (template: Template) => Object.values(template.findResources('AWS::SageMaker::Domain'))[0];

describe('the notebook domain of a team stack', () => {
  let stack: DataScienceStack;
  let template: Template;
  beforeAll(() => {
    stack = team();
    template = checkedTemplate(stack, { regulated: true });
  });

  test('authenticates with IAM and encrypts its file system and volumes with the stack\'s key', () => {
    template.hasResourceProperties('AWS::SageMaker::Domain', {
      DomainName: 'data-science-dev',
      AuthMode: 'IAM',
      KmsKeyId: { 'Fn::GetAtt': [stack.resolve((stack.dataKey.node.defaultChild as any).logicalId), 'Arn'] },
      TagPropagation: 'ENABLED',
      DomainSettings: { ExecutionRoleIdentityConfig: 'USER_PROFILE_NAME' },
    });
  });

  test('runs JupyterLab on ml.t3.medium, shutting it down after 60 idle minutes that its owner may not lengthen', () => {
    expect(domainOf(template).Properties.DefaultUserSettings.JupyterLabAppSettings).toEqual({
      AppLifecycleManagement: { IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: 60, MinIdleTimeoutInMinutes: 60, MaxIdleTimeoutInMinutes: 60 } },
      DefaultResourceSpec: { InstanceType: 'ml.t3.medium' },
    });
  });

  test('starts a space\'s volume at 5 GiB and lets it grow to 20 GiB at most', () => {
    expect(domainOf(template).Properties.DefaultUserSettings.SpaceStorageSettings).toEqual({
      DefaultEbsStorageSettings: { DefaultEbsVolumeSizeInGb: 5, MaximumEbsVolumeSizeInGb: 20 },
    });
  });

  test('in the public profile, reaches the internet through SageMaker and keeps its file system in the stack\'s subnets', () => {
    const { Properties } = domainOf(template);
    expect(Properties.AppNetworkAccessType).toBe('PublicInternetOnly');
    expect(Properties.VpcId).toEqual(stack.resolve(stack.network.vpc.vpcId));
    expect(Properties.SubnetIds).toEqual(stack.network.vpc.publicSubnets.map((s) => stack.resolve(s.subnetId)));
    expect(stack.notebookDomain!.securityGroup).toBeUndefined();
  });

  test('is retained, with its file system, when the stack is deleted; a dev stack that destroys its data deletes it', () => {
    expect(domainOf(template).DeletionPolicy).toBe('Retain');
    expect(domainOf(Template.fromStack(team({ destroyDataOnDelete: true }))).DeletionPolicy).toBe('Delete');
  });

  test('adds the domain alone to the stateful resources, under a pinned id', () => {
    const without = statefulResources(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', exampleWorkflow: false }));
    expect(statefulResources(stack)).toEqual({ ...without, NotebooksDomainB24D11DE: 'AWS::SageMaker::Domain' });
  });

  test('a change that would replace the domain, such as a new tag on the stack, is caught before a deploy', () => {
    const tagged = team();
    Tags.of(tagged).add('cost-center', 'ml');
    expect(statefulLosses(template.toJSON(), Template.fromStack(tagged).toJSON()))
      .toEqual([{ logicalId: 'NotebooksDomainB24D11DE', type: 'AWS::SageMaker::Domain', impact: 'WILL_REPLACE' }]);
  });

  test('gives a profile without a role of its own a role that may do nothing', () => {
    const roleId = domainOf(template).Properties.DefaultUserSettings.ExecutionRole['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    expect(attached).toEqual([]);
    expect(role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => [s.Action, s.Principal.Service])).toEqual([
      [['sts:AssumeRole', 'sts:SetSourceIdentity'], 'sagemaker.amazonaws.com'],
    ]);
  });

  test('publishes what a sandbox\'s notebook needs, and the domain id as an output', () => {
    const published = (name: string) => Object.values(template.findResources('AWS::SSM::Parameter', { Properties: { Name: `/cdk-data-science/data-science/dev/${name}` } }))
      .map((p) => p.Properties.Value);
    expect(published('notebook-domain-id')).toEqual([{ 'Fn::GetAtt': ['NotebooksDomainB24D11DE', 'DomainId'] }]);
    expect(published('notebook-instance-types')).toEqual([NotebookLimits.DEFAULT_ALLOWED_INSTANCE_TYPES.join(',')]);
    expect(published('notebook-default-instance-type')).toEqual(['ml.t3.medium']);
    expect(published('notebook-idle-timeout-minutes')).toEqual(['60']);
    template.hasOutput('NotebookDomainId', { Value: { 'Fn::GetAtt': ['NotebooksDomainB24D11DE', 'DomainId'] } });
  });

  test('allows one GPU type among a bounded list of small instance types', () => {
    const allowed = NotebookLimits.DEFAULT_ALLOWED_INSTANCE_TYPES;
    expect(allowed.length).toBeLessThanOrEqual(NotebookLimits.MAX_ALLOWED_INSTANCE_TYPES);
    expect(allowed.filter((type) => /^ml\.(g|p)\d/.test(type))).toEqual(['ml.g5.xlarge']);
    expect(allowed).toContain(NotebookLimits.DEFAULT_INSTANCE_TYPE);
    // each a distinct instance type of up to 8 vCPUs: medium (2), large (2), xlarge (4), 2xlarge (8)
    expect(allowed.filter((type) => !/^ml\.[a-z][a-z0-9]*\.(medium|large|xlarge|2xlarge)$/.test(type))).toEqual([]);
    expect(new Set(allowed).size).toBe(allowed.length);
  });

  test('takes the team\'s idle timeout, instance types and volume bound', () => {
    const custom = Template.fromStack(team({
      notebooks: { idleTimeoutMinutes: 120, defaultInstanceType: 'ml.m5.large', allowedInstanceTypes: ['ml.m5.large', 'ml.g6.xlarge'], maxSpaceVolumeSizeGiB: 50 },
    }));
    const settings = domainOf(custom).Properties.DefaultUserSettings;
    expect(settings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings).toMatchObject({ IdleTimeoutInMinutes: 120, MaxIdleTimeoutInMinutes: 120 });
    expect(settings.JupyterLabAppSettings.DefaultResourceSpec).toEqual({ InstanceType: 'ml.m5.large' });
    expect(settings.SpaceStorageSettings.DefaultEbsStorageSettings.MaximumEbsVolumeSizeInGb).toBe(50);
    custom.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cdk-data-science/data-science/dev/notebook-instance-types', Value: 'ml.m5.large,ml.g6.xlarge' });
  });
});

describe.each([NetworkProfile.NAT, NetworkProfile.PRIVATE])('the notebook domain in the %s profile', (network) => {
  let stack: DataScienceStack;
  let template: Template;
  beforeAll(() => {
    stack = team({ network });
    template = checkedTemplate(stack, { regulated: true });
  });

  test('keeps every app\'s traffic in the stack\'s private subnets, behind a security group of its own', () => {
    const { Properties } = domainOf(template);
    expect(Properties.AppNetworkAccessType).toBe('VpcOnly');
    expect(Properties.SubnetIds).toEqual(stack.network.vpc.selectSubnets(stack.network.computeSubnets).subnetIds.map((id) => stack.resolve(id)));
    expect(Properties.DefaultUserSettings.SecurityGroups).toEqual([stack.resolve(stack.notebookDomain!.securityGroup!.securityGroupId)]);
    // no address range may reach the apps: only the domain's own apps
    const group = template.toJSON().Resources[Properties.DefaultUserSettings.SecurityGroups[0]['Fn::GetAtt'][0]];
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 8192, ToPort: 65535, SourceSecurityGroupId: Properties.DefaultUserSettings.SecurityGroups[0],
    });
  });
});

describe('NotebookDomain on its own', () => {
  test('creates a key of its own and picks the most private subnets of a VPC it is given', () => {
    const stack = new Stack(newTestApp(), 'Org');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const domain = new NotebookDomain(stack, 'Notebooks', { vpc });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SageMaker::Domain', {
      AppNetworkAccessType: 'VpcOnly',
      SubnetIds: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
      DomainName: 'Org-Notebooks',
      KmsKeyId: Match.anyValue(),
    });
    expect(domain.networkAccess).toBe(NotebookNetworkAccess.VPC_ONLY);
  });

  test.each([
    [{ idleTimeoutMinutes: 30 }, 'notebooks.idleTimeoutMinutes = 30: give a whole number from 60 to 720'],
    [{ idleTimeoutMinutes: 1440 }, 'notebooks.idleTimeoutMinutes = 1440: give a whole number from 60 to 720'],
    [{ allowedInstanceTypes: [] }, ['notebooks.allowedInstanceTypes = []: give 1 to 10 instance types', 'notebooks.defaultInstanceType = "ml.t3.medium": give one of allowedInstanceTypes, or add it to them']],
    [{ allowedInstanceTypes: ['ml.t3.medium', 't3.large'] }, 'notebooks.allowedInstanceTypes[1] = "t3.large": give a SageMaker instance type, for example "ml.t3.medium"'],
    [{ defaultInstanceType: 'ml.p4d.24xlarge' }, 'notebooks.defaultInstanceType = "ml.p4d.24xlarge": give one of allowedInstanceTypes, or add it to them'],
    [{ maxSpaceVolumeSizeGiB: 1000 }, 'notebooks.maxSpaceVolumeSizeGiB = 1000: give a whole number from 5 to 500'],
  ])('rejects %p', (notebooks, message) => {
    const make = () => team({ notebooks });
    expect(problemLines(make)).toEqual([message].flat());
  });

  test('says what its key is for, and goes in the isolated subnets of a VPC that has no others', () => {
    const stack = new Stack(newTestApp(), 'Org');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const domain = new NotebookDomain(stack, 'Notebooks', { vpc });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the notebooks\' file system and volumes' });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Runs apps of a profile that names no role: it may do nothing' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Notebook apps: out through the VPC endpoints or NAT gateway, in only from each other',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { Description: 'Studio apps of this domain', FromPort: 8192, ToPort: 65535, IpProtocol: 'tcp' });
    // Studio opens on its own page, with JupyterLab the one app it shows
    const settings = domainOf(template).Properties.DefaultUserSettings;
    expect(settings.DefaultLandingUri).toBe('studio::');
    expect(settings.StudioWebPortalSettings).toEqual({ HiddenAppTypes: ['JupyterServer', 'CodeEditor', 'RStudioServerPro', 'Canvas'] });
    template.hasResourceProperties('AWS::SageMaker::Domain', { AppNetworkAccessType: 'VpcOnly', SubnetIds: vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)) });
    expect(domain.networkAccess).toBe(NotebookNetworkAccess.VPC_ONLY);
  });

  test.each([
    ['Org', 'Notebooks_', 'Org-Notebooks'],
    ['Org', '__Notebooks__', 'Org-Notebooks'],
    ['Org', 'Team..Notebooks', 'Org-Team-Notebooks'],
    // 64 characters as a name: the first is cut, and the hyphen it leaves
    ['S', `${'x'.repeat(60)}/N`, `${'x'.repeat(60)}-N`],
    ['S', `${'x'.repeat(61)}/N`, `${'x'.repeat(61)}-N`],
  ])('named after its path when given no name: %s/%s is %s', (stackId, path, name) => {
    const stack = new Stack(newTestApp(), stackId);
    const [parent, id] = path.includes('/') ? path.split('/') : [undefined, path];
    const scope = parent ? new Construct(stack, parent) : stack;
    new NotebookDomain(scope, id, { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 1 }) });
    expect(domainOf(Template.fromStack(stack)).Properties.DomainName).toBe(name);
  });

  test('refuses a VPC without subnets, and subnets it does not have, by name', () => {
    const stack = new Stack(newTestApp(), 'Org');
    const bare = ec2.Vpc.fromVpcAttributes(stack, 'Bare', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] });
    expect(problemLines(() => new NotebookDomain(stack, 'Notebooks', { vpc: bare }))).toEqual([
      'subnets = "{}": select subnets the VPC has (There are no \'Public\' subnet groups in this VPC. Available types: )',
    ]);
    const isolated = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(problemLines(() => new NotebookDomain(stack, 'Private', { vpc: isolated, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))).toEqual([
      'subnets = "subnetType: Private": select subnets the VPC has (There are no \'Private\' subnet groups in this VPC. Available types: Isolated,Deprecated_Isolated)',
    ]);
  });

  test('refuses props of the wrong kind under its name, each with its fix', () => {
    const stack = new Stack(newTestApp(), 'Org');
    expect(validationErrorOf(() => new NotebookDomain(stack, 'Notebooks', {
      vpc: new ec2.Vpc(stack, 'Vpc'), networkAccess: 'vpc' as any, allowedInstanceTypes: ['ml.t3.medium', undefined as any], defaultInstanceType: null as any,
      encryptionKey: 'alias/notebooks' as any,
    })).message).toBe('Invalid props for NotebookDomain:\n'
      + '  - networkAccess = "vpc": use NotebookNetworkAccess.VPC_ONLY or NotebookNetworkAccess.PUBLIC_INTERNET_ONLY\n'
      + '  - allowedInstanceTypes[1] = undefined: give a SageMaker instance type, for example "ml.t3.medium"\n'
      + '  - encryptionKey = "alias/notebooks": give a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
  });

  test('refuses a default instance type SageMaker does not spell so', () => {
    const stack = new Stack(newTestApp(), 'Org');
    expect(problemLines(() => new NotebookDomain(stack, 'Notebooks', { vpc: new ec2.Vpc(stack, 'Vpc'), defaultInstanceType: 't3.medium' }))).toEqual([
      'defaultInstanceType = "t3.medium": give a SageMaker instance type, for example "ml.t3.medium"',
      'defaultInstanceType = "t3.medium": give one of allowedInstanceTypes, or add it to them',
    ]);
  });

  test('refuses instance types given as text once, as no list', () => {
    const stack = new Stack(newTestApp(), 'Org');
    expect(problemLines(() => new NotebookDomain(stack, 'Notebooks', { vpc: new ec2.Vpc(stack, 'Vpc'), allowedInstanceTypes: 'ml.t3.medium' as any })))
      .toEqual(['allowedInstanceTypes = "ml.t3.medium": give 1 to 10 instance types']);
  });

  test('refuses VPC_ONLY in public subnets, which SageMaker refuses', () => {
    const stack = new Stack(newTestApp(), 'Org');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(problemLines(() => new NotebookDomain(stack, 'Notebooks', { vpc, networkAccess: NotebookNetworkAccess.VPC_ONLY })))
      .toEqual(['networkAccess = "VpcOnly": give private subnets (SageMaker takes no public subnet for VPC_ONLY), or use PUBLIC_INTERNET_ONLY']);
  });

  test('rejects more than ten instance types, and a domain name SageMaker would refuse', () => {
    const vpc = (stack: Stack, id = 'Vpc') => new ec2.Vpc(stack, id);
    const eleven = Array.from({ length: 11 }, (_, i) => `ml.m5.${i + 1}xlarge`);
    expect(problemLines(() => team({ notebooks: { allowedInstanceTypes: eleven, defaultInstanceType: 'ml.m5.1xlarge' } }))).toEqual(['notebooks.allowedInstanceTypes = ["ml.m5.1xlarge","ml.m5.2xlarge","ml.m5.3xlarge","ml.m5.4xlarge","ml.m5.5xlarge","ml.m5.6xlarge","ml.m5.7xlarge","ml.m5.8xlarge","ml.m5.9xlarge","ml.m5.10xlarge","ml.m5.11xlarge"]: give 1 to 10 instance types']);
    const stack = new Stack(newTestApp(), 'Org');
    expect(problemLines(() => new NotebookDomain(stack, 'Notebooks', { vpc: vpc(stack), domainName: 'team_notebooks' }))).toEqual(['domainName = "team_notebooks": give 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit']);
    // 63 characters, hyphens counted
    expect(problemLines(() => new NotebookDomain(stack, 'Longer', { vpc: vpc(stack, 'LongerVpc'), domainName: `${'a-'.repeat(32)}a` })))
      .toEqual([`domainName = "${'a-'.repeat(32)}a": give 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit`]);
    expect(() => new NotebookDomain(stack, 'Longest', { vpc: vpc(stack, 'LongestVpc'), domainName: `${'a-'.repeat(31)}a` })).not.toThrow();
  });

  test('wild options end in a valid domain or a ValidationError, nothing else', () => {
    fc.assert(fc.property(
      fc.record({
        idleTimeoutMinutes: fc.option(fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.double()), { nil: undefined }),
        maxSpaceVolumeSizeGiB: fc.option(fc.integer({ min: -5, max: 1000 }), { nil: undefined }),
        allowedInstanceTypes: fc.option(fc.array(fc.constantFrom('ml.t3.medium', 'ml.m5.large', 'ml.g5.xlarge', 'p3', ''), { maxLength: 12 }), { nil: undefined }),
        defaultInstanceType: fc.option(fc.constantFrom('ml.t3.medium', 'ml.m5.large', 'bad'), { nil: undefined }),
      }),
      (options) => {
        const stack = new Stack(newTestApp(), 'Org');
        const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
        if (problemsOf(() => new NotebookDomain(stack, 'Notebooks', { vpc, ...options })).length > 0) {
          return;
        }
        const idle = domainOf(Template.fromStack(stack)).Properties.DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings;
        expect(idle.IdleTimeoutInMinutes).toBeGreaterThanOrEqual(60);
        expect(idle.IdleTimeoutInMinutes).toBeLessThanOrEqual(720);
      },
    ), { numRuns: 40 });
  });
});
