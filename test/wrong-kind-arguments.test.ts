import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Errors, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as lib from '../lib';
import {
  ArtifactStore, BatchCompute, CompliancePacks, DataScienceStack, DataScienceStages, DataWarehouse, DeploymentGuardrails, DriftMonitor, EndpointHosting,
  LakeZone, ModelEndpoint, ModelMonitorImage, ModelProblemType, ModelRegistry, ModelSource, MonitoringFrequency, MonitoringKind, PartitionProjection, ProjectSandboxStack,
  ReplicaNames, SparkRuntime, StackMonitoring, TeamParameter, TeamParameters, Workflow, WorkflowStep,
} from '../lib';
import { daysFromToday } from '../constructs/core/dates';
import { ValidationError, ValidationErrors } from '../constructs/core/validation-error';
import { API_MD, apiSections, methodParameters, refuserIn, saysWhatToGive, StructProp, WrongValue, wrongKindValues } from './support/prop-kinds';

/*
 * Every argument of every public method, static function and class initializer of the package
 * (bar a construct's scope and id, the constructs library's, and a grantee, aws-cdk-lib's), given a
 * value of the wrong kind, as a JavaScript caller could give it, is refused by this library's
 * ValidationError naming that argument: never a TypeError, never an error of aws-cdk-lib, never
 * taken silently. The props of a struct an argument takes are test/wrong-kind-props.test.ts's.
 */

const REGION = 'eu-west-1';

/** A method and valid arguments for it, made in `stack`. */
interface Entry {
  /** As API.md names it: `BatchCompute.addQueue`, `PartitionProjection.integer`, `ReplicaNames.Initializer`. */
  readonly method: string;
  /** The receiver and valid arguments; `case` is a fresh id for what a call may make. */
  readonly make: (stack: Stack) => { readonly call: (args: unknown[], id: string) => unknown; readonly args: unknown[] };
}

