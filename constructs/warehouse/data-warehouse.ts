import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deliverAccessLogsByPolicy, newAccessLogsBucket, newDataBucket } from '../core/buckets';
import { newDataKey } from '../core/keys';
import { grantObjectsRead, grantObjectsWrite } from '../core/grants';
import { checkTransitions } from '../core/lifecycle-rules';
import { checkName, glueName } from '../core/naming';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, MAX_INT32, PropChecker, shownDuration } from '../core/validation-error';
import type { LakeTable } from './lake-table';
import { LakeZone } from './lake-zone';
import type { IQueryTarget } from './query-target';
import { GIB, GLUE_READ_ACTIONS, grantDatabases, grantWorkGroupQueries, newEnforcedWorkGroup, workGroupArn } from './work-group';

const RESULTS_PREFIX = 'results/';

/** Athena refuses a per-query cutoff below 10 MB. */
const MIN_CUTOFF_BYTES = 10_000_000;

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
   * When raw data moves to cheaper storage classes as it ages; an empty list keeps it in Standard.
   * @default - Standard-IA after 90 days, Glacier Instant Retrieval after 365 days
   */
  readonly rawDataTransitions?: s3.Transition[];

  /**
   * How long an overwritten or deleted object's old version is kept in the zones.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionRetention?: Duration;

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
export class DataWarehouse extends Construct implements IQueryTarget {
  /** Data as it lands. */
  public readonly raw: LakeZone;
  /** Data cleaned and derived: features, predictions. */
  public readonly curated: LakeZone;
  /** Where Athena writes query results; they expire after `queryResultsExpiration`. */
  public readonly queryResultsBucket: s3.IBucket;
  /** The Athena workgroup whose settings are enforced. */
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly workGroupName: string;
  /** Encrypts the zones' buckets and the query results. */
  public readonly encryptionKey: kms.IKey;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `DataWarehouseProps`
   */
  constructor(scope: Construct, id: string, props: DataWarehouseProps = {}) {
    super(scope, id);
    checkPropsStruct('DataWarehouse', props, '{ namePrefix: "fraud-dev" }');
    deliverAccessLogsByPolicy(this);
    const namePrefix = props.namePrefix
      ?? Names.uniqueResourceName(this, { maxLength: 32, separator: '-' }).toLowerCase();
    const cutoffGiB = props.bytesScannedCutoffPerQueryGiB ?? 10;
    const resultsExpiration = props.queryResultsExpiration ?? Duration.days(7);
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const noncurrentRetention = props.noncurrentVersionRetention ?? Duration.days(90);
    const rawTransitions = props.rawDataTransitions ?? [
      { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
      { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
    ];

    validate(props, cutoffGiB, rawTransitions);

    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the lake and its query results', removalPolicy);
    const accessLogs = props.serverAccessLogsBucket ?? newAccessLogsBucket(this, 'AccessLogs', removalPolicy);
    const expireOldVersions: s3.LifecycleRule = { id: 'expire-old-versions', noncurrentVersionExpiration: noncurrentRetention };
    const zone = (zoneId: string, zoneName: string, bucket: s3.IBucket | undefined, lifecycleRules: s3.LifecycleRule[]) =>
      new LakeZone(this, zoneId, {
        zoneName,
        bucket,
        databaseName: glueName(namePrefix, zoneName),
        encryptionKey: this.encryptionKey,
        serverAccessLogsBucket: accessLogs,
        lifecycleRules,
        removalPolicy,
      });
    this.raw = zone('RawZone', 'raw', props.rawBucket, [
      expireOldVersions,
      ...(rawTransitions.length > 0 ? [{ id: 'age-raw-data', transitions: rawTransitions }] : []),
    ]);
    this.curated = zone('CuratedZone', 'curated', props.curatedBucket, [expireOldVersions]);

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
    this.workGroup = newEnforcedWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Queries over the lake, with enforced limits and encrypted results',
      bytesScannedCutoffPerQueryGiB: cutoffGiB,
      outputLocation: this.queryResultsBucket.s3UrlForObject(RESULTS_PREFIX),
      encryptionKey: this.encryptionKey,
    });
  }

  /** The zones of the lake, raw first. */
  public get zones(): LakeZone[] {
    return [this.raw, this.curated];
  }

  /** The curated zone's database, where queries run unless they name another. */
  public get defaultDatabaseName(): string {
    return this.curated.databaseName;
  }

  /** The ARN of the Athena workgroup. */
  public get workGroupArn(): string {
    return workGroupArn(this, this.workGroupName);
  }

  /**
   * Lets `grantee` run Athena queries through this workgroup over every zone: start and stop
   * queries, read their results, read the catalog and the zones' objects. Nothing more: no
   * writes to the zones, no deletes, no catalog changes.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    return this.grantWorkGroup(grantee)
      .combine(grantDatabases(this, grantee, this.zones.map((z) => z.databaseName), GLUE_READ_ACTIONS,
        'Queries read the schema of any table in the lake\'s own databases; the actions are read-only and listed one by one.'))
      .combine(this.raw.grantRead(grantee))
      .combine(this.curated.grantRead(grantee));
  }

  /**
   * A query target in this workgroup whose grant covers `tables` and nothing else of the lake:
   * their schema and objects, and the workgroup's results. Queries run in the first table's
   * database. Give it to an Athena step that reads only these tables.
   */
  public queryTargetFor(tables: LakeTable[]): IQueryTarget {
    const check = new PropChecker('DataWarehouse.queryTargetFor');
    const given = check.list('tables', tables, '[warehouse.curated.addTable(...)]', { required: true });
    check.check(!Array.isArray(tables) || tables.length > 0, 'tables', [], 'give the tables the queries read');
    given.forEach((t, i) => check.instance(`tables[${i}]`, t, 'grantRead', 'a LakeTable of this warehouse, such as warehouse.curated.addTable(...)')
      && check.check(this.zones.includes(t.zone), `tables[${i}]`, t.tableName, 'give tables of this warehouse\'s zones: its workgroup\'s grant covers no other'));
    check.throwIfAny();
    return {
      workGroupName: this.workGroupName,
      defaultDatabaseName: tables[0].databaseName,
      grantQuery: (grantee: iam.IGrantable) => tables.reduce((grant, table) => grant.combine(table.grantRead(grantee)), this.grantWorkGroup(grantee)),
    };
  }

  /** Lets `grantee` run queries in the workgroup and read their results; nothing of the zones. */
  private grantWorkGroup(grantee: iam.IGrantable): iam.Grant {
    return grantWorkGroupQueries(this, grantee, this.workGroupName)
      .combine(grantObjectsRead(grantee, { bucket: this.queryResultsBucket, keyPrefix: RESULTS_PREFIX }))
      .combine(grantObjectsWrite(grantee, { bucket: this.queryResultsBucket, keyPrefix: RESULTS_PREFIX }));
  }

  /** Saves a query in the workgroup, where the Athena console lists it. */
  public addNamedQuery(id: string, props: NamedQueryProps): athena.CfnNamedQuery {
    const check = new PropChecker(`DataWarehouse.addNamedQuery('${id}')`);
    check.newId('id', this, id, 'give each named query an id of its own');
    if (check.struct('props', props, '{ queryName: "daily-counts", queryString: "SELECT ..." }', { required: true })) {
      check.text('queryName', props.queryName, 128, 'give 1 to 128 characters', { required: true });
      check.check(typeof props.queryString === 'string' && props.queryString.trim().length > 0 && props.queryString.length <= 262144, 'queryString',
        props.queryString, 'give a query of 1 to 262144 characters');
      check.text('description', props.description, 1024, 'give 1 to 1024 characters, or leave it unset');
      check.check(props.zone === undefined || this.zones.includes(props.zone), 'zone', Construct.isConstruct(props.zone) ? props.zone.node.path : props.zone,
        'give a zone of this warehouse (raw or curated): the query runs in this warehouse\'s workgroup');
    }
    check.throwIfAny();
    const query = new athena.CfnNamedQuery(this, id, {
      name: props.queryName,
      description: props.description,
      database: (props.zone ?? this.curated).databaseName,
      queryString: props.queryString,
      workGroup: this.workGroupName,
    });
    query.node.addDependency(this.workGroup);
    return query;
  }
}

