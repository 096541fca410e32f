import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SparkRuntime } from '../../../constructs/features';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore } from '../../../constructs/versioning';
import { DataWarehouse, TableFormat } from '../../../constructs/warehouse';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { checkedTemplate, newTestApp } from '../../support/synth';

/**
 * A Spark job's runtime role is scoped like a Batch job's: it reads its entry point and its
 * inputs, writes its outputs, its run's artifacts and its logs, and nothing else; the workflow
 * may start it, as that role only. Evaluated with @cloud-copilot/iam-simulate.
 */
describe('a Spark job\'s runtime role, simulated', () => {
  let sim: PolicySimulator;
  let jobRole: string;
  let workflowRole: string;
  let applicationArn: string;
  const object = (bucketPrefix: string, key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', bucketPrefix))}/${key}`;
  const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`;
  const key = (prefix: string) => () => sim.arn(sim.logicalId('AWS::KMS::Key', prefix));
  const logStream = () => `${sim.arn(sim.logicalId('AWS::Logs::LogGroup', 'SparkJobLogs')).replace(/:\*$/, '')}:log-stream:applications/app/jobs/j1/SPARK_DRIVER/stderr`;
  const application = () => sim.logicalId('AWS::EMRServerless::Application', 'SparkApplication').toLowerCase();

  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Features');
    const artifacts = new ArtifactStore(stack, 'Artifacts');
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    const features = warehouse.curated.addTable('Features', { tableName: 'user_features', format: TableFormat.ICEBERG, columns: [{ name: 'user_id', type: 'string' }] });
    warehouse.curated.addTable('Labels', { tableName: 'labels', format: TableFormat.ICEBERG, columns: [{ name: 'user_id', type: 'string' }] });
    const spark = new SparkRuntime(stack, 'Spark', { artifactStore: artifacts });
    const job = spark.addJob('Build', { entryPointKey: 'code/features/build.py', jarKeys: ['code/features/udfs.jar'] });
    warehouse.raw.grantRead(job, 'events/');
    features.grantCommit(job);
    artifacts.grantWriteRun(job, 'features');
    new Workflow(stack, 'Flow', { workflowName: 'features', steps: [WorkflowStep.sparkJob({ name: 'build', job })] });
    sim = new PolicySimulator(checkedTemplate(stack, { regulated: true, controlTower: true }));
    jobRole = sim.logicalId('AWS::IAM::Role', 'SparkBuildJobRole');
    workflowRole = sim.logicalId('AWS::IAM::Role', 'FlowStateMachineRole');
    applicationArn = sim.arn(sim.logicalId('AWS::EMRServerless::Application', 'SparkApplication'));
  });

  test.each([
    ['s3:GetObject', () => object('ArtifactsBucket', 'code/features/build.py')],
    ['s3:GetObject', () => object('ArtifactsBucket', 'code/features/udfs.jar')],
    ['s3:GetObject', () => object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/part-0.parquet')],
    ['s3:GetObject', () => object('WarehouseCuratedZoneBucket', 'user_features/metadata/00001-a.metadata.json')],
    ['s3:PutObject', () => object('WarehouseCuratedZoneBucket', 'user_features/data/00000-1.parquet')],
    ['glue:GetTable', () => glue('table/team_curated/user_features')],
    ['glue:UpdateTable', () => glue('table/team_curated/user_features')],
    ['glue:GetDatabase', () => glue('database/default')],
    ['glue:GetDatabase', () => glue('catalog')],
    ['s3:PutObject', () => object('ArtifactsBucket', 'runs/features/run-1/build/report.json')],
    ['s3:PutObject', () => object('ArtifactsBucket', `spark-logs/applications/${application()}/jobs/j1/SPARK_DRIVER/stderr.gz`)],
    ['logs:CreateLogStream', logStream],
    ['logs:PutLogEvents', logStream],
    ['kms:Decrypt', key('ArtifactsKey')],
    ['kms:GenerateDataKey', key('ArtifactsKey')],
    ['kms:GenerateDataKey', key('WarehouseKey')],
    // EMR Serverless lists log groups before it writes to the job's own: an action of no resource type
    ['logs:DescribeLogGroups', () => '*'],
  ])('may %s on %#', async (action, resource) => {
    expect(await sim.decide(jobRole, action, resource())).toBe('Allowed');
  });

  test.each([
    ['s3:GetObject', () => object('ArtifactsBucket', 'code/other/train.py')],
    ['s3:GetObject', () => object('ArtifactsBucket', 'runs/training/run-1/train/model.tar.gz')],
    ['s3:PutObject', () => object('ArtifactsBucket', 'spark-logs/applications/other/jobs/j1/stderr.gz')],
    ['s3:PutObject', () => object('ArtifactsBucket', 'code/features/build.py')],
    ['s3:PutObject', () => object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/x.parquet')],
    ['s3:DeleteObject', () => object('WarehouseCuratedZoneBucket', 'user_features/data/00000-1.parquet')],
    ['s3:GetObject', () => object('WarehouseCuratedZoneBucket', 'labels/data/00000-1.parquet')],
    ['s3:GetObject', () => object('WarehouseRawZoneBucket', 'clicks/part-0.parquet')],
    ['glue:UpdateTable', () => glue('table/team_curated/labels')],
    ['glue:DeleteTable', () => glue('table/team_curated/user_features')],
    ['glue:GetTable', () => glue('table/default/anything')],
    ['glue:CreateDatabase', () => glue('database/default')],
    ['emr-serverless:StartJobRun', () => applicationArn],
    ['iam:PassRole', () => sim.arn(jobRole)],
    ['kms:Decrypt', key('SparkKey')],
  ])('may not %s on %#', async (action, resource) => {
    expect(await sim.decide(jobRole, action, resource())).not.toBe('Allowed');
  });

  test('the workflow may start, watch and cancel runs of the job as its role, and nothing else of EMR Serverless', async () => {
    const passToEmr = { 'iam:PassedToService': 'emr-serverless.amazonaws.com' };
    const rule = `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForEMRServerlessJobRule`;
    expect(await sim.decide(workflowRole, 'emr-serverless:StartJobRun', applicationArn)).toBe('Allowed');
    expect(await sim.decide(workflowRole, 'emr-serverless:GetJobRun', `${applicationArn}/jobruns/00fq5n6h21j9rn09`)).toBe('Allowed');
    expect(await sim.decide(workflowRole, 'emr-serverless:CancelJobRun', `${applicationArn}/jobruns/00fq5n6h21j9rn09`)).toBe('Allowed');
    expect(await sim.decide(workflowRole, 'iam:PassRole', sim.arn(jobRole), passToEmr)).toBe('Allowed');
    expect(await sim.decide(workflowRole, 'events:PutRule', rule)).toBe('Allowed');

    expect(await sim.outcome(workflowRole, 'iam:PassRole', sim.arn(jobRole), { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe('NotAllowed');
    expect(await sim.outcome(workflowRole, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`, passToEmr)).toBe('NotAllowed');
    expect(await sim.outcome(workflowRole, 'emr-serverless:StartJobRun', `arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/other`)).toBe('NotAllowed');
    expect(await sim.outcome(workflowRole, 'emr-serverless:StopApplication', applicationArn)).toBe('NotAllowed');
    expect(await sim.outcome(workflowRole, 'emr-serverless:UpdateApplication', applicationArn)).toBe('NotAllowed');
  });
});

describe('a Spark job that reads no table', () => {
  test('still looks up the catalog\'s default database, as Spark\'s Hive session does when it starts', async () => {
    const stack = new Stack(newTestApp(), 'Lone');
    const spark = new SparkRuntime(stack, 'Spark', { artifactStore: new ArtifactStore(stack, 'Artifacts') });
    spark.addJob('Report', { entryPointKey: 'code/report.py' });
    const sim = new PolicySimulator(Template.fromStack(stack));
    const role = sim.logicalId('AWS::IAM::Role', 'SparkReportJobRole');
    for (const resource of ['catalog', 'database/default']) {
      expect(await sim.outcome(role, 'glue:GetDatabase', `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`)).toBe('Allowed');
    }
    expect(await sim.outcome(role, 'glue:GetDatabase', `arn:aws:glue:${REGION}:${ACCOUNT}:database/team_curated`)).toBe('NotAllowed');
  });
});
