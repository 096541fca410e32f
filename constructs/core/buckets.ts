import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeControlTower, acknowledgeRegulated } from './compliance';
import { autoDeleteObjects } from './removal';

/**
 * Access logs are delivered under a bucket policy, never an ACL (which BUCKET_OWNER_ENFORCED
 * buckets refuse), whatever the app's feature flags: constructs call this before creating buckets.
 */
export function deliverAccessLogsByPolicy(scope: Construct): void {
  scope.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
}

/** What every data bucket of this library shares; the caller picks the rest. */
export interface DataBucketOptions {
  readonly encryptionKey: kms.IKey;
  readonly serverAccessLogsBucket: s3.IBucket;
  readonly serverAccessLogsPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  readonly lifecycleRules?: s3.LifecycleRule[];
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;
}

/** A versioned, KMS-encrypted, TLS-only, private bucket that logs its access. */
export function newDataBucket(scope: Construct, id: string, options: DataBucketOptions): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: true, // one KMS call per object rather than per request: cheaper at scale
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    lifecycleRules: [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ...(options.lifecycleRules ?? []),
    ],
    removalPolicy: options.removalPolicy,
    autoDeleteObjects: autoDeleteObjects(options.removalPolicy),
    objectLockEnabled: options.objectLockDefaultRetention ? true : undefined,
    objectLockDefaultRetention: options.objectLockDefaultRetention,
  });
  // object events go to EventBridge, where workflows' data triggers pick them up; set on the
  // resource itself, since aws-cdk-lib's notification support would add a custom resource
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  acknowledgeNoReplication(bucket);
  if (!options.objectLockDefaultRetention) {
    acknowledgeControlTower(bucket, 'CT.S3.PR.9', `${NO_OBJECT_LOCK} ArtifactStore's objectLockRetentionDays turns it on where a team needs write-once artifacts.`);
  }
  return bucket;
}

const NO_OBJECT_LOCK = 'Object Lock keeps every version for its retention, so the lifecycle rules, a sandbox\'s cleanup and a request '
  + 'to erase someone\'s data could not delete it; versioning and a retained bucket already keep data from loss.';

/**
 * The bucket that receives S3 server access logs. S3 cannot deliver access logs to a
 * bucket encrypted with a customer-managed key, so this one uses S3-managed keys.
 */
export function newAccessLogsBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [
      { id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) },
    ],
    removalPolicy,
    autoDeleteObjects: autoDeleteObjects(removalPolicy),
  });
  const noSelfLogging = 'This is the server access log target; logging its own access would write logs about logs without end.';
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: noSelfLogging });
  const sseS3 = 'S3 cannot deliver server access logs to a bucket encrypted with a customer-managed KMS key; SSE-S3 encrypts them at rest.';
  acknowledgeRegulated(bucket, 'S3DefaultEncryptionKMS', sseS3);
  acknowledgeControlTower(bucket, 'CT.S3.PR.10', sseS3);
  acknowledgeControlTower(bucket, 'CT.S3.PR.2', noSelfLogging);
  acknowledgeControlTower(bucket, 'CT.S3.PR.4', 'Only S3 writes here, and nothing acts on a new log object; the data buckets send their object events to EventBridge.');
  acknowledgeControlTower(bucket, 'CT.S3.PR.9', `${NO_OBJECT_LOCK} Access logs expire after a year by lifecycle rule.`);
  acknowledgeNoReplication(bucket);
  return bucket;
}

/**
 * Buckets are versioned and retained, and S3 stores every object across several zones of its
 * region. Replication to a second region doubles storage cost and needs a bucket there, so it
 * is the user's choice rather than a default.
 */
function acknowledgeNoReplication(bucket: s3.Bucket): void {
  acknowledgeRegulated(bucket, 'S3BucketReplicationEnabled',
    'Versioned, retained and stored across the zones of its region; cross-region replication doubles '
    + 'storage cost and needs a bucket in a second region, so it is left to teams whose recovery plan asks for it.');
}
