import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aws, Duration, Errors, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import {
  ArtifactStore, BatchCompute, CompliancePacks, ComputeQueue, DataQualityRuleset, DataScienceNetwork, DataScienceReplicaStack, DataScienceStack,
  DataWarehouse, DisasterRecovery, DriftMonitor, EndpointHosting, LakeTable, LakeZone, MetaflowProfile, ModelEndpoint, ModelProblemType, ModelRegistry,
  ModelSource, MultiNodeQueue, NotebookDomain, PartitionProjection, ProjectSandboxStack, ReplicaNames, RunRegistry, SandboxNotebook, SparkJob, SparkRuntime,
  StackMonitoring, TableFormat, Workflow, WorkflowStep,
} from '../lib';
import { daysFromToday } from '../constructs/core/dates';
import { ValidationError, ValidationErrors } from '../constructs/core/validation-error';
import { methodParameters, refuserIn, saysWhatToGive, StructProp, structNames, structProps, WrongValue, wrongKindValues } from './support/prop-kinds';

/*
 * Every prop of every struct a public constructor, `add…` method or `WorkflowStep` factory takes,
 * given a value of the wrong kind (as a JavaScript caller or CDK context could give it), is refused
 * as the construct is built by this library's ValidationError naming that prop: never a TypeError,
 * never an error of aws-cdk-lib (at construction or as a CfnSynthesisError at synth), never a
 * template that takes it silently. The props and their kinds come from docs/API.md; one level down,
 * so do the props of a struct of ours a prop takes (`cpu.spot`, `variants[0].variantName`).
 */

type Props = Record<string, any>;

/** One struct and how to build what takes it. */
interface Entry {
  /** The struct, as API.md names it. */
  readonly struct: string;
  /** What takes it, for the reader. */
  readonly takenBy: string;
  /**
   * What the library puts before the struct's prop names in a problem, any of them: `options.`
   * for `addQueue`'s options, `steps[0].` for a workflow's first step. Default: nothing.
   */
  readonly prefixes?: string[];
  /** Valid props, with what they need made in `stack`. */
  readonly base: (stack: Stack) => Props;
  /**
   * Valid values of the struct props of ours (one element, for a list of them) the base leaves out,
   * varied one level down; one whose props are all optional defaults to `{}`.
   */
  readonly nested?: (stack: Stack, base: Props) => Props;
  /** Builds what takes the struct, with `props`, in `stack` (or its app). */
  readonly build: (stack: Stack, props: Props) => unknown;
}

const REGION = 'eu-west-1';
const image = () => ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest');
const vpc = (stack: Stack, id = 'Vpc') => new ec2.Vpc(stack, id, { maxAzs: 2 });
const key = (stack: Stack, id = 'Key') => new kms.Key(stack, id, { enableKeyRotation: true });
const artifacts = (stack: Stack) => new ArtifactStore(stack, 'Artifacts');
const compute = (stack: Stack, props: Props = {}, id = 'Compute') => new BatchCompute(stack, id, { vpc: vpc(stack, `${id}Vpc`), standardQueues: false, ...props });
const zone = (stack: Stack) => new LakeZone(stack, 'Raw', {
  zoneName: 'raw', databaseName: 'team_raw', encryptionKey: key(stack), serverAccessLogsBucket: new s3.Bucket(stack, 'AccessLogs'),
  lifecycleRules: [], removalPolicy: RemovalPolicy.RETAIN,
});
const events = (stack: Stack) => zone(stack).addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
const model = (stack: Stack, store = artifacts(stack)) => ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
/** A real-time endpoint that captures its data, which drift monitors watch. */
const capturingEndpoint = (stack: Stack) => {
  const store = artifacts(stack);
  return new ModelEndpoint(stack, 'Endpoint', { hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'current', model: model(stack, store) }], dataCapture: { artifactStore: store } });
};
/** A job queue and job definition a step runs. */
const batchJob = (stack: Stack, id = 'Compute') => {
  const batchCompute = compute(stack, {}, id);
  return { jobQueue: batchCompute.addQueue('cpu').jobQueue, jobDefinition: batchCompute.addJobDefinition('Job', { image: image() }) };
};
/** A workflow of `steps`, with an artifact store. */
const workflow = (stack: Stack, steps: WorkflowStep[], props: Props = {}) => new Workflow(stack, 'Flow', {
  workflowName: 'flow', artifactStore: artifacts(stack), steps, ...props,
});
const batchStep = (stack: Stack, name = 'run') => WorkflowStep.batchJob({ name, ...batchJob(stack) });
const STEP = ['steps[0].'];

