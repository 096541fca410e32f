import { Lazy, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deliverAccessLogsByPolicy, newAccessLogsBucket, newDataBucket } from '../constructs/core/buckets';
import { newDataKey } from '../constructs/core/keys';
import { checkPropsStruct, PropChecker } from '../constructs/core/validation-error';
import { checkReplicaParts, ReplicaNames } from './replica-names';

export interface DataScienceReplicaStackProps extends StackProps {
  /** The names source and replica agree on; its region is this stack's. */
  readonly names: ReplicaNames;
  /** The source bucket of each replicated zone, whose lifecycle rules the replica keeps too. */
  readonly sources: { readonly [zone: string]: s3.Bucket };
  /** What happens to the replicas, their key and the vault when they leave the stack. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The disaster-recovery copy of a team stack in a second region: a versioned, encrypted
 * bucket per replicated zone with the source's retention, its own key, and the vault
 * backups of the team's tables are copied into. Deployed before the team stack, which
 * replicates into it.
 */
export class DataScienceReplicaStack extends Stack {
  /** Encrypts the replicas and the vault; only this region's S3 and Backup use it. */
  public readonly key: kms.Key;
  /** The replica bucket of each zone (`raw`, `curated`, `artifacts`). */
  public readonly buckets: { readonly [zone: string]: s3.Bucket };
  /** Where backups of the team's tables are copied. */
  public readonly backupVault: backup.BackupVault;

  /**
   * @param scope the app or stage that holds the stack
   * @param id the stack's id in `scope`
   * @param props the stack's settings, see `DataScienceReplicaStackProps`
   */
  constructor(scope: Construct, id: string, props: DataScienceReplicaStackProps) {
    checkPropsStruct('DataScienceReplicaStack', props, '{ names, sources, removalPolicy, env: { region: "us-west-2" } }', { required: true });
    const check = new PropChecker('DataScienceReplicaStack');
    checkReplicaParts(check, props.names, 'sources', props.sources, props.removalPolicy);
    check.throwIfAny();
    super(scope, id, props);
    deliverAccessLogsByPolicy(this);
    const { names, removalPolicy } = props;
    this.key = newDataKey(this, 'Key', `Encrypts the disaster-recovery replicas in ${names.region}`, removalPolicy);
    this.key.addAlias(names.keyAlias);
    const accessLogs = newAccessLogsBucket(this, 'AccessLogs', removalPolicy);
    const buckets: { [zone: string]: s3.Bucket } = {};
    for (const [zone, source] of Object.entries(props.sources)) {
      const bucket = newDataBucket(this, `${zone[0].toUpperCase()}${zone.slice(1)}Replica`, {
        encryptionKey: this.key, serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: `${zone}/`, removalPolicy,
      });
      const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
      cfnBucket.bucketName = names.bucketName(zone);
      // the source's rules, as they render at synthesis: the replica keeps versions as long as the source
      const sourceRules = (source.node.defaultChild as s3.CfnBucket).lifecycleConfiguration;
      cfnBucket.lifecycleConfiguration = Lazy.any({ produce: () => Stack.of(source).resolve(sourceRules) });
      buckets[zone] = bucket;
    }
    this.buckets = buckets;
    this.backupVault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: names.backupVaultName, encryptionKey: this.key, removalPolicy,
    });
  }
}
