import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeRegulated, acknowledgeRoleInlinePolicies } from '../core/compliance';
import { acknowledgeResourceWildcard } from '../core/grants';
import { newDataKey } from '../core/keys';
import { statefulRemovalPolicy } from '../core/removal';
import { checkMetricName, checkMetricOptions, checkMetricOptionsOf } from '../core/metric-arguments';
import { checkArguments, checkPropsStruct, MAX_INT32, PropChecker } from '../core/validation-error';
import { checkSageMakerInstanceType } from '../core/sagemaker-instance-type';
import { checkSelectsSubnets, checkVpc } from '../network/compute-subnets';
import type { ArtifactStore } from '../versioning/artifact-store';
import { DeploymentGuardrails } from './deployment-guardrails';
import type { ModelSource } from './model-source';

/** Real-time (instances, always on) or serverless (per request, scales to zero). */
export enum EndpointHosting {
  /** Instances that serve all the time, billed by the hour. */
  REAL_TIME = 'REAL_TIME',
  /** Capacity per request that scales to zero, billed per request. */
  SERVERLESS = 'SERVERLESS',
}

/** One model behind the endpoint, with its share of traffic. */
export interface EndpointVariant {
  /** Letters, digits and hyphens, for example `v3`. */
  readonly variantName: string;
  /** The model this variant serves. */
  readonly model: ModelSource;
  /**
   * Its share of traffic, relative to the other variants' weights (A/B tests).
   * @default 1
   */
  readonly initialWeight?: number;
  /**
   * Real-time only.
   * @default 'ml.m5.large'
   */
  readonly instanceType?: string;
  /**
   * Real-time only; at least 1.
   * @default - the endpoint's `instanceCount`
   */
  readonly instanceCount?: number;
}

/** Target-tracking autoscaling of each real-time variant. */
export interface EndpointAutoScaling {
  /** Fewest instances per variant. */
  readonly minCapacity: number;
  /** Most instances per variant. */
  readonly maxCapacity: number;
  /** Invocations per instance per minute to hold. */
  readonly invocationsPerInstance: number;
  /**
   * How long after a scale-in the next one may start.
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * How long after a scale-out the next one may start.
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;
}

/** Where requests and responses are captured, for monitoring and retraining. */
export interface EndpointDataCapture {
  /** The store whose `data-capture/` prefix receives what is captured. */
  readonly artifactStore: ArtifactStore;
  /**
   * Share of requests captured.
   * @default 20
   */
  readonly samplingPercentage?: number;
}

export interface ModelEndpointProps {
  /** Real-time or serverless; chosen explicitly, since one bills while idle and one does not. */
  readonly hosting: EndpointHosting;
  /** The models served, with their traffic weights. */
  readonly variants: EndpointVariant[];
  /**
   * Instances per real-time variant; at least 2 keeps serving through an instance failure.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Real-time only: scale each variant on invocations per instance.
   * @default - a fixed instance count
   */
  readonly autoScaling?: EndpointAutoScaling;
  /**
   * Serverless only: memory per concurrent request, 1024 to 6144 MiB in steps of 1024.
   * @default 2048
   */
  readonly serverlessMemorySizeMiB?: number;
  /**
   * Serverless only: most requests served at once, 1 to 200.
   * @default 5
   */
  readonly serverlessMaxConcurrency?: number;
  /**
   * Capture requests and responses to the artifact store.
   * @default - nothing captured
   */
  readonly dataCapture?: EndpointDataCapture;
  /**
   * Guarded updates that shift traffic step by step and roll back when an alarm of this
   * endpoint (or one in `rollbackAlarms`) fires: blue/green (all at once, canary, linear) for
   * real-time and serverless endpoints, rolling for real-time endpoints of one variant.
   * @default - updates shift all traffic at once, without alarms
   */
  readonly deploymentGuardrails?: DeploymentGuardrails;
  /** More alarms that roll an update back. @default - the endpoint's error and latency alarms */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * Real-time only: a model that receives a copy of live traffic, whose answers are logged,
   * not returned.
   * @default - none
   */
  readonly shadowVariant?: EndpointVariant;
  /** Encrypts the endpoint's storage volumes and captured data. @default - a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the models in this VPC, in `subnets`.
   * @default - outside any VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of `vpc` the models run in.
   * @default - the VPC's private subnets with egress
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Cut the model containers off from the network: no outbound calls at all.
   * @default false
   */
  readonly networkIsolation?: boolean;
  /** Where alarms notify. @default - alarms notify nobody */
  readonly notificationTopic?: sns.ITopic;
  /**
   * p99 model latency, in milliseconds, above which the latency alarm fires.
   * @default 1000
   */
  readonly latencyAlarmThresholdMillis?: number;
  /**
   * 5xx errors per 5 minutes above which the error alarm fires.
   * @default 0
   */
  readonly errorAlarmThreshold?: number;