const ENTRIES: Entry[] = [
  // constructs
  { struct: 'ArtifactStoreProps', takenBy: 'new ArtifactStore', base: () => ({}), build: (stack, props) => new ArtifactStore(stack, 'Artifacts', props) },
  {
    struct: 'BatchComputeProps', takenBy: 'new BatchCompute',
    base: (stack) => ({ vpc: vpc(stack) }),
    build: (stack, props) => new BatchCompute(stack, 'Compute', props as any),
  },
  {
    struct: 'ComputeQueueProps', takenBy: 'new ComputeQueue',
    base: (stack) => {
      const network = vpc(stack);
      return { vpc: network, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, securityGroup: new ec2.SecurityGroup(stack, 'Hosts', { vpc: network }), queueName: 'cpu' };
    },
    build: (stack, props) => new ComputeQueue(stack, 'Queue', props as any),
  },
  {
    struct: 'DataQualityRulesetProps', takenBy: 'new DataQualityRuleset',
    base: (stack) => ({ table: events(stack), rules: 'Rules = [ RowCount > 0 ]' }),
    build: (stack, props) => new DataQualityRuleset(stack, 'Checks', props as any),
  },
  { struct: 'DataScienceNetworkProps', takenBy: 'new DataScienceNetwork', base: () => ({}), build: (stack, props) => new DataScienceNetwork(stack, 'Network', props) },
  {
    struct: 'DataScienceReplicaStackProps', takenBy: 'new DataScienceReplicaStack',
    base: (stack) => ({
      names: new ReplicaNames('team', 'dev', 'us-west-2'), sources: { raw: new s3.Bucket(stack, 'Raw') }, removalPolicy: RemovalPolicy.RETAIN, env: { region: 'us-west-2' },
    }),
    build: (stack, props) => new DataScienceReplicaStack(stack.node.root, 'Replica', props as any),
  },
  {
    struct: 'DataScienceStackProps', takenBy: 'new DataScienceStack',
    base: () => ({ teamName: 'fraud-models', exampleWorkflow: false }),
    build: (stack, props) => new DataScienceStack(stack.node.root, 'Team', props as any),
  },
  { struct: 'DataWarehouseProps', takenBy: 'new DataWarehouse', base: () => ({}), build: (stack, props) => new DataWarehouse(stack, 'Warehouse', props) },
  {
    struct: 'DisasterRecoveryProps', takenBy: 'new DisasterRecovery',
    base: (stack) => ({
      names: new ReplicaNames('team', 'dev', 'us-west-2'),
      buckets: { raw: new s3.Bucket(stack, 'Raw') },
      sourceKey: key(stack),
      tables: [new dynamodb.Table(stack, 'Runs', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } })],
      backupRetention: Duration.days(35),
      removalPolicy: RemovalPolicy.RETAIN,
    }),
    build: (stack, props) => new DisasterRecovery(stack, 'Recovery', props as any),
  },
  {
    struct: 'DriftMonitorProps', takenBy: 'new DriftMonitor (and DataScienceStack.addDriftMonitor)',
    base: (stack) => ({ endpoint: capturingEndpoint(stack), modelName: 'churn' }),
    nested: () => ({ modelQuality: { groundTruthKeyPrefix: 'models/churn/ground-truth/', problemType: ModelProblemType.BINARY_CLASSIFICATION } }),
    build: (stack, props) => new DriftMonitor(stack, 'Drift', props as any),
  },
  {
    struct: 'LakeTableProps', takenBy: 'new LakeTable',
    base: (stack) => ({ zone: zone(stack), tableName: 'events', columns: [{ name: 'id', type: 'string' }], partitionKeys: [{ name: 'dt', type: 'string' }] }),
    build: (stack, props) => new LakeTable(stack, 'Events', props as any),
  },
  {
    struct: 'LakeZoneProps', takenBy: 'new LakeZone',
    base: (stack) => ({
      zoneName: 'raw', databaseName: 'team_raw', encryptionKey: key(stack), serverAccessLogsBucket: new s3.Bucket(stack, 'AccessLogs'),
      lifecycleRules: [], removalPolicy: RemovalPolicy.RETAIN,
    }),
    build: (stack, props) => new LakeZone(stack, 'Zone', props as any),
  },
  {
    struct: 'MetaflowProfileProps', takenBy: 'new MetaflowProfile',
    base: (stack) => ({
      artifactStore: artifacts(stack), encryptionKey: key(stack),
      jobQueue: batch.JobQueue.fromJobQueueArn(stack, 'Queue', `arn:aws:batch:${REGION}:111122223333:job-queue/cpu`),
    }),
    build: (stack, props) => new MetaflowProfile(stack, 'Metaflow', props as any),
  },
  {
    struct: 'ModelEndpointProps', takenBy: 'new ModelEndpoint (and DataScienceStack.addModelEndpoint)',
    base: (stack) => ({ hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'current', model: model(stack) }] }),
    nested: (stack, base) => ({
      autoScaling: { minCapacity: 1, maxCapacity: 2, invocationsPerInstance: 100 },
      dataCapture: { artifactStore: new ArtifactStore(stack, 'Captures') },
      shadowVariant: { variantName: 'shadow', model: base.variants[0].model },
    }),
    build: (stack, props) => new ModelEndpoint(stack, 'Endpoint', props as any),
  },
  { struct: 'ModelRegistryProps', takenBy: 'new ModelRegistry', base: () => ({ namePrefix: 'team' }), build: (stack, props) => new ModelRegistry(stack, 'Models', props as any) },
  { struct: 'MultiNodeQueueProps', takenBy: 'new MultiNodeQueue', base: (stack) => ({ vpc: vpc(stack) }), build: (stack, props) => new MultiNodeQueue(stack, 'MultiNode', props as any) },
  { struct: 'NotebookDomainProps', takenBy: 'new NotebookDomain', base: (stack) => ({ vpc: vpc(stack) }), build: (stack, props) => new NotebookDomain(stack, 'Notebooks', props as any) },
  {
    struct: 'ProjectSandboxStackProps', takenBy: 'new ProjectSandboxStack',
    base: () => ({ teamName: 'data-science', projectName: 'churn', expiresOn: daysFromToday(14) }),
    build: (stack, props) => new ProjectSandboxStack(stack.node.root, 'Sandbox', props as any),
  },
  { struct: 'RunRegistryProps', takenBy: 'new RunRegistry', base: () => ({}), build: (stack, props) => new RunRegistry(stack, 'Runs', props) },
  {
    struct: 'SandboxNotebookProps', takenBy: 'new SandboxNotebook',
    base: (stack) => ({
      domain: { domainId: 'd-abc123', allowedInstanceTypes: ['ml.t3.medium'], defaultInstanceType: 'ml.t3.medium', idleTimeoutMinutes: 60 },
      userProfileName: 'churn-ana', encryptionKey: key(stack),
    }),
    build: (stack, props) => new SandboxNotebook(stack, 'Notebook', props as any),
  },
  {
    struct: 'SparkJobProps', takenBy: 'new SparkJob',
    base: (stack) => ({ runtime: new SparkRuntime(stack, 'Spark', { artifactStore: artifacts(stack) }), entryPointKey: 'code/build.py' }),
    build: (stack, props) => new SparkJob(stack, 'Build', props as any),
  },
  { struct: 'SparkRuntimeProps', takenBy: 'new SparkRuntime', base: (stack) => ({ artifactStore: artifacts(stack) }), build: (stack, props) => new SparkRuntime(stack, 'Spark', props as any) },
  { struct: 'StackMonitoringProps', takenBy: 'new StackMonitoring', base: () => ({}), build: (stack, props) => new StackMonitoring(stack, 'Monitoring', props) },
  {
    struct: 'WorkflowProps', takenBy: 'new Workflow (and ProjectSandboxStack.addWorkflow)',
    base: (stack) => ({ workflowName: 'flow', steps: [batchStep(stack)] }),
    nested: (stack) => {
      const warehouse = new DataWarehouse(stack, 'Warehouse');
      const table = warehouse.curated.addTable('Features', { tableName: 'features', columns: [{ name: 'id', type: 'string' }], format: TableFormat.ICEBERG });
      return { tableSnapshots: { warehouse, tables: [table] } };
    },
    build: (stack, props) => new Workflow(stack, 'Flow', props as any),
  },
  // add… methods
  {
    struct: 'ComputeQueueOptions', takenBy: 'BatchCompute.addQueue', prefixes: ['options.'],
    base: () => ({}), build: (stack, props) => compute(stack).addQueue('extra', props),
  },
  {
    struct: 'FargateQueueOptions', takenBy: 'BatchCompute.addFargateQueue', prefixes: ['options.'],
    base: () => ({}), build: (stack, props) => compute(stack).addFargateQueue('small', props),
  },
  { struct: 'BatchJobDefinitionProps', takenBy: 'BatchCompute.addJobDefinition', base: () => ({}), build: (stack, props) => compute(stack).addJobDefinition('Job', props) },
  {
    struct: 'BatchMultiNodeJobDefinitionProps', takenBy: 'BatchCompute.addMultiNodeJobDefinition',
    base: () => ({ numNodes: 2, image: image() }),
    build: (stack, props) => compute(stack, { multiNode: {} }).addMultiNodeJobDefinition('Distributed', props as any),
  },
  {
    struct: 'SparkRuntimeOptions', takenBy: 'DataScienceStack.addSparkRuntime',
    base: () => ({}),
    build: (stack, props) => new DataScienceStack(stack.node.root, 'Team', { teamName: 'fraud-models', exampleWorkflow: false }).addSparkRuntime('Spark', props),
  },
  {
    struct: 'NamedQueryProps', takenBy: 'DataWarehouse.addNamedQuery',
    base: () => ({ queryName: 'top', queryString: 'SELECT 1' }),
    build: (stack, props) => new DataWarehouse(stack, 'Warehouse').addNamedQuery('Top', props as any),
  },
  {
    struct: 'LakeTableOptions', takenBy: 'LakeZone.addTable',
    base: () => ({ tableName: 'events', columns: [{ name: 'id', type: 'string' }], partitionKeys: [{ name: 'dt', type: 'string' }] }),
    build: (stack, props) => zone(stack).addTable('Events', props as any),
  },
  {
    struct: 'SparkJobOptions', takenBy: 'SparkRuntime.addJob',
    base: () => ({ entryPointKey: 'code/build.py' }),
    build: (stack, props) => new SparkRuntime(stack, 'Spark', { artifactStore: artifacts(stack) }).addJob('Build', props as any),
  },
  {
    struct: 'WorkflowScheduleProps', takenBy: 'Workflow.addSchedule',
    base: () => ({ schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) }),
    build: (stack, props) => workflow(stack, [batchStep(stack)]).addSchedule('Nightly', props as any),
  },
  {
    struct: 'DataTriggerProps', takenBy: 'Workflow.addDataTrigger',
    base: (stack) => ({ bucket: s3.Bucket.fromBucketName(stack, 'Lake', 'lake'), prefix: 'events/' }),
    build: (stack, props) => workflow(stack, [batchStep(stack)]).addDataTrigger('Landed', props as any),
  },
  {
    struct: 'CompliancePacksOptions', takenBy: 'CompliancePacks.addTo',
    base: () => ({}), build: (stack, props) => CompliancePacks.addTo(stack.node.root, props),
  },
  // static factories of props: the factory may refuse them, or what builds with its result
  {
    struct: 'ArtifactModelProps', takenBy: 'ModelSource.fromArtifact', prefixes: ['', 'variants[0].model.'],
    base: (stack) => ({ artifactStore: artifacts(stack), modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' }),
    build: (stack, props) => new ModelEndpoint(stack, 'Endpoint', {
      hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'current', model: ModelSource.fromArtifact(props as any) }],
    }),
  },
  {
    struct: 'PackageModelProps', takenBy: 'ModelSource.fromModelPackage', prefixes: ['', 'variants[0].model.'],
    base: (stack) => ({
      modelPackageArn: `arn:aws:sagemaker:${REGION}:111122223333:model-package/churn/3`, artifactStore: artifacts(stack), modelDataKey: 'models/churn/1/model.tar.gz',
    }),
    build: (stack, props) => new ModelEndpoint(stack, 'Endpoint', {
      hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'current', model: ModelSource.fromModelPackage(props as any) }],
    }),
  },
  {
    struct: 'DatePartitionProjectionOptions', takenBy: 'PartitionProjection.date', prefixes: ['', 'partitionKeys[0].projection.'],
    base: () => ({}),
    build: (stack, props) => zone(stack).addTable('Events', {
      tableName: 'events', columns: [{ name: 'id', type: 'string' }], partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date(props) }],
    }),
  },
  // a workflow's steps, each its first (or, after the step it reads, its second) step
  {
    struct: 'BatchJobStepProps', takenBy: 'WorkflowStep.batchJob', prefixes: STEP,
    base: (stack) => ({ name: 'run', ...batchJob(stack) }),
    build: (stack, props) => workflow(stack, [WorkflowStep.batchJob(props as any)]),
  },
  {
    struct: 'AthenaQueryStepProps', takenBy: 'WorkflowStep.athenaQuery', prefixes: STEP,
    base: (stack) => ({ name: 'query', warehouse: new DataWarehouse(stack, 'Warehouse'), queryString: 'SELECT 1' }),
    nested: (_, base) => ({ output: { zone: base.warehouse.curated, prefix: 'features/' } }),
    build: (stack, props) => workflow(stack, [WorkflowStep.athenaQuery(props as any)]),
  },
  {
    struct: 'DataQualityStepProps', takenBy: 'WorkflowStep.dataQuality', prefixes: STEP,
    base: (stack) => {
      const table = events(stack);
      return { name: 'check', ruleset: new DataQualityRuleset(stack, 'Checks', { table, rules: 'Rules = [ RowCount > 0 ]' }) };
    },
    build: (stack, props) => workflow(stack, [WorkflowStep.dataQuality(props as any)]),
  },
  {
    struct: 'ForEachStepProps', takenBy: 'WorkflowStep.forEach', prefixes: ['steps[1].'],
    base: (stack) => ({ name: 'each', dependsOn: ['list'], itemsFrom: 'list', job: batchJob(stack) }),
    build: (stack, props) => workflow(stack, [WorkflowStep.batchJob({ name: 'list', ...batchJob(stack, 'ListCompute') }), WorkflowStep.forEach(props as any)]),
  },
  {
    struct: 'MonitoringBaselineStepProps', takenBy: 'WorkflowStep.monitoringBaseline', prefixes: STEP,
    base: () => ({ name: 'baseline', modelName: 'churn', datasetKeyPrefix: 'runs/train/' }),
    nested: () => ({ modelQuality: { problemType: ModelProblemType.BINARY_CLASSIFICATION, inferenceAttribute: 'prediction', groundTruthAttribute: 'label' } }),
    build: (stack, props) => workflow(stack, [WorkflowStep.monitoringBaseline(props as any)]),
  },
  {
    struct: 'MultiNodeJobStepProps', takenBy: 'WorkflowStep.multiNodeJob', prefixes: STEP,
    base: (stack) => {
      const batchCompute = compute(stack, { multiNode: {} });
      return { name: 'train', jobQueue: batchCompute.multiNodeQueue!.jobQueue, jobDefinition: batchCompute.addMultiNodeJobDefinition('Distributed', { numNodes: 2, image: image() }) };
    },
    build: (stack, props) => workflow(stack, [WorkflowStep.multiNodeJob(props as any)]),
  },
  {
    struct: 'RegisterModelStepProps', takenBy: 'WorkflowStep.registerModel', prefixes: STEP,
    base: (stack) => ({
      name: 'register', registry: new ModelRegistry(stack, 'Models', { namePrefix: 'team', modelNames: ['churn'] }), modelName: 'churn',
      image: 'serve:1', modelDataKey: 'runs/model.tar.gz',
    }),
    build: (stack, props) => workflow(stack, [WorkflowStep.registerModel(props as any)]),
  },
  {
    struct: 'SparkJobStepProps', takenBy: 'WorkflowStep.sparkJob', prefixes: STEP,
    base: (stack) => ({ name: 'spark', job: new SparkRuntime(stack, 'Spark', { artifactStore: new ArtifactStore(stack, 'Code') }).addJob('Build', { entryPointKey: 'code/build.py' }) }),
    build: (stack, props) => workflow(stack, [WorkflowStep.sparkJob(props as any)]),
  },
];

