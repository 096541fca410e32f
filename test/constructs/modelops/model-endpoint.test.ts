import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeploymentGuardrails, EndpointHosting, ModelEndpoint, ModelEndpointProps, ModelSource } from '../../../constructs/modelops';
import { ArtifactStore } from '../../../constructs/versioning';
import { expectAlarms } from '../../support/alarms';
import { endpointAlarms } from '../../support/alarm-specs';
import { PolicySimulator } from '../../support/iam';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

const IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1';

function setup() {
  const stack = new Stack(newTestApp(), 'Serving');
  const store = new ArtifactStore(stack, 'Artifacts');
  const model = (sha: string) => ModelSource.fromArtifact({ artifactStore: store, modelDataKey: `models/churn/${sha}/model.tar.gz`, image: IMAGE });
  const endpoint = (props: Partial<ModelEndpointProps> & Pick<ModelEndpointProps, 'hosting'>, id = 'Churn') => new ModelEndpoint(stack, id, {
    variants: [{ variantName: 'current', model: model('aaa') }], ...props,
  });
  return { stack, store, model, endpoint };
}

describe('ModelEndpoint, real-time with guardrails', () => {
  let template: Template;
  beforeAll(() => {
    const s = setup();
    s.endpoint({
      hosting: EndpointHosting.REAL_TIME,
      variants: [
        { variantName: 'current', model: s.model('aaa'), initialWeight: 9, instanceType: 'ml.m5.xlarge' },
        { variantName: 'candidate', model: s.model('bbb'), initialWeight: 1 },
      ],
      instanceCount: 2,
      autoScaling: { minCapacity: 2, maxCapacity: 6, invocationsPerInstance: 400, scaleInCooldown: Duration.minutes(10) },
      dataCapture: { artifactStore: s.store, samplingPercentage: 25 },
      deploymentGuardrails: DeploymentGuardrails.canary(10, Duration.minutes(15)),
      notificationTopic: new sns.Topic(s.stack, 'Alerts', { enforceSSL: true, masterKey: s.store.encryptionKey }),
    });
    template = checkedTemplate(s.stack, { regulated: true });
  });

  test('serves weighted variants and a shadow on instances, with a KMS key on the configuration', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.anyValue(),
      ProductionVariants: [
        Match.objectLike({ VariantName: 'current', InitialVariantWeight: 9, InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 2 }),
        Match.objectLike({ VariantName: 'candidate', InitialVariantWeight: 1, InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }),
      ],
    });
    template.resourceCountIs('AWS::SageMaker::Model', 2);
  });

  test('captures requests and responses to the artifact store, encrypted', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: Match.objectLike({
        EnableCapture: true, InitialSamplingPercentage: 25, KmsKeyId: Match.anyValue(),
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ArtifactsBucket') }, Match.stringLikeRegexp('^/capture/')]] },
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      }),
    });
  });

  test('scales each variant on invocations per instance and keeps scaled counts across updates', () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2, MaxCapacity: 6, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount', ServiceNamespace: 'sagemaker',
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 400, ScaleInCooldown: 600, ScaleOutCooldown: 60,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      }),
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      RetainAllVariantProperties: true,
      ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }, { VariantPropertyType: 'DataCaptureConfig' }],
    });
  });

  test('updates blue/green with a canary that rolls back on the endpoint\'s alarms', () => {
    const endpoint = Object.values(template.findResources('AWS::SageMaker::Endpoint'))[0];
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(endpoint.Properties.DeploymentConfig).toEqual({
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 900, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } },
        TerminationWaitInSeconds: 600,
        MaximumExecutionTimeoutInSeconds: 2 * 900 + 600 + 1800, // two waits, the old fleet's wait, the new fleet's start
      },
      AutoRollbackConfiguration: { Alarms: alarms.map((AlarmName) => ({ AlarmName })) },
    });
  });

  test('alarms on 5xx errors and p99 latency, to the notification topic', () => {
    // errors summed over both variants, past none; the first variant's p99 latency past a second
    expectAlarms(template, endpointAlarms(template, 'Churn', {
      variants: ['current', 'candidate'], errors: 0, latencyMillis: 1000, actions: [{ Ref: expect.stringMatching(/^Alerts/) }],
    }), 'test/constructs/modelops/model-endpoint.test.ts');
  });

  test('alarms at the thresholds it is given, and without a topic tells nobody but still rolls back', () => {
    const s = setup();
    s.endpoint({ hosting: EndpointHosting.SERVERLESS, errorAlarmThreshold: 5, latencyAlarmThresholdMillis: 250 });
    const own = Template.fromStack(s.stack);
    expectAlarms(own, endpointAlarms(own, 'Churn', { variants: ['current'], errors: 5, latencyMillis: 250, actions: [] }), 'test/constructs/modelops/model-endpoint.test.ts');
  });

  describe('execution roles, simulated', () => {
    let sim: PolicySimulator;
    beforeAll(() => {
      sim = new PolicySimulator(template);
    });
    const object = (key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'ArtifactsBucket'))}/${key}`;

    test.each([
      ['current', 'models/churn/aaa/model.tar.gz', 'Allowed'],
      ['current', 'models/churn/bbb/model.tar.gz', 'NotAllowed'],
      ['candidate', 'models/churn/bbb/model.tar.gz', 'Allowed'],
      ['candidate', 'models/churn/aaa/model.tar.gz', 'NotAllowed'],
      ['current', 'runs/training/run-1/train/model.tar.gz', 'NotAllowed'],
    ])('the %s role reads %s: %s', async (variant, key, expected) => {
      const role = sim.logicalId('AWS::IAM::Role', `Churn${variant}Role`);
      expect(await sim.outcome(role, 's3:GetObject', object(key))).toBe(expected);
    });

    test('no role may delete a model or write outside the capture prefix', async () => {
      const role = sim.logicalId('AWS::IAM::Role', 'ChurncurrentRole');
      expect(await sim.decide(role, 's3:DeleteObject', object('models/churn/aaa/model.tar.gz'))).not.toBe('Allowed');
      expect(await sim.decide(role, 's3:PutObject', object('models/churn/aaa/model.tar.gz'))).not.toBe('Allowed');
      expect(await sim.decide(role, 's3:PutObject', object('capture/x/2026/11/27/req.jsonl'))).toBe('Allowed');
    });
  });
});

describe('ModelEndpoint, shadow testing', () => {
  test('copies live traffic of its one production variant to a shadow', () => {
    const s = setup();
    s.endpoint({ hosting: EndpointHosting.REAL_TIME, shadowVariant: { variantName: 'shadow', model: s.model('ccc') } });
    Template.fromStack(s.stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ VariantName: 'current' })],
      ShadowProductionVariants: [Match.objectLike({ VariantName: 'shadow', InstanceType: 'ml.m5.large' })],
    });
  });
});

describe('ModelEndpoint, serverless', () => {
  test('serves without instances, with memory and concurrency', () => {
    const s = setup();
    s.endpoint({
      hosting: EndpointHosting.SERVERLESS, serverlessMemorySizeMiB: 4096, serverlessMaxConcurrency: 20,
      notificationTopic: new sns.Topic(s.stack, 'Alerts', { enforceSSL: true, masterKey: s.store.encryptionKey }),
    });
    const template = checkedTemplate(s.stack, { regulated: true });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 4096, MaxConcurrency: 20 }, InstanceType: Match.absent() })],
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });
});

describe('ModelEndpoint, guarded updates', () => {
  test('a serverless endpoint updates blue/green with a canary that rolls back on its alarms, every rule pack and Control Tower control passing', () => {
    const s = setup();
    s.endpoint({
      hosting: EndpointHosting.SERVERLESS, deploymentGuardrails: DeploymentGuardrails.canary(20, Duration.minutes(10)),
      notificationTopic: new sns.Topic(s.stack, 'Alerts', { enforceSSL: true, masterKey: s.store.encryptionKey }),
    });
    const template = checkedTemplate(s.stack, { regulated: true, controlTower: true });
    const endpoint = Object.values(template.findResources('AWS::SageMaker::Endpoint'))[0];
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(alarms).toHaveLength(2);
    expect(endpoint.Properties.DeploymentConfig).toEqual({
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 20 } },
        TerminationWaitInSeconds: 600,
        MaximumExecutionTimeoutInSeconds: 2 * 600 + 600 + 1800,
      },
      AutoRollbackConfiguration: { Alarms: alarms.map((AlarmName) => ({ AlarmName })) },
    });
  });

  test.each([
    ['all at once', () => DeploymentGuardrails.allAtOnce(), { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 }],
    ['linear', () => DeploymentGuardrails.linear(25), { Type: 'LINEAR', WaitIntervalInSeconds: 300, LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } }],
  ])('a serverless endpoint takes %s blue/green updates', (_, guardrails, routing) => {
    const s = setup();
    s.endpoint({ hosting: EndpointHosting.SERVERLESS, deploymentGuardrails: guardrails() });
    Template.fromStack(s.stack).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: Match.objectLike({ BlueGreenUpdatePolicy: Match.objectLike({ TrafficRoutingConfiguration: routing }) }),
    });
  });

  test('a real-time endpoint of one variant rolls its instances in batches, rolling back on its alarms', () => {
    const s = setup();
    s.endpoint({ hosting: EndpointHosting.REAL_TIME, instanceCount: 4, deploymentGuardrails: DeploymentGuardrails.rolling(25, Duration.minutes(5)) });
    const endpoint = Object.values(Template.fromStack(s.stack).findResources('AWS::SageMaker::Endpoint'))[0];
    expect(endpoint.Properties.DeploymentConfig).toEqual({
      RollingUpdatePolicy: {
        MaximumBatchSize: { Type: 'CAPACITY_PERCENT', Value: 25 },
        WaitIntervalInSeconds: 300,
        MaximumExecutionTimeoutInSeconds: 4 * (600 + 300), // four batches, each started and watched
      },
      AutoRollbackConfiguration: { Alarms: [expect.objectContaining({}), expect.objectContaining({})] },
    });
  });

  test.each([
    ['a serverless endpoint', { hosting: EndpointHosting.SERVERLESS }, 'deploymentGuardrails = "rolling": SageMaker updates serverless endpoints blue/green only, never rolling: use DeploymentGuardrails.allAtOnce, canary or linear'],
    ['an endpoint of two variants', { hosting: EndpointHosting.REAL_TIME, variants: 'two' }, 'deploymentGuardrails = "rolling": SageMaker updates endpoints of 2 variants blue/green only, never rolling: use DeploymentGuardrails.allAtOnce, canary or linear, or serve one variant'],
  ])('refuses rolling updates of %s, with the reason', (_, raw: any, message) => {
    const s = setup();
    const props = { ...raw, deploymentGuardrails: DeploymentGuardrails.rolling(20) };
    if (raw.variants === 'two') {
      props.variants = [{ variantName: 'a', model: s.model('aaa') }, { variantName: 'b', model: s.model('bbb') }];
    }
    expect(problemLines(() => s.endpoint(props))).toEqual([message].flat());
  });

  test.each([
    [() => DeploymentGuardrails.rolling(60), 'deploymentGuardrails.batchPercent = 60: give a whole percent from 5 to 50 of the instances, SageMaker\'s range for a batch'],
    [() => DeploymentGuardrails.rolling(5, Duration.hours(1)), 'deploymentGuardrails.waitTime = "1 hour": the shift and its waits must end within 8 hours, SageMaker\'s limit: wait less or take bigger steps'],
  ])('refuses rolling batches SageMaker would', (guardrails, message) => {
    expect(problemLines(() => setup().endpoint({ hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: guardrails() }))).toEqual([message]);
  });
});

describe('ModelEndpoint options', () => {
  test('runs models in the VPC\'s private subnets, network-isolated when asked', () => {
    const s = setup();
    const vpc = new ec2.Vpc(s.stack, 'Vpc', { natGateways: 1 });
    s.endpoint({ hosting: EndpointHosting.REAL_TIME, vpc, networkIsolation: true });
    Template.fromStack(s.stack).hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: Match.anyValue(), Subnets: vpc.privateSubnets.map((sn) => s.stack.resolve(sn.subnetId)) },
    });
  });

  test('runs models in the subnets it is given, behind a group that only sends out, its role allowed the network interfaces SageMaker attaches', async () => {
    const s = setup();
    const vpc = new ec2.Vpc(s.stack, 'Vpc', { natGateways: 1, subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'Egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ] });
    s.endpoint({ hosting: EndpointHosting.REAL_TIME, vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    s.endpoint({ hosting: EndpointHosting.REAL_TIME }, 'Outside');
    const template = Template.fromStack(s.stack);
    const model = Object.values(template.findResources('AWS::SageMaker::Model', { Properties: { VpcConfig: Match.anyValue() } }));
    expect(model).toHaveLength(1);
    expect(model[0].Properties.VpcConfig.Subnets).toEqual(vpc.isolatedSubnets.map((sn) => s.stack.resolve(sn.subnetId)));
    const groups = Object.entries(template.findResources('AWS::EC2::SecurityGroup', { Properties: { VpcId: s.stack.resolve(vpc.vpcId) } }));
    expect(groups).toHaveLength(1);
    expect(model[0].Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [groups[0][0], 'GroupId'] }]);
    expect(groups[0][1].Properties).toEqual({
      GroupDescription: 'Model containers: egress only', VpcId: s.stack.resolve(vpc.vpcId),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }],
    });
    // the model in the VPC may attach its interfaces; the one outside has no need to
    const sim = new PolicySimulator(template);
    const role = (id: string) => sim.logicalId('AWS::IAM::Role', `${id}currentRole`);
    for (const action of ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission',
      'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions']) {
      expect([action, await sim.outcome(role('Churn'), action, '*')]).toEqual([action, 'Allowed']);
      expect([action, await sim.outcome(role('Outside'), action, '*')]).toEqual([action, 'NotAllowed']);
    }
  });

  test('measures the first variant\'s instances, CPU and GPU, on average over the period asked', () => {
    const s = setup();
    const endpoint = s.endpoint({ hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'first', model: s.model('aaa') }, { variantName: 'second', model: s.model('bbb') }] });
    for (const [metric, metricName] of [[endpoint.metricCpuUtilization(), 'CPUUtilization'], [endpoint.metricGpuUtilization({ period: Duration.minutes(1) }), 'GPUUtilization']] as const) {
      expect(s.stack.resolve({ namespace: metric.namespace, metricName: metric.metricName, statistic: metric.statistic, dimensions: metric.dimensions })).toEqual({
        namespace: '/aws/sagemaker/Endpoints', metricName, statistic: 'Average', dimensions: { EndpointName: s.stack.resolve(endpoint.endpointName), VariantName: 'first' },
      });
    }
    expect(endpoint.metricCpuUtilization().period.toMinutes()).toBe(5);
    expect(endpoint.metricGpuUtilization({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });

  test.each([
    ['a variant that is no object', { variants: [42] }, ['variants[0] = 42: give an object of props, for example { variantName: "current", model }']],
    ['a rollback alarm that is no alarm', { rollbackAlarms: ['errors'] }, ['rollbackAlarms[0] = "errors": give a cloudwatch.IAlarm, such as cloudwatch.Alarm.fromAlarmName(this, "Errors", "errors")']],
    ['a rollback alarm left out', { rollbackAlarms: [undefined] }, ['rollbackAlarms[0] = undefined: give the element a value, or take it out of the list']],
  ])('refuses %s, naming it alone', (_, props: any, message) => {
    const s = setup();
    expect(problemLines(() => s.endpoint({ hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: DeploymentGuardrails.canary(10), ...props }))).toEqual(message);
  });

  test('serves an approved model package', () => {
    const s = setup();
    const arn = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/team-churn/4';
    s.endpoint({ hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'v4', model: ModelSource.fromModelPackage({ modelPackageArn: arn, artifactStore: s.store, modelDataKey: 'runs/training/run-4/train/model.tar.gz' }) }] });
    Template.fromStack(s.stack).hasResourceProperties('AWS::SageMaker::Model', { Containers: [{ ModelPackageName: arn }] });
  });

  test('shifts linearly when asked', () => {
    const s = setup();
    s.endpoint({ hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: DeploymentGuardrails.linear(25) });
    Template.fromStack(s.stack).hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: Match.objectLike({ BlueGreenUpdatePolicy: Match.objectLike({
        TrafficRoutingConfiguration: { Type: 'LINEAR', WaitIntervalInSeconds: 300, LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } },
      }) }),
    });
  });

  test.each([
    ['serverless with an instance type', { hosting: EndpointHosting.SERVERLESS, variants: 'instanceType' }, 'variants[0].instanceType = "ml.m5.large": a serverless endpoint has no instances: remove instanceType, or use EndpointHosting.REAL_TIME'],
    ['serverless with autoscaling', { hosting: EndpointHosting.SERVERLESS, autoScaling: { minCapacity: 1, maxCapacity: 2, invocationsPerInstance: 10 } }, 'autoScaling = {"minCapacity":1,"maxCapacity":2,"invocationsPerInstance":10}: applies to real-time endpoints only: remove it, or use EndpointHosting.REAL_TIME'],
    // from JavaScript: no hosting at all, which would have made a real-time endpoint without a word
    ['no hosting', { hosting: undefined }, 'hosting = undefined: use EndpointHosting.REAL_TIME or EndpointHosting.SERVERLESS'],
    ['serverless memory off the grid', { hosting: EndpointHosting.SERVERLESS, serverlessMemorySizeMiB: 1500 }, 'serverlessMemorySizeMiB = 1500: give 1024, 2048, 3072, 4096, 5120 or 6144'],
    ['a variant weight of zero', { hosting: EndpointHosting.REAL_TIME, variants: 'weight0' }, 'variants[0].initialWeight = 0: give a weight above 0; to take a variant out of traffic, remove it'],
    ['a canary over half the fleet', { hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: () => DeploymentGuardrails.canary(60) }, 'deploymentGuardrails.canaryPercent = 60: give a whole percent from 1 to 50: the canary must leave most traffic on the old fleet'],
    ['a canary of zero', { hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: () => DeploymentGuardrails.canary(0) }, 'deploymentGuardrails.canaryPercent = 0: give a whole percent from 1 to 50: the canary must leave most traffic on the old fleet'],
    ['a real-time endpoint with no instance', { hosting: EndpointHosting.REAL_TIME, instanceCount: 0 }, 'instanceCount = 0: give a whole number, 1 or more: a real-time endpoint needs an instance'],
    ['a capture sampling over 100', { hosting: EndpointHosting.REAL_TIME, dataCapture: 'sampling' }, 'dataCapture.samplingPercentage = 150: give a whole percent from 1 to 100'],
    ['serverless in a VPC', { hosting: EndpointHosting.SERVERLESS, vpc: 'vpc' }, [
      'vpc = "<Serving/Vpc>": applies to real-time endpoints only: remove it, or use EndpointHosting.REAL_TIME',
      'subnets = "subnetType: Private": select subnets the VPC has (There are no \'Private\' subnet groups in this VPC. Available types: Isolated,Deprecated_Isolated,Public)',
    ]],
    ['serverless with two variants', { hosting: EndpointHosting.SERVERLESS, variants: 'two' }, 'variants = 2: a serverless endpoint serves one variant'],
    ['a shadow beside two variants', { hosting: EndpointHosting.REAL_TIME, variants: 'two', shadowVariant: 'shadow' }, 'shadowVariant = "shadow": a shadow variant shadows exactly one production variant: give one variant'],
    ['guardrails longer than SageMaker allows', { hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: () => DeploymentGuardrails.linear(10, Duration.minutes(50)) },
      'deploymentGuardrails.waitTime = "50 minutes": the shift and its waits must end within 8 hours, SageMaker\'s limit: wait less or take bigger steps'],
    ['a guardrail wait that is not whole seconds', { hosting: EndpointHosting.REAL_TIME, deploymentGuardrails: () => DeploymentGuardrails.allAtOnce(Duration.millis(1500)) },
      'deploymentGuardrails.waitTime = "1 second 500 millis": give a whole number of seconds from 0 to 3600, for example Duration.seconds(1)'],
    ['rollback alarms without guardrails', { hosting: EndpointHosting.REAL_TIME, rollbackAlarms: [] },
      'rollbackAlarms = 0: alarms roll back guarded updates only: give deploymentGuardrails too, or remove rollbackAlarms'],
    ['subnets without their VPC', { hosting: EndpointHosting.REAL_TIME, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
      'subnets = {"subnetType":"Private"}: give the vpc they are in too, or remove subnets'],
    ['a VPC without the private subnets it defaults to', { hosting: EndpointHosting.REAL_TIME, vpc: 'vpc' },
      'subnets = "subnetType: Private": select subnets the VPC has (There are no \'Private\' subnet groups in this VPC. Available types: Isolated,Deprecated_Isolated,Public)'],
    ['a latency threshold that is a token', { hosting: EndpointHosting.REAL_TIME, latencyAlarmThresholdMillis: Lazy.number({ produce: () => 250 }) },
      expect.stringMatching(/^latencyAlarmThresholdMillis = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number: it is converted to microseconds at synth time$/)],
    ['an infinite weight', { hosting: EndpointHosting.REAL_TIME, variants: 'weightInfinity' }, 'variants[0].initialWeight = null: give a weight above 0; to take a variant out of traffic, remove it'],
    ['a SNAPSHOT removal policy', { hosting: EndpointHosting.REAL_TIME, removalPolicy: RemovalPolicy.SNAPSHOT }, 'removalPolicy = "snapshot": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted'],
  ])('rejects %s', (_, raw: any, message) => {
    const s = setup();
    const props = { ...raw };
    if (raw.deploymentGuardrails) {
      props.deploymentGuardrails = raw.deploymentGuardrails();
    }
    if (raw.variants === 'instanceType') {
      props.variants = [{ variantName: 'current', model: s.model('aaa'), instanceType: 'ml.m5.large' }];
    }
    if (raw.variants === 'weightInfinity') {
      props.variants = [{ variantName: 'current', model: s.model('aaa'), initialWeight: Infinity }];
    }
    if (raw.variants === 'weight0') {
      props.variants = [{ variantName: 'current', model: s.model('aaa'), initialWeight: 0 }];
    }
    if (raw.dataCapture === 'sampling') {
      props.dataCapture = { artifactStore: s.store, samplingPercentage: 150 };
    }
    if (raw.vpc === 'vpc') {
      props.vpc = new ec2.Vpc(s.stack, 'Vpc', { natGateways: 0 });
    }
    if (raw.variants === 'two') {
      props.variants = [{ variantName: 'a', model: s.model('aaa') }, { variantName: 'b', model: s.model('bbb') }];
    }
    if (raw.shadowVariant === 'shadow') {
      props.shadowVariant = { variantName: 'shadow', model: s.model('ccc') };
    }
    expect(problemLines(() => s.endpoint(props))).toEqual([message].flat());
  });
});

describe('ModelSource', () => {
  test.each([
    ['an empty model key', () => ModelSource.fromArtifact({ artifactStore: setup().store, modelDataKey: '', image: IMAGE }), 'modelDataKey = "": give the S3 key of the model file, 1 to 1024 characters, no leading "/" and no * or ?, for example "models/churn/<sha256>/model.tar.gz"'],
    ['a key with a wildcard, which would widen the read grant', () => ModelSource.fromArtifact({ artifactStore: setup().store, modelDataKey: 'models/*', image: IMAGE }), 'modelDataKey = "models/*": give the S3 key of the model file, 1 to 1024 characters, no leading "/" and no * or ?, for example "models/churn/<sha256>/model.tar.gz"'],
    ['an image with a space', () => ModelSource.fromArtifact({ artifactStore: setup().store, modelDataKey: 'm.tar.gz', image: 'my image' }), 'image = "my image": give an image URI of up to 255 characters without spaces, for example "<account>.dkr.ecr.<region>.amazonaws.com/serve:1.4"'],
    ['a package ARN that is none', () => ModelSource.fromModelPackage({ artifactStore: setup().store, modelDataKey: 'm.tar.gz', modelPackageArn: 'churn/3' }), 'modelPackageArn = "churn/3": give a model package ARN, for example "arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3"'],
  ])('rejects %s', (_, make, message) => {
    expect(problemLines(make)).toEqual([message]);
  });
});
