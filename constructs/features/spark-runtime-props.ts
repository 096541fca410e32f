import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import type { ArtifactStore } from '../versioning/artifact-store';
import type { EmrRelease } from './emr-release';

/** The processor Spark's workers run on. */
export enum SparkArchitecture {
  /** AWS Graviton: about a fifth cheaper per vCPU-hour than x86. */
  ARM64 = 'ARM64',
  /** x86-64, for jobs whose native libraries have no ARM build. */
  X86_64 = 'X86_64',
}

/** What a Spark job needs of the runtime it runs on; a `SparkRuntime` is one. */
export interface ISparkRuntime extends IConstruct {
  /** The EMR Serverless application's id. */
  readonly applicationId: string;
  /** The EMR Serverless application's ARN. */
  readonly applicationArn: string;
  /** Where jobs' entry points are read from and their logs written to. */
  readonly artifactStore: ArtifactStore;
  /** Where the drivers and executors of every job log. */
  readonly logGroup: logs.ILogGroup;
  /** The artifact store prefix under which each job run's logs go, followed by `applications/<id>/jobs/<run id>/`. */
  readonly logPrefix: string;
}

/** How a Spark runtime runs, as `DataScienceStack.addSparkRuntime` takes it. */
export interface SparkRuntimeOptions {
  /**
   * A VPC the workers run in, to reach data stores there. Its subnets must reach S3, Glue, KMS,
   * CloudWatch Logs (and what jobs call) through a NAT gateway or VPC endpoints: EMR Serverless
   * gives workers no public IP.
   * @default - none: the workers run in EMR Serverless's own network, with egress to AWS APIs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` the workers run in; several zones keep jobs running when one fails.
   * @default - the VPC's private subnets with egress, else its isolated subnets
   */
  readonly subnets?: ec2.SubnetSelection;

  /** @default EmrRelease.LATEST */
  readonly release?: EmrRelease;

  /** @default SparkArchitecture.ARM64 */
  readonly architecture?: SparkArchitecture;

  /**
   * Most vCPUs the application runs at once, over all its jobs: past it, workers wait, so one
   * runaway job cannot spend without bound.
   * @default 64
   */
  readonly maximumVcpus?: number;

  /**
   * Most memory the application holds at once, in GiB.
   * @default - 8 GiB per vCPU of `maximumVcpus`, the most a worker takes, so memory binds no sooner than vCPUs
   */
  readonly maximumMemoryGiB?: number;

  /**
   * Most worker disk the application holds at once, in GiB.
   * @default - 20 GiB per vCPU of `maximumVcpus`, a standard worker's disk per vCPU at the least
   */
  readonly maximumDiskGiB?: number;

  /**
   * After this long without a job the application stops. It keeps no warm workers either way, so
   * it bills nothing while idle; a job submitted to a stopped application starts it.
   * @default Duration.minutes(5)
   */
  readonly idleTimeout?: Duration;

  /**
   * The name Spark SQL gives the Glue catalog's Iceberg tables, as in `SELECT * FROM lake.<database>.<table>`.
   * @default 'lake'
   */
  readonly icebergCatalogName?: string;

  /**
   * Where Iceberg tables created without a location go when their database has none either (the
   * lake zones' databases have one).
   * @default - the artifact store's `iceberg/` prefix
   */
  readonly icebergWarehouse?: string;

  /**
   * How long the drivers' and executors' logs are kept in CloudWatch Logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Encrypts the log group. A key you import must allow CloudWatch Logs to use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the log group and the new key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface SparkRuntimeProps extends SparkRuntimeOptions {
  /**
   * Where jobs' entry points (PySpark scripts, JARs) are read from, and where the drivers' and
   * executors' logs are written, encrypted with the store's key, under `spark-logs/`.
   */
  readonly artifactStore: ArtifactStore;
}
