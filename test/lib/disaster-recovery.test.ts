import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataScienceReplicaStack, DataScienceStack, DataScienceStage, DisasterRecovery, NetworkProfile, ReplicaNames, ValidationError } from '../../lib';
import { ACCOUNT, PolicySimulator } from '../support/iam';
import { statefulResources } from '../support/stateful';
import { checkedTemplate, newTestApp } from '../support/synth';
import { validationErrorOf } from '../support/validation';

const REPLICA = 'us-west-2';

function prod(replicaRegion?: string, network?: NetworkProfile): DataScienceStack {
  return new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', stage: DataScienceStage.PROD, replicaRegion, network });
}

describe('disaster recovery to a replica region', () => {
  let team: DataScienceStack;
  let template: Template;
  let replica: Template;
  beforeAll(() => {
    team = prod(REPLICA, NetworkProfile.PRIVATE);
    // both stacks, every pack: AwsSolutions, Serverless, NIST 800-53 R5, HIPAA, PCI DSS 3.2.1, CloudFormation's rules
    template = checkedTemplate(team, { regulated: true });
    replica = Template.fromStack(team.replica!);
  });

  test('puts a replica stack in that region, deployed before the team stack', () => {
    expect(team.replica!.region).toBe(REPLICA);
    expect(team.replica!.stackName).toBe('Team-replica');
    expect(replica.toJSON().Description).toBe('Disaster-recovery replica of the data-science stack of team fraud-models (prod)');
    expect(team.dependencies).toContain(team.replica);
  });

  test('keeps a versioned, KMS-encrypted replica of each zone under its own key, with the source\'s retention', () => {
    const buckets = Object.values(replica.findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.anyValue() } }));
    expect(buckets.map((b) => b.Properties.BucketName['Fn::Join'][1][0]).sort())
      .toEqual(['fraud-models-prod-artifacts-replica-', 'fraud-models-prod-curated-replica-', 'fraud-models-prod-raw-replica-']);
    for (const bucket of buckets) {
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID)
        .toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
    replica.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/fraud-models-prod-replica' });
    replica.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const rules = (id: string) => (Object.values(template.toJSON().Resources).concat(Object.values(replica.toJSON().Resources)) as any[])
      .filter((r) => r.Type === 'AWS::S3::Bucket' && JSON.stringify(r).includes(id))
      .map((r) => r.Properties.LifecycleConfiguration);
    // the artifact store's 365-day version retention, and the raw zone's tiering, on both sides
    expect(new Set(rules('artifacts-replica-').map((r) => JSON.stringify(r)))).toEqual(new Set(rules('expire-sandbox-data').map((r) => JSON.stringify(r))));
  });

  test('says what its key is for, and logs each replica\'s access under its zone', () => {
    replica.hasResourceProperties('AWS::KMS::Key', { Description: `Encrypts the disaster-recovery replicas in ${REPLICA}` });
    const buckets = Object.values(replica.findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.anyValue() } }));
    expect(buckets.map((b) => [b.Properties.BucketName['Fn::Join'][1][0], b.Properties.LoggingConfiguration.LogFilePrefix]).sort()).toEqual([
      ['fraud-models-prod-artifacts-replica-', 'artifacts/'], ['fraud-models-prod-curated-replica-', 'curated/'], ['fraud-models-prod-raw-replica-', 'raw/'],
    ]);
  });

  test('replicates each zone and the artifact store, delete markers too, re-encrypting with the replica key', () => {
    const replicated = Object.values(template.findResources('AWS::S3::Bucket', { Properties: { ReplicationConfiguration: Match.anyValue() } }));
    expect(replicated).toHaveLength(3);
    for (const bucket of replicated) {
      const [rule] = bucket.Properties.ReplicationConfiguration.Rules;
      expect(rule).toMatchObject({
        Status: 'Enabled',
        DeleteMarkerReplication: { Status: 'Enabled' },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      });
      expect(JSON.stringify(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)).toContain(`:kms:${REPLICA}:`);
      expect(JSON.stringify(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)).toContain(':alias/fraud-models-prod-replica');
      // every object, the one rule of its bucket
      expect(rule).toMatchObject({ Priority: 1, Filter: { Prefix: '' } });
    }
    expect(replicated.map((b) => b.Properties.ReplicationConfiguration.Rules[0].Id).sort())
      .toEqual([`artifacts-to-${REPLICA}`, `curated-to-${REPLICA}`, `raw-to-${REPLICA}`]);
  });

  test('the replication role reads only the sources and writes only this account\'s replicas', async () => {
    const sim = new PolicySimulator(template);
    const role = sim.logicalId('AWS::IAM::Role', 'DisasterRecoveryReplicationRole');
    const raw = sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseRawZoneBucket'));
    const logs = sim.arn(sim.logicalId('AWS::S3::Bucket', 'AccessLogs'));
    const replicaObjects = `arn:aws:s3:::fraud-models-prod-raw-replica-${ACCOUNT}/2026/part-0.parquet`;
    const own = { 's3:ResourceAccount': ACCOUNT };
    expect(await sim.outcome(role, 's3:GetObjectVersionForReplication', `${raw}/2026/part-0.parquet`)).toBe('Allowed');
    expect(await sim.outcome(role, 's3:ReplicateObject', replicaObjects, own)).toBe('Allowed');
    expect(await sim.outcome(role, 's3:ReplicateObject', replicaObjects, { 's3:ResourceAccount': '999999999999' })).toBe('NotAllowed');
    expect(await sim.outcome(role, 's3:ReplicateObject', `arn:aws:s3:::someone-elses-bucket/x`, own)).toBe('NotAllowed');
    expect(await sim.outcome(role, 's3:GetObjectVersionForReplication', `${logs}/x`)).toBe('NotAllowed');
    expect(await sim.outcome(role, 's3:GetObject', `${raw}/2026/part-0.parquet`)).toBe('NotAllowed');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] },
      Description: `Replicates the team's buckets to ${REPLICA}`,
    });
    // the source key decrypts for S3 in the source region alone
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      }]) },
    });
    // the replica key lives in the other stack, whose key policy the simulator cannot see: check the statement itself
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${REPLICA}:`, { Ref: 'AWS::AccountId' }, ':key/*']] },
        Condition: {
          'StringEquals': { 'kms:ViaService': `s3.${REPLICA}.amazonaws.com` },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/fraud-models-prod-replica' },
        },
      }]) },
    });
  });

  test('backs up the run registry and Metaflow\'s table daily, copying each backup to the replica region\'s vault', () => {
    // the workflows' dependency tables hold only a run's waits, which a restored run never needs
    const tables = Object.keys(template.findResources('AWS::DynamoDB::Table')).filter((id) => !/Dependencies/.test(id));
    expect(tables).toEqual([expect.stringMatching(/^RunsTable/), expect.stringMatching(/^MetaflowForeachState/)]);
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: tables.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) }),
    });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: [Match.objectLike({
          RuleName: 'daily-with-copy',
          ScheduleExpression: 'cron(0 3 * * ? *)',
          Lifecycle: { DeleteAfterDays: 365 },
          CopyActions: [{
            DestinationBackupVaultArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:backup:${REPLICA}:`, { Ref: 'AWS::AccountId' }, ':backup-vault:fraud-models-prod-replica']] },
            Lifecycle: { DeleteAfterDays: 365 },
          }],
        })],
      }),
    });
    replica.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: 'fraud-models-prod-replica' });
    // the source vault keeps its backups under the team's data key, and outlives the stack
    template.hasResource('AWS::Backup::BackupVault', {
      Properties: Match.objectLike({ EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } }), DeletionPolicy: 'Retain',
    });
  });

  test('changes no stateful logical id of the team stack', () => {
    const without = statefulResources(prod());
    const withReplica = statefulResources(team);
    expect(Object.entries(without).filter(([id, type]) => withReplica[id] !== type)).toEqual([]);
  });
});

