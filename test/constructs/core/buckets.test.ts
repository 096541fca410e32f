import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newDataBucket } from '../../../constructs/core/buckets';

/** The CloudFormation properties of a data bucket made with these lifecycle rules. */
function dataBucket(lifecycleRules?: s3.LifecycleRule[]): any {
  const stack = new Stack(new App(), 'Buckets');
  const logs = new s3.Bucket(stack, 'Logs');
  newDataBucket(stack, 'Data', {
    encryptionKey: new kms.Key(stack, 'Key'), serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'data/',
    removalPolicy: RemovalPolicy.RETAIN, lifecycleRules,
  });
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
});
