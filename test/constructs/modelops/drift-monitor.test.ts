import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DriftMonitor, DriftMonitorProps, EndpointHosting, ModelEndpoint, ModelEndpointProps, ModelMonitorImage, ModelProblemType, ModelSource, MonitoringFrequency,
  MonitoringKind,
} from '../../../constructs/modelops';
import { StackMonitoring } from '../../../constructs/observability';
import { ArtifactStore } from '../../../constructs/versioning';
import { dashboardOf } from '../../support/dashboards';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import SDK_REGISTRIES from '../../support/fixtures/sagemaker-model-monitor-registries.json';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/serve:1`;

function setup(env: { account?: string; region?: string } = { account: ACCOUNT, region: REGION }, endpointProps: Partial<ModelEndpointProps> = {}) {
  const stack = new Stack(newTestApp(), 'Serving', { env });
  const store = new ArtifactStore(stack, 'Artifacts');
  const topic = new sns.Topic(stack, 'Alerts', { enforceSSL: true, masterKey: store.encryptionKey });
  const endpoint = new ModelEndpoint(stack, 'Churn', {
    hosting: EndpointHosting.REAL_TIME,
    variants: [{ variantName: 'current', model: ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'models/churn/aaa/model.tar.gz', image: IMAGE }) }],
    dataCapture: { artifactStore: store },
    notificationTopic: topic,
    ...endpointProps,
  });
  const monitor = (props: Partial<DriftMonitorProps> = {}, id = 'ChurnDrift') => new DriftMonitor(stack, id, { endpoint, modelName: 'churn', ...props });
  return { stack, store, topic, endpoint, monitor };
}

const MODEL_QUALITY = {
  groundTruthKeyPrefix: 'models/churn/ground-truth/', problemType: ModelProblemType.BINARY_CLASSIFICATION,
  inferenceAttribute: '0', probabilityAttribute: '1', probabilityThreshold: 0.5, labelDelay: Duration.hours(6),
};

describe('DriftMonitor', () => {
  let template: Template;
  let monitor: DriftMonitor;
  beforeAll(() => {
    const s = setup();
    monitor = s.monitor({ driftAlarmFeatures: ['amount', 'tenure_months'], modelQuality: MODEL_QUALITY });
    template = checkedTemplate(s.stack, { regulated: true, controlTower: true });
  });

  const s3Url = (key: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ArtifactsBucket') }, `/${key}`]] });

  test('checks the captured data hourly against the baseline kept under the model\'s key, reports beside it', () => {
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      JobDefinitionName: Match.stringLikeRegexp('-data-quality-[0-9a-f]{12}$'),
      DataQualityAppSpecification: {
        ImageUri: { 'Fn::Join': ['', ['468650794304.dkr.ecr.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']] },
        Environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      DataQualityBaselineConfig: {
        ConstraintsResource: { S3Uri: s3Url('models/churn/monitoring/data-quality/baseline/constraints.json') },
        StatisticsResource: { S3Uri: s3Url('models/churn/monitoring/data-quality/baseline/statistics.json') },
      },
      DataQualityJobInput: { EndpointInput: {
        EndpointName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChurnEndpoint'), 'EndpointName'] },
        LocalPath: '/opt/ml/processing/input/endpoint', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated',
      } },
      DataQualityJobOutputConfig: {
        KmsKeyId: Match.anyValue(),
        MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: s3Url('models/churn/monitoring/data-quality/reports/'), S3UploadMode: 'EndOfJob' } }],
      },
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: Match.anyValue() } },
      NetworkConfig: { EnableInterContainerTrafficEncryption: true },
      StoppingCondition: { MaxRuntimeInSeconds: 3000 },
    });
    const jobName = Object.values(template.findResources('AWS::SageMaker::DataQualityJobDefinition'))[0].Properties.JobDefinitionName;
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleName: Match.stringLikeRegexp('-DataQuality$'),
      MonitoringScheduleConfig: { MonitoringJobDefinitionName: jobName, MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
    });
  });

  test('compares predictions with the labels that arrive late, when given where they land', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'BinaryClassification' }),
      ModelQualityBaselineConfig: { ConstraintsResource: { S3Uri: s3Url('models/churn/monitoring/model-quality/baseline/constraints.json') } },
      ModelQualityJobInput: {
        EndpointInput: Match.objectLike({ InferenceAttribute: '0', ProbabilityAttribute: '1', ProbabilityThresholdAttribute: 0.5, StartTimeOffset: '-PT7H', EndTimeOffset: '-PT6H' }),
        GroundTruthS3Input: { S3Uri: s3Url('models/churn/ground-truth/') },
      },
    });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', { MonitoringScheduleConfig: Match.objectLike({ MonitoringType: 'ModelQuality' }) });
  });

  test('alarms on violations, failed runs and the drift of named features, each to the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties)
      .filter((a) => /monitoring|drifted/i.test(a.AlarmDescription));
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alerts/) }]);
    }
    expect(monitor.alarms).toHaveLength(6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0.1,
      Metrics: [Match.objectLike({
        MetricStat: {
          Metric: {
            Namespace: 'aws/sagemaker/Endpoints/data-metrics', MetricName: 'feature_baseline_drift_amount',
            Dimensions: Match.arrayWith([{ Name: 'MonitoringSchedule', Value: monitor.dataQuality.scheduleName }]),
          },
          Period: 3600, Stat: 'Maximum',
        },
      })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.sagemaker'], 'detail-type': ['SageMaker Processing Job State Change'],
        'detail': { MonitoringScheduleArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ChurnDriftDataQualitySchedule'), 'MonitoringScheduleArn'] }],
          ProcessingJobStatus: ['Completed'], ExitMessage: [{ prefix: 'CompletedWithViolations' }] },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Events', MetricName: 'MatchedEvents', Threshold: 1 });
  });

  describe('its role, simulated', () => {
    let iam: PolicySimulator;
    let role: string;
    let bucket: string;
    beforeAll(() => {
      iam = new PolicySimulator(template);
      role = iam.logicalId('AWS::IAM::Role', 'ChurnDriftRole');
      bucket = iam.resolve({ Ref: iam.logicalId('AWS::S3::Bucket', 'ArtifactsBucket') });
    });
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;

    test.each([
      ['reads the captured data', 's3:GetObject', 'capture', 'Allowed'],
      ['reads the baseline', 's3:GetObject', 'models/churn/monitoring/data-quality/baseline/constraints.json', 'Allowed'],
      ['reads the labels', 's3:GetObject', 'models/churn/ground-truth/2026/11/27/10/labels.jsonl', 'Allowed'],
      ['writes reports', 's3:PutObject', 'models/churn/monitoring/data-quality/reports/churn/2026/11/27/10/constraint_violations.json', 'Allowed'],
      ['writes model-quality reports', 's3:PutObject', 'models/churn/monitoring/model-quality/reports/x.json', 'Allowed'],
      ['does not write the baseline', 's3:PutObject', 'models/churn/monitoring/data-quality/baseline/constraints.json', 'NotAllowed'],
      ['does not read the model', 's3:GetObject', 'models/churn/aaa/model.tar.gz', 'NotAllowed'],
      ['does not read another model\'s baseline', 's3:GetObject', 'models/fraud/monitoring/data-quality/baseline/constraints.json', 'NotAllowed'],
      ['does not read runs', 's3:GetObject', 'runs/training/run-1/train/model.tar.gz', 'NotAllowed'],
      ['does not read another endpoint\'s capture', 's3:GetObject', 'capture/Other/Other/current/2026/11/27/10/data.jsonl', 'NotAllowed'],
      ['deletes nothing', 's3:DeleteObject', 'models/churn/monitoring/data-quality/reports/x.json', 'NotAllowed'],
    ])('%s', async (_, action, key, expected) => {
      const captured = `capture/${Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0].Properties.DataCaptureConfig.DestinationS3Uri['Fn::Join'][1][2].slice('/capture/'.length)}/Churn/current/2026/11/27/10/data.jsonl`;
      expect(await iam.outcome(role, action, object(key === 'capture' ? captured : key))).toBe(expected);
    });

    test('has SageMaker create grants on the endpoint\'s key for the jobs\' volumes, and no other grant', async () => {
      const key = iam.arn(iam.logicalId('AWS::KMS::Key', 'ChurnKey'));
      expect(await iam.outcome(role, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
      expect(await iam.outcome(role, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'false' })).toBe('NotAllowed');
    });

    test('publishes metrics to Model Monitor\'s namespaces only', async () => {
      expect(await iam.outcome(role, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/data-metrics' })).toBe('Allowed');
      expect(await iam.outcome(role, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/Billing' })).toBe('NotAllowed');
    });
  });
});

describe('DriftMonitor without a topic', () => {
  test('alarms with no action, which the regulated rule packs are told why', () => {
    const s = setup(undefined, { notificationTopic: undefined });
    s.monitor({ driftAlarmFeatures: ['amount'], modelQuality: MODEL_QUALITY });
    // Control Tower's CT.CLOUDWATCH.PR.1 takes no acknowledgement: a stack under it gives a topic
    const template = checkedTemplate(s.stack, { regulated: true });
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith('ChurnDrift'));
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    expect(alarms.filter(([, alarm]) => alarm.Properties.AlarmActions !== undefined)).toEqual([]);
  });
});

describe('DriftMonitor model-quality metrics', () => {
  test('measure the metric named on average per run, over the model-quality schedule, or the period asked', () => {
    const s = setup();
    const monitor = s.monitor({ modelQuality: MODEL_QUALITY });
    const schedules = Template.fromStack(s.stack).findResources('AWS::SageMaker::MonitoringSchedule', {
      Properties: { MonitoringScheduleConfig: { MonitoringType: 'ModelQuality' } },
    });
    expect(Object.keys(schedules)).toHaveLength(1);
    const seen = (metric: ReturnType<DriftMonitor['metricModelQuality']>) => s.stack.resolve({
      namespace: metric.namespace, metricName: metric.metricName, statistic: metric.statistic, label: metric.label,
      period: metric.period.toSeconds(), dimensions: metric.dimensions,
    });
    const expected = {
      namespace: 'aws/sagemaker/Endpoints/model-metrics', metricName: 'f1', statistic: 'Average', label: 'f1', period: 3600,
      dimensions: { Endpoint: s.stack.resolve(s.endpoint.endpointName), MonitoringSchedule: Object.values(schedules)[0].Properties.MonitoringScheduleName },
    };
    expect(seen(monitor.metricModelQuality('f1'))).toEqual(expected);
    expect(seen(monitor.metricModelQuality('f1', { period: Duration.minutes(5), statistic: 'Minimum' }))).toEqual({ ...expected, period: 300, statistic: 'Minimum' });
  });

  test.each([
    [ModelProblemType.BINARY_CLASSIFICATION, { probabilityAttribute: '1', probabilityThreshold: 0.5 }, ['accuracy', 'precision', 'recall', 'f1', 'auc']],
    [ModelProblemType.MULTICLASS_CLASSIFICATION, {}, ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1']],
    [ModelProblemType.REGRESSION, {}, ['mae', 'rmse', 'r2']],
  ])('of a %s model are those its job publishes', (problemType, more, names) => {
    const monitor = setup().monitor({ modelQuality: { groundTruthKeyPrefix: 'models/churn/ground-truth/', problemType, inferenceAttribute: '0', ...more } });
    expect(monitor.modelQualityMetricNames).toEqual(names);
  });

  test('are none without modelQuality', () => {
    expect(setup().monitor().modelQualityMetricNames).toEqual([]);
  });

  test.each([
    ['asked of a monitor without modelQuality', {}, 'accuracy',
      'modelQuality = undefined: give the monitor modelQuality: without it no model-quality metric is published'],
    ['with no metric name', { modelQuality: MODEL_QUALITY }, '', 'metricName = "": give 1 to 255 characters, for example "accuracy"'],
  ])('are refused %s', (_, props, metricName, problem) => {
    const monitor = setup().monitor(props);
    expect(() => monitor.metricModelQuality(metricName)).toThrow(`Invalid props for DriftMonitor.metricModelQuality:\n  - ${problem}`);
  });
});

describe('DriftMonitor job definitions', () => {
  const jobName = (props: Partial<DriftMonitorProps>) => {
    const s = setup();
    s.monitor(props);
    return Object.values(Template.fromStack(s.stack).findResources('AWS::SageMaker::DataQualityJobDefinition'))[0].Properties.JobDefinitionName;
  };

  test('take a new name when their content changes, so CloudFormation can replace them, and keep it otherwise', () => {
    expect(jobName({})).toBe(jobName({}));
    expect(jobName({ instanceType: 'ml.m5.2xlarge' })).not.toBe(jobName({}));
    expect(jobName({ instanceType: 'ml.m5.2xlarge' }).length).toBeLessThanOrEqual(63);
    // the schedule, not the job, holds the frequency
    expect(jobName({ frequency: MonitoringFrequency.daily(3) })).toBe(jobName({}));
  });

  test.each([
    [MonitoringFrequency.daily(3), 'cron(0 3 ? * * *)'],
    [MonitoringFrequency.everyHours(6, 1), 'cron(0 1/6 ? * * *)'],
    [MonitoringFrequency.everyHours(1), 'cron(0 0/1 ? * * *)'],
    [MonitoringFrequency.everyHours(24, 23), 'cron(0 23/24 ? * * *)'],
    [MonitoringFrequency.daily(23), 'cron(0 23 ? * * *)'],
  ])('run on %o', (frequency, expression) => {
    const s = setup();
    s.monitor({ frequency, maxRuntime: Duration.hours(1) });
    Template.fromStack(s.stack).hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: Match.objectLike({ ScheduleConfig: { ScheduleExpression: expression } }),
    });
  });
});

describe('Model Monitor\'s image', () => {
  test('in a stack that names no region: a mapping of the template, whose rule refuses regions without the image', () => {
    const s = setup({});
    s.monitor();
    const template = Template.fromStack(s.stack).toJSON();
    // every registry as the SageMaker Python SDK publishes it, but the isolated regions, whose domains differ
    const published = Object.entries(SDK_REGISTRIES.registries).filter(([region]) => !region.startsWith('us-isof-'));
    expect(template.Mappings.ModelMonitorImageRegistries).toEqual(Object.fromEntries(published.map(([region, account]) => [region, { account }])));
    expect(ModelMonitorImage.regions()).toEqual(published.map(([region]) => region));
    const rule = template.Rules.ModelMonitorImageRegion;
    const job = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::SageMaker::DataQualityJobDefinition') as any;
    expect(rule.Assertions[0].Assert).toEqual({ 'Fn::Contains': [ModelMonitorImage.regions(), { Ref: 'AWS::Region' }] });
    expect(rule.Assertions[0].AssertDescription).toBe(`SageMaker Model Monitor's analyzer image is published in ${ModelMonitorImage.regions().join(', ')}; `
      + 'this stack monitors a model endpoint, so it deploys only there (or give analyzerImageUri yourself)');
    expect(JSON.stringify(job.Properties.DataQualityAppSpecification.ImageUri)).toBe(JSON.stringify({ 'Fn::Join': ['', [
      { 'Fn::FindInMap': ['ModelMonitorImageRegistries', { Ref: 'AWS::Region' }, 'account'] }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' },
      '/sagemaker-model-monitor-analyzer',
    ]] }));
  });

  test('in a region with no known registry: refused at synth, unless the image is given', () => {
    const unknown = () => setup({ account: ACCOUNT, region: 'ap-south-2' }).monitor();
    expect(problemLines(unknown)).toEqual([
      `region = "ap-south-2": Model Monitor's analyzer image is published in ${ModelMonitorImage.regions().join(', ')}: deploy there, or give the image URI yourself (analyzerImageUri)`,
    ]);
    expect(() => setup({ account: ACCOUNT, region: 'ap-south-2' }).monitor({ analyzerImageUri: `${ACCOUNT}.dkr.ecr.ap-south-2.amazonaws.com/analyzer:1` })).not.toThrow();
  });
});

