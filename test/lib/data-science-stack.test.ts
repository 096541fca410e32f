import { App, CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  DataScienceStack, DataScienceStackProps, DataScienceStage, DataScienceStages, EndpointHosting, ModelSource, NetworkProfile, TeamParameter, ValidationError,
} from '../../lib';
import { METAFLOW_OUTPUTS } from '../../constructs/metaflow/metaflow-settings';
import { STATEFUL_RESOURCE_TYPES } from '../../bin/stateful-guard/stateful-changes';
import { expectAlarms } from '../support/alarms';
import { endpointAlarms, runCloserAlarms, workflowAlarms } from '../support/alarm-specs';
import { expectBucketLifecycles, unfilteredExpirations } from '../support/bucket-lifecycles';
import { expectPublishedValues, OUTPUT_VALUES, publishedParameters } from '../support/published-values';
import { checkedTemplate, newTestApp } from '../support/synth';
import { problemLines, validationErrorOf } from '../support/validation';


function stack(props: Partial<DataScienceStackProps> = {}): DataScienceStack {
  return new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', ...props });
}

/** A stage's stack as checked with every pack, synthesized once for the file; dev is the default configuration. */
const checkedByStage = new Map<DataScienceStage, { team: DataScienceStack; template: Template }>();
function checkedStack(stage = DataScienceStage.DEV): Template {
  return checkedTeam(stage).template;
}
function checkedTeam(stage = DataScienceStage.DEV): { team: DataScienceStack; template: Template } {
  if (!checkedByStage.has(stage)) {
    const team = stack(stage === DataScienceStage.DEV ? {} : { stage });
    checkedByStage.set(stage, { team, template: checkedTemplate(team, { regulated: true, controlTower: true }) });
  }
  return checkedByStage.get(stage)!;
}

describe('DataScienceStack, default configuration', () => {
  let template: Template;
  beforeAll(() => {
    template = checkedStack();
  });


  test('holds each layer', () => {
    template.resourceCountIs('AWS::Glue::Database', 2);
    template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    template.resourceCountIs('AWS::Batch::JobQueue', 4);
    template.resourceCountIs('AWS::ECR::Repository', 1);
    // the example workflow, and the Express machine that closes the records of runs that time out or are stopped
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-old-versions' })]) },
    });
  });

  test('describes each role it gives a purpose of its own, so the IAM console says what the role is for', () => {
    const described = Object.entries(template.findResources('AWS::IAM::Role'))
      .filter(([, role]) => role.Properties.Description !== undefined)
      .map(([id, role]) => [id.replace(/[0-9A-F]{8}$/, ''), role.Properties.Description]);
    expect(Object.fromEntries(described)).toEqual({
      ComputeExamplepredictJobRole: 'Role of the Example-predict Batch job',
      ComputeExampletrainJobRole: 'Role of the Example-train Batch job',
      EventsChecksEvaluationRole: 'Evaluates data-quality ruleset Team-EventsChecks-62A51ED0 on fraud_models_dev_raw.events',
      ExampleWorkflowRunStarterRole: 'Starts runs of one workflow',
      ExampleWorkflowRunStarterSchedulerRole: 'Lets schedules invoke the run starter',
      MetaflowEventBridgeRole: 'Metaflow schedules',
      MetaflowFargateExecutionRole: 'Metaflow @batch tasks on Fargate: image pull and logs',
      MetaflowStepFunctionsRole: 'Metaflow state machines',
      MetaflowTaskRole: 'Metaflow @batch tasks',
      MonitoringEventsPublisher: 'Publishes this stack\'s monitoring events to its notification topic',
      RunsRunCloserEventsRole: 'Starts the run closer for runs that failed, timed out or were stopped',
    });
  });

  test('creates a VPC without NAT gateways and has no model endpoint', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    for (const type of ['AWS::SageMaker::Endpoint', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Model']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('names Glue databases and the Athena workgroup after team and stage', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'fraud_models_dev_raw' }) });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'fraud_models_dev_curated' }) });
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'fraud-models-dev' });
  });

  test('tags every taggable resource with team and stage', () => {
    const tags = Match.arrayWith([{ Key: 'stage', Value: 'dev' }, { Key: 'team', Value: 'fraud-models' }]);
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::EC2::VPC', 'AWS::StepFunctions::StateMachine']) {
      // CDK's own custom resource providers are raw resources that Tags do not reach
      const ours = Object.keys(template.findResources(type)).filter((id) => !id.startsWith('Custom'));
      expect(Object.keys(template.findResources(type, { Properties: { Tags: tags } }))).toEqual(ours);
    }
  });

  test('has five alarms, each asserted whole: the example workflow\'s failed, timed-out and stopped runs, and the run closer\'s', () => {
    const actions = [{ Ref: expect.stringMatching(/^Notifications/) }];
    expectAlarms(template, [
      ...workflowAlarms(template, { monitoring: 'Monitoring', workflow: 'ExampleWorkflow', stateMachine: 'ExampleWorkflowStateMachine', workflowName: 'example' }, actions),
      ...runCloserAlarms(template, 'RunsRunCloser', actions),
    ], 'the default stack\'s test in test/lib/data-science-stack.test.ts');
  });

  test('says whose stack and key they are, and takes notifications over TLS only, budgets\' among them', () => {
    expect(template.toJSON().Description).toBe('Data-science stack of team fraud-models (dev)');
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the data of team fraud-models (dev)' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^Notifications') }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        // sandbox budgets alert through it
        Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: Match.arrayWith(['budgets.amazonaws.com']) } }),
      ]) },
    });
  });

  test('publishes what users and tools need as outputs', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining([
      'RawBucketName', 'CuratedBucketName', 'AthenaWorkGroup', 'ArtifactBucketName', 'ExampleWorkflowArn', 'ImageRepositoryUri',
      'CpuJobQueueArn', 'CpuOndemandJobQueueArn', 'GpuJobQueueArn', 'FargateJobQueueArn',
    ]));
  });
});

