import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ArtifactStore } from '../../../constructs/versioning';
import { expectBucketLifecycles, unfilteredExpirations } from '../../support/bucket-lifecycles';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

describe('ArtifactStore', () => {
  test('is a versioned, KMS-encrypted, TLS-only bucket keeping old versions 30 days', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts');
    const template = checkedTemplate(stack, { regulated: true });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({
          ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
        })] },
        LifecycleConfiguration: { Rules: Match.arrayWith([
          { Id: 'expire-old-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
        ]) },
      }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('encrypts with a key of its own, described, and logs access under artifacts/ in a log bucket of its own', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts');
    const template = Template.fromStack(stack);
    const [key] = Object.entries(template.findResources('AWS::KMS::Key'));
    expect([key[0], key[1].Properties.Description]).toEqual([expect.stringMatching(/^ArtifactsKey/), 'Encrypts the artifact store']);
    const buckets = template.findResources('AWS::S3::Bucket');
    const logs = Object.keys(buckets).find((id) => id.startsWith('ArtifactsAccessLogs'));
    const store = Object.entries(buckets).find(([id]) => id.startsWith('ArtifactsBucket'))![1];
    expect(store.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs }, LogFilePrefix: 'artifacts/' });
    expect(store.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID).toEqual({ 'Fn::GetAtt': [key[0], 'Arn'] });
  });

  test('moves old artifacts to Intelligent-Tiering after 30 days', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts');
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({
        Id: 'tier-old-artifacts', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }],
      })]) },
    });
  });

  test('locks new versions in governance mode for regulated teams', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts', { objectLockRetentionDays: 2555 });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2555 } } },
    });
  });

  test('documents its key layout', () => {
    expect(ArtifactStore.runsPrefix('training')).toBe('runs/training/');
    expect([ArtifactStore.CODE_PREFIX, ArtifactStore.RUNS_PREFIX, ArtifactStore.MODELS_PREFIX]).toEqual(['code/', 'runs/', 'models/']);
  });

  test('takes the retention of old versions', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts', { noncurrentVersionRetentionDays: 365 });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 } })]) },
    });
  });

  test('gives each retention to its own rule, and expires current objects under the sandboxes\' prefix alone', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts', { noncurrentVersionRetentionDays: 365, intelligentTieringAfterDays: 60, sandboxDataExpirationDays: 14 });
    const template = Template.fromStack(stack);
    expectBucketLifecycles(template, {
      ArtifactsBucket: [
        { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' },
        { Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' },
        { Id: 'expire-sandbox-data', Prefix: 'sandboxes/', ExpirationInDays: 14, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
        { Id: 'tier-old-artifacts', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 60 }], Status: 'Enabled' },
      ],
      ArtifactsAccessLogs: [{ Id: 'expire-access-logs', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }],
    }, 'test/constructs/versioning/artifact-store.test.ts');
    expect(unfilteredExpirations(template)).toEqual([]);
  });

  test('empties and deletes its bucket only when asked to DESTROY', () => {
    const stack = new Stack(newTestApp(), 'Store');
    new ArtifactStore(stack, 'Artifacts', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  test.each([
    [{ intelligentTieringAfterDays: -1 }, 'intelligentTieringAfterDays = -1'],
    [{ objectLockRetentionDays: 0 }, 'objectLockRetentionDays = 0: give a whole number of days from 1 to 36500'],
    [{ noncurrentVersionRetentionDays: 2 ** 31 }, 'noncurrentVersionRetentionDays = 2147483648: give a whole number of days from 1 to 2147483647'],
    [{ objectLockRetentionDays: 30, removalPolicy: RemovalPolicy.DESTROY }, 'objectLockRetentionDays = 30: a bucket whose versions are locked cannot be emptied'],
    [{ removalPolicy: RemovalPolicy.SNAPSHOT }, 'removalPolicy = "snapshot": use RemovalPolicy.RETAIN'],
  ])('rejects %j', (props, message) => {
    expect(() => new ArtifactStore(new Stack(), 'Artifacts', props)).toThrow(message);
  });

  test('names itself and each mistake whole, a lock period unknown at synth included', () => {
    const lockDays = Token.asNumber({ Ref: 'LockDays' });
    expect(() => new ArtifactStore(new Stack(), 'Artifacts', { objectLockRetentionDays: lockDays, intelligentTieringAfterDays: -1 })).toThrow(
      new RegExp('^Invalid props for ArtifactStore:\\n  - intelligentTieringAfterDays = -1: give a whole number of days from 0 to 2147483647\\n'
        + '  - objectLockRetentionDays = "\\$\\{Token\\[TOKEN\\.\\d+\\]\\}": give a plain number: the lock is checked and set at synth time$'));
  });

  test.each([0, -1, 1.5])('rejects noncurrentVersionRetentionDays = %d', (days) => {
    expect(() => new ArtifactStore(new Stack(), 'Artifacts', { noncurrentVersionRetentionDays: days }))
      .toThrow(`noncurrentVersionRetentionDays = ${days}: give a whole number of days`);
  });

  test('refuses sandbox data kept less than a day, naming the prop', () => {
    expect(problemLines(() => new ArtifactStore(new Stack(), 'Artifacts', { sandboxDataExpirationDays: 0 })))
      .toEqual(['sandboxDataExpirationDays = 0: give a whole number of days from 1 to 2147483647']);
  });
});
