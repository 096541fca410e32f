import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataWarehouse, PartitionProjection, TableFormat, ValidationError } from '../../../lib';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines, validationErrorOf } from '../../support/validation';

function lake() {
  const stack = new Stack(newTestApp(), 'Lake');
  return { stack, warehouse: new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' }) };
}

const COLUMNS = [
  { name: 'user_id', type: 'string' },
  { name: 'events_7d', type: 'bigint' },
  { name: 'amount_7d', type: 'decimal(12,2)' },
  { name: 'tags', type: 'array<string>' },
];

describe('an Iceberg LakeTable', () => {
  test('is created by Glue as Iceberg (format 2) from its columns and location, with no Hive partitions or projection', () => {
    const { stack, warehouse } = lake();
    warehouse.curated.addTable('Features', { tableName: 'user_features', format: TableFormat.ICEBERG, columns: COLUMNS, description: 'Features by user' });
    const template = checkedTemplate(stack, { regulated: true });
    template.hasResource('AWS::Glue::Table', {
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseName: 'team_curated',
        OpenTableFormatInput: { IcebergInput: { MetadataOperation: 'CREATE', Version: '2' } },
        TableInput: {
          Name: 'user_features',
          Description: 'Features by user',
          TableType: 'EXTERNAL_TABLE',
          StorageDescriptor: {
            Columns: COLUMNS.map((c) => ({ Name: c.name, Type: c.type })),
            Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^WarehouseCuratedZoneBucket') }, '/user_features/']] },
          },
        },
      },
      DeletionPolicy: 'Retain',
      DependsOn: [Match.stringLikeRegexp('^WarehouseCuratedZoneDatabase')],
    });
  });

  test('keeps its plain siblings as they were: Parquet tables get no open table format', () => {
    const { stack, warehouse } = lake();
    warehouse.curated.addTable('Plain', { tableName: 'plain', columns: COLUMNS });
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
      OpenTableFormatInput: Match.absent(),
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ classification: 'parquet' }) }),
    });
  });

  test('refuses Hive partition keys and types Iceberg lacks, saying how to partition instead', () => {
    const make = () => lake().warehouse.curated.addTable('Bad', {
      tableName: 'bad', format: TableFormat.ICEBERG,
      columns: [{ name: 'code', type: 'varchar(8)' }, { name: 'flags', type: 'map<string,smallint>' }],
      partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date() }],
    });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(/partitionKeys = \["dt"\]: an Iceberg table is partitioned by its own spec.*ADD PARTITION FIELD/);
    expect(make).toThrow('columns[0].type = "varchar(8)": Iceberg has no tinyint, smallint, char or varchar: use int or string');
    expect(make).toThrow('columns[1].type = "map<string,smallint>"');
  });

  test('refuses a column type that is no text once, as a type, not again as one Iceberg lacks', () => {
    expect(problemLines(() => lake().warehouse.curated.addTable('Listed', { tableName: 'listed', format: TableFormat.ICEBERG, columns: [{ name: 'code', type: ['varchar'] as any }] })))
      .toEqual(['columns[0].type = ["varchar"]: give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>']);
  });

  test('offers its grants only as an Iceberg table', () => {
    const { stack, warehouse } = lake();
    const plain = warehouse.curated.addTable('Plain', { tableName: 'plain', columns: COLUMNS });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const refusal = '  - format = "parquet": declare the table with format: TableFormat.ICEBERG; a table of plain files has no snapshots (grant its zone\'s prefix instead)';
    expect(validationErrorOf(() => plain.grantCommit(role)).message).toBe(`Invalid props for LakeTable 'plain'.grantCommit:\n${refusal}`);
    expect(validationErrorOf(() => plain.grantReadSnapshots(role)).message).toBe(`Invalid props for LakeTable 'plain'.grantReadSnapshots:\n${refusal}`);
  });
});

/** Evaluates the synthesized policies of a writer given `grantCommit` and a reader given `grantReadSnapshots`. */
describe('Iceberg table grants, simulated', () => {
  let sim: PolicySimulator;
  const object = (bucketPrefix: string, key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', bucketPrefix))}/${key}`;
  const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`;
  const key = () => sim.arn(sim.logicalId('AWS::KMS::Key', 'WarehouseKey'));
  const role = (prefix: string) => sim.logicalId('AWS::IAM::Role', prefix);

  beforeAll(() => {
    const { stack, warehouse } = lake();
    const features = warehouse.curated.addTable('Features', { tableName: 'user_features', format: TableFormat.ICEBERG, columns: COLUMNS });
    warehouse.curated.addTable('Labels', { tableName: 'labels', format: TableFormat.ICEBERG, columns: COLUMNS });
    features.grantCommit(new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() }));
    features.grantReadSnapshots(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    sim = new PolicySimulator(Template.fromStack(stack));
  });

  test.each([
    ['Writer', 's3:GetObject', () => object('WarehouseCuratedZoneBucket', 'user_features/metadata/00001-a.metadata.json')],
    ['Writer', 's3:PutObject', () => object('WarehouseCuratedZoneBucket', 'user_features/data/00000-1.parquet')],
    ['Writer', 's3:PutObject', () => object('WarehouseCuratedZoneBucket', 'user_features/metadata/00002-b.metadata.json')],
    ['Writer', 'glue:GetTable', () => glue('table/team_curated/user_features')],
    ['Writer', 'glue:UpdateTable', () => glue('table/team_curated/user_features')],
    ['Writer', 'glue:UpdateTable', () => glue('database/team_curated')],
    ['Writer', 'kms:GenerateDataKey', key],
    ['Reader', 's3:GetObject', () => object('WarehouseCuratedZoneBucket', 'user_features/data/00000-1.parquet')],
    ['Reader', 'glue:GetTable', () => glue('table/team_curated/user_features')],
    ['Reader', 'glue:GetDatabase', () => glue('database/team_curated')],
    ['Reader', 'kms:Decrypt', key],
  ])('%s may %s on %#', async (who, action, resource) => {
    expect(await sim.decide(role(who), action, resource())).toBe('Allowed');
  });

  test.each([
    ['Writer', 's3:DeleteObject', () => object('WarehouseCuratedZoneBucket', 'user_features/data/00000-1.parquet')],
    ['Writer', 's3:PutObject', () => object('WarehouseCuratedZoneBucket', 'labels/data/00000-1.parquet')],
    ['Writer', 's3:PutObject', () => object('WarehouseRawZoneBucket', 'user_features/x.parquet')],
    ['Writer', 'glue:UpdateTable', () => glue('table/team_curated/labels')],
    ['Writer', 'glue:DeleteTable', () => glue('table/team_curated/user_features')],
    ['Writer', 'glue:CreateTable', () => glue('database/team_curated')],
    ['Reader', 's3:PutObject', () => object('WarehouseCuratedZoneBucket', 'user_features/data/x.parquet')],
    ['Reader', 's3:GetObject', () => object('WarehouseCuratedZoneBucket', 'labels/data/00000-1.parquet')],
    ['Reader', 'glue:UpdateTable', () => glue('table/team_curated/user_features')],
    ['Reader', 'glue:GetTable', () => glue('table/team_curated/labels')],
  ])('%s may not %s on %#', async (who, action, resource) => {
    expect(await sim.decide(role(who), action, resource())).not.toBe('Allowed');
  });
});