describe('DriftMonitor props', () => {
  test.each([
    ['a serverless endpoint', () => setup(undefined, { hosting: EndpointHosting.SERVERLESS, dataCapture: undefined }).monitor(),
      'endpoint = "Serving/Churn": give a real-time endpoint: SageMaker Model Monitor watches the data real-time endpoints capture'],
    ['an endpoint without data capture', () => setup(undefined, { dataCapture: undefined }).monitor(), 'endpoint = "Serving/Churn": give the endpoint dataCapture: monitoring compares the data it captures with the baseline'],
    ['a model name with a slash', () => setup().monitor({ modelName: 'churn/v2' }), 'modelName = "churn/v2": give the model\'s name in the artifact store: 1 to 64 lowercase letters, digits and hyphens, for example "churn"'],
    ['a run every 5 hours', () => setup().monitor({ frequency: MonitoringFrequency.everyHours(5) }), 'frequency = "cron(0 0/5 ? * * *)": run every 2, 3, 4, 6, 8 or 12 hours: SageMaker\'s schedules repeat within a day'],
    ['no hours between runs', () => setup().monitor({ frequency: MonitoringFrequency.everyHours(0) }), 'frequency = "cron(0 0/0 ? * * *)": give whole hours from 1 to 24 between runs'],
    ['25 hours between runs', () => setup().monitor({ frequency: MonitoringFrequency.everyHours(25) }), 'frequency = "cron(0 0/25 ? * * *)": give whole hours from 1 to 24 between runs'],
    ['a part of an hour between runs', () => setup().monitor({ frequency: MonitoringFrequency.everyHours(1.5) }), 'frequency = "cron(0 0/1.5 ? * * *)": give whole hours from 1 to 24 between runs'],
    ['a day\'s run at hour 24', () => setup().monitor({ frequency: MonitoringFrequency.daily(24) }), 'frequency = "cron(0 24 ? * * *)": give a start hour from 0 to 23 (UTC)'],
    ['a start before midnight', () => setup().monitor({ frequency: MonitoringFrequency.everyHours(6, -1) }), 'frequency = "cron(0 -1/6 ? * * *)": give a start hour from 0 to 23 (UTC)'],
    ['a start within an hour', () => setup().monitor({ frequency: MonitoringFrequency.everyHours(6, 0.5) }), 'frequency = "cron(0 0.5/6 ? * * *)": give a start hour from 0 to 23 (UTC)'],
    ['a job longer than an hourly run', () => setup().monitor({ maxRuntime: Duration.minutes(90) }), 'maxRuntime = "1 hour 30 minutes": give a whole number of seconds from 60 to 3600, for example Duration.seconds(60)'],
    ['a drift threshold over 1', () => setup().monitor({ driftAlarmThreshold: 2 }), 'driftAlarmThreshold = 2: give a distance above 0, at most 1'],
    ['a feature named twice', () => setup().monitor({ driftAlarmFeatures: ['amount', 'amount'] }), 'driftAlarmFeatures[1] = "amount": name each feature once'],
    ['features given as one string', () => setup().monitor({ driftAlarmFeatures: 'amount' as any }), 'driftAlarmFeatures = "amount": give a list, for example ["amount"]'],
    ['a label delay that is a number', () => setup().monitor({ modelQuality: { ...MODEL_QUALITY, labelDelay: 6 as any } }),
      'modelQuality.labelDelay = 6: give a Duration, for example Duration.seconds(1)'],
    ['a feature named by a token', () => setup().monitor({ driftAlarmFeatures: [Lazy.string({ produce: () => 'amount' })] }),
      expect.stringMatching(/^driftAlarmFeatures\[0\] = "\$\{Token\[TOKEN\.\d+\]\}": give the feature name as a plain string: it names the alarm and the metric it watches$/)],
    ['a label delay in minutes', () => setup().monitor({ modelQuality: { ...MODEL_QUALITY, labelDelay: Duration.minutes(90) } }), 'modelQuality.labelDelay = "1 hour 30 minutes": give whole hours, for example Duration.hours(6): monitoring windows start on the hour'],
    ['a threshold on a regression', () => setup().monitor({ modelQuality: { ...MODEL_QUALITY, problemType: ModelProblemType.REGRESSION, probabilityAttribute: undefined } }),
      'modelQuality.probabilityThreshold = 0.5: only a binary classification takes a probability threshold: remove it'],
    ['labels outside a prefix', () => setup().monitor({ modelQuality: { ...MODEL_QUALITY, groundTruthKeyPrefix: 'labels' } }), 'modelQuality.groundTruthKeyPrefix = "labels": give a key prefix of the endpoint\'s artifact store ending in "/", for example "models/churn/ground-truth/"'],
  ])('refuses %s', (_, make, message) => {
    expect(problemLines(make)).toEqual([message].flat());
  });
});