  /**
   * What happens to the new key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A percentile statistic of CloudWatch: p0 to p100, fractions allowed. */
const PERCENTILE = /^p(100|\d{1,2}(\.\d+)?)$/;
const VARIANT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const DEFAULT_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

/**
 * A SageMaker endpoint serving one or more model variants: real-time with autoscaling and
 * guarded blue/green updates, or serverless; data capture to the artifact store; KMS; an
 * execution role per model that reads only that model's artifact; alarms on errors and latency.
 */
export class ModelEndpoint extends Construct {
  /** The SageMaker endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** The configuration the endpoint runs. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The endpoint's name, as SageMaker reports metrics under. */
  public readonly endpointName: string;
  /** Fires on 5xx invocation errors. */
  public readonly errorAlarm: cloudwatch.Alarm;
  /** Fires on p99 model latency over the threshold. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Where the endpoint's alarms notify, if anywhere. */
  public readonly notificationTopic?: sns.ITopic;
  /** The execution role of each variant's model, by variant name. */
  public readonly executionRoles: { [variantName: string]: iam.IRole } = {};
  /** Encrypts the endpoint's volumes and the data it captures. */
  public readonly encryptionKey: kms.IKey;
  /** Whether the endpoint is serverless. */
  public readonly serverless: boolean;
  /** Where the endpoint captures requests and responses, if it does. */
  public readonly captureStore?: ArtifactStore;
  /** The key prefix of the captured data in `captureStore`, for example `capture/<endpoint>/`. */
  public readonly captureKeyPrefix?: string;
  /**
   * The VPC placement of the endpoint's models, which its monitoring jobs share.
   * @internal
   */
  public readonly _vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;

  private readonly variantNames: string[];

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `ModelEndpointProps`
   */
  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    checkPropsStruct('ModelEndpoint', props, '{ hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: "current", model }] }', { required: true });
    acknowledgeRoleInlinePolicies(this);
    const serverless = props.hosting === EndpointHosting.SERVERLESS;
    const instanceCount = props.instanceCount ?? 1;
    validate(props, serverless, instanceCount);

    const key = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the model endpoint', statefulRemovalPolicy(props.removalPolicy));
    this.encryptionKey = key;
    this.serverless = serverless;
    const vpcConfig = props.vpc ? this.vpcConfig(props.vpc, props.subnets) : undefined;
    this._vpcConfig = vpcConfig;
    const networkIsolation = props.networkIsolation ?? false;
    const model = (variant: EndpointVariant) => {
      const role = new iam.Role(this, `${variant.variantName}Role`, {
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
        description: `Runs model variant ${variant.variantName}`,
      });
      this.grantRuntime(role, vpcConfig !== undefined);
      this.executionRoles[variant.variantName] = role;
      return variant.model._bind(this, `${variant.variantName}Model`, role, { networkIsolation, vpcConfig });
    };
    const variant = (v: EndpointVariant): sagemaker.CfnEndpointConfig.ProductionVariantProperty => {
      const cfnModel = model(v);
      return {
        variantName: v.variantName,
        modelName: cfnModel.attrModelName,
        initialVariantWeight: v.initialWeight ?? 1,
        ...(serverless
          ? { serverlessConfig: { memorySizeInMb: props.serverlessMemorySizeMiB ?? 2048, maxConcurrency: props.serverlessMaxConcurrency ?? 5 } }
          : { instanceType: v.instanceType ?? 'ml.m5.large', initialInstanceCount: v.instanceCount ?? instanceCount }),
      };
    };

