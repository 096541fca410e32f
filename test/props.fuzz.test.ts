import { CfnWaitConditionHandle, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import {
  ArtifactStore, BaselineDatasetFormat, BatchCompute, DataQualityRuleset, DataScienceNetwork, DataScienceStack, DataScienceStage, DataWarehouse,
  DeploymentGuardrails, DriftMonitor, EndpointHosting, LakeZone, MetaflowProfile, ModelEndpoint, ModelProblemType, ModelRegistry, ModelSource,
  MonitoringFrequency, PartitionProjection, ProjectSandboxStack, RunRegistry, StackMonitoring, TableFormat, Workflow, WorkflowStep,
} from '../lib';
// the feature layer's, apart so merges of the list above stay simple
import { EmrRelease, SparkArchitecture, SparkRuntime } from '../lib';
import { newAccessLogsBucket } from '../constructs/core/buckets';
import { acknowledgeRoleInlinePolicies } from '../constructs/core/compliance';
import {
  anyRemovalPolicy, anyVpcKind, FuzzTally, fuzzRuns, importedVpc, mostly, optional, rarely, wildDuration, wildNumber, wildRetention, wildString,
} from './support/fuzz';
import { daysFromToday } from '../constructs/core/dates';

/**
 * Each construct built from wild props (odd strings, numbers at and past their bounds, every enum
 * value, tokens, empty lists) ends in one of two outcomes: a template every rule pack passes and
 * every service would take, or a ValidationError. The tests share one file, so the rule packs
 * load once; FUZZ_RUNS raises the count of each.
 */

/**
 * Asserts the property over `runs` generated cases and the `examples` (props left out are
 * unset), after which both outcomes must have been seen.
 */
function fuzz<T>(tally: FuzzTally, runs: number, props: fc.Arbitrary<T>, build: (stack: Stack, props: T) => void, examples: object[]): void {
  fc.assert(fc.property(props, (p) => {
    tally.run((app) => build(new Stack(app, 'Fuzz'), p));
  }), { numRuns: fuzzRuns(runs), examples: examples.map((e) => [e as T]) });
  expect(tally.outcomes.valid).toBeGreaterThan(0);
  expect(tally.outcomes.invalid).toBeGreaterThan(0);
}

/** A role of the user's that takes grants, with its inline policy acknowledged as the user would. */
const role = (stack: Stack) => {
  const grantee = new iam.Role(stack, 'Grantee', { assumedBy: new iam.AccountRootPrincipal() });
  acknowledgeRoleInlinePolicies(grantee);
  return grantee;
};
const names = wildString('churn', 'fraud-models', 'a', 'x1-y2');
const storageClasses = fc.constantFrom(
  s3.StorageClass.INFREQUENT_ACCESS, s3.StorageClass.INTELLIGENT_TIERING, s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS,
  s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, s3.StorageClass.GLACIER, s3.StorageClass.DEEP_ARCHIVE, new s3.StorageClass('NEARLINE'),
);
const transition: fc.Arbitrary<s3.Transition> = fc.record({
  storageClass: storageClasses,
  transitionAfter: optional(wildDuration(Duration.days(30), Duration.days(90), Duration.days(400))),
  transitionDate: optional(fc.constantFrom(new Date('2027-01-01T00:00:00Z'), new Date('2027-01-01T12:00:00Z'))),
}, { requiredKeys: ['storageClass'] });

describe('DataScienceNetwork', () => {
  const tally = new FuzzTally('DataScienceNetwork');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    vpc: optional(anyVpcKind()),
    maxAzs: optional(wildNumber(1, 2, 3, 6)),
    flowLogsTrafficType: optional(fc.constantFrom(...Object.values(ec2.FlowLogTrafficType))),
    flowLogsRetention: optional(wildRetention()),
    removalPolicy: optional(anyRemovalPolicy()),
  }), (stack, { vpc, ...props }) => {
    new CfnWaitConditionHandle(stack, 'NotEmpty'); // with a VPC brought in, the network adds nothing
    new DataScienceNetwork(stack, 'Network', { ...props, vpc: vpc && importedVpc(stack, vpc) });
  }, [{}, { vpc: 'isolated' }]));
});