/** Structs API.md lists that no entry point takes by themselves, each with why. */
const NOT_TAKEN_ALONE: { [struct: string]: string } = {
  TableSnapshotsProps: 'taken only as WorkflowProps.tableSnapshots, whose props the WorkflowProps cases vary one level down',
  StepOptions: 'the props every step\'s props extend; each WorkflowStep factory\'s struct is an entry',
  ComputeQueuePlacement: 'the placement ComputeQueueProps extends; BatchCompute gives it to its queues itself',
  ModelBindOptions: 'taken only by ModelSource._bind, which ModelEndpoint calls: no user gives it',
  PropProblem: 'what a ValidationError reports, not props',
  StageSettings: 'what DataScienceStack.settings reports, not props',
  EndpointMonitoringSchedule: 'what DriftMonitor.dataQuality and modelQuality report, not props',
};

/** One prop varied: its path in the struct, and how to put a value there. */
interface Site {
  readonly path: string;
  readonly prop: StructProp;
  readonly with: (base: Props, nested: () => Props, value: unknown) => Props;
}

/** `props` with `key` set to `value`, or left out for undefined (as a caller leaves a prop out). */
function withKey(props: Props, key: string, value: unknown): Props {
  const copy = { ...props };
  if (value === undefined) {
    delete copy[key];
  } else {
    copy[key] = value;
  }
  return copy;
}