/** A stack with every option that adds resources: notebooks, a private network, a replica; built once for the file. */
let everyOptionStack: { team: DataScienceStack; template: Template } | undefined;
function everyOption(): { team: DataScienceStack; template: Template } {
  if (!everyOptionStack) {
    const team = stack({
      network: NetworkProfile.PRIVATE, replicaRegion: 'us-west-2', env: { account: '111122223333', region: 'eu-west-1' },
      // not the defaults, so a parameter publishing a default instead of the team's setting fails
      notebooks: { idleTimeoutMinutes: 120, defaultInstanceType: 'ml.m5.large', allowedInstanceTypes: ['ml.t3.medium', 'ml.m5.large'] },
    });
    everyOptionStack = { team, template: Template.fromStack(team) };
  }
  return everyOptionStack;
}

describe('what a team stack publishes, by value', () => {
  test('each output says what it holds: a stack with every option', () => {
    const outputs = Object.entries<any>(everyOption().template.toJSON().Outputs);
    expect(Object.fromEntries(outputs.map(([name, output]) => [name, output.Description]))).toEqual({
      NotebookDomainId: 'SageMaker AI Studio domain of the team\'s notebooks',
      ExampleWorkflowArn: 'State machine of the example workflow',
      RawBucketName: 'Raw zone of the lake',
      CuratedBucketName: 'Curated (features) zone of the lake',
      RawDatabaseName: 'Glue database of the raw zone',
      CuratedDatabaseName: 'Glue database of the curated zone',
      AthenaWorkGroup: 'Athena workgroup for lake queries',
      CpuJobQueueArn: 'Batch job queue "cpu"',
      CpuOndemandJobQueueArn: 'Batch job queue "cpu-ondemand"',
      GpuJobQueueArn: 'Batch job queue "gpu"',
      FargateJobQueueArn: 'Batch job queue "fargate"',
      ImageRepositoryUri: 'ECR repository for job images',
      // the Metaflow setting each output fills, as `dsi metaflow-config` writes it (whose tests check the names)
      ...METAFLOW_OUTPUTS,
      Region: 'The stack\'s region',
      DashboardName: 'CloudWatch dashboard of the stack',
      JobLogGroupName: 'Where every Batch job logs',
      Workflows: 'Workflows by name, as JSON',
      ArtifactBucketName: 'Artifact store',
      NotificationTopicArn: 'Failed runs and alarms',
      RunRegistryTableName: 'One record per workflow run',
      ReplicaRegion: 'Region of the disaster-recovery replica',
      BackupRoleArn: 'Role AWS Backup backs up and restores the tables as',
    });
  });

  test('the default stack: each team parameter and output holds the resource it names', () => {
    const { team, template } = checkedTeam();
    expectPublishedValues(template, team);
  });

  test('a stack with every option (notebooks, a private network, a replica): every team parameter and output, each the resource it names', () => {
    const { team, template } = everyOption();
    // every parameter there is, and every output the tables know, is published here
    expect(Object.keys(publishedParameters(template, team)).sort()).toEqual(Object.values(TeamParameter).sort());
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(Object.keys(OUTPUT_VALUES).sort());
    expectPublishedValues(template, team);
    expect(publishedParameters(template, team)).toMatchObject({
      [TeamParameter.NOTEBOOK_INSTANCE_TYPES]: 'ml.t3.medium,ml.m5.large', [TeamParameter.NOTEBOOK_DEFAULT_INSTANCE_TYPE]: 'ml.m5.large',
      [TeamParameter.NOTEBOOK_IDLE_TIMEOUT_MINUTES]: '120',
    });
  });
});

