import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack } from '../../lib';
import { PolicySimulator } from '../support/iam';
import { newTestApp } from '../support/synth';

/** The example workflow's steps get their data access through the layers' grants, and no more. */
describe('example workflow job roles, simulated', () => {
  let sim: PolicySimulator;
  // features is an Athena step, run by the state machine's role; the others are Batch jobs with roles of their own
  const role = (step: string) => sim.logicalId('AWS::IAM::Role', step === 'features' ? 'ExampleWorkflowStateMachineRole' : `ComputeExample${step}JobRole`);
  const object = (bucketPrefix: string, key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', bucketPrefix))}/${key}`;
  const raw = (key: string) => object('WarehouseRawZoneBucket', key);
  const curated = (key: string) => object('WarehouseCuratedZoneBucket', key);
  const artifact = (key: string) => object('ArtifactsBucket', key);
  const glueTable = (zone: string, table: string) => `arn:aws:glue:eu-west-1:111122223333:table/fraud_models_dev_${zone}/${table}`;

  beforeAll(() => {
    sim = new PolicySimulator(Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models' })));
  });

  test.each([
    ['features', 's3:GetObject', () => raw('events/dt=2026-11-27/part-0.parquet'), {}],
    ['features', 's3:PutObject', () => curated('features/run-1/part-0.parquet'), {}],
    ['features', 's3:ListBucket', () => sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseRawZoneBucket')), { 's3:prefix': 'events/dt=2026-11-27/' }],
    ['features', 'glue:GetTable', () => glueTable('raw', 'events'), {}],
    ['features', 'glue:GetPartitions', () => glueTable('raw', 'events'), {}],
    ['features', 'athena:StartQueryExecution', () => 'arn:aws:athena:eu-west-1:111122223333:workgroup/fraud-models-dev', {}],
    ['features', 's3:GetObject', () => object('WarehouseQueryResults', 'results/abc.csv'), {}],
    ['train', 's3:GetObject', () => curated('features/run-1/part-0.parquet'), {}],
    ['train', 's3:PutObject', () => artifact('runs/example/run-1/model.tar.gz'), {}],
    ['predict', 's3:GetObject', () => artifact('runs/example/run-1/model.tar.gz'), {}],
    ['predict', 's3:PutObject', () => curated('predictions/run-1/part-0.parquet'), {}],
  ])('%s may %s its own data', async (job, action, resource, context) => {
    expect(await sim.decide(role(job), action, resource(), context)).toBe('Allowed');
  });

  test.each([
    ['features', 's3:PutObject', () => raw('events/dt=2026-11-27/x.parquet'), {}],
    ['features', 's3:DeleteObject', () => curated('features/run-1/part-0.parquet'), {}],
    ['features', 's3:GetObject', () => artifact('runs/example/run-1/model.tar.gz'), {}],
    // the query reads the events table: nothing else of the raw zone, nothing of the curated zone
    ['features', 's3:GetObject', () => raw('customers/part-0.parquet'), {}],
    ['features', 's3:GetObject', () => curated('predictions/run-1/part-0.parquet'), {}],
    ['features', 's3:GetObject', () => curated('features/run-1/part-0.parquet'), {}],
    ['features', 's3:ListBucket', () => sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseRawZoneBucket')), { 's3:prefix': 'customers/' }],
    ['features', 's3:ListBucket', () => sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseCuratedZoneBucket')), { 's3:prefix': 'predictions/' }],
    ['features', 'glue:GetTable', () => glueTable('raw', 'customers'), {}],
    ['features', 'glue:GetTable', () => glueTable('curated', 'predictions'), {}],
    ['train', 's3:PutObject', () => artifact('runs/other/run-1/model.tar.gz'), {}],
    ['train', 's3:GetObject', () => raw('events/dt=2026-11-27/part-0.parquet'), {}],
    // of the curated zone, training reads the features alone
    ['train', 's3:GetObject', () => curated('predictions/run-1/part-0.parquet'), {}],
    ['predict', 's3:GetObject', () => curated('reports/run-1/part-0.parquet'), {}],
    ['predict', 's3:PutObject', () => artifact('runs/example/run-1/model.tar.gz'), {}],
    ['predict', 's3:PutObject', () => curated('features/run-1/part-0.parquet'), {}],
    ['predict', 'iam:PassRole', () => sim.arn(role('predict')), {}],
    ['train', 'iam:CreateRole', () => 'arn:aws:iam::111122223333:role/escalate', {}],
    ['train', 'iam:AttachRolePolicy', () => sim.arn(role('train')), {}],
    ['train', 's3:GetObject', () => object('AccessLogs', 'artifacts/2026-11-27-log'), {}],
    ['train', 's3:PutObject', () => object('WarehouseQueryResults', 'results/x.csv'), {}],
    ['train', 's3:GetObject', () => 'arn:aws:s3:::someone-elses-bucket/data.csv', {}],
    ['train', 's3:PutObject', () => 'arn:aws:s3:::someone-elses-bucket/data.csv', {}],
  ])('%s may not %s beyond its own data', async (job, action, resource, context) => {
    expect(await sim.decide(role(job), action, resource(), context)).not.toBe('Allowed');
  });
});