describe('DataWarehouse and its named queries', () => {
  const tally = new FuzzTally('DataWarehouse');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    namePrefix: optional(names),
    rawBucket: fc.boolean(),
    bytesScannedCutoffPerQueryGiB: optional(wildNumber(0.01, 10, 1024)),
    rawDataTransitions: optional(fc.array(transition, { maxLength: 3 })),
    noncurrentVersionRetention: optional(wildDuration(Duration.days(90))),
    queryResultsExpiration: optional(wildDuration(Duration.days(7))),
    removalPolicy: optional(anyRemovalPolicy()),
    query: optional(fc.record({
      id: wildString('Daily', 'RawZone'),
      queryName: wildString('daily-events'),
      queryString: wildString('SELECT 1', ' '),
      description: optional(wildString('Events by day')),
      zone: fc.constantFrom('raw', 'curated', 'another warehouse\'s'),
    }, { requiredKeys: ['id', 'queryName', 'queryString', 'zone'] })),
  }), (stack, { rawBucket, query, ...props }) => {
    const warehouse = new DataWarehouse(stack, 'Warehouse', { ...props, rawBucket: rawBucket ? s3.Bucket.fromBucketName(stack, 'Raw', 'team-raw') : undefined });
    if (query) {
      const zone = query.zone === 'raw' ? warehouse.raw : query.zone === 'curated' ? warehouse.curated : new DataWarehouse(stack, 'Other').raw;
      warehouse.addNamedQuery(query.id, { ...query, zone });
    }
  }, [{ rawBucket: false }, { rawBucket: false, bytesScannedCutoffPerQueryGiB: 0 }]));
});

describe('LakeZone and LakeTable', () => {
  const tally = new FuzzTally('LakeZone/LakeTable');
  const columnType = mostly(fc.constantFrom('string', 'bigint', 'int', 'decimal(12,2)', 'array<string>', 'struct<a:int>', 'map<string,int>'), fc.constantFrom('varchar(0)', 'text', '', 'decimal(40,2)'));
  const projection = fc.oneof(
    fc.record({ format: optional(wildString('yyyy-MM-dd', '')), rangeStart: optional(wildString('2024-01-01', 'NOW-3YEARS')), interval: optional(wildNumber(1)), intervalUnit: optional(wildString('DAYS', 'HOURS', 'FORTNIGHTS')) })
      .map((o) => PartitionProjection.date(o)),
    fc.tuple(wildNumber(0, 23), wildNumber(23, 2 ** 40)).map(([min, max]) => PartitionProjection.integer(min, max)),
    fc.array(wildString('eu', 'us', 'a,b', ''), { maxLength: 3 }).map((values) => PartitionProjection.enumValues(values)),
    fc.constant(PartitionProjection.injected()),
  );
  const column = fc.record({ name: wildString('user_id', 'amount', 'event_type'), type: columnType, comment: optional(wildString('a column')) }, { requiredKeys: ['name', 'type'] });
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 8, fc.record({
    zoneName: wildString('raw', 'curated'),
    databaseName: wildString('team_raw', 'curated_2'),
    lifecycleRules: fc.array(fc.record({
      expiration: mostly(wildDuration(Duration.days(30)), fc.constant(undefined)),
      noncurrentVersionExpiration: optional(wildDuration(Duration.days(30))),
      transitions: rarely(fc.array(transition, { maxLength: 2 })),
    }), { maxLength: 2 }),
    removalPolicy: anyRemovalPolicy(),
    tables: fc.array(fc.record({
      tableName: wildString('events', 'users'),
        columns: fc.array(column, { minLength: 1, maxLength: 3 }),
      partitionKeys: optional(fc.array(fc.record({ name: wildString('dt', 'hour'), type: fc.constantFrom('string', 'int', 'date', 'tinyint'), projection: optional(projection) },
        { requiredKeys: ['name', 'type'] }), { maxLength: 2 })),
      format: optional(fc.constantFrom(TableFormat.PARQUET, TableFormat.CSV, TableFormat.JSON)),
      prefix: optional(wildString('events/', 'events', '/events/', 'a/b/')),
      description: optional(wildString('Events')),
      removalPolicy: optional(anyRemovalPolicy()),
    }, { requiredKeys: ['tableName', 'columns'] }), { minLength: 1, maxLength: 2 }),
  }), (stack, { tables, ...props }) => {
    const zone = new LakeZone(stack, 'Zone', {
      ...props, encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }), serverAccessLogsBucket: newAccessLogsBucket(stack, 'AccessLogs', RemovalPolicy.RETAIN),
    });
    tables.forEach((table, i) => zone.addTable(`Table${i}`, table));
  }, [{
    zoneName: 'raw', databaseName: 'team_raw', lifecycleRules: [], removalPolicy: RemovalPolicy.RETAIN,
    tables: [{ tableName: 'events', columns: [{ name: 'user_id', type: 'string' }], partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date() }] }],
  }]));
});