/** A valid value of the nested struct prop `name` to vary, from the base, else the entry's, else `{}` when all its props are optional. */
function nestedValue(entry: Entry, name: string, base: Props, nested: () => Props, element: boolean): Props {
  const given = element ? base[name]?.[0] : base[name];
  if (given !== undefined) {
    return given;
  }
  const made = nested()[name];
  if (made !== undefined) {
    return made;
  }
  const struct = structProps(entry.struct).find((p) => p.name === name)!.type;
  if (structProps((struct.of ?? struct).text).some((p) => p.required)) {
    throw new Error(`${entry.struct}: give a valid ${name} in the entry's nested values, to vary its props`);
  }
  return {};
}

/** Every prop of the entry's struct, and one level down each prop of a struct of ours a prop takes (of its first element, for a list). */
function sitesOf(entry: Entry): Site[] {
  return structProps(entry.struct).flatMap((prop): Site[] => {
    const top: Site = { path: prop.name, prop, with: (base, _, value) => withKey(base, prop.name, value) };
    const type = prop.type;
    const struct = type.kind === 'struct' && type.own ? type : type.kind === 'list' && type.of!.kind === 'struct' && type.of!.own ? type.of! : undefined;
    if (!struct) {
      return [top];
    }
    const element = type.kind === 'list';
    return [top, ...structProps(struct.text).map((sub): Site => ({
      path: element ? `${prop.name}[0].${sub.name}` : `${prop.name}.${sub.name}`,
      prop: sub,
      with: (base, nested, value) => {
        const changed = withKey(nestedValue(entry, prop.name, base, nested, element), sub.name, value);
        return withKey(base, prop.name, element ? [changed, ...(base[prop.name] ?? []).slice(1)] : changed);
      },
    }))];
  });
}