describe('lifecycle rules of a team stack\'s buckets, each by its filter and actions', () => {
  const ABORT_UPLOADS = { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' };
  const expireOldVersions = (days: number) => ({ Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: days }, Status: 'Enabled' });
  const ACCESS_LOGS = [{ Id: 'expire-access-logs', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }];
  const RAW = [ABORT_UPLOADS, expireOldVersions(90), {
    Id: 'age-raw-data', Status: 'Enabled', Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 365 }],
  }];
  const CURATED = [ABORT_UPLOADS, expireOldVersions(90)];
  const ARTIFACTS = [ABORT_UPLOADS, expireOldVersions(30),
    // sandboxes' data only: the one expiration of current objects in the store
    { Id: 'expire-sandbox-data', Prefix: 'sandboxes/', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
    { Id: 'tier-old-artifacts', Status: 'Enabled', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] }];

  test('the default stack: the lake zones, query results, artifact store and access logs', () => {
    expectBucketLifecycles(checkedStack(), {
      AccessLogs: ACCESS_LOGS,
      WarehouseRawZoneBucket: RAW,
      WarehouseCuratedZoneBucket: CURATED,
      WarehouseQueryResults: [ABORT_UPLOADS,
        { Id: 'expire-query-results', ExpirationInDays: 7, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }],
      ArtifactsBucket: ARTIFACTS,
    }, 'the lifecycle test of test/lib/data-science-stack.test.ts');
  });

  test('the replica stack: each replica keeps its source\'s rules, the sandboxes\' prefix included', () => {
    expectBucketLifecycles(Template.fromStack(everyOption().team.replica!), {
      AccessLogs: ACCESS_LOGS, RawReplica: RAW, CuratedReplica: CURATED, ArtifactsReplica: ARTIFACTS,
    }, 'the lifecycle test of test/lib/data-science-stack.test.ts');
  });

  test('no rule expires a whole bucket\'s current objects but where that is the bucket\'s purpose', () => {
    const { team, template } = everyOption();
    for (const t of [checkedStack(), template, Template.fromStack(team.replica!)]) {
      expect(unfilteredExpirations(t)).toEqual([]);
    }
  });
});

