import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { acknowledgeFinding } from './compliance';
import { PropChecker } from './validation-error';

// Every action is named: a wildcard action would grant what a later S3 release adds.
const READ_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
const LIST_BUCKET_ACTIONS = ['s3:ListBucket'];
const WRITE_OBJECT_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** What an object grant covers: a bucket, the keys under a prefix, and the key that encrypts them. */
export interface ObjectGrantScope {
  readonly bucket: s3.IBucket;
  /** Only keys under this prefix, for example `runs/training/`; empty for the whole bucket. */
  readonly keyPrefix?: string;
  /** The key that encrypts the bucket. @default - the bucket's own `encryptionKey`, if it has one */
  readonly encryptionKey?: kms.IKey;
}

/** Lets `grantee` list and read the objects under the scope's prefix. */
export function grantObjectsRead(grantee: iam.IGrantable, scope: ObjectGrantScope): iam.Grant {
  const prefix = scope.keyPrefix ?? '';
  const objects = scope.bucket.arnForObjects(`${prefix}*`);
  const grant = iam.Grant.addToPrincipal({ grantee, actions: READ_OBJECT_ACTIONS, resourceArns: [objects] })
    .combine(iam.Grant.addToPrincipal({
      grantee,
      actions: LIST_BUCKET_ACTIONS,
      resourceArns: [scope.bucket.bucketArn],
      conditions: prefix ? { StringLike: { 's3:prefix': [`${prefix}*`] } } : undefined,
    }))
    // apart: its requests carry no s3:prefix, so the prefix condition would refuse it (Athena and Spark ask for it)
    .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetBucketLocation'], resourceArns: [scope.bucket.bucketArn] }));
  acknowledgeResourceWildcard(grantee, objects, OBJECTS_REASON);
  const key = scope.encryptionKey ?? scope.bucket.encryptionKey;
  return key ? grant.combine(key.grant(grantee, 'kms:Decrypt')) : grant;
}

/** Lets `grantee` write (never delete) objects under the scope's prefix. */
export function grantObjectsWrite(grantee: iam.IGrantable, scope: ObjectGrantScope): iam.Grant {
  const objects = scope.bucket.arnForObjects(`${scope.keyPrefix ?? ''}*`);
  const grant = iam.Grant.addToPrincipal({ grantee, actions: WRITE_OBJECT_ACTIONS, resourceArns: [objects] });
  acknowledgeResourceWildcard(grantee, objects, OBJECTS_REASON);
  const key = scope.encryptionKey ?? scope.bucket.encryptionKey;
  // multipart uploads decrypt the parts they assemble
  return key ? grant.combine(key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt')) : grant;
}

/**
 * A prefix a caller gives an object grant: it narrows the grant only if IAM reads it as it is, and
 * a `*` or `?` in it would match more keys.
 */
export function checkKeyPrefix(check: PropChecker, keyPrefix: unknown): void {
  check.check(keyPrefix === undefined || (typeof keyPrefix === 'string' && !/[*?]/.test(keyPrefix)), 'keyPrefix', keyPrefix,
    'give a literal key prefix, without * or ?, which IAM would read as wildcards and so grant more keys');
  check.check(typeof keyPrefix !== 'string' || !keyPrefix.startsWith('/'), 'keyPrefix', keyPrefix, 'give the prefix without a leading "/": S3 keys have none');
}

const OBJECTS_REASON = 'Object access names every object under one prefix of one bucket; '
  + 'the actions are listed one by one, none is a wildcard.';

/**
 * Some grants must name many resources with a wildcard (every object under a prefix, every
 * table of a database), which cdk-nag flags (AwsSolutions-IAM5). Acknowledge exactly that
 * resource, with the grant's reason, on the grantee's role when the role is in this app.
 */
export function acknowledgeResourceWildcard(grantee: iam.IGrantable, arn: string, reason: string): void {
  const principal = grantee.grantPrincipal;
  if (!(principal instanceof iam.Role || principal instanceof iam.User || principal instanceof iam.Group)) {
    return;
  }
  const resource = flattenCfnReference(Stack.of(principal).resolve(arn));
  acknowledgeFinding(principal, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
}

/**
 * Acknowledges each resource wildcard in a policy aws-cdk-lib writes for us (cdk-nag flags
 * each, AwsSolutions-IAM5), naming each resource, with the reason they are needed.
 */
export function acknowledgePolicyWildcards(policy: iam.Policy, reason: string): void {
  const document = Stack.of(policy).resolve(policy.document.toJSON());
  const resources: unknown[] = (document?.Statement ?? []).flatMap((s: any) => [s.Resource].flat());
  for (const resource of new Set(resources.map(flattenCfnReference))) {
    if (resource.includes('*')) {
      acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
    }
  }
}
