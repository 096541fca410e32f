import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataBucketOptions, newAccessLogsBucket, newDataBucket } from '../../../constructs/core/buckets';
import { CONTROL_TOWER_PLUGIN } from '../../../constructs/core/compliance';
import { acknowledgementsOn } from '../../support/acknowledgements';

function newBucket(stack: Stack, options: Pick<DataBucketOptions, 'lifecycleRules' | 'objectLockDefaultRetention'>): s3.Bucket {
  return newDataBucket(stack, 'Data', {
    encryptionKey: new kms.Key(stack, 'Key'), serverAccessLogsBucket: new s3.Bucket(stack, 'Logs'), serverAccessLogsPrefix: 'data/',
    removalPolicy: RemovalPolicy.RETAIN, ...options,
  });
}

/** The CloudFormation properties of a data bucket made with these lifecycle rules. */
function dataBucket(lifecycleRules?: s3.LifecycleRule[]): any {
  const stack = new Stack(new App(), 'Buckets');
  newBucket(stack, { lifecycleRules });
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket');
  return Object.entries<any>(buckets).find(([id]) => id.startsWith('Data'))![1].Properties;
}

const ABORT_UPLOADS = { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' };

describe('newDataBucket', () => {
  test('encrypts with the key, one data key per object (S3 Bucket Keys), not a KMS call per request', () => {
    expect(dataBucket().BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } },
    }]);
  });

  test('aborts incomplete uploads after a week, alone or before the caller\'s rules', () => {
    expect(dataBucket().LifecycleConfiguration.Rules).toEqual([ABORT_UPLOADS]);
    const expire = { id: 'expire-scratch', prefix: 'scratch/', expiration: Duration.days(30) };
    expect(dataBucket([expire]).LifecycleConfiguration.Rules).toEqual([
      ABORT_UPLOADS,
      { Id: 'expire-scratch', Prefix: 'scratch/', ExpirationInDays: 30, Status: 'Enabled' },
    ]);
  });

  test('says why it has no Object Lock, unless it has one', () => {
    const objectLockAcknowledged = (bucket: s3.Bucket) => acknowledgementsOn(bucket).some(([id]) => id === `${CONTROL_TOWER_PLUGIN}::s3_bucket_object_lock_enabled_check`);
    expect(objectLockAcknowledged(newBucket(new Stack(new App(), 'Plain'), {}))).toBe(true);
    expect(objectLockAcknowledged(newBucket(new Stack(new App(), 'Locked'), { objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(30)) }))).toBe(false);
  });
});

describe('newAccessLogsBucket', () => {
  test('says why it logs no access of its own, which AwsSolutions-S1 asks of every bucket', () => {
    const bucket = newAccessLogsBucket(new Stack(new App(), 'Logs'), 'AccessLogs', RemovalPolicy.RETAIN);
    expect(acknowledgementsOn(bucket).filter(([id]) => id === 'Annotation::AwsSolutions-S1')).toEqual([
      ['Annotation::AwsSolutions-S1', expect.stringMatching(/^This is the server access log target/)],
    ]);
  });
});
