/**
 * Feature engineering on the team stack: a Spark job on EMR Serverless builds features from the
 * raw events into an Apache Iceberg table of the curated zone; once it succeeds, a training
 * workflow records the table's snapshot, trains on Batch from exactly that snapshot and writes
 * predictions. Nothing here bills while idle: Spark starts with a job and stops 5 minutes after.
 *
 *   npx cdk deploy --app 'npx tsx examples/feature-engineering/app.ts'
 *   aws s3 cp build_user_features.py s3://<ArtifactBucketName>/code/features/build_user_features.py
 *   dsi run user-features --wait && dsi runs training
 */
import { App } from 'aws-cdk-lib';
import { CompliancePacks, DataScienceStack, TableFormat, Workflow, WorkflowStep } from '../../lib';

const app = new App();
const stack = new DataScienceStack(app, 'fraud-models-dev', { teamName: 'fraud-models' });
const { raw, curated } = stack.warehouse;

// an Iceberg table: every commit a snapshot, which Athena and Spark read, merge into and time-travel
const userFeatures = curated.addTable('UserFeaturesTable', {
  tableName: 'user_features',
  format: TableFormat.ICEBERG,
  description: 'Features by user, rebuilt from the raw events by the user-features workflow',
  columns: [
    { name: 'user_id', type: 'string' },
    { name: 'events_7d', type: 'bigint' },
    { name: 'amount_7d', type: 'decimal(12,2)' },
    { name: 'built_by_run', type: 'string' },
  ],
  removalPolicy: stack.removalPolicy,
});

// Spark reads the raw events and MERGEs into lake.<curated database>.user_features
const spark = stack.addSparkRuntime('Spark');
const build = spark.addJob('BuildUserFeatures', {
  entryPointKey: 'code/features/build_user_features.py',
  sparkConf: { 'spark.executor.memory': '8g', 'spark.dynamicAllocation.maxExecutors': '20' },
});
raw.grantRead(build, 'events/');
userFeatures.grantCommit(build);

const shared = {
  artifactStore: stack.artifacts,
  runRegistry: stack.runs,
  notificationTopic: stack.notificationTopic,
  encryptionKey: stack.dataKey,
  logRetention: stack.settings.logRetention,
  removalPolicy: stack.removalPolicy,
};
const features = new Workflow(stack, 'UserFeaturesWorkflow', {
  ...shared,
  workflowName: 'user-features',
  steps: [WorkflowStep.sparkJob({
    name: 'build',
    job: build,
    arguments: ['--events', raw.bucket.s3UrlForObject('events/'), '--table', `lake.${userFeatures.databaseName}.${userFeatures.tableName}`, '--run-id', '{run_id}'],
  })],
});

// training reads the features at the snapshot its run recorded: DSI_SNAPSHOTS={"user_features": "<id>"}
const job = (id: string, command: string[]) => {
  const definition = stack.compute.addJobDefinition(id, { imageTag: 'train-v1', vcpus: 4, memoryMiB: 16384, command });
  userFeatures.grantReadSnapshots(definition.container.jobRole!);
  return definition;
};
const train = job('TrainFromSnapshot', ['python', 'train.py']);
stack.artifacts.grantWriteRun(train.container.jobRole!, 'training');
const predict = job('PredictFromSnapshot', ['python', 'predict.py']);
stack.artifacts.grantReadRun(predict.container.jobRole!, 'training');
curated.grantWrite(predict.container.jobRole!, 'predictions/');

const cpu = stack.compute.queue('cpu').jobQueue;
const training = new Workflow(stack, 'TrainingWorkflow', {
  ...shared,
  workflowName: 'training',
  tableSnapshots: { tables: [userFeatures], warehouse: stack.warehouse },
  steps: [
    WorkflowStep.athenaQuery({
      name: 'feature-stats',
      warehouse: stack.warehouse,
      queryString: [
        'UNLOAD (',
        '  SELECT count(*) AS users, avg(events_7d) AS mean_events_7d',
        `  FROM ${userFeatures.tableName} FOR VERSION AS OF {snapshot:user_features}`,
        `) TO '${curated.bucket.s3UrlForObject('feature-stats/run_id={run_id}/')}'`,
        "WITH (format = 'JSON')",
      ].join('\n'),
      output: { zone: curated, prefix: 'feature-stats/' },
    }),
    WorkflowStep.batchJob({ name: 'train', jobQueue: cpu, jobDefinition: train }),
    WorkflowStep.batchJob({ name: 'predict', dependsOn: ['train'], jobQueue: cpu, jobDefinition: predict }),
  ],
});
training.runAfter('AfterUserFeatures', features);
// failed, timed-out and stopped runs already reach the team's topic; stack.monitoring.monitorWorkflow
// would add three alarms a workflow, past CloudWatch's ten free ones

CompliancePacks.addTo(app);
