import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as emr from 'aws-cdk-lib/aws-emrserverless';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { newDataKey } from '../core/keys';
import { newEncryptedLogGroup } from '../core/log-groups';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker, shownDuration } from '../core/validation-error';
import { checkSelectsSubnets } from '../network/compute-subnets';
import type { ArtifactStore } from '../versioning/artifact-store';
import { EmrRelease } from './emr-release';
import { icebergSparkDefaults } from './iceberg-settings';
import { SparkJob, SparkJobOptions } from './spark-job';
import { ISparkRuntime, SparkArchitecture, SparkRuntimeProps } from './spark-runtime-props';

/** Where in the artifact store the runtime's jobs log. */
const LOG_PREFIX = 'spark-logs/';
/** EMR Serverless's largest memory per vCPU of a worker, in GiB. */
const MAX_MEMORY_PER_VCPU_GIB = 8;
/** A worker's default disk, in GiB, per vCPU: with 1-vCPU workers the disk binds no sooner than the vCPUs. */
const DISK_PER_VCPU_GIB = 20;
const CATALOG_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Spark on EMR Serverless that bills nothing while idle: an application that starts when a job
 * is submitted and stops after a short idle time, with no pre-initialized workers, a maximum
 * capacity, the Glue Data Catalog as its metastore and its Iceberg catalog, and logs in the
 * artifact store (KMS) and CloudWatch Logs. Jobs (`addJob`) each run as a role of their own.
 */
export class SparkRuntime extends Construct implements ISparkRuntime {
  /** The EMR Serverless application that runs the jobs. */
  public readonly application: emr.CfnApplication;
  public readonly applicationId: string;
  public readonly applicationArn: string;
  public readonly artifactStore: ArtifactStore;
  public readonly logGroup: logs.ILogGroup;
  public readonly logPrefix = LOG_PREFIX;
  /** The name Spark SQL gives the Glue catalog's Iceberg tables. */
  public readonly icebergCatalogName: string;
  /** The egress-only security group of the workers, when they run in a VPC. */
  public readonly securityGroup?: ec2.SecurityGroup;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `SparkRuntimeProps`
   */
  constructor(scope: Construct, id: string, props: SparkRuntimeProps) {
    super(scope, id);
    checkPropsStruct('SparkRuntime', props, '{ vpc, artifactStore }', { required: true });
    const release = props.release ?? EmrRelease.LATEST;
    const maximumVcpus = props.maximumVcpus ?? 64;
    const maximumMemoryGiB = props.maximumMemoryGiB ?? maximumVcpus * MAX_MEMORY_PER_VCPU_GIB;
    const maximumDiskGiB = props.maximumDiskGiB ?? maximumVcpus * DISK_PER_VCPU_GIB;
    const idleTimeout = props.idleTimeout ?? Duration.minutes(5);
    this.icebergCatalogName = props.icebergCatalogName ?? 'lake';
    // none given: aws-cdk-lib's default, private subnets with egress, else isolated ones (a VPC with neither is refused)
    const subnets = Construct.isConstruct(props.vpc) ? props.subnets : undefined;
    validate(props, { release, maximumVcpus, idleTimeout, catalogName: this.icebergCatalogName, subnets });

    acknowledgeRoleInlinePolicies(this);
    this.artifactStore = props.artifactStore;
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    this.logGroup = newEncryptedLogGroup(this, 'JobLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
      encryptionKey: props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts Spark job logs', removalPolicy),
    });
    if (props.vpc) {
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'Spark workers: egress only, nothing may connect in',
        allowAllOutbound: true,
      });
    }
    const warehouse = props.icebergWarehouse ?? props.artifactStore.bucket.s3UrlForObject('iceberg/');
    this.application = new emr.CfnApplication(this, 'Application', {
      type: 'Spark',
      releaseLabel: release.label,
      architecture: props.architecture ?? SparkArchitecture.ARM64,
      autoStartConfiguration: { enabled: true },
      autoStopConfiguration: { enabled: true, idleTimeoutMinutes: idleTimeout.toMinutes() },
      maximumCapacity: { cpu: `${maximumVcpus} vCPU`, memory: `${maximumMemoryGiB} GB`, disk: `${maximumDiskGiB} GB` },
      networkConfiguration: props.vpc ? {
        subnetIds: props.vpc.selectSubnets(subnets).subnetIds,
        securityGroupIds: [this.securityGroup!.securityGroupId],
      } : undefined,
      runtimeConfiguration: [{ classification: 'spark-defaults', properties: icebergSparkDefaults(this.icebergCatalogName, warehouse) }],
      monitoringConfiguration: {
        s3MonitoringConfiguration: {
          logUri: props.artifactStore.bucket.s3UrlForObject(LOG_PREFIX),
          encryptionKeyArn: props.artifactStore.encryptionKey.keyArn,
        },
        cloudWatchLoggingConfiguration: { enabled: true, logGroupName: this.logGroup.logGroupName },
      },
    });
    this.applicationId = this.application.attrApplicationId;
    this.applicationArn = this.application.attrArn;
  }

  /**
   * Defines a Spark job of this runtime, run by `WorkflowStep.sparkJob`, with a role of its own
   * (`job.jobRole`) that may read its entry point and write its logs; grant it its data with the
   * layers' `grantX` methods, as a Batch job's.
   */
  public addJob(id: string, options: SparkJobOptions): SparkJob {
    const check = new PropChecker(`SparkRuntime.addJob('${id}')`);
    check.newId('id', this, id, 'give each job its own id');
    check.struct('options', options, '{ entryPointKey: "code/jobs/features.py" }', { required: true });
    check.throwIfAny();
    return new SparkJob(this, id, { ...options, runtime: this });
  }
}

