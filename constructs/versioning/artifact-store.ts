import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deliverAccessLogsByPolicy, newAccessLogsBucket, newDataBucket } from '../core/buckets';
import { newDataKey } from '../core/keys';
import { grantObjectsRead, grantObjectsWrite } from '../core/grants';
import { statefulRemovalPolicy } from '../core/removal';
import { PropChecker } from '../core/validation-error';

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
   * What happens to the bucket and key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A versioned bucket for what runs produce: code packages, run artifacts, models.
 * Every overwrite keeps the old version for `noncurrentVersionRetentionDays`.
 */
export class ArtifactStore extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ArtifactStoreProps = {}) {
    super(scope, id);
    deliverAccessLogsByPolicy(this);
    const retentionDays = props.noncurrentVersionRetentionDays ?? 30;
    const check = new PropChecker('ArtifactStore');
    check.check(Number.isInteger(retentionDays) && retentionDays >= 1, 'noncurrentVersionRetentionDays', retentionDays,
      'give a whole number of days, 1 or more, for example 30');
    check.throwIfAny();

    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the artifact store', removalPolicy);
    this.bucket = newDataBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: props.serverAccessLogsBucket ?? newAccessLogsBucket(this, 'AccessLogs', removalPolicy),
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy,
      lifecycleRules: [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(retentionDays) }],
    });
  }

  /** Lets `grantee` list and read artifacts, under `keyPrefix` when given. */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return grantObjectsRead(grantee, { bucket: this.bucket, keyPrefix });
  }

  /** Lets `grantee` write (never delete) artifacts, under `keyPrefix` when given. */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return grantObjectsWrite(grantee, { bucket: this.bucket, keyPrefix });
  }
}
