import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { BatchCompute } from '../../constructs/compute';
import { checkQueueOptions } from '../../constructs/compute/compute-queue';
import { checkMultiNodeJob } from '../../constructs/compute/multi-node-job-definition-props';
import { checkSparkConf } from '../../constructs/compute/spark-job-target';
import { checkComputeSubnets } from '../../constructs/network/compute-subnets';
import { checkMultiNodeQueue } from '../../constructs/compute/multi-node-queue';
import { validateJobDefinition } from '../../constructs/compute/job-definition-props';
import { daysFromToday } from '../../constructs/core/dates';
import { checkLifecycleRules } from '../../constructs/core/lifecycle-rules';
import { MAX_INT32, PropChecker } from '../../constructs/core/validation-error';
import { NotebookDomain, NotebookDomainProps, SandboxNotebook, SandboxNotebookProps } from '../../constructs/development';
import { DataQualityRuleset, SparkJobOptions, SparkRuntime, SparkRuntimeProps } from '../../constructs/features';
import {
  DeploymentGuardrails, DriftMonitor, DriftMonitorProps, EndpointHosting, ModelEndpoint, ModelEndpointProps, ModelProblemType, ModelSource, ModelQualityMonitoring,
  MonitoringFrequency,
} from '../../constructs/modelops';
import { DataScienceNetwork } from '../../constructs/network';
import { WorkflowStep } from '../../constructs/scheduler';
import { checkTableSnapshots } from '../../constructs/scheduler/table-snapshots';
import { checkDefinitionSize, checkHistory, checkRunProps } from '../../constructs/scheduler/workflow-checks';
import { dagOrder } from '../../constructs/scheduler/workflow-dag';
import { DataTriggerProps, WorkflowScheduleProps } from '../../constructs/scheduler/workflow-trigger-props';
import { checkSchedule, checkTriggerId, dataTriggerKey } from '../../constructs/scheduler/workflow-triggers';
import { ArtifactStore, ModelRegistry } from '../../constructs/versioning';
import { DataWarehouse, DataWarehouseProps, LakeTableOptions, NamedQueryProps } from '../../constructs/warehouse';
import { ProjectSandboxStack, ProjectSandboxStackProps } from '../../lib/project-sandbox-stack';
import { DisasterRecovery } from '../../lib/disaster-recovery';
import { checkReplicaRegion, ReplicaNames } from '../../lib/replica-names';
import { checkStackProps } from '../../lib/stack-props-check';
import { Bound } from './bounds';
import { checkStep as step } from './step-parts';

/*
 * Every bound the props checks hold a value to, each with how to build a value on either side of
 * it (test/bounds.test.ts tests both), and those not yet tested. A new bound in the source fails
 * test/bound-sites.test.ts until it is given its two sides here.
 */

/** Runs `fill` on a checker and throws what it found. */
const checked = (fill: (check: PropChecker) => void) => {
  const check = new PropChecker('Thing');
  fill(check);
  check.throwIfAny();
};

const IA = s3.StorageClass.INFREQUENT_ACCESS;
const rule = (props: s3.LifecycleRule) => checked((check) => checkLifecycleRules(check, 'rules', [props]));
const queue = (options: object, kind = { gpu: false, fargate: false }) => checked((check) => checkQueueOptions(check, options, kind));
const job = (resolved: Partial<{ vcpus: number; memoryMiB: number; gpuCount: number; attempts: number }>, props: object = {}) =>
  validateJobDefinition(new Stack(), 'Train', { image: 'img', ...props } as any, { vcpus: 1, memoryMiB: 2048, gpuCount: 0, attempts: 1, ...resolved });
/** A multi-node queue of g5.xlarge hosts (4 vCPUs, 1 GPU, 16 GiB each) holding 16 nodes, as a job's check reads it. */
const G5_QUEUE = { instanceType: 'g5.xlarge', maxNodes: 16, maxvCpus: 64, vcpusPerNode: 4, gpusPerNode: 1, memoryMiBPerNode: 16384 } as any;
const multiNodeJob = (props: object, sizes: object = {}) => checked((check) => checkMultiNodeJob(check, { image: 'img', numNodes: 4, ...props } as any,
  { vcpus: 4, memoryMiB: 8192, gpuCount: 1, sharedMemoryMiB: 2048, ...sizes }, G5_QUEUE));
