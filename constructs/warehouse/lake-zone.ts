import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deliverAccessLogsByPolicy, newDataBucket } from '../core/buckets';
import { checkKeyPrefix, grantObjectsRead, grantObjectsWrite } from '../core/grants';
import { checkLifecycleRules } from '../core/lifecycle-rules';
import { checkName } from '../core/naming';
import { checkArguments, checkPropsStruct, PropChecker } from '../core/validation-error';
import { LakeTable, LakeTableOptions } from './lake-table';

const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;

export interface LakeZoneProps {
  /** The zone's name, for example `raw` or `curated`. */
  readonly zoneName: string;
  /** The zone's Glue database name. */
  readonly databaseName: string;
  /** A bucket you already have for this zone. @default - a new data bucket */
  readonly bucket?: s3.IBucket;
  /** Encrypts the new bucket. */
  readonly encryptionKey: kms.IKey;
  /** Receives the new bucket's access logs. */
  readonly serverAccessLogsBucket: s3.IBucket;
  /** Lifecycle rules of the new bucket, beside aborting incomplete uploads after 7 days. */
  readonly lifecycleRules: s3.LifecycleRule[];
  /** Applies to the new bucket and the database. */
  readonly removalPolicy: RemovalPolicy;
}

/** One zone of the lake: a bucket and the Glue database that catalogs it. */
export class LakeZone extends Construct {
  /** The zone's name, for example `raw`. */
  public readonly zoneName: string;
  /** The bucket that holds the zone's data. */
  public readonly bucket: s3.IBucket;
  /** The Glue database that catalogs the zone. */
  public readonly database: glue.CfnDatabase;
  /** The database's name. */
  public readonly databaseName: string;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `LakeZoneProps`
   */
  constructor(scope: Construct, id: string, props: LakeZoneProps) {
    super(scope, id);
    checkPropsStruct('LakeZone', props, '{ zoneName: "raw", databaseName: "team_raw", encryptionKey, serverAccessLogsBucket, lifecycleRules: [], removalPolicy }', { required: true });
    deliverAccessLogsByPolicy(this);
    const check = new PropChecker('LakeZone');
    checkName(check, 'zoneName', props.zoneName);
    check.check(typeof props.databaseName === 'string' && DATABASE_NAME.test(props.databaseName), 'databaseName', props.databaseName,
      'give 1 to 255 lowercase letters, digits and underscores: Athena reads no other database names unquoted');
    check.construct('bucket', props.bucket, 'an s3.IBucket, such as s3.Bucket.fromBucketName(this, "Raw", "team-raw")');
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })', { required: true });
    check.construct('serverAccessLogsBucket', props.serverAccessLogsBucket, 'an s3.IBucket, such as s3.Bucket.fromBucketName(this, "AccessLogs", "my-access-logs")',
      { required: true });
    const rules = '[{ id: "expire-old-data", expiration: Duration.days(365) }], or [] for none';
    check.check(props.lifecycleRules !== undefined, 'lifecycleRules', undefined, `give a list, for example ${rules}`);
    checkLifecycleRules(check, 'lifecycleRules', check.list('lifecycleRules', props.lifecycleRules, rules));
    check.check(props.removalPolicy !== undefined, 'removalPolicy', undefined, 'use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY');
    check.removalPolicy('removalPolicy', props.removalPolicy);
    check.throwIfAny();
    this.zoneName = props.zoneName;
    this.databaseName = props.databaseName;
    this.bucket = props.bucket ?? newDataBucket(this, 'Bucket', {
      encryptionKey: props.encryptionKey,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: `${props.zoneName}/`,
      removalPolicy: props.removalPolicy,
      lifecycleRules: props.lifecycleRules,
    });
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: props.databaseName,
        description: `The ${props.zoneName} zone of the lake`,
        locationUri: this.bucket.s3UrlForObject(),
      },
    });
    this.database.applyRemovalPolicy(props.removalPolicy);
  }

  /** Declares a table over files under a prefix of this zone. */
  public addTable(id: string, options: LakeTableOptions): LakeTable {
    const check = new PropChecker(`LakeZone.addTable('${id}')`);
    check.newId('id', this, id, 'give each table an id of its own');
    check.struct('options', options, '{ tableName: "events", columns: [{ name: "id", type: "string" }] }', { required: true });
    check.throwIfAny();
    return new LakeTable(this, id, { ...options, zone: this });
  }

  /** Lets `grantee` list and read this zone's objects, under `keyPrefix` when given. */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    checkArguments('LakeZone.grantRead', (check) => checkKeyPrefix(check, keyPrefix));
    return grantObjectsRead(grantee, { bucket: this.bucket, keyPrefix });
  }

  /** Lets `grantee` write (never delete) this zone's objects, under `keyPrefix` when given. */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    checkArguments('LakeZone.grantWrite', (check) => checkKeyPrefix(check, keyPrefix));
    return grantObjectsWrite(grantee, { bucket: this.bucket, keyPrefix });
  }
}