describe('BatchCompute, its queues, job definitions and grantSubmit', () => {
  const tally = new FuzzTally('BatchCompute');
  const someClasses = [ec2.InstanceClass.C6I, ec2.InstanceClass.M7I, ec2.InstanceClass.G5, ec2.InstanceClass.GRAPHICS6, ec2.InstanceClass.P4D, ec2.InstanceClass.M7G, ec2.InstanceClass.T3];
  const queue = fc.record({
    maxvCpus: optional(wildNumber(16, 256)),
    instanceClasses: rarely(fc.array(mostly(fc.constantFrom(...someClasses), fc.constant('not-a-class' as ec2.InstanceClass)), { maxLength: 3 })),
    instanceTypes: rarely(fc.array(fc.constantFrom('g5.2xlarge', 'c6i.xlarge', 'p5.48xlarge').map((t) => new ec2.InstanceType(t)), { maxLength: 2 })),
    spot: optional(fc.boolean()),
    rootVolumeSizeGiB: optional(wildNumber(64, 200)),
  });
  const job = fc.record({
    id: wildString('Train', 'Score', 'CpuQueue', 'a:b'),
    vcpus: optional(wildNumber(1, 2, 0.25, 4)),
    memoryMiB: optional(wildNumber(2048, 4096, 512)),
    gpuCount: optional(wildNumber(0, 1, 8)),
    attempts: optional(wildNumber(1, 3, 10)),
    timeout: optional(wildDuration(Duration.hours(4), Duration.minutes(30))),
    imageTag: optional(wildString('v1', 'latest')),
    environment: optional(fc.dictionary(wildString('EPOCHS', 'AWS_BATCH_X'), fc.constant('1'), { maxKeys: 2, noNullPrototype: true })),
    fargate: optional(fc.boolean()),
  }, { requiredKeys: ['id'] });
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    vpc: mostly(fc.constantFrom('new', 'public', 'private'), fc.constant('isolated')) as fc.Arbitrary<'new' | 'public' | 'private' | 'isolated'>,
    subnets: rarely(fc.constantFrom(ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_WITH_EGRESS, ec2.SubnetType.PRIVATE_ISOLATED)),
    standardQueues: rarely(fc.boolean()),
    cpu: rarely(queue),
    gpu: rarely(queue.map((q) => ({ ...q, instanceClasses: q.instanceClasses?.filter((c) => !['c6i', 'm7i', 'm7g', 't3'].includes(c)) }))),
    fargate: rarely(fc.record({ maxvCpus: optional(wildNumber(64)), spot: optional(fc.boolean()) })),
    untaggedImageExpiration: optional(wildDuration(Duration.days(14))),
    logRetention: rarely(wildRetention()),
    removalPolicy: rarely(anyRemovalPolicy()),
    grantFirst: fc.boolean(),
    queues: fc.array(fc.record({ name: wildString('highmem', 'gpu2', 'gpu-2', 'a-', 'cpu'), options: queue }), { maxLength: 2 }),
    jobs: fc.array(job, { maxLength: 2 }),
  }), (stack, { vpc, subnets, grantFirst, queues, jobs, ...props }) => {
    const network = vpc === 'new' ? new DataScienceNetwork(stack, 'Network').vpc : importedVpc(stack, vpc);
    const compute = new BatchCompute(stack, 'Compute', { ...props, vpc: network, subnets: subnets && { subnetType: subnets } });
    if (grantFirst) {
      compute.grantSubmit(role(stack));
    }
    queues.forEach((q) => compute.addQueue(q.name, q.options));
    jobs.forEach(({ id, ...j }) => compute.addJobDefinition(id, j));
    if (!grantFirst) {
      compute.grantSubmit(role(stack));
    }
  }, [
    { vpc: 'new', grantFirst: true, standardQueues: false, queues: [], jobs: [] },
    { vpc: 'new', grantFirst: false, standardQueues: false, queues: [{ name: 'gpu2', options: {} }, { name: 'gpu-2', options: {} }], jobs: [] },
  ]));
});