    this.variantNames = props.variants.map((v) => v.variantName);
    const capture = props.dataCapture;
    const captureDestination = `capture/${Names.uniqueResourceName(this, { maxLength: 60 })}`;
    this.captureStore = capture?.artifactStore;
    // SageMaker writes <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/
    this.captureKeyPrefix = capture ? `${captureDestination}/` : undefined;
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      productionVariants: props.variants.map(variant),
      shadowProductionVariants: props.shadowVariant ? [variant(props.shadowVariant)] : undefined,
      // serverless endpoints have no volumes to encrypt, and SageMaker refuses a key for them
      kmsKeyId: serverless ? undefined : key.keyArn,
      dataCaptureConfig: capture ? {
        enableCapture: true,
        initialSamplingPercentage: capture.samplingPercentage ?? 20,
        destinationS3Uri: capture.artifactStore.bucket.s3UrlForObject(captureDestination),
        kmsKeyId: key.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
        captureContentTypeHeader: { jsonContentTypes: ['application/json'], csvContentTypes: ['text/csv'] },
      } : undefined,
    });
    if (capture) {
      for (const role of Object.values(this.executionRoles)) {
        capture.artifactStore.grantWrite(role, 'capture/');
        key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt'); // captured data is encrypted with the endpoint's key
      }
    }
    if (serverless) {
      const noVolumes = 'Serverless endpoints have no storage volumes; SageMaker refuses a KMS key on their configuration.';
      Validations.of(this.endpointConfig).acknowledge({ id: 'AwsSolutions-SM2', reason: noVolumes });
      acknowledgeRegulated(this.endpointConfig, 'SageMakerEndpointConfigurationKMSKeyConfigured', noVolumes);
    }

