import { createHash } from 'crypto';
import { ArnFormat, Duration, Lazy, Names, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeRegulated, acknowledgeRoleInlinePolicies } from '../core/compliance';
import { acknowledgeResourceWildcard } from '../core/grants';
import { grantCreateGrantForAwsResources } from '../core/keys';
import { roleDescription } from '../core/role-description';
import { checkMetricName, checkMetricOptions } from '../core/metric-arguments';
import { checkArguments, checkPropsStruct, isDuration, PropChecker, shownDuration } from '../core/validation-error';
import { checkSageMakerInstanceType } from '../core/sagemaker-instance-type';
import type { ArtifactStore } from '../versioning/artifact-store';
import { DriftMonitorProps, ModelProblemType, ModelQualityMonitoring, MonitoringFrequency } from './drift-monitor-props';
import { checkImageUri } from './image-uri';
import { ModelMonitorImage } from './model-monitor-image';

/** What a monitor watches: the inputs' distribution, or the predictions against labels. */
export enum MonitoringKind {
  /** The captured requests' statistics, against those of the training data. */
  DATA_QUALITY = 'data-quality',
  /** The captured predictions, against the labels that arrive for them. */
  MODEL_QUALITY = 'model-quality',
}

/** Where Model Monitor's jobs read and write inside their containers (its container contract). */
const INPUT_PATH = '/opt/ml/processing/input/endpoint';
const OUTPUT_PATH = '/opt/ml/processing/output';
/** The namespaces Model Monitor publishes an endpoint's metrics in, with dimensions Endpoint and MonitoringSchedule. */
const METRICS_NAMESPACES = { [MonitoringKind.DATA_QUALITY]: 'aws/sagemaker/Endpoints/data-metrics', [MonitoringKind.MODEL_QUALITY]: 'aws/sagemaker/Endpoints/model-metrics' };
/** The metrics a model-quality job publishes for each problem type, shown on dashboards. */
const QUALITY_METRICS: { [type: string]: string[] } = {
  [ModelProblemType.BINARY_CLASSIFICATION]: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
  [ModelProblemType.MULTICLASS_CLASSIFICATION]: ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1'],
  [ModelProblemType.REGRESSION]: ['mae', 'rmse', 'r2'],
};
const MODEL_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const MODEL_NAME_FIX = 'give the model\'s name in the artifact store: 1 to 64 lowercase letters, digits and hyphens, for example "churn"';
const FEATURE = /^[A-Za-z0-9_.-]{1,200}$/;
const FEATURE_FIX = 'give a feature name as the baseline names it: letters, digits, _, . and -, for example "amount" or "_c3"';
const KEY_PREFIX = /^([A-Za-z0-9!_.*'()-]+\/)+$/;

/** One monitoring schedule of an endpoint, its job's alarms, and where its reports go. */
export interface EndpointMonitoringSchedule {
  /** What the schedule's job monitors. */
  readonly kind: MonitoringKind;
  /** The `AWS::SageMaker::MonitoringSchedule` resource. */
  readonly schedule: sagemaker.CfnMonitoringSchedule;
  /** The schedule's name, as SageMaker names its metrics' `MonitoringSchedule` dimension. */
  readonly scheduleName: string;
  /** Fires when a run finds the endpoint's data (or predictions) violating the baseline's constraints. */
  readonly violationAlarm: cloudwatch.Alarm;
  /** Fires when a run fails, for example for want of a baseline. */
  readonly failureAlarm: cloudwatch.Alarm;
  /** The artifact-store key prefix of its reports. */
  readonly reportsKeyPrefix: string;
}

/**
 * Drift monitoring of a real-time endpoint that captures its data, with SageMaker Model Monitor:
 * a data-quality schedule (hourly by default) that compares the captured requests with a
 * baseline made from the training data (`WorkflowStep.monitoringBaseline`), and, when labels
 * arrive, a model-quality schedule. Reports go to the artifact store under the model's key;
 * violations, failed runs and the drift of chosen features raise alarms. Each run is a
 * processing job that bills its instance's time (nothing runs between runs) and publishes its
 * statistics as custom CloudWatch metrics, 2 or 3 per feature, billed by the metric-month.
 */
export class DriftMonitor extends Construct {
  /** Where a model's baseline of one kind lies in the artifact store. */
  public static baselineKeyPrefix(modelName: string, kind: MonitoringKind): string {
    checkKeyPrefixArguments('DriftMonitor.baselineKeyPrefix', modelName, kind);
    return `models/${modelName}/monitoring/${kind}/baseline/`;
  }

  /** Where a model's monitoring reports of one kind go in the artifact store. */
  public static reportsKeyPrefix(modelName: string, kind: MonitoringKind): string {
    checkKeyPrefixArguments('DriftMonitor.reportsKeyPrefix', modelName, kind);
    return `models/${modelName}/monitoring/${kind}/reports/`;
  }

  /** The role the monitoring jobs run as: reads the captured data, baselines and labels, writes reports. */
  public readonly role: iam.Role;
  /** The data-quality schedule, which every monitor has. */
  public readonly dataQuality: EndpointMonitoringSchedule;
  /** The model-quality schedule, when `modelQuality` is given. */
  public readonly modelQuality?: EndpointMonitoringSchedule;
  /** Alarms on drift of the features in `driftAlarmFeatures`, by feature. */
  public readonly driftAlarms: { [feature: string]: cloudwatch.Alarm } = {};
  /** Every alarm of the monitor. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The name of the endpoint monitored. */
  public readonly endpointName: string;
  /** The model's name in the artifact store, under which its baselines and reports lie. */
  public readonly modelName: string;
  /** The model-quality metrics of its problem type, which its dashboard shows; none without model quality. */
  public readonly modelQualityMetricNames: string[] = [];

  /** Where the alarms notify, if anywhere. */
  public readonly notificationTopic?: sns.ITopic;

  private readonly store: ArtifactStore;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the schedules' and job definitions' names derive from it, so keep it once deployed
   * @param props its settings, see `DriftMonitorProps`
   */
  constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    checkPropsStruct('DriftMonitor', props, '{ endpoint, modelName: "churn" }', { required: true });
    validate(props);
    acknowledgeRoleInlinePolicies(this);
    const { endpoint } = props;
    this.store = endpoint.captureStore!;
    this.notificationTopic = props.notificationTopic ?? endpoint.notificationTopic;
    this.endpointName = endpoint.endpointName;
    this.modelName = props.modelName;
    const frequency = props.frequency ?? MonitoringFrequency.HOURLY;
    const image = props.analyzerImageUri ?? ModelMonitorImage.uri(this);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: roleDescription(`Runs the monitoring jobs of endpoint ${endpoint.node.path}`),
    });
    this.grantRuntime(endpoint.captureKeyPrefix!);
    // captured data is encrypted with the endpoint's key, which also encrypts the jobs' volumes
    endpoint.encryptionKey.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    grantCreateGrantForAwsResources(this.role, endpoint.encryptionKey);

    const common = {
      jobResources: {
        clusterConfig: {
          instanceCount: 1,
          instanceType: props.instanceType ?? 'ml.m5.xlarge',
          volumeSizeInGb: props.volumeSizeGiB ?? 20,
          volumeKmsKeyId: endpoint.encryptionKey.keyArn,
        },
      },
      networkConfig: { enableInterContainerTrafficEncryption: true, ...(endpoint._vpcConfig ? { vpcConfig: vpcConfigOf(endpoint._vpcConfig) } : {}) },
      roleArn: this.role.roleArn,
      stoppingCondition: { maxRuntimeInSeconds: (props.maxRuntime ?? Duration.minutes(50)).toSeconds() },
    };
    const output = (kind: MonitoringKind) => ({
      kmsKeyId: this.store.encryptionKey.keyArn,
      monitoringOutputs: [{ s3Output: { localPath: OUTPUT_PATH, s3Uri: this.s3Url(DriftMonitor.reportsKeyPrefix(props.modelName, kind)), s3UploadMode: 'EndOfJob' } }],
    });
    const baseline = (file: string, kind: MonitoringKind) => ({ s3Uri: this.s3Url(`${DriftMonitor.baselineKeyPrefix(props.modelName, kind)}${file}`) });
    const endpointInput = { endpointName: this.endpointName, localPath: INPUT_PATH, s3InputMode: 'File', s3DataDistributionType: 'FullyReplicated' };

    const dataQualityJob = new sagemaker.CfnDataQualityJobDefinition(this, 'DataQualityJob', namedByContent(this, 'data-quality', {
      ...common,
      dataQualityAppSpecification: { imageUri: image, environment: { publish_cloudwatch_metrics: 'Enabled' } },
      dataQualityBaselineConfig: {
        constraintsResource: baseline('constraints.json', MonitoringKind.DATA_QUALITY),
        statisticsResource: baseline('statistics.json', MonitoringKind.DATA_QUALITY),
      },
      dataQualityJobInput: { endpointInput },
      dataQualityJobOutputConfig: output(MonitoringKind.DATA_QUALITY),
      endpointName: this.endpointName,
    }));
    this.dataQuality = this.schedule(MonitoringKind.DATA_QUALITY, 'DataQuality', dataQualityJob.jobDefinitionName!, frequency);

    const quality = props.modelQuality;
    if (quality) {
      this.store.grantRead(this.role, quality.groundTruthKeyPrefix);
      const delayHours = (quality.labelDelay ?? Duration.hours(1)).toHours();
      const modelQualityJob = new sagemaker.CfnModelQualityJobDefinition(this, 'ModelQualityJob', namedByContent(this, 'model-quality', {
        ...common,
        modelQualityAppSpecification: { imageUri: image, problemType: quality.problemType },
        modelQualityBaselineConfig: { constraintsResource: baseline('constraints.json', MonitoringKind.MODEL_QUALITY) },
        modelQualityJobInput: {
          endpointInput: {
            ...endpointInput,
            inferenceAttribute: quality.inferenceAttribute,
            probabilityAttribute: quality.probabilityAttribute,
            probabilityThresholdAttribute: quality.probabilityThreshold,
            // the hour (or run interval) of requests that ended `labelDelay` ago, whose labels are in
            startTimeOffset: `-PT${delayHours + frequency.hours}H`,
            endTimeOffset: `-PT${delayHours}H`,
          },
          groundTruthS3Input: { s3Uri: this.s3Url(quality.groundTruthKeyPrefix) },
        },
        modelQualityJobOutputConfig: output(MonitoringKind.MODEL_QUALITY),
        endpointName: this.endpointName,
      }));
      this.modelQuality = this.schedule(MonitoringKind.MODEL_QUALITY, 'ModelQuality', modelQualityJob.jobDefinitionName!, frequency);
      this.modelQualityMetricNames = QUALITY_METRICS[quality.problemType];
    }

    for (const feature of props.driftAlarmFeatures ?? []) {
      this.driftAlarms[feature] = this.alarm(`Drift-${feature}`, `Feature ${feature} of endpoint ${endpoint.node.id} drifted from its baseline`,
        this.metricFeatureDrift(feature, { period: Duration.hours(frequency.hours) }), props.driftAlarmThreshold ?? 0.1);
    }
  }

  /** Model Monitor's drift distance of one feature from its baseline (0 to 1), per run. */
  public metricFeatureDrift(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkArguments('DriftMonitor.metricFeatureDrift', (check) => {
      check.matches('feature', feature, FEATURE, FEATURE_FIX, { required: true });
      checkMetricOptions(check, props);
    });
    return this.metric(MonitoringKind.DATA_QUALITY, `feature_baseline_drift_${feature}`, { statistic: 'Maximum', label: `${feature} drift`, ...props });
  }

  /** A model-quality metric, such as `accuracy`, `f1` or `rmse`, per run. */
  public metricModelQuality(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkArguments('DriftMonitor.metricModelQuality', (check) => {
      check.check(this.modelQuality !== undefined, 'modelQuality', undefined, 'give the monitor modelQuality: without it no model-quality metric is published');
      checkMetricName(check, 'metricName', metricName, 'accuracy');
      checkMetricOptions(check, props);
    });
    return this.metric(MonitoringKind.MODEL_QUALITY, metricName, { statistic: 'Average', label: metricName, ...props });
  }

  private metric(kind: MonitoringKind, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    // a model-quality metric is made only for a monitor with its schedule
    const schedule = kind === MonitoringKind.DATA_QUALITY ? this.dataQuality : this.modelQuality!;
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACES[kind], metricName, period: Duration.hours(1),
      dimensionsMap: { Endpoint: this.endpointName, MonitoringSchedule: schedule.scheduleName }, ...props,
    });
  }

  /** A schedule running the job definition `jobDefinitionName`, and alarms on its runs' violations and failures. */
  private schedule(kind: MonitoringKind, id: string, jobDefinitionName: string, frequency: MonitoringFrequency): EndpointMonitoringSchedule {
    const scheduleName = `${Names.uniqueResourceName(this, { maxLength: 63 - id.length - 1, separator: '-' })}-${id}`;
    const schedule = new sagemaker.CfnMonitoringSchedule(this, `${id}Schedule`, {
      monitoringScheduleName: scheduleName,
      endpointName: this.endpointName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: jobDefinitionName,
        monitoringType: kind === MonitoringKind.DATA_QUALITY ? 'DataQuality' : 'ModelQuality',
        scheduleConfig: { scheduleExpression: frequency.scheduleExpression },
      },
    });
    schedule.node.addDependency(this.node.findChild(`${id}Job`));
    // each run is a processing job; its state changes, matched by rules without targets, are counted by EventBridge
    const runs = (suffix: string, detail: object) => {
      const rule = new events.Rule(this, `${id}${suffix}`, {
        description: `${suffix} of monitoring schedule ${scheduleName}`,
        eventPattern: {
          source: ['aws.sagemaker'], detailType: ['SageMaker Processing Job State Change'],
          detail: { MonitoringScheduleArn: [schedule.attrMonitoringScheduleArn], ...detail },
        },
      });
      Validations.of(rule).acknowledge({ id: 'Serverless-EventBusDLQ', reason: 'The rule has no target to deliver to, so nothing to dead-letter: '
        + 'it exists for EventBridge to count its matches, on which an alarm fires.' });
      return rule;
    };
    const matches = (rule: events.Rule) => new cloudwatch.Metric({
      namespace: 'AWS/Events', metricName: 'MatchedEvents', statistic: 'Sum', period: Duration.hours(frequency.hours), dimensionsMap: { RuleName: rule.ruleName },
    });
    const violations = runs('Violations', { ProcessingJobStatus: ['Completed'], ExitMessage: [{ prefix: 'CompletedWithViolations' }] });
    const failures = runs('Failures', { ProcessingJobStatus: ['Failed'] });
    const what = kind === MonitoringKind.DATA_QUALITY ? 'captured requests' : 'predictions, against their labels,';
    return {
      kind,
      schedule,
      scheduleName,
      violationAlarm: this.alarm(`${id}Violations`, `Monitoring found the ${what} of model ${this.modelName}'s endpoint violating the baseline of model ${this.modelName}`,
        matches(violations), 1),
      failureAlarm: this.alarm(`${id}Failures`, `A ${kind} monitoring run of model ${this.modelName} failed (is there a baseline?)`, matches(failures), 1),
      reportsKeyPrefix: DriftMonitor.reportsKeyPrefix(this.modelName, kind),
    };
  }

  private alarm(id: string, description: string, metric: cloudwatch.IMetric, threshold: number): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmDescription: description, metric, threshold, evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.notificationTopic) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.notificationTopic));
    } else {
      acknowledgeRegulated(alarm, 'CloudWatchAlarmAction', 'Without a notificationTopic the alarm shows on dashboards; '
        + 'StackMonitoring.monitorDrift, or a notificationTopic, adds the action that tells someone.');
    }
    this.alarms.push(alarm);
    return alarm;
  }

  private s3Url(key: string): string {
    return this.store.bucket.s3UrlForObject(key);
  }

  /**
   * Reads the captured data (encrypted with the endpoint's key) and the model's baselines,
   * writes its reports; logs and metrics as SageMaker's processing jobs write them.
   */
  private grantRuntime(captureKeyPrefix: string): void {
    this.store.grantRead(this.role, captureKeyPrefix);
    this.store.grantRead(this.role, `models/${this.modelName}/monitoring/`);
    for (const kind of Object.values(MonitoringKind)) {
      this.store.grantWrite(this.role, DriftMonitor.reportsKeyPrefix(this.modelName, kind));
    }
    const stack = Stack.of(this);
    const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/ProcessingJobs*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroups],
    }));
    acknowledgeResourceWildcard(this.role, logGroups, 'SageMaker writes each processing job\'s logs to log groups and streams it names under /aws/sagemaker/ProcessingJobs.');
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'], resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': Object.values(METRICS_NAMESPACES) } },
    }));
    acknowledgeResourceWildcard(this.role, '*', 'cloudwatch:PutMetricData has no resource-level permissions; a condition limits it to Model Monitor\'s namespaces.');
  }
}