describe('ArtifactStore', () => {
  const tally = new FuzzTally('ArtifactStore');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    noncurrentVersionRetentionDays: optional(wildNumber(30, 365)),
    intelligentTieringAfterDays: optional(wildNumber(0, 30)),
    objectLockRetentionDays: optional(wildNumber(30, 36500)),
    sandboxDataExpirationDays: optional(wildNumber(30)),
    removalPolicy: optional(anyRemovalPolicy()),
  }), (stack, props) => {
    new ArtifactStore(stack, 'Artifacts', props);
  }, [{}, { objectLockRetentionDays: 0 }]));
});

describe('RunRegistry', () => {
  const tally = new FuzzTally('RunRegistry');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 4, fc.record({
    deletionProtection: optional(fc.boolean()),
    removalPolicy: optional(anyRemovalPolicy()),
    grants: fc.boolean(),
  }), (stack, { grants, ...props }) => {
    const runs = new RunRegistry(stack, 'Runs', props);
    if (grants) {
      runs.grantRecord(role(stack));
    }
  }, [{ grants: true }, { grants: false, removalPolicy: RemovalPolicy.SNAPSHOT }]));
});

describe('ModelRegistry', () => {
  const tally = new FuzzTally('ModelRegistry');
  const model = wildString('churn', 'ltv', 'Churn', 'a-', 'x'.repeat(40));
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    namePrefix: names,
    modelNames: optional(fc.array(model, { maxLength: 2 })),
    removalPolicy: optional(anyRemovalPolicy()),
    added: optional(fc.record({ modelName: model, description: optional(wildString('Churn model')) }, { requiredKeys: ['modelName'] })),
    grantOn: optional(model),
  }), (stack, { added, grantOn, ...props }) => {
    new CfnWaitConditionHandle(stack, 'NotEmpty'); // a registry without models holds nothing
    const registry = new ModelRegistry(stack, 'Models', props);
    if (added) {
      registry.addModel(added.modelName, added.description);
    }
    if (grantOn !== undefined) {
      registry.grantRegister(role(stack), grantOn);
    }
  }, [{ namePrefix: 'fraud', modelNames: ['churn'] }, { namePrefix: 'fraud', grantOn: 'unknown' }]));
});