const multiNodeQueue = (options: object) => checked((check) => checkMultiNodeQueue(check, { instanceType: new ec2.InstanceType('g5.xlarge'), ...options }, 'multiNode.'));
const batchCompute = (props: object) => {
  const stack = new Stack(new App(), 'Compute');
  new BatchCompute(stack, 'Compute', { vpc: new ec2.Vpc(stack, 'Vpc'), standardQueues: false, ...props });
};
const warehouse = (props: DataWarehouseProps) => new DataWarehouse(new Stack(new App(), 'Lake'), 'Warehouse', props);
/** A serverless endpoint with `props`, given or made with its artifact store. */
const endpoint = (props: Partial<ModelEndpointProps> | ((artifactStore: ArtifactStore) => Partial<ModelEndpointProps>)) => {
  const stack = new Stack(new App(), 'Serving');
  const artifactStore = new ArtifactStore(stack, 'Artifacts');
  const model = ModelSource.fromArtifact({ artifactStore, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
  const own = typeof props === 'function' ? props(artifactStore) : props;
  new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'current', model }], ...own });
};
const realTime = (props: Partial<ModelEndpointProps>) => endpoint({ hosting: EndpointHosting.REAL_TIME, ...props });
const variants = (count: number) => {
  const stack = new Stack(new App(), 'Serving');
  const artifactStore = new ArtifactStore(stack, 'Artifacts');
  const model = ModelSource.fromArtifact({ artifactStore, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
  // a serverless endpoint serves one variant; a real-time one up to ten
  new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.REAL_TIME, variants: Array.from({ length: count }, (_, i) => ({ variantName: `v${i}`, model })) });
};
/** A drift monitor of a real-time endpoint that captures its data, in a region with Model Monitor's image. */
const driftMonitor = (props: Partial<DriftMonitorProps>) => {
  const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1' } });
  const artifactStore = new ArtifactStore(stack, 'Artifacts');
  const model = ModelSource.fromArtifact({ artifactStore, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
  const endpoint = new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'current', model }], dataCapture: { artifactStore } });
  new DriftMonitor(stack, 'Drift', { endpoint, modelName: 'churn', ...props });
};
const driftModelQuality = (props: Partial<ModelQualityMonitoring>) => driftMonitor({ modelQuality: {
  groundTruthKeyPrefix: 'models/churn/ground-truth/', problemType: ModelProblemType.BINARY_CLASSIFICATION, ...props,
} });
const modelSource = (props: { modelDataKey?: string; environment?: Record<string, string> }) => ModelSource.fromArtifact({
  artifactStore: new ArtifactStore(new Stack(), 'Artifacts'), modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1', ...props,
});
const namedQuery = (props: Partial<NamedQueryProps>) => warehouse({}).addNamedQuery('Top', { queryName: 'top', queryString: 'SELECT 1', ...props });
const notebooks = (props: Partial<NotebookDomainProps>) => {
  const stack = new Stack(new App(), 'Notebooks');
  new NotebookDomain(stack, 'Notebooks', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), ...props });
};
/** One owner's notebook in a domain whose JupyterLab idles an hour. */
const sandboxNotebook = (props: Partial<SandboxNotebookProps>, idleTimeoutMinutes = 60) => {
  const stack = new Stack(new App(), 'Sandbox');
  new SandboxNotebook(stack, 'Notebook', {
    domain: { domainId: 'd-abc123', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes },
    userProfileName: 'churn-ana', encryptionKey: new kms.Key(stack, 'Key'), ...props,
  });
};
/** A VPC of one zone with a public subnet and `count` subnets of `type`, or those alone. */
const vpcWith = (type: ec2.SubnetType, count: number, withPublic = true) => {
  const stack = new Stack(new App(), 'Network');
  const subnets = Array.from({ length: count }, (_, i) => ({ name: `S${i}`, subnetType: type }));
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [...(withPublic ? [{ name: 'P', subnetType: ec2.SubnetType.PUBLIC }] : []), ...subnets] });
};
const sandboxStack = (props: Partial<ProjectSandboxStackProps>) => new ProjectSandboxStack(new App(), 'Sandbox', {
  teamName: 'data-science', projectName: 'churn', expiresOn: daysFromToday(14), ...props,
});
const schedule = (props: Partial<WorkflowScheduleProps>) => checked((check) => checkSchedule(check, {
  schedule: scheduler.ScheduleExpression.rate(Duration.hours(6)), ...props,
}));
const dataTrigger = (props: Partial<DataTriggerProps>) => checked((check) => dataTriggerKey(check, {
  bucket: s3.Bucket.fromBucketName(new Stack(), 'Lake', 'lake'), prefix: 'events/', ...props,
}));
const disasterRecovery = (backupRetention: Duration) => {
  const stack = new Stack(new App(), 'Team');
  return new DisasterRecovery(stack, 'Recovery', {
    names: new ReplicaNames('team', 'dev', 'us-west-2'), buckets: {}, sourceKey: new kms.Key(stack, 'Key'), tables: [], backupRetention, removalPolicy: RemovalPolicy.RETAIN,
  });
};
const stackProps = (props: object) => checked((check) => checkStackProps(check, new App(), 'Team', props));
const table = (options: Partial<LakeTableOptions>) => warehouse({}).raw.addTable('Events', {
  tableName: 'events', columns: [{ name: 'id', type: 'string' }], ...options,
});
const guardrails = (g: DeploymentGuardrails) => checked((check) => g._check(check, 'guardrails', { serverless: false, variantCount: 1 }));
const runProps = (timeout: Duration) => checked((check) => checkRunProps(check, timeout, [], logs.RetentionDays.ONE_MONTH));
const batchStep = (props: object) => step((p) => WorkflowStep.batchJob({ name: 'a', ...p.job, ...props }));
const qualityStep = (props: object) => step((p) => WorkflowStep.dataQuality({ name: 'dq', ruleset: p.ruleset, ...props }));
const sparkStep = (props: object) => step((p) => WorkflowStep.sparkJob({ name: 'spark', job: p.sparkJob, ...props }));
const baselineStep = (props: object) => step(() => WorkflowStep.monitoringBaseline({ name: 'baseline', modelName: 'churn', datasetKeyPrefix: 'runs/train/', ...props }));
const registerStep = (props: object) => step((p) => WorkflowStep.registerModel({
  name: 'register', registry: p.models, modelName: 'churn', image: 'serve:1', modelDataKey: 'runs/model.tar.gz', ...props,
}));
const modelQuality = (props: object) => baselineStep({ modelQuality: {
  problemType: ModelProblemType.BINARY_CLASSIFICATION, inferenceAttribute: 'prediction', groundTruthAttribute: 'label', ...props,
} });
const sparkRuntime = (props: Partial<SparkRuntimeProps>) => {
  const stack = new Stack(new App(), 'Features');
  return new SparkRuntime(stack, 'Spark', { artifactStore: new ArtifactStore(stack, 'Artifacts'), ...props });
};
const sparkJob = (options: Partial<SparkJobOptions>) => sparkRuntime({}).addJob('Build', { entryPointKey: 'code/build.py', ...options });
/** A ruleset of `length` characters: one rule, then a comment filling the rest. */
const rulesOf = (length: number) => { const rules = 'Rules = [ RowCount > 0 ]\n#'; return rules + 'x'.repeat(Math.max(length - rules.length, 0)); };
const ruleset = (props: { rules?: string; description?: string }) => {
  const table = warehouse({}).raw.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
  new DataQualityRuleset(table, 'Checks', { table, rules: rulesOf(30), ...props });
};

