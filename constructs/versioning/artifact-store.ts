import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deliverAccessLogsByPolicy, newAccessLogsBucket, newDataBucket } from '../core/buckets';
import { checkKeyPrefix, grantObjectsRead, grantObjectsWrite } from '../core/grants';
import { newDataKey } from '../core/keys';
import { checkWorkflowName } from '../core/naming';
import { statefulRemovalPolicy } from '../core/removal';
import { checkArguments, checkPropsStruct, MAX_INT32, PropChecker } from '../core/validation-error';

/** S3 Object Lock keeps versions for at most 100 years. */
const MAX_LOCK_DAYS = 36_500;

export interface ArtifactStoreProps {
  /** Encrypts the bucket. @default - a new key with rotation */
  readonly encryptionKey?: kms.IKey;

  /** Receives the bucket's server access logs. @default - a new access-log bucket */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * How long an overwritten or deleted artifact's old version is kept, in days.
   * @default 30
   */
  readonly noncurrentVersionRetentionDays?: number;

  /**
   * After this many days artifacts move to S3 Intelligent-Tiering, which lowers the cost of
   * those nobody reads.
   * @default 30
   */
  readonly intelligentTieringAfterDays?: number;

  /**
   * Lock every new object version against deletion and overwrite for this many days, in
   * governance mode (a principal with s3:BypassGovernanceRetention can still lift it). For
   * teams whose regulator asks that results cannot be altered. Decide before the first deploy:
   * CloudFormation turns Object Lock on by replacing the bucket (bin/stateful-guard catches it).
   * @default - no Object Lock
   */
  readonly objectLockRetentionDays?: number;

  /**
   * Objects under `sandboxes/` are deleted this many days after they are written, so what a
   * deleted sandbox left behind goes too.
   * @default 30
   */
  readonly sandboxDataExpirationDays?: number;

  /**
   * What happens to the bucket and key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A versioned, KMS-encrypted bucket for what runs produce, laid out so every result traces
 * back to its run:
 *
 * - `code/<project>/<git sha>.tar.gz`: code packages, by the commit they were built from
 * - `runs/<workflow>/<run id>/<step>/...`: what each step of each run wrote
 * - `models/<model name>/<sha256 of the model file>/model.tar.gz`: models, by content
 * - `sandboxes/<sandbox>/...`: what each project sandbox writes; emptied when the sandbox is deleted, and expired after `sandboxDataExpirationDays`
 *
 * Overwrites keep the old version for `noncurrentVersionRetentionDays`.
 */
export class ArtifactStore extends Construct {
  /** Where code packages go, followed by `<project>/<git sha>.tar.gz`. */
  public static readonly CODE_PREFIX = 'code/';
  /** Where runs write, followed by `<workflow>/<run id>/<step>/`. */
  public static readonly RUNS_PREFIX = 'runs/';
  /** Where models go, followed by `<model name>/<sha256>/model.tar.gz`. */
  public static readonly MODELS_PREFIX = 'models/';
  /** Where project sandboxes write, followed by `<project>/`; it expires. */
  public static readonly SANDBOXES_PREFIX = 'sandboxes/';

  /** The prefix of one workflow's runs. */
  public static runsPrefix(workflowName: string): string {
    return runsPrefixOf('ArtifactStore.runsPrefix', workflowName);
  }

  /** The versioned artifact bucket. */
  public readonly bucket: s3.Bucket;
  /** Encrypts the bucket. */
  public readonly encryptionKey: kms.IKey;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `ArtifactStoreProps`
   */
  constructor(scope: Construct, id: string, props: ArtifactStoreProps = {}) {
    super(scope, id);
    checkPropsStruct('ArtifactStore', props, '{ noncurrentVersionRetentionDays: 30 }');
    deliverAccessLogsByPolicy(this);
    const retentionDays = props.noncurrentVersionRetentionDays ?? 30;
    const tieringDays = props.intelligentTieringAfterDays ?? 30;
    const lockDays = props.objectLockRetentionDays;
    const sandboxDays = props.sandboxDataExpirationDays ?? 30;
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const check = new PropChecker('ArtifactStore');
    const wholeDays = (prop: string, days: number | undefined, min: number, max = MAX_INT32) => check.integer(prop, days, min, max,
      `give a whole number of days from ${min} to ${max}`);
    wholeDays('noncurrentVersionRetentionDays', retentionDays, 1);
    wholeDays('intelligentTieringAfterDays', tieringDays, 0);
    check.known('objectLockRetentionDays', lockDays, 'give a plain number: the lock is checked and set at synth time');
    wholeDays('objectLockRetentionDays', lockDays, 1, MAX_LOCK_DAYS);
    wholeDays('sandboxDataExpirationDays', sandboxDays, 1);
    check.removalPolicy('removalPolicy', removalPolicy);
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
    check.construct('serverAccessLogsBucket', props.serverAccessLogsBucket, 'an s3.IBucket, such as s3.Bucket.fromBucketName(this, "AccessLogs", "my-access-logs")');
    check.check(lockDays === undefined || removalPolicy !== RemovalPolicy.DESTROY, 'objectLockRetentionDays', lockDays,
      'a bucket whose versions are locked cannot be emptied, so it cannot be destroyed: leave removalPolicy at RETAIN, or drop the lock');
    check.throwIfAny();

    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the artifact store', removalPolicy);
    this.bucket = newDataBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: props.serverAccessLogsBucket ?? newAccessLogsBucket(this, 'AccessLogs', removalPolicy),
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy,
      objectLockDefaultRetention: lockDays ? s3.ObjectLockRetention.governance(Duration.days(lockDays)) : undefined,
      lifecycleRules: [
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(retentionDays) },
        {
          id: 'expire-sandbox-data',
          prefix: ArtifactStore.SANDBOXES_PREFIX,
          expiration: Duration.days(sandboxDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'tier-old-artifacts',
          transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(tieringDays) }],
        },
      ],
    });
  }

  /** Lets `grantee` list and read artifacts, under `keyPrefix` when given. */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    checkArguments('ArtifactStore.grantRead', (check) => checkKeyPrefix(check, keyPrefix));
    return grantObjectsRead(grantee, { bucket: this.bucket, keyPrefix });
  }

  /** Lets `grantee` write (never delete) artifacts, under `keyPrefix` when given. */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    checkArguments('ArtifactStore.grantWrite', (check) => checkKeyPrefix(check, keyPrefix));
    return grantObjectsWrite(grantee, { bucket: this.bucket, keyPrefix });
  }

  /** Lets `grantee` read the runs of one workflow, and nothing else. */
  public grantReadRun(grantee: iam.IGrantable, workflowName: string): iam.Grant {
    return this.grantRead(grantee, runsPrefixOf('ArtifactStore.grantReadRun', workflowName));
  }

  /** Lets `grantee` write (never delete) the runs of one workflow, and nothing else. */
  public grantWriteRun(grantee: iam.IGrantable, workflowName: string): iam.Grant {
    return this.grantWrite(grantee, runsPrefixOf('ArtifactStore.grantWriteRun', workflowName));
  }
}

/** The runs' prefix of a workflow, its name checked as an argument of `method`. */
function runsPrefixOf(method: string, workflowName: string): string {
  checkArguments(method, (check) => checkWorkflowName(check, 'workflowName', workflowName));
  return `${ArtifactStore.RUNS_PREFIX}${workflowName}/`;
}