describe('ModelEndpoint and DeploymentGuardrails', () => {
  const tally = new FuzzTally('ModelEndpoint');
  const guardrails = fc.oneof(
    fc.tuple(wildNumber(10, 50), optional(wildDuration(Duration.minutes(10), Duration.seconds(90)))).map(([p, w]) => DeploymentGuardrails.canary(p, w)),
    fc.tuple(wildNumber(10, 25), optional(wildDuration(Duration.minutes(5)))).map(([p, w]) => DeploymentGuardrails.linear(p, w)),
    optional(wildDuration(Duration.minutes(5))).map((w) => DeploymentGuardrails.allAtOnce(w)),
    fc.tuple(wildNumber(20, 50), optional(wildDuration(Duration.minutes(5)))).map(([p, w]) => DeploymentGuardrails.rolling(p, w)),
  );
  const variant = fc.record({
    variantName: wildString('current', 'candidate', 'v2'),
    initialWeight: optional(wildNumber(1, 9)),
    instanceType: rarely(wildString('ml.m5.large', 'ml.g5.xlarge')),
    instanceCount: rarely(wildNumber(1, 2)),
    modelDataKey: fc.oneof({ weight: 12, arbitrary: fc.constant('models/churn/1/model.tar.gz') }, { weight: 1, arbitrary: fc.constantFrom('', 'models/*', '/model.tar.gz') }),
  }, { requiredKeys: ['variantName', 'modelDataKey'] });
  const realTimeOnly = (hosting: EndpointHosting) => <T>(arbitrary: fc.Arbitrary<T>) => (hosting === EndpointHosting.REAL_TIME ? optional(arbitrary) : rarely(arbitrary));
  const serverlessOnly = (hosting: EndpointHosting) => <T>(arbitrary: fc.Arbitrary<T>) => (hosting === EndpointHosting.SERVERLESS ? optional(arbitrary) : rarely(arbitrary));
  const endpointProps = mostly(fc.constantFrom(...Object.values(EndpointHosting)), fc.constant('BATCH' as EndpointHosting)).chain((hosting) => fc.record({
    hosting: fc.constant(hosting),
    variants: mostly(fc.uniqueArray(variant, { minLength: 1, maxLength: hosting === EndpointHosting.SERVERLESS ? 1 : 3, selector: (v) => v.variantName }),
      fc.array(variant, { maxLength: 3 })),
    instanceCount: realTimeOnly(hosting)(wildNumber(1, 2)),
    vpcAndSubnets: realTimeOnly(hosting)(fc.record({ vpc: anyVpcKind(), subnets: rarely(fc.constantFrom(ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_WITH_EGRESS)) })),
    autoScaling: realTimeOnly(hosting)(fc.record({
      minCapacity: wildNumber(1, 2), maxCapacity: wildNumber(4, 8), invocationsPerInstance: wildNumber(100, 500),
      scaleInCooldown: optional(wildDuration(Duration.minutes(5))), scaleOutCooldown: optional(wildDuration(Duration.minutes(1))),
    }, { requiredKeys: ['minCapacity', 'maxCapacity', 'invocationsPerInstance'] })),
    serverlessMemorySizeMiB: serverlessOnly(hosting)(wildNumber(2048, 6144)),
    serverlessMaxConcurrency: serverlessOnly(hosting)(wildNumber(5, 200)),
    samplingPercentage: realTimeOnly(hosting)(wildNumber(20, 100)),
    deploymentGuardrails: optional(guardrails),
    rollbackAlarms: rarely(fc.integer({ min: 0, max: 9 })),
    subnetsAlone: rarely(fc.constant(ec2.SubnetType.PRIVATE_WITH_EGRESS)),
    networkIsolation: realTimeOnly(hosting)(fc.boolean()),
    latencyAlarmThresholdMillis: optional(wildNumber(250, 1000)),
    errorAlarmThreshold: optional(wildNumber(0, 5)),
    removalPolicy: optional(anyRemovalPolicy()),
  }));
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, endpointProps, (stack, { variants, samplingPercentage, rollbackAlarms, vpcAndSubnets, subnetsAlone, ...props }) => {
    const store = new ArtifactStore(stack, 'Artifacts');
    const image = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1';
    new ModelEndpoint(stack, 'Endpoint', {
      ...props,
      variants: variants.map(({ modelDataKey, ...v }) => ({ ...v, model: ModelSource.fromArtifact({ artifactStore: store, modelDataKey, image }) })),
      dataCapture: samplingPercentage === undefined ? undefined : { artifactStore: store, samplingPercentage },
      rollbackAlarms: rollbackAlarms === undefined ? undefined : Array.from({ length: rollbackAlarms }, (_, i) => cloudwatch.Alarm.fromAlarmName(stack, `Alarm${i}`, `alarm-${i}`)),
      vpc: vpcAndSubnets && importedVpc(stack, vpcAndSubnets.vpc),
      subnets: (vpcAndSubnets?.subnets ?? subnetsAlone) && { subnetType: vpcAndSubnets?.subnets ?? subnetsAlone! },
    });
  }, [
    { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'current', modelDataKey: 'models/churn/1/model.tar.gz' }] },
    { hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'current', modelDataKey: 'models/churn/1/model.tar.gz' }], deploymentGuardrails: DeploymentGuardrails.allAtOnce(Duration.millis(1500)) },
  ]));
});

