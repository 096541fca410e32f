import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataWarehouse } from '../../../lib';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { newTestApp } from '../../support/synth';
import { validationErrorOf } from '../../support/validation';

/** Evaluates the synthesized policies of an analyst role given `grantQuery`, with @cloud-copilot/iam-simulate. */
describe('DataWarehouse.grantQuery, simulated', () => {
  let sim: PolicySimulator;
  let role: string;
  const object = (bucketPrefix: string, key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', bucketPrefix))}/${key}`;
  const workGroup = (name: string) => `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${name}`;

  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Lake');
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    warehouse.grantQuery(new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() }));
    sim = new PolicySimulator(Template.fromStack(stack));
    role = sim.logicalId('AWS::IAM::Role', 'Analyst');
  });

  test.each([
    ['athena:StartQueryExecution', () => workGroup('team')],
    ['athena:GetQueryExecution', () => workGroup('team')],
    ['athena:GetQueryResults', () => workGroup('team')],
    // Glue authorizes a table's read on the table, its database and the catalog alike
    ['glue:GetTable', () => `arn:aws:glue:${REGION}:${ACCOUNT}:table/team_raw/events`],
    ['glue:GetTable', () => `arn:aws:glue:${REGION}:${ACCOUNT}:database/team_raw`],
    ['glue:GetTable', () => `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`],
    ['glue:GetDatabase', () => `arn:aws:glue:${REGION}:${ACCOUNT}:database/team_curated`],
    ['glue:GetPartitions', () => `arn:aws:glue:${REGION}:${ACCOUNT}:table/team_curated/features`],
    ['s3:GetObject', () => object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/part-0.parquet')],
    ['s3:GetObject', () => object('WarehouseCuratedZoneBucket', 'features/part-0.parquet')],
    ['s3:PutObject', () => object('WarehouseQueryResults', 'results/0b1c.csv')],
    ['s3:GetObject', () => object('WarehouseQueryResults', 'results/0b1c.csv')],
    ['kms:Decrypt', () => sim.arn(sim.logicalId('AWS::KMS::Key', 'WarehouseKey'))],
    ['kms:GenerateDataKey', () => sim.arn(sim.logicalId('AWS::KMS::Key', 'WarehouseKey'))],
  ])('may %s on %#', async (action, resource) => {
    expect(await sim.decide(role, action, resource())).toBe('Allowed');
  });

  test.each([
    ['s3:PutObject', () => object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/x.parquet')],
    ['s3:PutObject', () => object('WarehouseCuratedZoneBucket', 'features/x.parquet')],
    ['s3:DeleteObject', () => object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/part-0.parquet')],
    ['s3:DeleteObject', () => object('WarehouseQueryResults', 'results/0b1c.csv')],
    ['s3:DeleteObjectVersion', () => object('WarehouseCuratedZoneBucket', 'features/part-0.parquet')],
    ['s3:PutObject', () => object('WarehouseQueryResults', 'elsewhere/x.csv')],
    ['athena:StartQueryExecution', () => workGroup('primary')],
    ['glue:DeleteTable', () => `arn:aws:glue:${REGION}:${ACCOUNT}:table/team_raw/events`],
    ['glue:CreateTable', () => `arn:aws:glue:${REGION}:${ACCOUNT}:database/team_raw`],
    ['glue:GetTable', () => `arn:aws:glue:${REGION}:${ACCOUNT}:table/other_db/events`],
    ['glue:GetDatabase', () => `arn:aws:glue:${REGION}:${ACCOUNT}:database/other_db`],
    ['kms:ScheduleKeyDeletion', () => sim.arn(sim.logicalId('AWS::KMS::Key', 'WarehouseKey'))],
  ])('may not %s on %#', async (action, resource) => {
    expect(await sim.decide(role, action, resource())).not.toBe('Allowed');
  });

  test('is refused any request without TLS, by the bucket policy', async () => {
    const key = object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/part-0.parquet');
    expect(await sim.decide(role, 's3:GetObject', key, { 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });
});

describe('DataWarehouse.queryTargetFor', () => {
  const lake = () => {
    const stack = new Stack(newTestApp(), 'Lake');
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    const events = warehouse.raw.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
    return { stack, warehouse, events };
  };

  test('queries in the workgroup, in the tables\' database, and grants those tables and the results alone', async () => {
    const { stack, warehouse, events } = lake();
    const target = warehouse.queryTargetFor([events]);
    expect([target.workGroupName, target.defaultDatabaseName]).toEqual(['team', 'team_raw']);
    target.grantQuery(new iam.Role(stack, 'Step', { assumedBy: new iam.AccountRootPrincipal() }));
    const sim = new PolicySimulator(Template.fromStack(stack));
    const role = sim.logicalId('AWS::IAM::Role', 'Step');
    const raw = (key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseRawZoneBucket'))}/${key}`;
    const table = (name: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:table/${name}`;
    const decisions = await Promise.all([
      sim.decide(role, 'athena:StartQueryExecution', `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/team`),
      sim.decide(role, 'glue:GetTable', table('team_raw/events')),
      sim.decide(role, 's3:GetObject', raw('events/part-0.parquet')),
      sim.decide(role, 's3:PutObject', `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseQueryResults'))}/results/0b1c.csv`),
      sim.decide(role, 'glue:GetTable', table('team_raw/customers')),
      sim.decide(role, 's3:GetObject', raw('customers/part-0.parquet')),
      sim.decide(role, 's3:GetObject', `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseCuratedZoneBucket'))}/features/part-0.parquet`),
    ]);
    expect(decisions.map((d) => d === 'Allowed')).toEqual([true, true, true, true, false, false, false]);
  });

  test('rejects no tables, and tables of another warehouse', () => {
    const { warehouse } = lake();
    expect(validationErrorOf(() => warehouse.queryTargetFor([])).message)
      .toBe('Invalid props for DataWarehouse.queryTargetFor:\n  - tables = []: give the tables the queries read');
    expect(validationErrorOf(() => warehouse.queryTargetFor([lake().events])).message).toBe('Invalid props for DataWarehouse.queryTargetFor:\n'
      + '  - tables[0] = "events": give tables of this warehouse\'s zones: its workgroup\'s grant covers no other');
  });
});