const image = () => ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest');
const compute = (stack: Stack, id = 'Compute') => new BatchCompute(stack, id, { vpc: new ec2.Vpc(stack, `${id}Vpc`, { maxAzs: 2 }), standardQueues: false });
const zone = (stack: Stack) => new LakeZone(stack, 'Raw', {
  zoneName: 'raw', databaseName: 'team_raw', encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
  serverAccessLogsBucket: new s3.Bucket(stack, 'AccessLogs'), lifecycleRules: [], removalPolicy: RemovalPolicy.RETAIN,
});
const role = (stack: Stack) => new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('batch.amazonaws.com') });
const endpoint = (stack: Stack) => {
  const store = new ArtifactStore(stack, 'Artifacts');
  return new ModelEndpoint(stack, 'Endpoint', {
    hosting: EndpointHosting.REAL_TIME,
    variants: [{ variantName: 'current', model: ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' }) }],
    dataCapture: { artifactStore: store },
  });
};
const driftMonitor = (stack: Stack) => new DriftMonitor(stack, 'Drift', {
  endpoint: endpoint(stack), modelName: 'churn', modelQuality: { groundTruthKeyPrefix: 'models/churn/ground-truth/', problemType: ModelProblemType.BINARY_CLASSIFICATION },
});
const workflow = (stack: Stack, id = 'Flow') => {
  const batchCompute = compute(stack, `${id}Compute`);
  return new Workflow(stack, id, {
    workflowName: id.toLowerCase(), artifactStore: new ArtifactStore(stack, `${id}Artifacts`),
    steps: [WorkflowStep.batchJob({ name: 'run', jobQueue: batchCompute.addQueue('cpu').jobQueue, jobDefinition: batchCompute.addJobDefinition('Job', { image: image() }) })],
  });
};
const endpointProps = (t: DataScienceStack) => ({
  hosting: EndpointHosting.REAL_TIME, dataCapture: { artifactStore: t.artifacts },
  variants: [{ variantName: 'current', model: ModelSource.fromArtifact({ artifactStore: t.artifacts, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' }) }],
});
const team = (stack: Stack) => new DataScienceStack(stack.node.root, 'Team', { teamName: 'fraud-models', exampleWorkflow: false, env: { region: REGION } });
const sandbox = (stack: Stack) => new ProjectSandboxStack(stack.node.root, 'Sandbox', {
  teamName: 'fraud-models', projectName: 'churn', expiresOn: daysFromToday(14), env: { region: REGION },
});
const registry = (stack: Stack) => new ModelRegistry(stack, 'Models', { namePrefix: 'team', modelNames: ['churn'] });
const metricOf = (receiver: Record<string, (...a: unknown[]) => unknown>, name: string) => (args: unknown[]) => receiver[name](...args);

const ENTRIES: Entry[] = [
  ...['grantRead', 'grantWrite'].map((m): Entry => ({
    method: `ArtifactStore.${m}`, make: (stack) => ({ call: metricOf(new ArtifactStore(stack, 'Artifacts') as any, m), args: [role(stack), 'runs/'] }),
  })),
  ...['grantReadRun', 'grantWriteRun'].map((m): Entry => ({
    method: `ArtifactStore.${m}`, make: (stack) => ({ call: metricOf(new ArtifactStore(stack, 'Artifacts') as any, m), args: [role(stack), 'train'] }),
  })),
  { method: 'ArtifactStore.runsPrefix', make: () => ({ call: (args) => ArtifactStore.runsPrefix(...(args as [string])), args: ['train'] }) },
  ...['addQueue', 'addFargateQueue'].map((m): Entry => ({
    method: `BatchCompute.${m}`, make: (stack) => {
      const c = compute(stack) as any;
      return { call: (args, id) => c[m](args[0] === 'q' ? id.toLowerCase() : args[0], args[1]), args: ['q', {}] };
    },
  })),
  { method: 'BatchCompute.addJobDefinition', make: (stack) => { const c = compute(stack); return { call: (args, id) => c.addJobDefinition(id, args[1] as any), args: ['Job', { image: image() }] }; } },
  {
    method: 'BatchCompute.addMultiNodeJobDefinition', make: (stack) => {
      const c = new BatchCompute(stack, 'Compute', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }), standardQueues: false, multiNode: {} });
      return { call: (args, id) => c.addMultiNodeJobDefinition(id, args[1] as any), args: ['Job', { image: image(), numNodes: 2 }] };
    },
  },
  { method: 'BatchCompute.queue', make: (stack) => { const c = compute(stack); c.addQueue('cpu'); return { call: (args) => c.queue(args[0] as string), args: ['cpu'] }; } },
  { method: 'ComputeQueue.metric', make: (stack) => { const q = compute(stack).addQueue('cpu'); return { call: (args) => q.metric(...(args as [string])), args: ['PendingJobs', {}] }; } },
  { method: 'DataScienceStack.addDriftMonitor', make: (stack) => { const t = team(stack); return { call: (args, id) => t.addDriftMonitor(id, args[1] as any), args: ['Drift', { endpoint: t.addModelEndpoint('Endpoint', endpointProps(t)), modelName: 'churn' }] }; } },
  { method: 'DataScienceStack.addModelEndpoint', make: (stack) => { const t = team(stack); return { call: (args, id) => t.addModelEndpoint(id, args[1] as any), args: ['Endpoint', endpointProps(t)] }; } },
  { method: 'DataScienceStack.addSparkRuntime', make: (stack) => { const t = team(stack); return { call: (args, id) => t.addSparkRuntime(id, args[1] as any), args: ['Spark', {}] }; } },
  {
    method: 'DataWarehouse.addNamedQuery', make: (stack) => {
      const w = new DataWarehouse(stack, 'Warehouse');
      return { call: (args, id) => w.addNamedQuery(id, args[1] as any), args: ['Query', { queryName: 'count', queryString: 'SELECT 1' }] };
    },
  },
  {
    method: 'DataWarehouse.queryTargetFor', make: (stack) => {
      const w = new DataWarehouse(stack, 'Warehouse');
      const table = w.curated.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
      return { call: (args) => w.queryTargetFor(args[0] as any), args: [[table]] };
    },
  },
  { method: 'DriftMonitor.metricFeatureDrift', make: (stack) => ({ call: metricOf(driftMonitor(stack) as any, 'metricFeatureDrift'), args: ['age', {}] }) },
  { method: 'DriftMonitor.metricModelQuality', make: (stack) => ({ call: metricOf(driftMonitor(stack) as any, 'metricModelQuality'), args: ['accuracy', {}] }) },
  ...['baselineKeyPrefix', 'reportsKeyPrefix'].map((m): Entry => ({
    method: `DriftMonitor.${m}`, make: () => ({ call: (args) => (DriftMonitor as any)[m](...args), args: ['churn', MonitoringKind.DATA_QUALITY] }),
  })),
  { method: 'LakeZone.addTable', make: (stack) => { const z = zone(stack); return { call: (args, id) => z.addTable(id, args[1] as any), args: ['Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] }] }; } },
  ...['grantRead', 'grantWrite'].map((m): Entry => ({ method: `LakeZone.${m}`, make: (stack) => ({ call: metricOf(zone(stack) as any, m), args: [role(stack), 'events/'] }) })),
  ...['metric', 'metricCpuUtilization', 'metricGpuUtilization', 'metricInvocation4XXErrors', 'metricInvocation5XXErrors', 'metricInvocations', 'metricModelLatency'].map((m): Entry => ({
    method: `ModelEndpoint.${m}`, make: (stack) => ({
      call: metricOf(endpoint(stack) as any, m),
      args: m === 'metric' ? ['Invocations', {}] : m === 'metricModelLatency' ? ['p99', {}] : [{}],
    }),
  })),
  { method: 'ModelRegistry.addModel', make: (stack) => { const r = registry(stack); return { call: (args) => r.addModel(...(args as [string])), args: ['fraud', 'Fraud'] }; } },
  { method: 'ModelRegistry.grantRegister', make: (stack) => ({ call: metricOf(registry(stack) as any, 'grantRegister'), args: [role(stack), 'churn'] }) },
  { method: 'ModelRegistry.groupName', make: (stack) => { const r = registry(stack); return { call: (args) => r.groupName(args[0] as string), args: ['churn'] }; } },
  { method: 'ProjectSandboxStack.addWorkflow', make: (stack) => { const s = sandbox(stack); return { call: (args, id) => s.addWorkflow(id, args[1] as any), args: ['Flow', { workflowName: 'flow', steps: [WorkflowStep.batchJob({ name: 'run', jobQueue: s.teamQueue('cpu'), jobDefinition: new batch.EcsJobDefinition(s, 'Job', { container: new batch.EcsEc2ContainerDefinition(s, 'Container', { image: image(), cpu: 1, memory: Size.mebibytes(2048) }) }) })] }] }; } },
  { method: 'ProjectSandboxStack.teamQueue', make: (stack) => { const s = sandbox(stack); return { call: (args) => s.teamQueue(args[0] as string), args: ['cpu'] }; } },
  {
    method: 'ProjectSandboxStack.nameOf',
    make: () => ({ call: (args) => ProjectSandboxStack.nameOf(...(args as [string, lib.DataScienceStage, string])), args: ['fraud-models', lib.DataScienceStage.DEV, 'churn', 'alice'] }),
  },
  {
    method: 'SparkRuntime.addJob', make: (stack) => {
      const r = new SparkRuntime(stack, 'Spark', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }), artifactStore: new ArtifactStore(stack, 'Artifacts') } as any);
      return { call: (args, id) => r.addJob(id, args[1] as any), args: ['Job', { entryPointKey: 'code/jobs/main.py' }] };
    },
  },
  ...([
    ['monitorBatchCompute', compute], ['monitorDrift', driftMonitor], ['monitorEndpoint', endpoint],
    ['monitorWarehouse', (stack: Stack) => new DataWarehouse(stack, 'Warehouse')], ['monitorWorkflow', workflow],
  ] as const).map(([m, make]): Entry => ({
    method: `StackMonitoring.${m}`, make: (stack) => ({ call: metricOf(new StackMonitoring(stack, 'Monitoring') as any, m), args: [make(stack)] }),
  })),
  ...['addDataTrigger', 'addSchedule'].map((m): Entry => ({
    method: `Workflow.${m}`, make: (stack) => { const w = workflow(stack) as any; return { call: (args, id) => w[m](id, args[1]), args: ['Trigger', m === 'addSchedule' ? { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) } : { bucket: new s3.Bucket(stack, 'Landing'), prefix: 'events/' }] }; },
  })),
  ...['metricFailed', 'metricSucceeded', 'metricTime'].map((m): Entry => ({ method: `Workflow.${m}`, make: (stack) => ({ call: metricOf(workflow(stack) as any, m), args: [{}] }) })),
  { method: 'Workflow.runAfter', make: (stack) => { const w = workflow(stack); const up = workflow(stack, 'Up'); return { call: (args, id) => w.runAfter(id, args[1] as any), args: ['After', up] }; } },
  { method: 'CompliancePacks.addTo', make: (stack) => ({ call: (args) => CompliancePacks.addTo(...(args as [Stack])), args: [stack, {}] }) },
  { method: 'DataScienceStages.settingsOf', make: () => ({ call: (args) => DataScienceStages.settingsOf(args[0] as any), args: [lib.DataScienceStage.DEV] }) },
  { method: 'DeploymentGuardrails.allAtOnce', make: () => ({ call: (args) => DeploymentGuardrails.allAtOnce(...(args as [])), args: [Duration.minutes(5)] }) },
  ...(['canary', 'linear', 'rolling'] as const).map((m): Entry => ({
    method: `DeploymentGuardrails.${m}`, make: () => ({ call: (args) => DeploymentGuardrails[m](...(args as [number])), args: [10, Duration.minutes(5)] }),
  })),
  { method: 'ModelMonitorImage.uri', make: (stack) => ({ call: (args) => ModelMonitorImage.uri(args[0] as Stack), args: [stack] }) },
  { method: 'ModelSource.fromArtifact', make: (stack) => ({ call: (args) => ModelSource.fromArtifact(args[0] as any), args: [{ artifactStore: new ArtifactStore(stack, 'Artifacts'), modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' }] }) },
  { method: 'ModelSource.fromModelPackage', make: (stack) => ({ call: (args) => ModelSource.fromModelPackage(args[0] as any), args: [{ artifactStore: new ArtifactStore(stack, 'Artifacts'), modelDataKey: 'm.tar.gz', modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3' }] }) },
  { method: 'MonitoringFrequency.daily', make: () => ({ call: (args) => MonitoringFrequency.daily(...(args as [])), args: [3] }) },
  { method: 'MonitoringFrequency.everyHours', make: () => ({ call: (args) => MonitoringFrequency.everyHours(...(args as [number])), args: [6, 1] }) },
  { method: 'PartitionProjection.problem', make: () => ({ call: (args) => PartitionProjection.integer(0, 9).problem(args[0] as string), args: ['int'] }) },
  { method: 'PartitionProjection.date', make: () => ({ call: (args) => PartitionProjection.date(args[0] as any), args: [{}] }) },
  { method: 'PartitionProjection.enumValues', make: () => ({ call: (args) => PartitionProjection.enumValues(args[0] as string[]), args: [['a', 'b']] }) },
  { method: 'PartitionProjection.integer', make: () => ({ call: (args) => PartitionProjection.integer(...(args as [number, number])), args: [0, 9] }) },
  { method: 'ReplicaNames.Initializer', make: () => ({ call: (args) => new ReplicaNames(...(args as [string, string, string])), args: ['team', 'dev', 'us-west-2'] }) },
  ...(['backupVaultArn', 'keyAliasArn'] as const).map((m): Entry => ({
    method: `ReplicaNames.${m}`, make: (stack) => ({ call: (args) => new ReplicaNames('team', 'dev', 'us-west-2')[m](args[0] as Stack), args: [stack] }),
  })),
  { method: 'ReplicaNames.bucketArn', make: (stack) => ({ call: (args) => new ReplicaNames('team', 'dev', 'us-west-2').bucketArn(...(args as [Stack, string])), args: [stack, 'raw'] }) },
  { method: 'ReplicaNames.bucketName', make: () => ({ call: (args) => new ReplicaNames('team', 'dev', 'us-west-2').bucketName(args[0] as string), args: ['raw'] }) },
  { method: 'TeamParameters.nameOf', make: () => ({ call: (args) => TeamParameters.nameOf(...(args as [string, string, TeamParameter])), args: ['team', 'dev', TeamParameter.ARTIFACT_BUCKET_NAME] }) },
  ...(['athenaQuery', 'batchJob', 'dataQuality', 'forEach', 'monitoringBaseline', 'multiNodeJob', 'registerModel', 'sparkJob'] as const).map((m): Entry => ({
    method: `WorkflowStep.${m}`, make: () => ({ call: (args) => WorkflowStep[m](args[0] as any), args: [{}] }),
  })),
];

/** The arguments a caller of the package gives: not a construct's scope or id, nor a grantee. */
const checked = (method: string, p: StructProp) => !['id', 'grantee'].includes(p.name) && !(p.name === 'scope' && method.endsWith('.Initializer'));

interface Case {
  readonly name: string;
  readonly entry: Entry;
  readonly index: number;
  readonly parameter: StructProp;
  readonly value: WrongValue;
}

const CASES: Case[] = ENTRIES.flatMap((entry) => methodParameters(entry.method).flatMap((parameter, index) => checked(entry.method, parameter)
  ? wrongKindValues(parameter.type, parameter.required).map((value) => ({ name: `${entry.method}(${parameter.name} = ${value.label})`, entry, index, parameter, value }))
  : []));

const REFUSED = 'refused by a ValidationError naming the argument';

/** What came of the call with the case's value: REFUSED, or what happened instead. */
function outcomeOf(c: Case): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrong-kind-'));
  try {
    const stack = new Stack(new App({ outdir }), 'Case', { env: { region: REGION } });
    const { call, args } = c.entry.make(stack);
    const given = [...args];
    given[c.index] = c.value.value;
    try {
      call(given, 'Case');
    } catch (error) {
      if (!ValidationErrors.isValidationError(error)) {
        const object = typeof error === 'object' && error !== null ? error as { message?: unknown; constructor: { name: string } } : undefined;
        const kind = object?.constructor.name ?? typeof error;
        return `${Errors.isConstructError(error) ? `aws-cdk-lib's ${kind}` : kind}: ${String(object?.message ?? error).split('\n')[0].slice(0, 300)}`;
      }
      const { message, problems } = error as ValidationError;
      // the refusal is the method's (or the class's, for its initializer), by the name a caller wrote
      if (refuserIn(message) !== c.entry.method.replace(/\.Initializer$/, '')) {
        return `refused as another's: ${message.split('\n')[0]}`;
      }
      const name = c.parameter.name;
      const mine = problems.filter(({ prop }) => prop === name || prop.startsWith(`${name}.`) || prop.startsWith(`${name}[`));
      if (mine.length === 0) {
        return `ValidationError naming another prop: ${problems.map((p) => p.prop).join(', ')}`;
      }
      return mine.every(({ fix }) => saysWhatToGive(fix)) ? REFUSED : `refused without a fix: ${JSON.stringify(mine)}`;
    }
    return 'accepted silently';
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test.each(ENTRIES.map((e) => [e.method, e] as const))('%s takes its valid arguments', (_, entry) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrong-kind-'));
  try {
    const stack = new Stack(new App({ outdir }), 'Case', { env: { region: REGION } });
    const { call, args } = entry.make(stack);
    expect(() => call(args, 'Case')).not.toThrow();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test.each(CASES.map((c) => [c.name, c] as const))('%s is refused by name', (_, c) => {
  expect(outcomeOf(c)).toBe(REFUSED);
});

test('every method, static function and class initializer of API.md that takes arguments is in the table', () => {
  const text = fs.readFileSync(API_MD, 'utf8');
  const methods = new Set([...text.matchAll(/ id="cdk-data-science\.(\w+\.\w+)\.parameter\.\w+"><\/a>/g)].map((m) => m[1]));
  const { constructs } = apiSections();
  // what aws-cdk-lib's Stack and the constructs library's Construct define, and their initializers, whose props are wrong-kind-props.test.ts's
  const inherited = (owner: string, method: string) => method in Stack.prototype || method in Stack
    || (method === 'Initializer' && (constructs.has(owner) || owner.endsWith('Stack')));
  const taken = [...methods].filter((m) => {
    const [owner, method] = m.split('.');
    // a predicate of any value, such as `isStage`, has no wrong kind
    return !inherited(owner, method) && methodParameters(m).some((p) => checked(m, p) && p.type.kind !== 'any');
  });
  const listed = new Set(ENTRIES.map((e) => e.method));
  expect(taken.filter((m) => !listed.has(m))).toEqual([]);
  expect([...listed].filter((m) => !taken.includes(m))).toEqual([]);
  expect(CASES.length).toBeGreaterThan(250);
});