describe('DataQualityRuleset, WorkflowStep.dataQuality and WorkflowStep.monitoringBaseline', () => {
  const tally = new FuzzTally('DataQualityRuleset');
  const rules = mostly(
    fc.constantFrom('Rules = [ RowCount > 0 ]', 'Rules = [ IsComplete "user_id", ColumnValues "amount" between 0 and 1000 ]',
      'Rules = [\n  IsUnique "event_id",\n  ColumnValues "event_type" matches "[a-z_]+",\n  Completeness "user_id" >= 0.95 where "amount > 0"\n]'),
    fc.oneof(wildString('Rules = [ RowCount ]', 'Rules = [ IsCompete "user_id" ]', 'Rules = [ RowCount > avg(last(10)) ]', 'Rules = [', 'RowCount > 0'),
      fc.string({ maxLength: 60 }).map((r) => `Rules = [ ${r} ]`)),
  );
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    rules,
    description: optional(wildString('What training expects of the events')),
    workers: optional(wildNumber(2, 10, 299)),
    timeout: optional(wildDuration(Duration.minutes(30), Duration.hours(2))),
    partitionPredicate: optional(wildString("dt >= '2026-01-01'")),
    retries: rarely(wildNumber(0, 1)),
    baseline: rarely(fc.record({
      modelName: wildString('churn', 'ltv'),
      datasetKeyPrefix: wildString('runs/training/{run_id}/prepare/train/', 'models/churn/training-data/', '{run_id}/', 'train'),
      datasetFormat: optional(fc.constantFrom(...Object.values(BaselineDatasetFormat))),
      instanceType: optional(wildString('ml.m5.xlarge', 'ml.c5.2xlarge')),
      timeout: optional(wildDuration(Duration.hours(1))),
    }, { requiredKeys: ['modelName', 'datasetKeyPrefix'] })),
  }), (stack, { rules: dqdl, description, baseline, ...step }) => {
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    const events = warehouse.raw.addTable('Events', {
      tableName: 'events', columns: [{ name: 'user_id', type: 'string' }, { name: 'amount', type: 'double' }],
      partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date() }],
    });
    const ruleset = new DataQualityRuleset(stack, 'Checks', { table: events, rules: dqdl, description });
    new Workflow(stack, 'Flow', {
      workflowName: 'training', artifactStore: new ArtifactStore(stack, 'Artifacts'), runRegistry: new RunRegistry(stack, 'Runs'),
      steps: [
        WorkflowStep.dataQuality({ name: 'check', ruleset, ...step }),
        ...(baseline ? [WorkflowStep.monitoringBaseline({ name: 'baseline', dependsOn: ['check'], ...baseline })] : []),
      ],
    });
  }, [{ rules: 'Rules = [ RowCount > 0 ]' }, { rules: 'Rules = [ RowCount ]', workers: 1 }]));
});

describe('DriftMonitor', () => {
  const tally = new FuzzTally('DriftMonitor');
  const frequency = fc.oneof(
    fc.constant(MonitoringFrequency.HOURLY),
    optional(wildNumber(3, 23)).map((hour) => MonitoringFrequency.daily(hour)),
    fc.tuple(wildNumber(2, 6, 12, 5), optional(wildNumber(0, 1))).map(([hours, start]) => MonitoringFrequency.everyHours(hours, start)),
  );
  const modelQuality = fc.record({
    groundTruthKeyPrefix: wildString('models/churn/ground-truth/', 'labels'),
    problemType: mostly(fc.constantFrom(...Object.values(ModelProblemType)), fc.constant('Ranking' as ModelProblemType)),
    inferenceAttribute: optional(wildString('0', 'prediction')),
    probabilityAttribute: optional(wildString('1')),
    probabilityThreshold: optional(wildNumber(0.5)),
    labelDelay: optional(wildDuration(Duration.hours(6), Duration.hours(1))),
  }, { requiredKeys: ['groundTruthKeyPrefix', 'problemType'] });
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    modelName: wildString('churn', 'ltv-2'),
    frequency: optional(frequency),
    instanceType: optional(wildString('ml.m5.xlarge', 'ml.m5.2xlarge')),
    volumeSizeGiB: optional(wildNumber(20, 100)),
    maxRuntime: optional(wildDuration(Duration.minutes(50), Duration.minutes(20))),
    driftAlarmFeatures: optional(fc.array(wildString('amount', 'tenure_months', '_c3'), { maxLength: 3 })),
    driftAlarmThreshold: optional(wildNumber(0.1, 0.3, 1)),
    modelQuality: rarely(modelQuality),
    serverless: rarely(fc.constant(true)),
  }), (stack, { serverless, ...props }) => {
    const store = new ArtifactStore(stack, 'Artifacts');
    const endpoint = new ModelEndpoint(stack, 'Endpoint', {
      hosting: serverless ? EndpointHosting.SERVERLESS : EndpointHosting.REAL_TIME,
      variants: [{ variantName: 'current', model: ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'models/churn/1/model.tar.gz', image: 'serve:1' }) }],
      dataCapture: serverless ? undefined : { artifactStore: store },
    });
    new DriftMonitor(stack, 'Drift', { endpoint, ...props, notificationTopic: endpoint.notificationTopic });
  }, [{ modelName: 'churn' }, { modelName: 'churn', frequency: MonitoringFrequency.everyHours(5) }]));
});