/** A query saved in the workgroup. */
export interface NamedQueryProps {
  /** The name the Athena console shows. */
  readonly queryName: string;
  /** The SQL. */
  readonly queryString: string;
  /** The zone whose database the query runs in. @default - the curated zone */
  readonly zone?: LakeZone;
  /**
   * The description the Athena console shows.
   * @default - none
   */
  readonly description?: string;
}

function validate(props: DataWarehouseProps, cutoffGiB: number, rawTransitions: s3.Transition[]): void {
  const check = new PropChecker('DataWarehouse');
  if (props.namePrefix !== undefined) {
    checkName(check, 'namePrefix', props.namePrefix, 64);
  }
  check.known('bytesScannedCutoffPerQueryGiB', cutoffGiB, 'give a plain number: it is converted to bytes at synth time');
  check.number('bytesScannedCutoffPerQueryGiB', cutoffGiB, MIN_CUTOFF_BYTES / GIB, Number.MAX_SAFE_INTEGER / GIB,
    'Athena needs at least 10 MB (0.01 GiB) a query; give 0.01 or more');
  check.duration('queryResultsExpiration', props.queryResultsExpiration, 'days', 1, MAX_INT32);
  check.duration('noncurrentVersionRetention', props.noncurrentVersionRetention, 'days', 1, MAX_INT32);
  check.removalPolicy('removalPolicy', props.removalPolicy);
  const bucket = 'an s3.IBucket, such as s3.Bucket.fromBucketName(this, "Bucket", "my-bucket")';
  check.construct('rawBucket', props.rawBucket, bucket);
  check.construct('curatedBucket', props.curatedBucket, bucket);
  check.construct('serverAccessLogsBucket', props.serverAccessLogsBucket, bucket);
  check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
  checkTransitions(check, 'rawDataTransitions', check.list('rawDataTransitions', rawTransitions,
    '[{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(180) }]'));
  // they set up the buckets this construct creates: given beside your own, they would do nothing
  const ownBucket = 'leave it unset when you bring your own buckets: it sets up the new buckets only';
  check.check(!(props.rawBucket && props.rawDataTransitions), 'rawDataTransitions', props.rawDataTransitions?.length, ownBucket);
  check.check(!(props.rawBucket && props.curatedBucket && props.noncurrentVersionRetention), 'noncurrentVersionRetention',
    shownDuration(props.noncurrentVersionRetention), ownBucket);
  check.throwIfAny();
}
