import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { newAccessLogsBucket, newDataBucket, newDataKey } from '../core/buckets';
import { checkName, glueName } from '../core/naming';
import { statefulRemovalPolicy } from '../core/removal';
import { PropChecker } from '../core/validation-error';
import { LakeZone } from './lake-zone';

/** Athena refuses a per-query cutoff below 10 MB. */
const MIN_CUTOFF_BYTES = 10_000_000;
const GIB = 1024 ** 3;

export interface DataWarehouseProps {
  /**
   * Prefix of the Glue database names (`<prefix>_raw`, `<prefix>_curated`) and the Athena
   * workgroup name: up to 64 lowercase letters, digits and single hyphens.
   * @default - derived from the construct's path, unique in the account
   */
  readonly namePrefix?: string;

  /** A bucket you already have for raw data. @default - a new KMS-encrypted, versioned bucket */
  readonly rawBucket?: s3.IBucket;

  /** A bucket you already have for curated data (features). @default - a new KMS-encrypted, versioned bucket */
  readonly curatedBucket?: s3.IBucket;

  /** Encrypts the buckets this construct creates and the query results. @default - a new key with rotation */
  readonly encryptionKey?: kms.IKey;

  /** Receives the server access logs of the buckets this construct creates. @default - a new access-log bucket */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Most data one Athena query may scan, in GiB; Athena cancels a query past it.
   * @default 10
   */
  readonly bytesScannedCutoffPerQueryGiB?: number;

  /**
   * How long query results are kept.
   * @default Duration.days(7)
   */
  readonly queryResultsExpiration?: Duration;

  /**
   * What happens to buckets, databases and the key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The team's lake: a raw and a curated zone (each a bucket and a Glue database) and an
 * Athena workgroup whose limits and result location are enforced.
 */
export class DataWarehouse extends Construct {
  public readonly raw: LakeZone;
  public readonly curated: LakeZone;
  /** Where Athena writes query results; they expire after `queryResultsExpiration`. */
  public readonly queryResultsBucket: s3.IBucket;
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly workGroupName: string;
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: DataWarehouseProps = {}) {
    super(scope, id);
    const namePrefix = props.namePrefix
      ?? Names.uniqueResourceName(this, { maxLength: 32, separator: '-' }).toLowerCase();
    const cutoffGiB = props.bytesScannedCutoffPerQueryGiB ?? 10;
    const resultsExpiration = props.queryResultsExpiration ?? Duration.days(7);
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);

    const check = new PropChecker('DataWarehouse');
    if (props.namePrefix !== undefined) {
      checkName(check, 'namePrefix', props.namePrefix, 64);
    }
    check.check(cutoffGiB * GIB >= MIN_CUTOFF_BYTES, 'bytesScannedCutoffPerQueryGiB', cutoffGiB,
      'Athena needs at least 10 MB (0.01 GiB); give 0.01 or more');
    check.check(resultsExpiration.toDays({ integral: false }) >= 1, 'queryResultsExpiration', resultsExpiration.toHumanString(),
      'keep query results at least one day, for example Duration.days(7)');
    check.throwIfAny();

    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the lake and its query results', removalPolicy);
    const accessLogs = props.serverAccessLogsBucket ?? newAccessLogsBucket(this, 'AccessLogs', removalPolicy);
    const zone = (zoneId: string, zoneName: string, bucket?: s3.IBucket) => new LakeZone(this, zoneId, {
      zoneName,
      bucket,
      databaseName: glueName(namePrefix, zoneName),
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: accessLogs,
      removalPolicy,
    });
    this.raw = zone('RawZone', 'raw', props.rawBucket);
    this.curated = zone('CuratedZone', 'curated', props.curatedBucket);

    this.queryResultsBucket = newDataBucket(this, 'QueryResults', {
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'query-results/',
      removalPolicy,
      lifecycleRules: [{
        id: 'expire-query-results',
        expiration: resultsExpiration,
        noncurrentVersionExpiration: Duration.days(1),
      }],
    });

    this.workGroupName = namePrefix;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Queries over the lake, with enforced limits and encrypted results',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: Math.round(cutoffGiB * GIB),
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.queryResultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.encryptionKey.keyArn },
        },
      },
    });
  }
}