interface Case {
  readonly name: string;
  readonly entry: Entry;
  readonly site: Site;
  readonly value: WrongValue;
}

/** The sites of an entry API.md can be read for; the test of the table below names any it cannot. */
function readableSitesOf(entry: Entry): Site[] {
  try {
    return sitesOf(entry);
  } catch {
    return [];
  }
}

const CASES: Case[] = ENTRIES.flatMap((entry) => readableSitesOf(entry).flatMap((site) => wrongKindValues(site.prop.type, site.prop.required)
  .map((value) => ({ name: `${entry.struct} ${site.path} = ${value.label}`, entry, site, value }))));

/** A new app writing under the system's temporary folder, removed after `use`. */
function inTemporaryApp<T>(use: (stack: Stack) => T): T {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrong-kind-'));
  try {
    return use(new Stack(new App({ outdir }), 'Case', { env: { region: REGION } }));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const REFUSED = 'refused by a ValidationError naming the prop';
const BUILT = 'built';

/** An error's kind, where it was thrown, and its first line. */
function shown(error: unknown, when: string): string {
  if (ValidationErrors.isValidationError(error)) {
    return `this library's ValidationError ${when}, naming ${(error as ValidationError).problems.map((p) => p.prop).join(', ')}`;
  }
  // aws-cdk-lib's errors come from the worker's realm (test/support/environment.js): no `instanceof` this realm's Error
  const object = typeof error === 'object' && error !== null ? error as { message?: unknown; constructor: { name: string } } : undefined;
  const message = String(object?.message ?? error).split('\n')[0].slice(0, 300);
  const kind = object?.constructor.name ?? typeof error;
  return `${Errors.isConstructError(error) ? `aws-cdk-lib's ${kind}` : kind} ${when}: ${message}`;
}

/** What came of building the entry with the case's value: REFUSED, or what happened instead. */
function outcomeOf(c: Case, synth = true): string {
  const paths = (c.entry.prefixes ?? ['']).map((prefix) => `${prefix}${c.site.path}`);
  return inTemporaryApp((stack) => {
    const base = c.entry.base(stack);
    let nested: Props | undefined;
    const props = c.site.with(base, () => nested ??= c.entry.nested?.(stack, base) ?? {}, c.value.value);
    try {
      c.entry.build(stack, props);
    } catch (error) {
      if (!ValidationErrors.isValidationError(error)) {
        return shown(error, 'at construction');
      }
      const problems = (error as ValidationError).problems;
      const mine = problems.filter(({ prop }) => paths.some((p) => prop === p || prop.startsWith(`${p}.`) || prop.startsWith(`${p}[`)));
      if (mine.length === 0) {
        return `ValidationError naming another prop: ${problems.map((p) => p.prop).join(', ')}`;
      }
      // each refusal says what to give instead
      return mine.every(({ fix }) => saysWhatToGive(fix)) ? REFUSED : `refused without a fix: ${JSON.stringify(mine)}`;
    }
    if (!synth) {
      return BUILT;
    }
    try {
      (stack.node.root as App).synth();
    } catch (error) {
      return shown(error, 'at synth');
    }
    return 'accepted silently: built and synthesized';
  });
}

test.each(ENTRIES.map((e) => [e.struct, e] as const))('%s: the base props build and synthesize', (_, entry) => {
  inTemporaryApp((stack) => {
    entry.build(stack, entry.base(stack));
    (stack.node.root as App).synth();
  });
});

test.each(CASES.map((c) => [c.name, c] as const))('%s is refused by name', (_, c) => {
  expect(outcomeOf(c)).toBe(REFUSED);
});

/**
 * A token where one of a set of values goes (a stage, a profile, a mode): its value is known only
 * at deploy time, where the construct may need it to choose what it builds. Refused by name, or
 * taken as it is to the template; never a TypeError from a choice that found no branch.
 */
const TOKEN_CASES: Case[] = ENTRIES.flatMap((entry) => readableSitesOf(entry).filter((site) => site.prop.type.kind === 'enum' || site.prop.type.kind === 'duration')
  .map((site) => ({
    name: `${entry.struct} ${site.path} = a token`, entry, site,
    // a value only a deployment knows, in whatever stack the entry point builds
    value: {
      label: 'a token',
      value: site.prop.type.kind === 'duration' ? Duration.minutes(Token.asNumber({ Ref: 'AWS::NoValue' }))
        : site.prop.type.numeric ? Token.asNumber({ Ref: 'AWS::NoValue' }) : Aws.STACK_NAME,
    },
  })));

test.each(TOKEN_CASES.map((c) => [c.name, c] as const))('%s is refused by name or built', (_, c) => {
  expect([REFUSED, BUILT]).toContain(outcomeOf(c, false));
});

test('API.md lists every struct of the table, each with props of known kinds', () => {
  // structProps fails naming a struct API.md does not list, or a type of no known kind
  expect(ENTRIES.filter((e) => sitesOf(e).length === 0).map((e) => e.struct)).toEqual([]);
  expect(ENTRIES.map((e) => e.struct).filter((s, i, all) => all.indexOf(s) !== i)).toEqual([]);
  expect(CASES.length).toBeGreaterThan(500);
});

test('every …Props struct of API.md is in the table or among those no entry point takes alone, and every other struct is reached', () => {
  const structs = structNames();
  const entries = new Set(ENTRIES.map((e) => e.struct));
  // one level down: the structs of ours the entries' props take
  const reached = new Set(ENTRIES.flatMap((e) => structProps(e.struct).map((p) => p.type.of ?? p.type).filter((t) => t.kind === 'struct' && t.own).map((t) => t.text)));
  expect(structs.filter((s) => s.endsWith('Props') && !entries.has(s) && !(s in NOT_TAKEN_ALONE))).toEqual([]);
  expect(structs.filter((s) => !entries.has(s) && !reached.has(s) && !(s in NOT_TAKEN_ALONE))).toEqual([]);
  expect(Object.keys(NOT_TAKEN_ALONE).filter((s) => !structs.includes(s) || entries.has(s))).toEqual([]);
});

/** Props that are no object: from JavaScript a number or a string would read as props with none set. */
const NO_OBJECT: WrongValue[] = [{ label: '42', value: 42 }, { label: '"text"', value: 'text' }];

/** What an entry's refusals name as refusing: `BatchCompute`, `BatchCompute.addQueue`, `WorkflowStep.batchJob`. */
const refuserOf = (entry: Entry) => entry.takenBy.replace(/^new /, '').replace(/ \(and .*\)$/, '');

/** The parameter that takes the entry's struct, as API.md lists it: whether it is required. */
function structParameter(entry: Entry): StructProp {
  const refuser = refuserOf(entry);
  const parameters = methodParameters(refuser.includes('.') ? refuser : `${refuser}.Initializer`);
  const taking = parameters.filter((p) => p.type.text === entry.struct);
  expect(taking).toHaveLength(1);
  return taking[0];
}

/** What came of building the entry with `value` for its whole struct: the refusal, or 'accepted'. */
function wholeOutcome(entry: Entry, value: unknown): string {
  return inTemporaryApp((stack) => {
    try {
      entry.build(stack, value as Props);
    } catch (error) {
      if (!ValidationErrors.isValidationError(error)) {
        return shown(error, 'at construction');
      }
      const { message, problems } = error as ValidationError;
      // by the construct or method refusing, the struct's parameter, and an example of what to give
      return [`refused by ${refuserIn(message)}`, ...problems.map((p) => `${p.prop}: ${/, for example \S/.test(p.fix) ? 'with an example' : p.fix}`)].join(' | ');
    }
    return 'accepted';
  });
}

test.each(ENTRIES.flatMap((e) => NO_OBJECT.map((v) => [`${e.struct} as ${v.label}`, e, v] as const)))('%s is refused by name', (_, entry, value) => {
  const name = structParameter(entry).name;
  expect(wholeOutcome(entry, value.value)).toBe(`refused by ${refuserOf(entry)} | ${name}: with an example`);
});

test.each(ENTRIES.map((e) => [e.struct, e] as const))('%s left out is refused when its parameter is required, and taken when optional', (_, entry) => {
  const parameter = structParameter(entry);
  expect(wholeOutcome(entry, undefined)).toBe(parameter.required ? `refused by ${refuserOf(entry)} | ${parameter.name}: with an example` : 'accepted');
});