export const BOUNDS: Bound[] = [
  // lifecycle rules: every duration a day or more, and the infrequent classes 30 days after creation at the soonest
  { site: 'constructs/core/lifecycle-rules.ts: ${at}.expiration', prop: 'rules[0].expiration', lowest: 1, highest: MAX_INT32, build: (v) => rule({ expiration: Duration.days(v) }) },
  {
    site: 'constructs/core/lifecycle-rules.ts: ${at}.noncurrentVersionExpiration', prop: 'rules[0].noncurrentVersionExpiration', lowest: 1, highest: MAX_INT32,
    build: (v) => rule({ noncurrentVersionExpiration: Duration.days(v) }),
  },
  {
    site: 'constructs/core/lifecycle-rules.ts: ${at}.abortIncompleteMultipartUploadAfter', prop: 'rules[0].abortIncompleteMultipartUploadAfter', lowest: 1, highest: MAX_INT32,
    build: (v) => rule({ abortIncompleteMultipartUploadAfter: Duration.days(v) }),
  },
  {
    site: 'constructs/core/lifecycle-rules.ts: ${at}.transitionAfter', prop: 'rules[0].transitions[0].transitionAfter', lowest: 30, highest: MAX_INT32,
    build: (v) => rule({ transitions: [{ storageClass: IA, transitionAfter: Duration.days(v) }] }),
  },
  { site: 'constructs/core/lifecycle-rules.ts: ${at}.id', prop: 'rules[0].id', lowest: 1, highest: 255, build: (v) => rule({ id: 'r'.repeat(Math.max(v, 0)), expiration: Duration.days(1) }) },
  // compute
  { site: 'constructs/compute/compute-queue.ts: ${prefix}maxvCpus', prop: 'maxvCpus', lowest: 1, highest: MAX_INT32, build: (v) => queue({ maxvCpus: v }) },
  { site: 'constructs/compute/compute-queue.ts: ${prefix}rootVolumeSizeGiB', prop: 'rootVolumeSizeGiB', lowest: 30, highest: 16384, build: (v) => queue({ rootVolumeSizeGiB: v }) },
  { site: 'constructs/compute/job-definition-props.ts: attempts', prop: 'attempts', lowest: 1, highest: 10, build: (v) => job({ attempts: v }) },
  { site: 'constructs/compute/job-definition-props.ts: gpuCount', prop: 'gpuCount', lowest: 0, highest: 8, build: (v) => job({ gpuCount: v }) },
  { site: 'constructs/compute/job-definition-props.ts: vcpus', prop: 'vcpus', lowest: 1, highest: MAX_INT32, build: (v) => job({ vcpus: v, memoryMiB: MAX_INT32 }) },
  { site: 'constructs/compute/job-definition-props.ts: timeout', prop: 'timeout', lowest: 60, highest: MAX_INT32, build: (v) => job({}, { timeout: Duration.seconds(v) }) },
  // at least 512 MiB per vCPU on EC2
  { site: 'constructs/compute/job-definition-props.ts: memoryMiB', prop: 'memoryMiB', lowest: 1024, highest: MAX_INT32, build: (v) => job({ vcpus: 2, memoryMiB: v }) },
  { site: 'constructs/compute/compute-queue.ts: ${prefix}instanceClasses', prop: 'instanceClasses', lowest: 1, build: (v) => queue({ instanceClasses: Array(Math.max(v, 0)).fill(ec2.InstanceClass.M7I) }) },
  {
    site: 'constructs/compute/batch-compute.ts: untaggedImageExpiration', prop: 'untaggedImageExpiration', lowest: 1, belowLowest: false, highest: MAX_INT32,
    build: (v) => batchCompute({ untaggedImageExpiration: Duration.days(v) }),
  },
  // multi-node jobs of a queue holding 16 g5.xlarge nodes: 2 nodes or more, a main node among them, /dev/shm within the memory
  { site: 'constructs/compute/multi-node-job-definition-props.ts: numNodes', prop: 'numNodes', lowest: 2, highest: 16, build: (v) => multiNodeJob({ numNodes: v }) },
  { site: 'constructs/compute/multi-node-job-definition-props.ts: mainNode', prop: 'mainNode', lowest: 0, highest: 3, build: (v) => multiNodeJob({ mainNode: v }) },
  { site: 'constructs/compute/multi-node-job-definition-props.ts: sharedMemoryMiB', prop: 'sharedMemoryMiB', lowest: 1, highest: 8192, build: (v) => multiNodeJob({}, { sharedMemoryMiB: v }) },
  // a g5.xlarge queue holds 2 nodes from 8 vCPUs
  { site: 'constructs/compute/multi-node-queue.ts: ${prefix}maxvCpus', prop: 'multiNode.maxvCpus', lowest: 8, highest: MAX_INT32, build: (v) => multiNodeQueue({ maxvCpus: v }) },
  { site: 'constructs/compute/multi-node-queue.ts: ${prefix}rootVolumeSizeGiB', prop: 'multiNode.rootVolumeSizeGiB', lowest: 100, highest: 16384, build: (v) => multiNodeQueue({ rootVolumeSizeGiB: v }) },
  // model operations
  { site: 'constructs/modelops/model-endpoint.ts: serverlessMaxConcurrency', prop: 'serverlessMaxConcurrency', lowest: 1, highest: 200, build: (v) => endpoint({ serverlessMaxConcurrency: v }) },
  { site: 'constructs/modelops/model-endpoint.ts: errorAlarmThreshold', prop: 'errorAlarmThreshold', lowest: 0, build: (v) => endpoint({ errorAlarmThreshold: v }) },
  {
    site: 'constructs/modelops/model-endpoint.ts: dataCapture.samplingPercentage', prop: 'dataCapture.samplingPercentage', lowest: 1, highest: 100,
    build: (v) => endpoint((artifactStore) => ({ dataCapture: { artifactStore, samplingPercentage: v } })),
  },
  { site: 'constructs/modelops/model-endpoint.ts: instanceCount', prop: 'instanceCount', lowest: 1, highest: MAX_INT32, build: (v) => realTime({ instanceCount: v }) },
  { site: 'constructs/modelops/drift-monitor.ts: volumeSizeGiB', prop: 'volumeSizeGiB', lowest: 1, highest: 16384, build: (v) => driftMonitor({ volumeSizeGiB: v }) },
  {
    // at most the time between runs: an hour by default, six hours when run every six
    site: 'constructs/modelops/drift-monitor.ts: maxRuntime', prop: 'maxRuntime', lowest: 60, belowLowest: false, highest: 3600,
    build: (v) => driftMonitor({ maxRuntime: Duration.seconds(v) }),
  },
  {
    site: 'constructs/modelops/drift-monitor.ts: maxRuntime', prop: 'maxRuntime', lowest: 60, belowLowest: false, highest: 6 * 3600,
    build: (v) => driftMonitor({ maxRuntime: Duration.seconds(v), frequency: MonitoringFrequency.everyHours(6) }),
  },
  {
    site: 'constructs/modelops/drift-monitor.ts: driftAlarmThreshold', prop: 'driftAlarmThreshold', lowest: Number.MIN_VALUE, step: Number.MIN_VALUE,
    build: (v) => driftMonitor({ driftAlarmThreshold: v }),
  },
  {
    // above 0 and at most 1: the next number past 1 is 1 + EPSILON
    site: 'constructs/modelops/drift-monitor.ts: driftAlarmThreshold', prop: 'driftAlarmThreshold', lowest: 0.5, belowLowest: false, highest: 1, step: Number.EPSILON,
    build: (v) => driftMonitor({ driftAlarmThreshold: v }),
  },
  {
    site: 'constructs/modelops/drift-monitor.ts: modelQuality.probabilityThreshold', prop: 'modelQuality.probabilityThreshold', lowest: 0, highest: 1, step: 1e-9,
    build: (v) => driftModelQuality({ probabilityThreshold: v }),
  },
  {
    // in whole hours, up to 30 days
    site: 'constructs/modelops/drift-monitor.ts: modelQuality.labelDelay', prop: 'modelQuality.labelDelay', lowest: 0, belowLowest: false, highest: 30 * 24, step: 1,
    build: (v) => driftModelQuality({ labelDelay: Duration.hours(v) }),
  },
  // where the prediction and its probability are in the output: CloudFormation takes up to 256 characters
  ...(['inferenceAttribute', 'probabilityAttribute'] as const).map((attribute) => ({
    site: `constructs/modelops/drift-monitor.ts: modelQuality.${attribute}`, prop: `modelQuality.${attribute}`, lowest: 1, highest: 256,
    build: (v: number) => driftModelQuality({ [attribute]: 'a'.repeat(Math.max(v, 0)) }),
  })),
  { site: 'constructs/modelops/deployment-guardrails.ts: ${prop}.batchPercent', prop: 'guardrails.batchPercent', lowest: 5, highest: 50, build: (v) => guardrails(DeploymentGuardrails.rolling(v)) },
  {
    // milliseconds above 0, as many as microseconds fit in a number
    site: 'constructs/modelops/model-endpoint.ts: latencyAlarmThresholdMillis', prop: 'latencyAlarmThresholdMillis', lowest: Number.MIN_VALUE, step: Number.MIN_VALUE,
    build: (v) => endpoint({ latencyAlarmThresholdMillis: v }),
  },
  {
    site: 'constructs/modelops/model-endpoint.ts: latencyAlarmThresholdMillis', prop: 'latencyAlarmThresholdMillis', lowest: 1, belowLowest: false,
    highest: Number.MAX_VALUE / 1000, step: Number.MAX_VALUE / 1000 * Number.EPSILON, build: (v) => endpoint({ latencyAlarmThresholdMillis: v }),
  },
  { site: 'constructs/modelops/deployment-guardrails.ts: ${prop}.canaryPercent', prop: 'guardrails.canaryPercent', lowest: 1, highest: 50, build: (v) => guardrails(DeploymentGuardrails.canary(v)) },
  { site: 'constructs/modelops/deployment-guardrails.ts: ${prop}.stepPercent', prop: 'guardrails.stepPercent', lowest: 10, highest: 50, build: (v) => guardrails(DeploymentGuardrails.linear(v)) },
  {
    site: 'constructs/modelops/deployment-guardrails.ts: ${prop}.waitTime', prop: 'guardrails.waitTime', lowest: 0, belowLowest: false, highest: 3600,
    build: (v) => guardrails(DeploymentGuardrails.allAtOnce(Duration.seconds(v))),
  },
  {
    site: 'constructs/modelops/model-endpoint.ts: ${prop}.instanceCount', prop: 'variants[0].instanceCount', lowest: 1, highest: MAX_INT32,
    build: (v) => endpoint((artifactStore) => ({
      hosting: EndpointHosting.REAL_TIME,
      variants: [{ variantName: 'current', instanceCount: v, model: ModelSource.fromArtifact({ artifactStore, modelDataKey: 'm.tar.gz', image: 'img:1' }) }],
    })),
  },
  ...(['scaleInCooldown', 'scaleOutCooldown'] as const).map((cooldown) => ({
    site: `constructs/modelops/model-endpoint.ts: autoScaling.${cooldown}`, prop: `autoScaling.${cooldown}`, lowest: 0, belowLowest: false, highest: MAX_INT32,
    build: (v: number) => realTime({ autoScaling: { minCapacity: 1, maxCapacity: 2, invocationsPerInstance: 100, [cooldown]: Duration.seconds(v) } }),
  })),
  // above 0: the smallest number there is, and 0 itself refused
  {
    site: 'constructs/modelops/model-endpoint.ts: autoScaling.invocationsPerInstance', prop: 'autoScaling.invocationsPerInstance', lowest: Number.MIN_VALUE, step: Number.MIN_VALUE,
    build: (v) => realTime({ autoScaling: { minCapacity: 1, maxCapacity: 2, invocationsPerInstance: v } }),
  },
  {
    site: 'constructs/modelops/model-endpoint.ts: ${prop}.initialWeight', prop: 'variants[0].initialWeight', lowest: Number.MIN_VALUE, step: Number.MIN_VALUE,
    build: (v) => endpoint((artifactStore) => ({
      hosting: EndpointHosting.REAL_TIME,
      variants: [{ variantName: 'current', initialWeight: v, model: ModelSource.fromArtifact({ artifactStore, modelDataKey: 'm.tar.gz', image: 'img:1' }) }],
    })),
  },
  // a model package group's name, `<prefix>-<model>`, is at most 63 characters: 57 for a model of `fraud`
  {
    site: 'constructs/versioning/model-registry.ts: modelName', prop: 'modelName', lowest: 1, highest: 57,
    build: (v) => new ModelRegistry(new Stack(), 'Models', { namePrefix: 'fraud' }).addModel('m'.repeat(Math.max(v, 0))),
  },
  { site: 'constructs/modelops/model-endpoint.ts: variants', prop: 'variants', lowest: 1, highest: 10, build: variants },
  {
    site: 'constructs/modelops/model-endpoint.ts: ${prop}.variantName', prop: 'variants[0].variantName', lowest: 1, highest: 63,
    build: (v) => endpoint({ variants: [{ variantName: 'v'.repeat(Math.max(v, 0)), model: ModelSource.fromModelPackage({ modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/1', artifactStore: new ArtifactStore(new Stack(), 'A'), modelDataKey: 'm.tar.gz' }) }] }),
  },
  {
    site: 'constructs/modelops/model-endpoint.ts: rollbackAlarms', prop: 'rollbackAlarms', lowest: 0, belowLowest: false, highest: 8,
    build: (v) => realTime({
      deploymentGuardrails: DeploymentGuardrails.allAtOnce(),
      rollbackAlarms: Array.from({ length: v }, (_, i) => cloudwatch.Alarm.fromAlarmArn(new Stack(), `A${i}`, `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a${i}`)),
    }),
  },
  {
    site: 'constructs/modelops/model-endpoint.ts: autoScaling.minCapacity', prop: 'autoScaling.minCapacity', lowest: 1, highest: MAX_INT32,
    build: (v) => realTime({ autoScaling: { minCapacity: v, maxCapacity: MAX_INT32, invocationsPerInstance: 100 } }),
  },
  {
    site: 'constructs/modelops/model-endpoint.ts: autoScaling.maxCapacity', prop: 'autoScaling.maxCapacity', lowest: 3, highest: MAX_INT32,
    build: (v) => realTime({ autoScaling: { minCapacity: 3, maxCapacity: v, invocationsPerInstance: 100 } }),
  },
  {
    site: 'constructs/modelops/model-source.ts: environment', prop: 'environment', lowest: 0, belowLowest: false, highest: 100,
    build: (v) => modelSource({ environment: Object.fromEntries(Array.from({ length: v }, (_, i) => [`V${i}`, 'x'])) }),
  },
  {
    site: 'constructs/modelops/model-source.ts: environment.${name}', prop: 'environment.MODE', lowest: 0, belowLowest: false, highest: 1024,
    build: (v) => modelSource({ environment: { MODE: 'x'.repeat(v) } }),
  },
  {
    site: 'constructs/modelops/model-source.ts: modelDataKey', prop: 'modelDataKey', lowest: 1, highest: 1024,
    build: (v) => modelSource({ modelDataKey: 'k'.repeat(Math.max(v, 0)) }),
  },
  // model development
  { site: 'constructs/development/notebook-domain.ts: idleTimeoutMinutes', prop: 'idleTimeoutMinutes', lowest: 60, highest: 720, build: (v) => notebooks({ idleTimeoutMinutes: v }) },
  // a sandbox's notebook: its volume from the default 5 GiB to SageMaker's 500, and the domain's idle timeout as the domain takes it
  { site: 'constructs/development/sandbox-notebook.ts: volumeSizeGiB', prop: 'volumeSizeGiB', lowest: 5, highest: 500, build: (v) => sandboxNotebook({ volumeSizeGiB: v }) },
  { site: 'constructs/development/sandbox-notebook.ts: domain.idleTimeoutMinutes', prop: 'domain.idleTimeoutMinutes', lowest: 60, highest: 720, build: (v) => sandboxNotebook({}, v) },
  {
    site: 'constructs/development/sandbox-notebook.ts: domain.allowedInstanceTypes', prop: 'domain.allowedInstanceTypes', lowest: 1,
    build: (v) => sandboxNotebook({
      domain: { domainId: 'd-abc123', allowedInstanceTypes: Array(Math.max(v, 0)).fill('ml.t3.medium'), defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 },
    }),
  },
  { site: 'constructs/development/notebook-domain.ts: maxSpaceVolumeSizeGiB', prop: 'maxSpaceVolumeSizeGiB', lowest: 5, highest: 500, build: (v) => notebooks({ maxSpaceVolumeSizeGiB: v }) },
  {
    site: 'constructs/development/notebook-domain.ts: allowedInstanceTypes', prop: 'allowedInstanceTypes', lowest: 1, highest: 10,
    build: (v) => notebooks({ defaultInstanceType: 'ml.t3.medium', allowedInstanceTypes: ['ml.t3.medium', 'ml.t3.large', 'ml.t3.xlarge', 'ml.t3.2xlarge', 'ml.m5.large',
      'ml.m5.xlarge', 'ml.m5.2xlarge', 'ml.m5.4xlarge', 'ml.c5.large', 'ml.c5.xlarge', 'ml.c5.2xlarge'].slice(0, v) }),
  },
  // the names a replica derives from the team name fit S3's 63 characters: 27 characters in prod
  {
    site: 'lib/replica-names.ts: teamName', prop: 'teamName', lowest: 1, belowLowest: false, highest: 27,
    build: (v) => checked((check) => checkReplicaRegion(check, 't'.repeat(v), 'prod', 'us-west-2', 'eu-west-1')),
  },
  // network, scheduler, warehouse
  // a Spark setting's value is one word of at least a character; a query target covers at least one table
  { site: 'constructs/compute/spark-job-target.ts: ${prop}.${key}', prop: 'sparkConf.spark.executor.memory', lowest: 1,
    build: (v) => checked((check) => checkSparkConf(check, 'sparkConf', { 'spark.executor.memory': '4'.repeat(v) })) },
  {
    site: 'constructs/warehouse/data-warehouse.ts: tables', prop: 'tables', lowest: 1,
    build: (v) => { const lake = warehouse({}); lake.queryTargetFor(Array.from({ length: v }, (_, i) => lake.raw.addTable(`T${i}`, { tableName: `t${i}`, columns: [{ name: 'id', type: 'string' }] }))); },
  },
  // compute needs a subnet with a route out; EMR Serverless a private or isolated one
  {
    site: 'constructs/network/compute-subnets.ts: vpc', prop: 'vpc', lowest: 1,
    build: (v) => checked((check) => checkComputeSubnets(check, v > 0 ? vpcWith(ec2.SubnetType.PUBLIC, v - 1) : vpcWith(ec2.SubnetType.PRIVATE_ISOLATED, 1, false))),
  },
  {
    site: 'constructs/features/spark-runtime.ts: vpc', prop: 'vpc', lowest: 1,
    build: (v) => { const vpc = vpcWith(ec2.SubnetType.PRIVATE_ISOLATED, v); new SparkRuntime(vpc.stack, 'Spark', { artifactStore: new ArtifactStore(vpc.stack, 'Artifacts'), vpc }); },
  },
  { site: 'constructs/network/data-science-network.ts: maxAzs', prop: 'maxAzs', lowest: 1, highest: 6, build: (v) => new DataScienceNetwork(new Stack(), 'Network', { maxAzs: v }) },
  { site: 'constructs/scheduler/workflow-checks.ts: timeout', prop: 'timeout', lowest: 1, highest: 365 * 24 * 3600, build: (v) => runProps(Duration.seconds(v)) },
  {
    site: 'constructs/warehouse/data-warehouse.ts: queryResultsExpiration', prop: 'queryResultsExpiration', lowest: 1, highest: MAX_INT32,
    build: (v) => warehouse({ queryResultsExpiration: Duration.days(v) }),
  },
  {
    site: 'constructs/warehouse/data-warehouse.ts: noncurrentVersionRetention', prop: 'noncurrentVersionRetention', lowest: 1, highest: MAX_INT32,
    build: (v) => warehouse({ noncurrentVersionRetention: Duration.days(v) }),
  },
  { site: 'constructs/scheduler/workflow-triggers.ts: retryAttempts', prop: 'retryAttempts', lowest: 0, highest: 185, build: (v) => schedule({ retryAttempts: v }) },
  {
    site: 'constructs/scheduler/workflow-triggers.ts: flexibleWindow', prop: 'flexibleWindow', lowest: 1, highest: 1440,
    build: (v) => schedule({ flexibleWindow: Duration.minutes(Math.max(v, 0)) }),
  },
  { site: 'constructs/scheduler/workflow-triggers.ts: maxEventAge', prop: 'maxEventAge', lowest: 60, highest: 86400, build: (v) => schedule({ maxEventAge: Duration.seconds(v) }) },
  {
    site: 'constructs/scheduler/workflow-triggers.ts: description', prop: 'description', lowest: 0, belowLowest: false, highest: 512,
    build: (v) => schedule({ description: 'd'.repeat(v) }),
  },
  // S3 keys are at most 1024 bytes: the prefix, and the suffix with it
  {
    site: 'constructs/scheduler/workflow-triggers.ts: prefix', prop: 'prefix', lowest: 2, highest: 1024,
    build: (v) => dataTrigger({ prefix: `${'p'.repeat(Math.max(v - 1, 0))}/` }),
  },
  { site: 'constructs/scheduler/workflow-triggers.ts: id', prop: 'id', lowest: 1, build: (v) => checked((check) => checkTriggerId(check, new Stack(), 't'.repeat(Math.max(v, 0)))) },
  // a stack's description and tags, as CloudFormation takes them
  // a project sandbox: a budget from a cent to a billion USD, an owner of up to 63 characters, an expiry 1 to 90 days ahead
  { site: 'lib/project-sandbox-stack.ts: monthlyBudgetUsd', prop: 'monthlyBudgetUsd', lowest: 0.01, highest: 1e9, step: 0.01, build: (v) => sandboxStack({ monthlyBudgetUsd: v }) },
  { site: 'lib/project-sandbox-stack.ts: owner', prop: 'owner', lowest: 1, highest: 63, build: (v) => sandboxStack({ owner: 'a'.repeat(v) }) },
  { site: 'lib/project-sandbox-stack.ts: expiresOn', prop: 'expiresOn', lowest: 1, highest: 90, build: (v) => sandboxStack({ expiresOn: daysFromToday(v) }) },
  // AWS Backup keeps a backup for whole days, one at the least
  {
    site: 'lib/disaster-recovery.ts: backupRetention', prop: 'backupRetention', lowest: 1, highest: MAX_INT32,
    build: (v) => disasterRecovery(Duration.days(v)),
  },
  { site: 'lib/stack-props-check.ts: description', prop: 'description', lowest: 1, highest: 1024, build: (v) => stackProps({ description: 'd'.repeat(Math.max(v, 0)) }) },
  { site: 'lib/stack-props-check.ts: tags', prop: 'tags', lowest: 1, highest: 128, build: (v) => stackProps({ tags: { ['k'.repeat(Math.max(v, 0))]: 'v' } }) },
  {
    site: 'lib/stack-props-check.ts: tags[${JSON.stringify(key)}]', prop: 'tags["team"]', lowest: 0, belowLowest: false, highest: 256,
    build: (v) => stackProps({ tags: { team: 'v'.repeat(v) } }),
  },
  // lake tables
  { site: 'constructs/warehouse/lake-table.ts: prefix', prop: 'prefix', lowest: 2, highest: 1024, build: (v) => table({ prefix: `${'p'.repeat(Math.max(v - 1, 0))}/` }) },
  { site: 'constructs/warehouse/lake-table.ts: description', prop: 'description', lowest: 1, highest: 2048, build: (v) => table({ description: 'd'.repeat(Math.max(v, 0)) }) },
  {
    site: 'constructs/warehouse/lake-table.ts: columns', prop: 'columns', lowest: 1,
    build: (v) => table({ columns: Array.from({ length: Math.max(v, 0) }, (_, i) => ({ name: `c${i}`, type: 'string' })) }),
  },
  {
    site: 'constructs/warehouse/lake-table.ts: ${prop}[${i}].comment', prop: 'columns[0].comment', lowest: 1, highest: 255,
    build: (v) => table({ columns: [{ name: 'id', type: 'string', comment: 'c'.repeat(Math.max(v, 0)) }] }),
  },
  // feature engineering: EMR Serverless's smallest worker (1 vCPU, 2 GiB, 20 GiB of disk), whole minutes up to 7 days
  { site: 'constructs/features/spark-runtime.ts: maximumVcpus', prop: 'maximumVcpus', lowest: 1, highest: 1_000_000, build: (v) => sparkRuntime({ maximumVcpus: v, maximumMemoryGiB: 2, maximumDiskGiB: 20 }) },
  { site: 'constructs/features/spark-runtime.ts: maximumMemoryGiB', prop: 'maximumMemoryGiB', lowest: 2, highest: 100_000_000, build: (v) => sparkRuntime({ maximumMemoryGiB: v }) },
  { site: 'constructs/features/spark-runtime.ts: maximumDiskGiB', prop: 'maximumDiskGiB', lowest: 20, highest: 100_000_000, build: (v) => sparkRuntime({ maximumDiskGiB: v }) },
  {
    site: 'constructs/features/spark-runtime.ts: idleTimeout', prop: 'idleTimeout', lowest: 1, highest: 10_080, build: (v) => sparkRuntime({ idleTimeout: Duration.minutes(v) }),
  },
  { site: 'constructs/features/spark-job.ts: timeout', prop: 'timeout', lowest: 1, highest: 10_080, build: (v) => sparkJob({ timeout: Duration.minutes(v) }) },
  { site: 'constructs/features/spark-job.ts: arguments[${i}]', prop: 'arguments[0]', lowest: 1, highest: 10_280, build: (v) => sparkJob({ arguments: ['a'.repeat(Math.max(v, 0))] }) },
  // Glue's limit on a ruleset's length; the shortest is one rule, which the DQDL checker judges
  {
    site: 'constructs/features/data-quality-ruleset.ts: rules', prop: 'rules', lowest: 26, belowLowest: false, highest: 65_536,
    build: (v) => ruleset({ rules: rulesOf(v) }),
  },
  { site: 'constructs/features/data-quality-ruleset.ts: description', prop: 'description', lowest: 1, highest: 2048, build: (v) => ruleset({ description: 'd'.repeat(Math.max(v, 0)) }) },
  // workflows: Batch's integers and its one-minute shortest timeout, Step Functions' limits, each service's own
  { site: 'constructs/scheduler/workflow-step.ts: ${prefix}.retries', prop: 'steps[0].retries', lowest: 0, highest: 10, build: (v) => batchStep({ retries: v }) },
  { site: 'constructs/scheduler/batch-job-step.ts: ${prefix}.${prop}', prop: 'steps[0].vcpus', lowest: 1, highest: MAX_INT32, build: (v) => batchStep({ vcpus: v }) },
  { site: 'constructs/scheduler/batch-job-step.ts: ${prefix}.${prop}', prop: 'steps[0].memoryMiB', lowest: 1, highest: MAX_INT32, build: (v) => batchStep({ memoryMiB: v }) },
  { site: 'constructs/scheduler/batch-job-step.ts: ${prefix}.${prop}', prop: 'steps[0].gpuCount', lowest: 0, highest: MAX_INT32, build: (v) => batchStep({ gpuCount: v }) },
  { site: 'constructs/scheduler/batch-job-step.ts: ${prefix}.timeout', prop: 'steps[0].timeout', lowest: 60, highest: MAX_INT32, build: (v) => batchStep({ timeout: Duration.seconds(v) }) },
  {
    site: 'constructs/scheduler/for-each-step.ts: ${prefix}.maxConcurrency', prop: 'steps[0].maxConcurrency', lowest: 1, highest: 10_000,
    build: (v) => step((p) => WorkflowStep.forEach({ name: 'each', dependsOn: ['split'], itemsFrom: 'split', job: p.job, maxConcurrency: v })),
  },
  {
    site: 'constructs/scheduler/athena-query-step.ts: ${prefix}.queryString', prop: 'steps[0].queryString', lowest: 1,
    build: (v) => step((p) => WorkflowStep.athenaQuery({ name: 'q', warehouse: p.lake, queryString: 'S'.repeat(Math.max(v, 0)) })),
  },
  { site: 'constructs/scheduler/data-quality-step.ts: ${prefix}.workers', prop: 'steps[0].workers', lowest: 2, highest: 299, build: (v) => qualityStep({ workers: v }) },
  {
    site: 'constructs/scheduler/data-quality-step.ts: ${prefix}.partitionPredicate', prop: 'steps[0].partitionPredicate', lowest: 1, highest: 2048,
    build: (v) => qualityStep({ partitionPredicate: 'p'.repeat(Math.max(v, 0)) }),
  },
  { site: 'constructs/scheduler/data-quality-step.ts: ${prefix}.timeout', prop: 'steps[0].timeout', lowest: 1, highest: 2880, build: (v) => qualityStep({ timeout: Duration.minutes(v) }) },
  {
    site: 'constructs/scheduler/spark-job-step.ts: ${prefix}.arguments[${i}]', prop: 'steps[0].arguments[0]', lowest: 1, highest: 10_280,
    build: (v) => sparkStep({ arguments: ['a'.repeat(Math.max(v, 0))] }),
  },
  { site: 'constructs/scheduler/spark-job-step.ts: ${prefix}.timeout', prop: 'steps[0].timeout', lowest: 1, highest: 10_080, build: (v) => sparkStep({ timeout: Duration.minutes(v) }) },
  { site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.volumeSizeGiB', prop: 'steps[0].volumeSizeGiB', lowest: 1, highest: 16_384, build: (v) => baselineStep({ volumeSizeGiB: v }) },
  {
    site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.timeout', prop: 'steps[0].timeout', lowest: 60, highest: 5 * 24 * 3600,
    build: (v) => baselineStep({ timeout: Duration.seconds(v) }),
  },
  {
    site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.modelQuality.${attribute}', prop: 'steps[0].modelQuality.inferenceAttribute', lowest: 1,
    build: (v) => modelQuality({ inferenceAttribute: 'p'.repeat(Math.max(v, 0)) }),
  },
  {
    site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.modelQuality.${attribute}', prop: 'steps[0].modelQuality.groundTruthAttribute', lowest: 1,
    build: (v) => modelQuality({ groundTruthAttribute: 'l'.repeat(Math.max(v, 0)) }),
  },
  {
    site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.analyzerImageUri', prop: 'steps[0].analyzerImageUri', lowest: 1, highest: 255,
    build: (v) => baselineStep({ analyzerImageUri: 'i'.repeat(Math.max(v, 0)) }),
  },
  {
    site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.modelQuality.probabilityAttribute', prop: 'steps[0].modelQuality.probabilityAttribute',
    lowest: 1, highest: 1024, build: (v) => modelQuality({ probabilityAttribute: 'p'.repeat(Math.max(v, 0)) }),
  },
  // a registered model: its image URI as SageMaker takes it, and at least one content type
  { site: 'constructs/scheduler/register-model-step.ts: ${prefix}.image', prop: 'steps[0].image', lowest: 1, highest: 255, build: (v) => registerStep({ image: 'i'.repeat(Math.max(v, 0)) }) },
  {
    site: 'constructs/scheduler/register-model-step.ts: ${prefix}.contentTypes', prop: 'steps[0].contentTypes', lowest: 1,
    build: (v) => registerStep({ contentTypes: Array.from({ length: Math.max(v, 0) }, () => 'text/csv') }),
  },
  {
    site: 'constructs/scheduler/monitoring-baseline-step.ts: ${prefix}.modelQuality.probabilityThreshold', prop: 'steps[0].modelQuality.probabilityThreshold',
    lowest: 0, highest: 1, step: 0.001, build: (v) => modelQuality({ probabilityAttribute: 'probability', probabilityThreshold: v }),
  },
  {
    site: 'constructs/scheduler/table-snapshots.ts: tableSnapshots.tables', prop: 'tableSnapshots.tables', lowest: 1,
    build: (v) => checked((check) => checkTableSnapshots(check, {
      warehouse: {} as any, tables: Array.from({ length: Math.max(v, 0) }, (_, i) => ({ tableName: `t${i}`, format: { iceberg: true } }) as any),
    })),
  },
  {
    site: 'constructs/scheduler/workflow-dag.ts: steps', prop: 'steps', lowest: 1,
    build: (v) => checked((check) => dagOrder(Array.from({ length: Math.max(v, 0) }, (_, i) => ({ name: `s${i}`, dependsOn: [] })), check)),
  },
  // a definition of `v` bytes, and a run of `v` history events
  { site: 'constructs/scheduler/workflow-checks.ts: steps', prop: 'steps', lowest: 8, belowLowest: false, highest: 1024 * 1024, build: (v) => checkDefinitionSize({ s: 'x'.repeat(v - 8) }, 1) },
  {
    site: 'constructs/scheduler/workflow-checks.ts: steps', prop: 'steps', lowest: 8, belowLowest: false, highest: 25_000,
    build: (v) => checkHistory({ lanes: [], waitsFor: new Map(), tells: new Map() }, 1, v - 8),
  },
  { site: 'constructs/warehouse/data-warehouse.ts: queryName', prop: 'queryName', lowest: 1, highest: 128, build: (v) => namedQuery({ queryName: 'q'.repeat(v) }) },
  { site: 'constructs/warehouse/data-warehouse.ts: description', prop: 'description', lowest: 1, highest: 1024, build: (v) => namedQuery({ description: 'd'.repeat(v) }) },
  {
    site: 'constructs/warehouse/data-warehouse.ts: queryString', prop: 'queryString', lowest: 1, highest: 262144,
    build: (v) => namedQuery({ queryString: 'S'.repeat(Math.max(v, 0)) }),
  },
  {
    // Athena's smallest cutoff is 10 MB
    site: 'constructs/warehouse/data-warehouse.ts: bytesScannedCutoffPerQueryGiB', prop: 'bytesScannedCutoffPerQueryGiB', lowest: 10_000_000 / 2 ** 30,
    highest: Number.MAX_SAFE_INTEGER / 2 ** 30, step: 1e-6, build: (v) => warehouse({ bytesScannedCutoffPerQueryGiB: v }),
  },
];

/** Bounds not yet tested from both sides here; the list may only shrink. */
export const NOT_YET: string[] = [
  "constructs/core/lifecycle-rules.ts: ${at}.storageClass",
];
