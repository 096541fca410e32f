import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataWarehouse, DataWarehouseProps } from '../../../constructs/warehouse';
import { expectBucketLifecycles, unfilteredExpirations } from '../../support/bucket-lifecycles';
import { checkedTemplate, newTestApp } from '../../support/synth';

function warehouse(props: DataWarehouseProps = {}) {
  const stack = new Stack(newTestApp(), 'Lake');
  return { stack, warehouse: new DataWarehouse(stack, 'Warehouse', { namePrefix: 'fraud-models', ...props }) };
}

describe('DataWarehouse', () => {
  let template: Template;
  beforeAll(() => {
    template = checkedTemplate(warehouse().stack, { regulated: true });
  });

  test('stores each zone in a KMS-encrypted, versioned, private bucket that logs its access', () => {
    const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] };
    const zoneBuckets = template.findResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
        })] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^WarehouseAccessLogs') } },
      },
    });
    expect(Object.keys(zoneBuckets)).toHaveLength(3); // raw, curated, query results
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('denies every request without TLS', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      })]) } },
    });
    expect(Object.keys(policies)).toHaveLength(4);
  });

  test('catalogs each zone in its own Glue database', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'fraud_models_raw' }) });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'fraud_models_curated' }) });
  });

  test('enforces the Athena workgroup: engine, metrics, cutoff and KMS-encrypted results that expire', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'fraud-models',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: Match.anyValue(),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
        },
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-query-results', ExpirationInDays: 7 })]) },
    });
  });

  test('aborts incomplete multipart uploads after 7 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([{ Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]) },
    });
  });

  test('retains buckets, databases and the key by default', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::Glue::Database', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
  });

  test('ages raw data into cheaper storage and expires old versions in both zones', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({
        Id: 'age-raw-data',
        Transitions: [
          { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
          { StorageClass: 'GLACIER_IR', TransitionInDays: 365 },
        ],
      })]) },
    });
    const expiring = template.findResources('AWS::S3::Bucket', { Properties: { LifecycleConfiguration: { Rules: Match.arrayWith([
      Match.objectLike({ Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
    ]) } } });
    expect(Object.keys(expiring)).toHaveLength(2);
  });

  test('gives each zone its rules whole, each retention and transition the one it was given', () => {
    const { stack } = warehouse({
      noncurrentVersionRetention: Duration.days(30), queryResultsExpiration: Duration.days(3),
      rawDataTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(180) }],
    });
    const own = Template.fromStack(stack);
    const abort = { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' };
    const oldVersions = { Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' };
    expectBucketLifecycles(own, {
      WarehouseRawZoneBucket: [abort, oldVersions, { Id: 'age-raw-data', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 180 }], Status: 'Enabled' }],
      WarehouseCuratedZoneBucket: [abort, oldVersions],
      WarehouseQueryResults: [abort, { Id: 'expire-query-results', ExpirationInDays: 3, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }],
      WarehouseAccessLogs: [{ Id: 'expire-access-logs', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }],
    }, 'test/constructs/warehouse/data-warehouse.test.ts');
    expect(unfilteredExpirations(own)).toEqual([]);
  });

  test('saves named queries in its workgroup', () => {
    const { stack, warehouse: w } = warehouse();
    w.addNamedQuery('Top', { queryName: 'top-users', queryString: 'SELECT 1' });
    Template.fromStack(stack).hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'top-users', Database: 'fraud_models_curated', WorkGroup: 'fraud-models', QueryString: 'SELECT 1',
    });
    expect(() => w.addNamedQuery('Empty', { queryName: 'empty', queryString: ' ' })).toThrow('queryString = " "');
  });

  test('uses a raw bucket the user brings', () => {
    const { stack, warehouse: w } = (() => {
      const s = new Stack(newTestApp(), 'Lake');
      const raw = s3.Bucket.fromBucketName(s, 'Raw', 'acme-raw');
      return { stack: s, warehouse: new DataWarehouse(s, 'Warehouse', { rawBucket: raw }) };
    })();
    expect(w.raw.bucket.bucketName).toBe('acme-raw');
    const own = Template.fromStack(stack);
    own.resourceCountIs('AWS::S3::Bucket', 3); // curated, query results, access logs
    own.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ LocationUri: 's3://acme-raw' }) });
  });

  test('derives a unique lowercase name prefix when none is given', () => {
    const stack = new Stack(newTestApp(), 'Lake');
    const w = new DataWarehouse(stack, 'Warehouse');
    expect(w.raw.databaseName).toMatch(/^[a-z0-9_]+_raw$/);
    expect(w.workGroupName).toMatch(/^[a-z0-9-]+$/);
  });

  test.each([
    [{ bytesScannedCutoffPerQueryGiB: 0.001 }, 'bytesScannedCutoffPerQueryGiB = 0.001: Athena needs at least 10 MB'],
    [{ namePrefix: 'Fraud Models' }, 'namePrefix = "Fraud Models": use lowercase'],
    [{ noncurrentVersionRetention: Duration.hours(1) }, 'noncurrentVersionRetention = "1 hour"'],
    [{ queryResultsExpiration: Duration.hours(36) }, 'queryResultsExpiration = "1 day 12 hours": give a whole number of days'],
    [{ rawDataTransitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(7) }] },
      'rawDataTransitions[0].transitionAfter = "7 days": S3 moves objects to STANDARD_IA no sooner than 30 days'],
  ])('rejects %j', (props, message) => {
    expect(() => warehouse(props)).toThrow(message);
  });
});