interface Resolved {
  readonly release: EmrRelease;
  readonly maximumVcpus: number;
  readonly idleTimeout: Duration;
  readonly catalogName: string;
  readonly subnets?: ec2.SubnetSelection;
}

function validate(props: SparkRuntimeProps, resolved: Resolved): void {
  const check = new PropChecker('SparkRuntime');
  if (resolved.release instanceof EmrRelease) {
    resolved.release._check(check, 'release');
  } else {
    check.check(false, 'release', resolved.release, 'give an EmrRelease, for example EmrRelease.LATEST or EmrRelease.of(\'emr-7.14.0\')');
  }
  check.oneOf('architecture', props.architecture, Object.values(SparkArchitecture));
  for (const prop of ['maximumVcpus', 'maximumMemoryGiB', 'maximumDiskGiB'] as const) {
    check.known(prop, props[prop], 'give a plain number: the capacity is written at synth time');
  }
  // EMR Serverless's smallest worker: 1 vCPU, 2 GB and 20 GB of disk; the defaults of the others follow maximumVcpus
  check.integer('maximumVcpus', resolved.maximumVcpus, 1, 1_000_000, 'give a whole number of vCPUs, at least 1 (the smallest worker)');
  check.integer('maximumMemoryGiB', props.maximumMemoryGiB, 2, 100_000_000, 'give a whole number of GiB, at least 2 (the smallest worker)');
  check.integer('maximumDiskGiB', props.maximumDiskGiB, 20, 100_000_000, 'give a whole number of GiB, at least 20 (the smallest worker)');
  const { idleTimeout } = resolved;
  const minutes = check.durationIn('idleTimeout', idleTimeout, 'minutes', 'Duration.minutes(5)');
  check.check(minutes === undefined || (Number.isInteger(minutes) && minutes >= 1 && minutes <= 10080), 'idleTimeout', shownDuration(idleTimeout),
    'give whole minutes from 1 minute to 7 days, for example Duration.minutes(5)');
  check.matches('icebergCatalogName', resolved.catalogName, CATALOG_NAME,
    'give 1 to 64 lowercase letters, digits and underscores, starting with a letter, for example "lake"');
  check.matches('icebergWarehouse', props.icebergWarehouse, /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'give an S3 URL such as "s3://bucket/iceberg/"');
  check.retentionDays('logRetention', props.logRetention);
  check.removalPolicy('removalPolicy', props.removalPolicy);
  check.construct('artifactStore', props.artifactStore, 'an ArtifactStore, such as new ArtifactStore(this, "Artifacts")', { required: true });
  check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
  check.construct('vpc', props.vpc, 'an ec2.IVpc, such as new ec2.Vpc(this, "Vpc")');
  check.check(props.vpc !== undefined || props.subnets === undefined, 'subnets', props.subnets, 'give the vpc the subnets are in, or leave subnets unset');
  const vpc = Construct.isConstruct(props.vpc) ? props.vpc : undefined;
  if (vpc && props.subnets === undefined) {
    check.check(vpc.privateSubnets.length + vpc.isolatedSubnets.length > 0, 'vpc', vpc.node.path,
      'EMR Serverless gives workers no public IP: give a VPC with private subnets (NAT or VPC endpoints), select its subnets with subnets, or leave vpc unset');
  } else if (vpc && resolved.subnets) {
    checkSelectsSubnets(check, 'subnets', vpc, resolved.subnets);
  }
  check.throwIfAny();
}