describe.each(Object.values(DataScienceStage))('DataScienceStack in %s', (stage) => {
  test('retains every stateful resource and passes every check', () => {
    const resources = checkedStack(stage).toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
    const stateful = Object.entries(resources).filter(([, r]) => STATEFUL_RESOURCE_TYPES.includes(r.Type));
    expect(stateful.length).toBeGreaterThanOrEqual(10);
    for (const [id, resource] of stateful) {
      expect({ id, deletion: resource.DeletionPolicy, replace: resource.UpdateReplacePolicy })
        .toEqual({ id, deletion: 'Retain', replace: 'Retain' });
    }
  });
});

describe('DataScienceStack props', () => {
  test('protects only prod from deletion', () => {
    expect(stack({ stage: DataScienceStage.PROD }).terminationProtection).toBe(true);
    expect(stack({ stage: DataScienceStage.STAGING }).terminationProtection).toBe(false);
    expect(stack().terminationProtection).toBe(false);
  });

  test('sizes by stage: more vCPUs and a larger Athena cutoff in prod', () => {
    const dev = Template.fromStack(stack({ exampleWorkflow: false }));
    const prod = Template.fromStack(stack({ stage: DataScienceStage.PROD, exampleWorkflow: false }));
    // every queue's environments by the stage: its GPU queue by the stage's GPU limit
    const maxvCpus = (template: Template) => Object.fromEntries(Object.entries(template.findResources('AWS::Batch::ComputeEnvironment'))
      .map(([id, env]) => [id.replace(/[0-9A-F]{8}$/, ''), env.Properties.ComputeResources.MaxvCpus]));
    const sized = (cpu: number, gpu: number) => ({
      ComputeCpuQueueSpot: cpu, ComputeCpuQueueOnDemand: cpu, ComputeCpuOndemandQueueOnDemand: cpu, ComputeGpuQueueOnDemand: gpu, ComputeFargateQueueFargate: cpu,
    });
    expect(maxvCpus(dev)).toEqual(sized(64, 32));
    expect(maxvCpus(prod)).toEqual(sized(1024, 256));
    dev.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10 * 1024 ** 3 }),
    });
    prod.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 1024 * 1024 ** 3 }),
    });
  });

  test('uses a VPC the user brings and creates none', () => {
    const app = newTestApp();
    const shared = new Stack(app, 'Network');
    const vpc = new ec2.Vpc(shared, 'Vpc', { natGateways: 1, maxAzs: 2 });
    const team = new DataScienceStack(app, 'Team', { teamName: 'fraud-models', vpc });
    const template = Template.fromStack(team);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    // the brought VPC has private subnets with egress, so compute runs there
    const privateSubnetIds = vpc.privateSubnets.map((s) => team.resolve(s.subnetId));
    expect(privateSubnetIds).toHaveLength(2);
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({ Subnets: privateSubnetIds }),
    });
    expect(team.network.publicCompute).toBe(false);
  });

  test('synthesizes in an app without this repository\'s feature flags', () => {
    const team = new DataScienceStack(new App(), 'Team', { teamName: 'fraud-models' });
    Template.fromStack(team).resourceCountIs('AWS::S3::Bucket', 5);
  });

  test('keeps prod protected when terminationProtection is passed as undefined', () => {
    expect(stack({ stage: DataScienceStage.PROD, terminationProtection: undefined }).terminationProtection).toBe(true);
  });

  test.each([
    [DataScienceStage.DEV, 1],
    [DataScienceStage.PROD, 2],
  ])('adds model endpoints with the stage\'s instance count (%s: %d), key and topic', (stage, count) => {
    const team = stack({ stage, exampleWorkflow: false });
    const model = ModelSource.fromArtifact({ artifactStore: team.artifacts, modelDataKey: 'models/m/1/model.tar.gz', image: 'img:1' });
    team.addModelEndpoint('Serve', { hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'v1', model }] });
    const template = Template.fromStack(team);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
      ProductionVariants: [Match.objectLike({ InitialInstanceCount: count })],
    });
    expectAlarms(template, endpointAlarms(template, 'Serve', {
      variants: ['v1'], errors: 0, latencyMillis: DataScienceStages.settingsOf(stage).endpointLatencyAlarmMillis, actions: [{ Ref: expect.stringMatching(/^Notifications/) }],
    }), 'test/lib/data-science-stack.test.ts');
    template.hasResourceProperties('AWS::SageMaker::Model', { VpcConfig: Match.absent() });
  });

  test('runs model endpoints in the private subnets of a VPC that has them', () => {
    const app = newTestApp();
    const vpc = new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { natGateways: 1 });
    const team = new DataScienceStack(app, 'Team', { teamName: 'fraud-models', vpc, exampleWorkflow: false });
    const model = ModelSource.fromArtifact({ artifactStore: team.artifacts, modelDataKey: 'models/m/1/model.tar.gz', image: 'img:1' });
    team.addModelEndpoint('Serve', { hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'v1', model }] });
    team.addModelEndpoint('Light', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'v1', model }] });
    const models = Object.entries(Template.fromStack(team).findResources('AWS::SageMaker::Model'));
    expect(models.find(([id]) => id.startsWith('Serve'))![1].Properties.VpcConfig.Subnets).toEqual(vpc.privateSubnets.map((s) => team.resolve(s.subnetId)));
    expect(models.find(([id]) => id.startsWith('Light'))![1].Properties.VpcConfig).toBeUndefined(); // serverless runs outside VPCs
  });

  test('destroys its data with it only in dev, and only when asked', () => {
    const template = Template.fromStack(stack({ destroyDataOnDelete: true }));
    const resources = template.toJSON().Resources as Record<string, any>;
    const stateful = Object.values(resources).filter((r) => STATEFUL_RESOURCE_TYPES.includes(r.Type));
    expect(stateful.length).toBeGreaterThan(10);
    expect(stateful.filter((r) => r.DeletionPolicy !== 'Delete')).toEqual([]);
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    expect(() => stack({ stage: DataScienceStage.PROD, destroyDataOnDelete: true }))
      .toThrow('destroyDataOnDelete = true: only a dev stack may destroy its data with it');
  });

  test('leaves the example workflow out on request', () => {
    Template.fromStack(stack({ exampleWorkflow: false })).resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test.each([
    ['an unknown stage', { stage: 'qa' as DataScienceStage }, 'stage = "qa": use one of "dev", "staging", "prod"'],
    ['an empty team name', { teamName: '' }, 'teamName = "": give 1 to 32 characters'],
    ['a team name with capitals', { teamName: 'Fraud' }, 'teamName = "Fraud": use lowercase letters, digits and single hyphens'],
    ['a team name with an underscore', { teamName: 'fraud_models' }, 'teamName = "fraud_models": use lowercase'],
    ['a team name ending in a hyphen', { teamName: 'fraud-' }, 'teamName = "fraud-": use lowercase'],
    ['a team name with two hyphens in a row', { teamName: 'fraud--models' }, 'teamName = "fraud--models": use lowercase'],
    ['a team name too long for derived names', { teamName: 'a'.repeat(33) }, 'give 1 to 32 characters'],
    ['an empty code version', { codeVersion: '' }, 'codeVersion = "": give 1 to 256 letters'],
    ['a code version SageMaker metadata refuses', { codeVersion: 'sha#1' }, 'codeVersion = "sha#1"'],
    ['a code version that is a number', { codeVersion: 42 as any }, 'codeVersion = 42: give 1 to 256 letters'],
    ['an account in a list', { env: { account: ['111122223333'] as any } }, 'env.account = ["111122223333"]: give a 12-digit AWS account id'],
    ['a code version nothing reads', { codeVersion: 'abc123', exampleWorkflow: false }, 'codeVersion = "abc123": only the example workflow takes'],
    ['a stack name CloudFormation refuses', { stackName: 'team_stack' }, 'stackName = "team_stack": give 1 to 128 letters, digits and hyphens'],
    ['an account id that is none', { env: { account: '1234', region: 'eu-west-1' } }, 'env.account = "1234": give a 12-digit AWS account id'],
    ['a tag key AWS keeps for itself', { tags: { 'aws:team': 'x' } }, 'tags = "aws:team"'],
    ['a stack name CloudFormation would need before tokens resolve', { stackName: Lazy.string({ produce: () => 'team' }) }, 'stackName = "${Token['],
    ['a description past 1024 bytes', { description: 'é'.repeat(600) }, 'description = "ééé'],
    ['notebooks that stop before a minute idle', { notebooks: { idleTimeoutMinutes: 0 } }, 'notebooks.idleTimeoutMinutes = 0: '],
  ])('rejects %s with one error naming the prop, value and fix', (_, props, message) => {
    const build = () => stack(props);
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
    expect(build).toThrow(/^Invalid props for DataScienceStack:\n/);
  });

  test('refuses props of the wrong kind, whole, each with its fix', () => {
    expect(problemLines(() => stack({ vpc: 42 as any, multiNode: 'efa' as any, notebooks: 'yes' as any, network: 'open' as any }))).toEqual([
      'vpc = 42: give an ec2.IVpc, such as new ec2.Vpc(this, "Vpc"), or leave it unset for a new one',
      'multiNode = "efa": give an object of props, for example { efa: true }',
      'notebooks = "yes": give an object of props, for example { idleTimeoutMinutes: 120 }',
      expect.stringMatching(/^network = "open": use one of "public", /),
      'network = "open": leave network unset when you bring your own vpc',
    ]);
  });

  test('refuses a VPC with isolated subnets only, where Batch hosts could not pull images, naming the vpc', () => {
    const scope = new Stack(newTestApp(), 'Network');
    const vpc = new ec2.Vpc(scope, 'Isolated', { natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(() => new DataScienceStack(scope.node.root as App, 'Team', { teamName: 'fraud-models', vpc }))
      .toThrow('vpc = "Network/Isolated: no private subnet with egress, no public subnet": give a VPC with private subnets with egress or public subnets');
  });

  test('refuses an endpoint id another part of the stack has', () => {
    const team = stack();
    const model = ModelSource.fromArtifact({ artifactStore: team.artifacts, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
    expect(validationErrorOf(() => team.addModelEndpoint('Compute', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'v1', model }] })).message)
      .toBe('Invalid props for DataScienceStack.addModelEndpoint(\'Compute\'):\n'
        + '  - id = "Compute": Team already has a child "Compute": give the endpoint an id no other part of the stack has');
  });

  test('rejects a team name given as a token, which names could not be derived from', () => {
    const app = newTestApp();
    const scope = new Stack(app, 'Params');
    const param = new CfnParameter(scope, 'Team');
    expect(() => new DataScienceStack(app, 'Team', { teamName: param.valueAsString })).toThrow(/teamName = ".*": give a plain string/);
  });

  test('exposes each stage\'s settings', () => {
    expect(DataScienceStages.settingsOf(DataScienceStage.PROD)).toMatchObject({ maxvCpus: 1024, terminationProtection: true });
    expect(DataScienceStages.isStage('staging')).toBe(true);
    expect(DataScienceStages.isStage('qa')).toBe(false);
  });

  test('lists every problem in one error', () => {
    expect(() => stack({ teamName: '9-', stage: 'test' as DataScienceStage })).toThrow(
      expect.objectContaining({ problems: [
        expect.objectContaining({ prop: 'teamName' }),
        expect.objectContaining({ prop: 'stage' }),
      ] }),
    );
  });
});