    this.endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      // an update keeps the instance counts autoscaling set, but takes the new weights
      retainAllVariantProperties: props.autoScaling ? true : undefined,
      excludeRetainedVariantProperties: props.autoScaling ? [{ variantPropertyType: 'DesiredWeight' }, { variantPropertyType: 'DataCaptureConfig' }] : undefined,
    });
    this.endpointName = this.endpoint.attrEndpointName;

    // named here, not by CloudFormation: the endpoint's rollback names its alarms, which watch the endpoint
    const alarmName = (suffix: string) => `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-${suffix}`;
    this.errorAlarm = new cloudwatch.Alarm(this, 'ErrorAlarm', {
      alarmName: alarmName('errors'),
      alarmDescription: 'The endpoint returned 5xx errors',
      metric: this.metricInvocation5XXErrors(),
      threshold: props.errorAlarmThreshold ?? 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.latencyAlarm = new cloudwatch.Alarm(this, 'LatencyAlarm', {
      alarmName: alarmName('latency'),
      alarmDescription: 'p99 model latency is over its threshold',
      metric: this.metricModelLatency('p99'),
      threshold: (props.latencyAlarmThresholdMillis ?? 1000) * 1000, // SageMaker reports microseconds
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notificationTopic = props.notificationTopic;
    for (const alarm of [this.errorAlarm, this.latencyAlarm]) {
      if (props.notificationTopic) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.notificationTopic));
      } else {
        acknowledgeRegulated(alarm, 'CloudWatchAlarmAction', 'Without a notificationTopic the alarm still rolls guarded updates back and shows '
          + 'on dashboards; StackMonitoring.monitorEndpoint, or a notificationTopic, adds the action that tells someone.');
      }
    }
    if (props.deploymentGuardrails) {
      // our alarms by the literal names given them: a reference would make a cycle
      const names = [alarmName('errors'), alarmName('latency'), ...(props.rollbackAlarms ?? []).map((a) => a.alarmName)];
      this.endpoint.deploymentConfig = props.deploymentGuardrails._render(names);
    }
    if (props.autoScaling) {
      this.addAutoScaling(props.autoScaling);
    }
  }

  /** A metric of the endpoint, summed over its variants, in `AWS/SageMaker`. */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkArguments('ModelEndpoint.metric', (check) => {
      checkMetricName(check, 'metricName', metricName, 'OverheadLatency');
      checkMetricOptions(check, props);
    });
    return new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName, dimensionsMap: { EndpointName: this.endpointName, VariantName: this.variantNames[0] }, ...props });
  }

  /** Requests, per period. */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    checkMetricOptionsOf('ModelEndpoint.metricInvocations', props);
    return this.sumOverVariants('Invocations', props);
  }

  /** 5xx errors (the model failed), per period. */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    checkMetricOptionsOf('ModelEndpoint.metricInvocation5XXErrors', props);
    return this.sumOverVariants('Invocation5XXErrors', props);
  }

  /** 4xx errors (bad requests), per period. */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    checkMetricOptionsOf('ModelEndpoint.metricInvocation4XXErrors', props);
    return this.sumOverVariants('Invocation4XXErrors', props);
  }

  /** Time the model takes to answer, in microseconds, at a percentile of the first variant (`p50`, `p90`, `p99`). */
  public metricModelLatency(percentile = 'p99', props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkArguments('ModelEndpoint.metricModelLatency', (check) => {
      check.matches('percentile', percentile, PERCENTILE, 'give a percentile such as "p50", "p90" or "p99.9"');
      checkMetricOptions(check, props);
    });
    return this.metric('ModelLatency', { statistic: percentile, period: Duration.minutes(1), ...props });
  }

  /** CPU use of the first variant's instances, in percent (100 per core). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkMetricOptionsOf('ModelEndpoint.metricCpuUtilization', props);
    return this.instanceMetric('CPUUtilization', props);
  }

  /** GPU use of the first variant's instances, in percent (100 per GPU). */
  public metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkMetricOptionsOf('ModelEndpoint.metricGpuUtilization', props);
    return this.instanceMetric('GPUUtilization', props);
  }

  /** Lets `grantee` call the endpoint. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint'],
      resourceArns: [this.endpoint.ref], // Ref is the endpoint's ARN
    });
  }

  private instanceMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: '/aws/sagemaker/Endpoints', metricName, statistic: 'Average',
      dimensionsMap: { EndpointName: this.endpointName, VariantName: this.variantNames[0] }, ...props,
    });
  }

  private sumOverVariants(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    // ids unique per metric name, so several sums can share a graph
    const metrics = Object.fromEntries(this.variantNames.map((v, i) => [`${metricName.toLowerCase()}${i}`, new cloudwatch.Metric({
      namespace: 'AWS/SageMaker', metricName, statistic: 'Sum', period: Duration.minutes(5),
      dimensionsMap: { EndpointName: this.endpointName, VariantName: v }, ...props,
    })]));
    return new cloudwatch.MathExpression({
      expression: Object.keys(metrics).join(' + '), usingMetrics: metrics, label: metricName, period: props?.period ?? Duration.minutes(5),
    });
  }

  private addAutoScaling(scaling: EndpointAutoScaling): void {
    for (const variantName of this.variantNames) {
      const target = new appscaling.ScalableTarget(this, `${variantName}Scaling`, {
        serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
        resourceId: `endpoint/${this.endpointName}/variant/${variantName}`,
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        minCapacity: scaling.minCapacity,
        maxCapacity: scaling.maxCapacity,
      });
      target.node.addDependency(this.endpoint);
      target.scaleToTrackMetric('Invocations', {
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        targetValue: scaling.invocationsPerInstance,
        scaleInCooldown: scaling.scaleInCooldown ?? Duration.minutes(5),
        scaleOutCooldown: scaling.scaleOutCooldown ?? Duration.minutes(1),
      });
    }
  }

  /** Container logs and metrics, which SageMaker writes as the model's execution role; in a VPC, its network interfaces. */
  private grantRuntime(role: iam.Role, inVpc: boolean): void {
    if (inVpc) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission',
          'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions'],
        resources: ['*'],
      }));
    }
    const stack = Stack.of(this);
    const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/Endpoints/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroups],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'], resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/Endpoints', 'AWS/SageMaker'] } },
    }));
    acknowledgeResourceWildcard(role, logGroups, 'SageMaker writes each endpoint\'s container logs to log groups it names under /aws/sagemaker/Endpoints/.');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData (limited by a condition to the SageMaker namespaces), ecr:GetAuthorizationToken and, in a VPC, '
        + 'the ENI calls SageMaker makes to attach the model to its subnets have no resource-level permissions.',
    });
  }

  private vpcConfig(vpc: ec2.IVpc, subnets?: ec2.SubnetSelection): sagemaker.CfnModel.VpcConfigProperty {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc, description: 'Model containers: egress only', allowAllOutbound: true,
    });
    return {
      securityGroupIds: [securityGroup.securityGroupId],
      subnets: vpc.selectSubnets(subnets ?? DEFAULT_SUBNETS).subnetIds,
    };
  }
}

