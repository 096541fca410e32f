import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataWarehouse, DataWarehouseProps, LakeZone } from '../../../constructs/warehouse';
import { expectBucketLifecycles, unfilteredExpirations } from '../../support/bucket-lifecycles';
import { propertyOf, resourceId } from '../../support/resources';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { validationErrorOf, problemLines } from '../../support/validation';

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

  test('catalogs each zone in its own Glue database of this account, at its bucket, and logs each zone\'s access under its name', () => {
    for (const zone of ['raw', 'curated']) {
      const bucket = resourceId(template, 'AWS::S3::Bucket', `Warehouse${zone[0].toUpperCase()}${zone.slice(1)}ZoneBucket`);
      template.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: { Name: `fraud_models_${zone}`, Description: `The ${zone} zone of the lake`, LocationUri: { 'Fn::Join': ['', ['s3://', { Ref: bucket }]] } },
      });
      expect(propertyOf(template, 'AWS::S3::Bucket', bucket, 'LoggingConfiguration', 'LogFilePrefix')).toBe(`${zone}/`);
    }
  });

  test('enforces the Athena workgroup: engine, metrics, cutoff and KMS-encrypted results under results/ that expire', () => {
    const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarehouseKey'), 'Arn'] };
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'fraud-models',
      Description: 'Queries over the lake, with enforced limits and encrypted results',
      // deleting the workgroup deletes its saved queries and history, so a stack deletion never stalls on them
      State: 'ENABLED',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^WarehouseQueryResults') }, '/results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: key },
        },
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-query-results', ExpirationInDays: 7 })]) },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^WarehouseAccessLogs') }, LogFilePrefix: 'query-results/' },
    });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the lake and its query results' });
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

  test('moves raw data on the dates given', () => {
    const { stack } = warehouse({ rawDataTransitions: [
      { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionDate: new Date('2027-01-01T00:00:00Z') },
      { storageClass: s3.StorageClass.GLACIER, transitionDate: new Date('2027-07-01T00:00:00Z') },
    ] });
    const rules = propertyOf(Template.fromStack(stack), 'AWS::S3::Bucket', 'WarehouseRawZoneBucket', 'LifecycleConfiguration', 'Rules') as any[];
    expect(rules.find((rule) => rule.Id === 'age-raw-data')).toEqual({ Id: 'age-raw-data', Status: 'Enabled', Transitions: [
      { StorageClass: 'STANDARD_IA', TransitionDate: '2027-01-01T00:00:00Z' }, { StorageClass: 'GLACIER', TransitionDate: '2027-07-01T00:00:00Z' },
    ] });
  });

  test('converts a cutoff in GiB to whole bytes', () => {
    Template.fromStack(warehouse({ bytesScannedCutoffPerQueryGiB: 0.01 }).stack).hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10737418 }),
    });
  });

  test('refuses a zone\'s database name Athena cannot read unquoted, and a table id taken, each whole', () => {
    const { stack, warehouse: w } = warehouse();
    const props = { zoneName: 'gold', encryptionKey: w.encryptionKey, serverAccessLogsBucket: w.raw.bucket, lifecycleRules: [], removalPolicy: RemovalPolicy.RETAIN };
    expect(validationErrorOf(() => new LakeZone(stack, 'Gold', { ...props, databaseName: 'fraud-models_gold' })).message).toBe('Invalid props for LakeZone:\n'
      + '  - databaseName = "fraud-models_gold": give 1 to 255 lowercase letters, digits and underscores: Athena reads no other database names unquoted');
    expect(() => new LakeZone(stack, 'Longest', { ...props, databaseName: 'g'.repeat(255) })).not.toThrow();
    expect(problemLines(() => new LakeZone(stack, 'Longer', { ...props, databaseName: 'g'.repeat(256) }))).toEqual(['databaseName = "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg": give 1 to 255 lowercase letters, digits and underscores: Athena reads no other database names unquoted']);
    w.raw.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
    expect(validationErrorOf(() => w.raw.addTable('Events', { tableName: 'events_2', columns: [{ name: 'id', type: 'string' }] })).message)
      .toBe('Invalid props for LakeZone.addTable(\'Events\'):\n  - id = "Events": Lake/Warehouse/RawZone already has a child "Events": give each table an id of its own');
  });

  test('keeps raw data in Standard when given no transitions', () => {
    const template = Template.fromStack(warehouse({ rawDataTransitions: [] }).stack);
    const rules = propertyOf(template, 'AWS::S3::Bucket', 'WarehouseRawZoneBucket', 'LifecycleConfiguration', 'Rules') as { Id: string }[];
    expect(rules.map((rule) => rule.Id)).toEqual(['abort-incomplete-uploads', 'expire-old-versions']);
  });

  test('refuses settings for new buckets beside buckets of your own, each whole, and takes them where a bucket is still new', () => {
    const stack = new Stack(newTestApp(), 'Lake');
    const [raw, curated] = ['acme-raw', 'acme-curated'].map((name) => s3.Bucket.fromBucketName(stack, name, name));
    const fix = 'leave it unset when you bring your own buckets: it sets up the new buckets only';
    expect(validationErrorOf(() => new DataWarehouse(stack, 'Own', {
      rawBucket: raw, curatedBucket: curated, noncurrentVersionRetention: Duration.days(30),
      rawDataTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(180) }],
    })).message).toBe('Invalid props for DataWarehouse:\n'
      + `  - rawDataTransitions = 1: ${fix}\n`
      + `  - noncurrentVersionRetention = "30 days": ${fix}`);
    // a new curated bucket keeps old versions as long as asked; a new raw bucket ages as asked
    expect(() => new DataWarehouse(stack, 'OwnRaw', { rawBucket: raw, noncurrentVersionRetention: Duration.days(30) })).not.toThrow();
    expect(() => new DataWarehouse(stack, 'OwnCurated', {
      curatedBucket: curated, noncurrentVersionRetention: Duration.days(30),
      rawDataTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(180) }],
    })).not.toThrow();
  });

  test('saves named queries in its workgroup, in the curated zone\'s database unless given a zone, once the workgroup exists', () => {
    const { stack, warehouse: w } = warehouse();
    w.addNamedQuery('Top', { queryName: 'top-users', queryString: 'SELECT 1' });
    w.addNamedQuery('Landed', { queryName: 'landed', queryString: 'SELECT 2', zone: w.raw, description: 'What landed today' });
    const queries = Template.fromStack(stack).findResources('AWS::Athena::NamedQuery');
    const workGroup = Object.keys(Template.fromStack(stack).findResources('AWS::Athena::WorkGroup'));
    expect(Object.values(queries)).toEqual([
      expect.objectContaining({ DependsOn: workGroup, Properties: { Name: 'top-users', Database: 'fraud_models_curated', WorkGroup: 'fraud-models', QueryString: 'SELECT 1' } }),
      expect.objectContaining({
        DependsOn: workGroup,
        Properties: { Name: 'landed', Database: 'fraud_models_raw', WorkGroup: 'fraud-models', QueryString: 'SELECT 2', Description: 'What landed today' },
      }),
    ]);
    expect(problemLines(() => w.addNamedQuery('Empty', { queryName: 'empty', queryString: ' ' }))).toEqual(['queryString = " ": give a query of 1 to 262144 characters']);
    // from JavaScript: a query without a name
    expect(problemLines(() => w.addNamedQuery('Nameless', { queryName: undefined as any, queryString: 'SELECT 1' }))).toEqual(['queryName = undefined: give 1 to 128 characters']);
    // Athena's descriptions take up to 1024 characters
    expect(() => w.addNamedQuery('Described', { queryName: 'described', queryString: 'SELECT 3', description: 'd'.repeat(1024) })).not.toThrow();
    expect(problemLines(() => w.addNamedQuery('Overlong', { queryName: 'overlong', queryString: 'SELECT 4', description: 'd'.repeat(1025) })))
      .toEqual([`description = "${'d'.repeat(1025)}": give 1 to 1024 characters, or leave it unset`]);
  });

  test('refuses a named query\'s id taken, and a zone of another warehouse, each whole', () => {
    const { stack, warehouse: w } = warehouse();
    w.addNamedQuery('Top', { queryName: 'top-users', queryString: 'SELECT 1' });
    const other = new DataWarehouse(stack, 'Other', { namePrefix: 'other' });
    expect(validationErrorOf(() => w.addNamedQuery('Top', { queryName: 'top', queryString: 'SELECT 1', zone: other.raw })).message)
      .toBe('Invalid props for DataWarehouse.addNamedQuery(\'Top\'):\n'
        + '  - id = "Top": Lake/Warehouse already has a child "Top": give each named query an id of its own\n'
        + '  - zone = "Lake/Other/RawZone": give a zone of this warehouse (raw or curated): the query runs in this warehouse\'s workgroup');
  });

  test('refuses props of the wrong kind, and a cutoff known only at deploy, whole, each with its fix', () => {
    const bucket = 'give an s3.IBucket, such as s3.Bucket.fromBucketName(this, "Bucket", "my-bucket")';
    expect(problemLines(() => warehouse({
      bytesScannedCutoffPerQueryGiB: Token.asNumber({ Ref: 'Cutoff' }), removalPolicy: 'keep' as any,
      rawBucket: 42 as any, curatedBucket: {} as any, serverAccessLogsBucket: 'logs' as any, encryptionKey: 42 as any,
    }))).toEqual([
      expect.stringMatching(/^bytesScannedCutoffPerQueryGiB = "\$\{Token\[[\w.]+\]\}": give a plain number: it is converted to bytes at synth time$/),
      'removalPolicy = "keep": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
      `rawBucket = 42: ${bucket}`,
      `curatedBucket = {}: ${bucket}`,
      `serverAccessLogsBucket = "logs": ${bucket}`,
      'encryptionKey = 42: give a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })',
    ]);
  });

  test('gives its workgroup\'s ARN, in its stack\'s partition, region and account', () => {
    const { stack, warehouse: w } = warehouse();
    expect(stack.resolve(w.workGroupArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':workgroup/fraud-models']] });
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

  test('derives a unique lowercase name prefix of at most 32 characters from its path when none is given', () => {
    const stack = new Stack(newTestApp(), 'Lake');
    const w = new DataWarehouse(stack, 'Warehouse');
    expect([w.workGroupName, w.raw.databaseName, w.defaultDatabaseName]).toEqual(['lake-warehouse-163cfc46', 'lake_warehouse_163cfc46_raw', 'lake_warehouse_163cfc46_curated']);
    const long = new DataWarehouse(stack, 'AVeryLongConstructIdThatGoesOnAndOnForAWhileLonger');
    expect(long.workGroupName).toBe('lake-averylowhilelonger-1c61a70d');
    expect(long.workGroupName).toHaveLength(32);
  });

  test.each([
    [{ bytesScannedCutoffPerQueryGiB: 0.001 }, 'bytesScannedCutoffPerQueryGiB = 0.001: Athena needs at least 10 MB (0.01 GiB) a query; give 0.01 or more'],
    [{ namePrefix: 'Fraud Models' }, 'namePrefix = "Fraud Models": use lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen, so it stays valid in S3 and Glue names (for example "fraud-models")'],
    [{ noncurrentVersionRetention: Duration.hours(1) }, 'noncurrentVersionRetention = "1 hour": give a whole number of days from 1 to 2147483647, for example Duration.days(1)'],
    [{ queryResultsExpiration: Duration.hours(36) }, 'queryResultsExpiration = "1 day 12 hours": give a whole number of days from 1 to 2147483647, for example Duration.days(1)'],
    [{ rawDataTransitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(7) }] },
      'rawDataTransitions[0].transitionAfter = "7 days": S3 moves objects to STANDARD_IA no sooner than 30 days after creation'],
  ])('rejects %j', (props, message) => {
    expect(problemLines(() => warehouse(props))).toEqual([message].flat());
  });
});