describe('StackMonitoring.monitorDrift', () => {
  test('sends the monitor\'s alarms to the stack\'s topic and shows them on its dashboard', () => {
    const s = setup(undefined, { notificationTopic: undefined });
    const monitor = s.monitor({ driftAlarmFeatures: ['amount'], modelQuality: MODEL_QUALITY });
    const monitoring = new StackMonitoring(s.stack, 'Monitoring', { encryptionKey: s.store.encryptionKey });
    monitoring.monitorDrift(monitor);
    monitoring.monitorDrift(monitor);
    const template = checkedTemplate(s.stack);
    const topic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('MonitoringTopic'));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.Namespace !== 'AWS/SageMaker'
      && !/-errors$|-latency$/.test(a.Properties.AlarmName ?? ''));
    expect(alarms).toHaveLength(5);
    alarms.forEach((alarm) => expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]));
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('Model churn: monitoring alarms');
    expect(body).toContain('feature_baseline_drift_amount');
    expect(body).toContain('aws/sagemaker/Endpoints/model-metrics');
  });

  /** The titles of the dashboard's widgets, in order. */
  const titles = (template: Template): string[] => dashboardOf(template).widgets.map((widget: any) => widget.properties.title);

  test('graphs drift and quality on the dashboard only where the monitor has them', () => {
    const full = setup();
    new StackMonitoring(full.stack, 'Monitoring').monitorDrift(full.monitor({ driftAlarmFeatures: ['amount'], modelQuality: MODEL_QUALITY }));
    expect(titles(Template.fromStack(full.stack))).toEqual(
      ['Model churn: monitoring alarms', 'Model churn: drift from the baseline', 'Model churn: quality against labels']);

    const plain = setup();
    new StackMonitoring(plain.stack, 'Monitoring').monitorDrift(plain.monitor());
    expect(titles(Template.fromStack(plain.stack))).toEqual(['Model churn: monitoring alarms']);
  });
});

describe('DriftMonitor keys', () => {
  test('keep each model\'s baselines and reports apart', () => {
    expect(DriftMonitor.baselineKeyPrefix('churn', MonitoringKind.MODEL_QUALITY)).toBe('models/churn/monitoring/model-quality/baseline/');
    expect(DriftMonitor.reportsKeyPrefix('churn', MonitoringKind.DATA_QUALITY)).toBe('models/churn/monitoring/data-quality/reports/');
  });
});