/**
 * A job definition's props, with a name of their own: SageMaker replaces a job definition on
 * any change, so a new name per content lets CloudFormation make the new one before it removes
 * the old (a fixed name would collide).
 */
function namedByContent<T extends object>(scope: Construct, kind: string, props: T): T & { jobDefinitionName: string } {
  const base = Names.uniqueResourceName(scope, { maxLength: 63 - kind.length - 14, separator: '-' });
  const hash = () => createHash('sha256').update(JSON.stringify(Stack.of(scope).resolve(props))).digest('hex').slice(0, 12);
  return { ...props, jobDefinitionName: Lazy.string({ produce: () => `${base}-${kind}-${hash()}` }) };
}

/** The model's VPC placement, in a monitoring job's shape. */
function vpcConfigOf(model: sagemaker.CfnModel.VpcConfigProperty): sagemaker.CfnDataQualityJobDefinition.VpcConfigProperty {
  return { securityGroupIds: model.securityGroupIds, subnets: model.subnets };
}

function validate(props: DriftMonitorProps): void {
  const check = new PropChecker('DriftMonitor');
  const { endpoint } = props;
  if (check.construct('endpoint', endpoint, 'a ModelEndpoint that captures its data, such as new ModelEndpoint(this, "Endpoint", { ..., dataCapture: { artifactStore } })',
    { required: true })) {
    check.check(!endpoint.serverless, 'endpoint', endpoint.node.path, 'give a real-time endpoint: SageMaker Model Monitor watches the data real-time endpoints capture');
    check.check(endpoint.serverless || endpoint.captureStore !== undefined, 'endpoint', endpoint.node.path,
      'give the endpoint dataCapture: monitoring compares the data it captures with the baseline');
  }
  check.known('modelName', props.modelName, 'give a plain string: the baseline and report keys are made from it');
  check.matches('modelName', props.modelName, MODEL_NAME, MODEL_NAME_FIX, { required: true });
  const frequency = props.frequency;
  const isFrequency = check.instance('frequency', frequency, '_problem', 'a MonitoringFrequency, such as MonitoringFrequency.daily(2)');
  const problem = isFrequency ? frequency._problem() : undefined;
  check.check(problem === undefined, 'frequency', frequency?.scheduleExpression, problem ?? '');
  // a frequency refused above is not judged again, nor does it bound the job's run time
  const hours = frequency === undefined ? 1 : isFrequency && problem === undefined ? frequency.hours : 24;
  check.check(24 % hours === 0, 'frequency', frequency?.scheduleExpression,
    'run every 2, 3, 4, 6, 8 or 12 hours: SageMaker\'s schedules repeat within a day');
  checkSageMakerInstanceType(check, 'instanceType', props.instanceType, 'ml.m5.xlarge');
  check.integer('volumeSizeGiB', props.volumeSizeGiB, 1, 16384);
  check.duration('maxRuntime', props.maxRuntime, 'seconds', 60, hours * 3600);
  check.list('driftAlarmFeatures', props.driftAlarmFeatures, '["amount"]').forEach((feature, i, all) => {
    check.known(`driftAlarmFeatures[${i}]`, feature, 'give the feature name as a plain string: it names the alarm and the metric it watches');
    check.matches(`driftAlarmFeatures[${i}]`, feature, FEATURE, FEATURE_FIX, { required: true });
    check.check(all.indexOf(feature) === i, `driftAlarmFeatures[${i}]`, feature, 'name each feature once');
  });
  check.number('driftAlarmThreshold', props.driftAlarmThreshold, Number.MIN_VALUE, 1, 'give a distance above 0, at most 1');
  checkImageUri(check, 'analyzerImageUri', props.analyzerImageUri, '<account>.dkr.ecr.<region>.amazonaws.com/sagemaker-model-monitor-analyzer');
  check.construct('notificationTopic', props.notificationTopic, 'an sns.ITopic, such as new sns.Topic(this, "Drift")');
  const quality: ModelQualityMonitoring | undefined = props.modelQuality;
  if (quality !== undefined && check.struct('modelQuality', quality, '{ groundTruthKeyPrefix: "models/churn/ground-truth/", problemType }')) {
    check.check(typeof quality.groundTruthKeyPrefix === 'string' && KEY_PREFIX.test(quality.groundTruthKeyPrefix), 'modelQuality.groundTruthKeyPrefix',
      quality.groundTruthKeyPrefix, 'give a key prefix of the endpoint\'s artifact store ending in "/", for example "models/churn/ground-truth/"');
    check.oneOf('modelQuality.problemType', quality.problemType, Object.values(ModelProblemType), 'use ModelProblemType.BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION or REGRESSION',
      { required: true });
    check.text('modelQuality.inferenceAttribute', quality.inferenceAttribute, 256,
      'give where the prediction is in the output, 1 to 256 characters: a JSONPath such as "$.prediction", or a column index such as "0"');
    check.text('modelQuality.probabilityAttribute', quality.probabilityAttribute, 256,
      'give where the probability is in the output, 1 to 256 characters: a JSONPath such as "$.probability", or a column index such as "1"');
    const classification = quality.problemType !== ModelProblemType.REGRESSION;
    check.check(classification || quality.probabilityAttribute === undefined, 'modelQuality.probabilityAttribute', quality.probabilityAttribute,
      'a regression has no probability: remove it');
    check.check(quality.problemType === ModelProblemType.BINARY_CLASSIFICATION || quality.probabilityThreshold === undefined,
      'modelQuality.probabilityThreshold', quality.probabilityThreshold, 'only a binary classification takes a probability threshold: remove it');
    check.number('modelQuality.probabilityThreshold', quality.probabilityThreshold, 0, 1);
    check.duration('modelQuality.labelDelay', quality.labelDelay, 'seconds', 0, 30 * 24 * 3600);
    const delay = quality.labelDelay;
    check.check(!isDuration(delay) || delay.isUnresolved() || Number.isInteger(delay.toHours({ integral: false })), 'modelQuality.labelDelay', shownDuration(delay),
      'give whole hours, for example Duration.hours(6): monitoring windows start on the hour');
  }
  check.throwIfAny();
}

/** The arguments of the functions that give a model's monitoring keys. */
function checkKeyPrefixArguments(method: string, modelName: string, kind: MonitoringKind): void {
  checkArguments(method, (check) => {
    check.matches('modelName', modelName, MODEL_NAME, MODEL_NAME_FIX, { required: true });
    check.choice('kind', kind, Object.values(MonitoringKind), 'use MonitoringKind.DATA_QUALITY or MonitoringKind.MODEL_QUALITY', { required: true });
  });
}
