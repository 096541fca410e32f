import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFinding, acknowledgeRoleInlinePolicies } from '../constructs/core/compliance';
import { acknowledgePolicyWildcards } from '../constructs/core/grants';
import { checkPropsStruct, MAX_INT32, PropChecker } from '../constructs/core/validation-error';
import { checkReplicaParts, ReplicaNames } from './replica-names';

export interface DisasterRecoveryProps {
  /** The names of the replica's buckets, key and vault. */
  readonly names: ReplicaNames;
  /** The buckets to replicate, by zone; each is versioned and encrypted with `sourceKey`. */
  readonly buckets: { readonly [zone: string]: s3.Bucket };
  /** The key of the source buckets, which replication decrypts with. */
  readonly sourceKey: kms.IKey;
  /** The tables to back up and copy to the replica region's vault. */
  readonly tables: dynamodb.ITable[];
  /** How long backups are kept, here and in the replica region. */
  readonly backupRetention: Duration;
  /** What happens to the vault and its backups when they leave the stack. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Sends the team's data to the replica region: S3 replication of each zone's bucket,
 * re-encrypted there with the replica's key, and a daily AWS Backup of the tables, kept in a
 * vault here and copied to the replica's vault.
 */
export class DisasterRecovery extends Construct {
  /** The role S3 replicates as: it reads only the source buckets and writes only the replicas. */
  public readonly replicationRole: iam.Role;
  /** The vault in this region that keeps the tables' backups. */
  public readonly backupVault: backup.BackupVault;
  /** The daily backup of the tables, copied to the replica's vault. */
  public readonly backupPlan: backup.BackupPlan;
  /** The role AWS Backup backs up, and may restore, the tables as. */
  public readonly backupRole: iam.IRole;
  private readonly names: ReplicaNames;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `DisasterRecoveryProps`
   */
  constructor(scope: Construct, id: string, props: DisasterRecoveryProps) {
    super(scope, id);
    checkPropsStruct('DisasterRecovery', props, '{ names, buckets, sourceKey, tables, backupRetention, removalPolicy }', { required: true });
    validate(props);
    acknowledgeRoleInlinePolicies(this);
    const stack = Stack.of(this);
    const { names } = props;
    this.names = names;
    this.replicationRole = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `Replicates the team's buckets to ${names.region}`,
    });
    for (const [zone, bucket] of Object.entries(props.buckets)) {
      this.replicate(zone, bucket);
    }
    const role = this.replicationRole;
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [props.sourceKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }));
    // the replica key is known here only by its alias: allow exactly the key that alias names
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [`arn:${stack.partition}:kms:${names.region}:${stack.account}:key/*`],
      conditions: {
        'StringEquals': { 'kms:ViaService': `s3.${names.region}.amazonaws.com` },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.keyAlias },
      },
    }));
    acknowledgePolicyWildcards(role.node.findChild('DefaultPolicy') as iam.Policy,
      'Replication reads every object version of each source bucket and writes every key of its replica; the replica key is '
      + 'named by its alias (kms:ResourceAliases), and writes go only to buckets of this account (s3:ResourceAccount).');

    this.backupVault = new backup.BackupVault(this, 'BackupVault', { encryptionKey: props.sourceKey, removalPolicy: props.removalPolicy });
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: this.backupVault,
      backupPlanRules: [new backup.BackupPlanRule({
        ruleName: 'daily-with-copy',
        scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
        deleteAfter: props.backupRetention,
        copyActions: [{
          destinationBackupVault: backup.BackupVault.fromBackupVaultArn(this, 'ReplicaVault', names.backupVaultArn(stack)),
          deleteAfter: props.backupRetention,
        }],
      })],
    });
    const selection = this.backupPlan.addSelection('Tables', {
      resources: props.tables.map((table) => backup.BackupResource.fromDynamoDbTable(table)),
    });
    this.backupRole = selection.grantPrincipal as iam.IRole;
    // the role backs up only (aws-cdk-lib adds the restores policy only when asked)
    acknowledgeFinding(selection, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'AWS Backup\'s own role policy, which AWS keeps in step with the resource types Backup protects.');
  }

  /** One rule: every object, delete markers too, KMS-encrypted objects re-encrypted with the replica key. */
  private replicate(zone: string, bucket: s3.Bucket): void {
    const stack = Stack.of(this);
    const names = this.names;
    const destination = names.bucketArn(stack, zone);
    this.replicationRole.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [bucket.bucketArn],
    }));
    this.replicationRole.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: [bucket.arnForObjects('*')],
    }));
    this.replicationRole.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: [`${destination}/*`],
      conditions: { StringEquals: { 's3:ResourceAccount': stack.account } },
    }));
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: this.replicationRole.roleArn,
      rules: [{
        id: `${zone}-to-${names.region}`,
        status: 'Enabled',
        priority: 1,
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Enabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: { bucket: destination, encryptionConfiguration: { replicaKmsKeyId: names.keyAliasArn(stack) } },
      }],
    };
  }
}

function validate(props: DisasterRecoveryProps): void {
  const check = new PropChecker('DisasterRecovery');
  checkReplicaParts(check, props.names, 'buckets', props.buckets, props.removalPolicy);
  check.construct('sourceKey', props.sourceKey, 'the kms.IKey of the source buckets', { required: true });
  check.list('tables', props.tables, '[runs.table]', { required: true })
    .forEach((table, i) => check.construct(`tables[${i}]`, table, 'a dynamodb.ITable', { required: true }));
  // AWS Backup keeps backups for whole days
  check.duration('backupRetention', props.backupRetention, 'days', 1, MAX_INT32, { required: true });
  check.throwIfAny();
}