describe('StackMonitoring', () => {
  const tally = new FuzzTally('StackMonitoring');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 4, fc.record({
    alarmEmails: optional(fc.array(wildString('ml-oncall@example.com', 'on-call', 'a@b.co'), { maxLength: 3 })),
    logRetention: optional(wildRetention()),
    removalPolicy: optional(anyRemovalPolicy()),
    watchTwice: fc.boolean(),
    secondMonitoring: fc.boolean(),
  }), (stack, { watchTwice, secondMonitoring, ...props }) => {
    const monitoring = new StackMonitoring(stack, 'Monitoring', props);
    const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, standardQueues: false });
    compute.addQueue('cpu');
    monitoring.monitorBatchCompute(compute);
    monitoring.monitorWarehouse(new DataWarehouse(stack, 'Warehouse'));
    if (watchTwice) {
      monitoring.monitorBatchCompute(compute);
    }
    if (secondMonitoring) {
      new StackMonitoring(stack, 'More').monitorBatchCompute(compute);
    }
  }, [{ watchTwice: true, secondMonitoring: false }, { watchTwice: false, secondMonitoring: true }]));
});

describe('MetaflowProfile', () => {
  const tally = new FuzzTally('MetaflowProfile');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 3, fc.record({
    removalPolicy: optional(anyRemovalPolicy()),
  }), (stack, props) => {
    const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, standardQueues: false });
    new MetaflowProfile(stack, 'Metaflow', {
      ...props, artifactStore: new ArtifactStore(stack, 'Artifacts'), jobQueue: compute.addQueue('cpu').jobQueue, encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    });
  }, [{}, { removalPolicy: RemovalPolicy.SNAPSHOT }]));
});

describe('DataScienceStack', () => {
  const tally = new FuzzTally('DataScienceStack');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 3, fc.record({
    teamName: names,
    stage: optional(mostly(fc.constantFrom(...Object.values(DataScienceStage)), wildString('qa'))) as fc.Arbitrary<DataScienceStage | undefined>,
    codeVersion: optional(wildString('0f1e2d3c4b5a', 'v1.2.3')),
    destroyDataOnDelete: optional(fc.boolean()),
    alarmEmails: rarely(fc.array(wildString('ml-oncall@example.com'), { maxLength: 2 })),
    exampleWorkflow: optional(fc.boolean()),
    vpc: rarely(anyVpcKind()),
    stackName: rarely(wildString('fraud-models-dev', 'team_stack')),
    env: rarely(fc.record({ account: wildString('111122223333', '1234'), region: wildString('eu-west-1', 'Ireland') })),
    tags: rarely(fc.dictionary(wildString('cost-center', 'aws:team'), wildString('ml'), { maxKeys: 2, noNullPrototype: true })),
  }), (stack, { vpc, ...props }) => {
    new CfnWaitConditionHandle(stack, 'NotEmpty'); // the case's own stack holds at most an imported VPC
    new DataScienceStack(stack.node.root, 'Team', { ...props, vpc: vpc && importedVpc(stack, vpc) });
  }, [{ teamName: 'fraud-models', exampleWorkflow: false }, { teamName: 'fraud-models', codeVersion: '' }]));
});