describe('without a replica region', () => {
  test('there is no replica stack, no replication and no backup plan', () => {
    const team = prod();
    expect(team.replica).toBeUndefined();
    expect(team.node.root.node.children.filter((c) => c !== team && 'templateOptions' in c)).toEqual([]);
    const template = Template.fromStack(team);
    expect(Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { ReplicationConfiguration: Match.anyValue() } }))).toEqual([]);
    for (const type of ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupSelection']) {
      template.resourceCountIs(type, 0);
    }
  });
});

describe('replicaRegion checks', () => {
  test.each([
    ['us_west_2', 'replicaRegion = "us_west_2": give a region name, for example "us-west-2"'],
    ['eu-west-1', 'replicaRegion = "eu-west-1": give a region other than the stack\'s own'],
  ])('%s is a ValidationError', (replicaRegion, message) => {
    const make = () => new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', replicaRegion, env: { region: 'eu-west-1' } });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });

  test('disaster recovery given tables that are none is refused by its own name', () => {
    const stack = new Stack(newTestApp(), 'Team');
    expect(validationErrorOf(() => new DisasterRecovery(stack, 'Recovery', {
      names: new ReplicaNames('team', 'dev', REPLICA), buckets: {}, sourceKey: new kms.Key(stack, 'Key'), tables: 'runs' as any,
      backupRetention: Duration.days(35), removalPolicy: RemovalPolicy.RETAIN,
    })).message).toBe('Invalid props for DisasterRecovery:\n  - tables = "runs": give a list, for example [runs.table]');
  });

  test('a replica stack given names that are none is refused by its own name', () => {
    expect(validationErrorOf(() => new DataScienceReplicaStack(newTestApp(), 'Replica', { names: 42 as any, sources: {}, removalPolicy: RemovalPolicy.RETAIN })).message)
      .toMatch(/^Invalid props for DataScienceReplicaStack:\n {2}- names = 42: give the names both sides agree on/);
  });

  test('a team name too long for the replica bucket names is a ValidationError that says how long it may be', () => {
    const teamName = 'a-very-long-team-name-for-replicas';
    expect(() => new DataScienceStack(newTestApp(), 'Team', { teamName: teamName.slice(0, 32), stage: DataScienceStage.STAGING, replicaRegion: REPLICA }))
      .toThrow('with replicaRegion, replica bucket names must fit 63 characters: use a team name of at most 24 characters');
  });
});