/** SageMaker's most alarms on one endpoint's rollback; two are the endpoint's own. */
const MAX_ROLLBACK_ALARMS = 8;
/** SageMaker's most subnets in a model's VPC configuration. */
const MAX_SUBNETS = 16;

function validate(props: ModelEndpointProps, serverless: boolean, instanceCount: number): void {
  const check = new PropChecker('ModelEndpoint');
  check.oneOf('hosting', props.hosting, Object.values(EndpointHosting), 'use EndpointHosting.REAL_TIME or EndpointHosting.SERVERLESS', { required: true });
  check.boolean('networkIsolation', props.networkIsolation);
  const variants = check.list('variants', props.variants, '[{ variantName: "current", model: ModelSource.fromModelPackage({ ... }) }]');
  check.nonEmpty('variants', props.variants, 'give 1 to 10 variants');
  check.check(variants.length <= 10, 'variants', variants.length, 'give 1 to 10 variants');
  const names = new Set<string>();
  [...variants, ...(props.shadowVariant === undefined ? [] : [props.shadowVariant])].forEach((v, i) => {
    const prop = i < variants.length ? `variants[${i}]` : 'shadowVariant';
    if (!check.struct(prop, v, '{ variantName: "current", model }', { required: true })) {
      return;
    }
    check.known(`${prop}.variantName`, v.variantName, 'give a plain string: construct ids and the scaling resource are made from it');
    check.check(typeof v.variantName === 'string' && VARIANT_NAME.test(v.variantName) && v.variantName.length <= 63, `${prop}.variantName`, v.variantName,
      'use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit');
    check.check(!names.has(v.variantName), `${prop}.variantName`, v.variantName, 'give each variant its own name');
    names.add(v.variantName);
    check.instance(`${prop}.model`, v.model, '_bind', 'a ModelSource, such as ModelSource.fromModelPackage({ modelPackageArn, artifactStore, modelDataKey })', { required: true });
    check.check(v.initialWeight === undefined || (Number.isFinite(v.initialWeight) && v.initialWeight > 0), `${prop}.initialWeight`, v.initialWeight,
      'give a weight above 0; to take a variant out of traffic, remove it');
    if (serverless) {
      check.check(v.instanceType === undefined, `${prop}.instanceType`, v.instanceType, 'a serverless endpoint has no instances: remove instanceType, or use EndpointHosting.REAL_TIME');
      check.check(v.instanceCount === undefined, `${prop}.instanceCount`, v.instanceCount, 'a serverless endpoint has no instances: remove instanceCount');
    } else {
      check.integer(`${prop}.instanceCount`, v.instanceCount, 1, MAX_INT32, 'give a whole number, 1 or more: a real-time variant needs an instance');
      checkSageMakerInstanceType(check, `${prop}.instanceType`, v.instanceType, 'ml.m5.large');
    }
  });
  if (serverless) {
    check.check(props.serverlessMemorySizeMiB === undefined || [1024, 2048, 3072, 4096, 5120, 6144].includes(props.serverlessMemorySizeMiB),
      'serverlessMemorySizeMiB', props.serverlessMemorySizeMiB, 'give 1024, 2048, 3072, 4096, 5120 or 6144');
    check.integer('serverlessMaxConcurrency', props.serverlessMaxConcurrency, 1, 200);
    // what SageMaker Serverless Inference does not support
    const realTimeOnly = {
      instanceCount: props.instanceCount, autoScaling: props.autoScaling,
      shadowVariant: props.shadowVariant, vpc: props.vpc, networkIsolation: props.networkIsolation || undefined, dataCapture: props.dataCapture,
    };
    check.check(variants.length === 1, 'variants', variants.length, 'a serverless endpoint serves one variant');
    for (const [prop, value] of Object.entries(realTimeOnly)) {
      check.check(value === undefined, prop, value, 'applies to real-time endpoints only: remove it, or use EndpointHosting.REAL_TIME');
    }
  } else {
    for (const prop of ['serverlessMemorySizeMiB', 'serverlessMaxConcurrency'] as const) {
      check.check(props[prop] === undefined, prop, props[prop], 'applies to serverless endpoints only: remove it, or use EndpointHosting.SERVERLESS');
    }
    check.integer('instanceCount', instanceCount, 1, MAX_INT32, 'give a whole number, 1 or more: a real-time endpoint needs an instance');
  }
  const scaling = props.autoScaling;
  if (scaling !== undefined && check.struct('autoScaling', scaling, '{ minCapacity: 1, maxCapacity: 4, invocationsPerInstance: 100 }')) {
    const required = { required: true };
    check.integer('autoScaling.minCapacity', scaling.minCapacity, 1, MAX_INT32, 'give a whole number, 1 or more', required);
    check.integer('autoScaling.maxCapacity', scaling.maxCapacity, Math.max(1, Number.isFinite(scaling.minCapacity) ? scaling.minCapacity : 1), MAX_INT32,
      `give a whole number, at least minCapacity (${scaling.minCapacity})`, required);
    check.number('autoScaling.invocationsPerInstance', scaling.invocationsPerInstance, Number.MIN_VALUE, Number.MAX_VALUE, 'give a number above 0', required);
    check.duration('autoScaling.scaleInCooldown', scaling.scaleInCooldown, 'seconds', 0, MAX_INT32);
    check.duration('autoScaling.scaleOutCooldown', scaling.scaleOutCooldown, 'seconds', 0, MAX_INT32);
  }
  check.check(!props.shadowVariant || variants.length === 1, 'shadowVariant', props.shadowVariant?.variantName,
    'a shadow variant shadows exactly one production variant: give one variant');
  const capture = props.dataCapture;
  if (capture !== undefined && check.struct('dataCapture', capture, '{ artifactStore }')) {
    check.construct('dataCapture.artifactStore', capture.artifactStore, 'an ArtifactStore, such as new ArtifactStore(this, "Captures")', { required: true });
    check.integer('dataCapture.samplingPercentage', capture.samplingPercentage, 1, 100, 'give a whole percent from 1 to 100');
  }
  const guardrails = props.deploymentGuardrails;
  if (check.instance('deploymentGuardrails', guardrails, '_check', 'DeploymentGuardrails, such as DeploymentGuardrails.canary(10)')) {
    guardrails._check(check, 'deploymentGuardrails', { serverless, variantCount: variants.length });
  }
  const rollbackAlarms = check.list('rollbackAlarms', props.rollbackAlarms, '[alarm]');
  rollbackAlarms.forEach((alarm, i) => check.construct(`rollbackAlarms[${i}]`, alarm, 'a cloudwatch.IAlarm, such as cloudwatch.Alarm.fromAlarmName(this, "Errors", "errors")', { required: true }));
  check.check(props.rollbackAlarms === undefined || props.deploymentGuardrails !== undefined, 'rollbackAlarms', rollbackAlarms.length,
    'alarms roll back guarded updates only: give deploymentGuardrails too, or remove rollbackAlarms');
  check.check(rollbackAlarms.length <= MAX_ROLLBACK_ALARMS, 'rollbackAlarms', rollbackAlarms.length,
    `give at most ${MAX_ROLLBACK_ALARMS}: SageMaker watches 10 alarms per update, and two are the endpoint's own`);
  check.check(props.subnets === undefined || props.vpc !== undefined, 'subnets', props.subnets, 'give the vpc they are in too, or remove subnets');
  if (props.vpc !== undefined && checkVpc(check, props.vpc)) {
    checkSelectsSubnets(check, 'subnets', props.vpc, props.subnets ?? DEFAULT_SUBNETS, MAX_SUBNETS);
  }
  check.known('latencyAlarmThresholdMillis', props.latencyAlarmThresholdMillis, 'give a plain number: it is converted to microseconds at synth time');
  check.number('latencyAlarmThresholdMillis', props.latencyAlarmThresholdMillis, Number.MIN_VALUE, Number.MAX_VALUE / 1000, 'give a number of milliseconds above 0');
  check.number('errorAlarmThreshold', props.errorAlarmThreshold, 0, Number.MAX_VALUE, 'give a number of errors, 0 or more');
  check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
  check.construct('notificationTopic', props.notificationTopic, 'an sns.ITopic, such as new sns.Topic(this, "Alarms")');
  check.removalPolicy('removalPolicy', props.removalPolicy);
  check.throwIfAny();
}