describe('ProjectSandboxStack', () => {
  const tally = new FuzzTally('ProjectSandboxStack');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 3, fc.record({
    teamName: names,
    teamStage: optional(mostly(fc.constantFrom(DataScienceStage.DEV, DataScienceStage.STAGING), fc.constantFrom(DataScienceStage.PROD, '' as DataScienceStage, 'qa' as DataScienceStage))),
    projectName: names,
    owner: optional(wildString('ana.lima', 'bo', 'ana-lima', 'c'.repeat(63))),
    expiresOn: mostly(fc.integer({ min: 1, max: 90 }).map(daysFromToday), fc.oneof(fc.constantFrom(-1, 0, 91).map(daysFromToday), wildString('2027-02-29', '2027-02-30', 'next week'))),
    monthlyBudgetUsd: optional(wildNumber(100, 0.5, 20000)),
    readTeamCuratedData: optional(fc.boolean()),
    queue: rarely(wildString('cpu', 'gpu', 'gpu-large')),
  }), (stack, { queue, ...props }) => {
    const sandbox = new ProjectSandboxStack(stack.node.root, 'Sandbox', props);
    if (queue !== undefined) {
      sandbox.teamQueue(queue);
    }
    new CfnWaitConditionHandle(stack, 'NotEmpty'); // the case's own stack holds nothing else
  }, [{ teamName: 'data-science', projectName: 'churn', owner: 'ana.lima', expiresOn: daysFromToday(14) }, { teamName: 'data-science', projectName: 'churn', teamStage: '', expiresOn: daysFromToday(14) }]));
});

describe('SparkRuntime and its jobs', () => {
  const tally = new FuzzTally('SparkRuntime');
  test('wild props give a checked template or a ValidationError', () => fuzz(tally, 6, fc.record({
    vpc: rarely(anyVpcKind()),
    release: optional(mostly(fc.constantFrom(EmrRelease.LATEST, EmrRelease.EMR_7_12_0), wildString('emr-7.15.0', 'emr-6.15.0', 'emr-spark-8.1.0').map(EmrRelease.of))),
    architecture: optional(mostly(fc.constantFrom(...Object.values(SparkArchitecture)), wildString('ARM') as fc.Arbitrary<SparkArchitecture>)),
    maximumVcpus: optional(wildNumber(16, 64, 1024)),
    maximumMemoryGiB: rarely(wildNumber(64, 2)),
    maximumDiskGiB: rarely(wildNumber(400, 20)),
    idleTimeout: optional(wildDuration(Duration.minutes(5), Duration.minutes(1), Duration.days(7))),
    icebergCatalogName: optional(wildString('lake', 'features')),
    icebergWarehouse: rarely(wildString('s3://lake/iceberg/', 'lake')),
    logRetention: optional(wildRetention()),
    removalPolicy: optional(anyRemovalPolicy()),
    job: fc.record({
      id: wildString('Build', 'Score'),
      entryPointKey: wildString('code/build.py', 'code/app.jar', 'build.sh'),
      arguments: optional(fc.array(wildString('--day', '{run_id}'), { maxLength: 3 })),
      mainClass: rarely(wildString('com.example.Main')),
      sparkConf: rarely(fc.dictionary(wildString('spark.executor.memory', 'spark.jars'), wildString('8g', '4 g'), { maxKeys: 2, noNullPrototype: true })),
      jarKeys: rarely(fc.array(wildString('code/udfs.jar'), { maxLength: 2 })),
      timeout: optional(wildDuration(Duration.hours(4), Duration.minutes(30), Duration.days(8))),
    }, { requiredKeys: ['id', 'entryPointKey'] }),
  }), (stack, { vpc, job: { id, ...job }, ...props }) => {
    const runtime = new SparkRuntime(stack, 'Spark', { ...props, artifactStore: new ArtifactStore(stack, 'Artifacts'), vpc: vpc && importedVpc(stack, vpc) });
    runtime.addJob(id, job);
  }, [
    { job: { id: 'Build', entryPointKey: 'code/build.py' } }, { maximumVcpus: 0, job: { id: 'Build', entryPointKey: 'build.sh' } },
    // an id IAM would refuse in the job role's description, as the fuzzing once found
    { job: { id: '\u0000 build 特徴', entryPointKey: 'code/build.py' } },
  ]));
});
