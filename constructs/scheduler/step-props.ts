import { Duration } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import type { ISparkJob } from '../compute/spark-job-target';
import type { ModelRegistry } from '../versioning/model-registry';
import type { LakeZone } from '../warehouse/lake-zone';
import type { IQueryTarget } from '../warehouse/query-target';

/** What every step takes. */
export interface StepOptions {
  /** The step's name, unique in its workflow: letters, digits, hyphens and underscores. */
  readonly name: string;
  /**
   * Steps that must succeed before this one starts. Steps with no dependency in common run side by side.
   * @default - none: the step starts with the run
   */
  readonly dependsOn?: string[];
  /**
   * How many more times the step is tried after it fails (throttling and transient service
   * errors are always retried, with backoff and jitter, and do not count).
   * @default 0
   */
  readonly retries?: number;
}

/** A container job on a Batch queue, as a step or as the body of a `forEach`. */
export interface BatchJobOptions {
  /** The queue the job is submitted to, for example `compute.queue('gpu').jobQueue`. */
  readonly jobQueue: batch.IJobQueue;
  /** The job to run, for example from `BatchCompute.addJobDefinition`. */
  readonly jobDefinition: batch.IJobDefinition;
  /** @default - the job definition's */
  readonly vcpus?: number;
  /** @default - the job definition's */
  readonly memoryMiB?: number;
  /** @default - the job definition's */
  readonly gpuCount?: number;
  /** Added to the job's environment. @default - none */
  readonly environment?: { [name: string]: string };
  /**
   * After this long Batch stops the job and the step fails; at least one minute.
   * @default - the job definition's timeout
   */
  readonly timeout?: Duration;
}

/** A step that runs a container job on a Batch queue and waits for it to end. */
export interface BatchJobStepProps extends StepOptions, BatchJobOptions {}

/** A step that runs an Athena query through the warehouse's workgroup and waits for it. */
export interface AthenaQueryStepProps extends StepOptions {
  /** Where the query runs: the team's `DataWarehouse`, or a `ProjectSandboxStack` for its own data. */
  readonly warehouse: IQueryTarget;
  /**
   * The SQL. `{run_id}` is replaced with the run's id, for example in
   * `UNLOAD (...) TO 's3://bucket/features/{run_id}/'`.
   */
  readonly queryString: string;
  /** The zone whose database the query runs in. @default - the target's default database: a warehouse's curated zone, a sandbox's own */
  readonly zone?: LakeZone;
  /**
   * Where a CTAS or UNLOAD query writes: the step may write objects under this prefix of
   * this zone and create tables in its database, nothing else.
   * @default - the query only reads
   */
  readonly output?: QueryOutput;
}

/** Where a query writes. */
export interface QueryOutput {
  readonly zone: LakeZone;
  /** A key prefix ending in `/`, for example `features/`. */
  readonly prefix: string;
}

/** A step that runs a Batch job once per item of a list an earlier step wrote. */
export interface ForEachStepProps extends StepOptions {
  /**
   * The step that wrote the list: a JSON array at
   * `runs/<workflow>/<run id>/<itemsFrom>/items.json` in the workflow's artifact store.
   * It must be among `dependsOn`.
   */
  readonly itemsFrom: string;
  /** The job run for each item; it sees the item, as JSON, in `DSI_ITEM`. */
  readonly job: BatchJobOptions;
  /**
   * Most items processed at once. Up to 40 runs as an inline Map; more runs as a
   * Distributed Map of child executions.
   * @default 10
   */
  readonly maxConcurrency?: number;
}

/** A step that registers a trained model, pending approval, in the model registry. */
export interface RegisterModelStepProps extends StepOptions {
  readonly registry: ModelRegistry;
  /** A model of the registry. */
  readonly modelName: string;
  /** The inference container image URI. */
  readonly image: string;
  /** The model's key in the workflow's artifact store; `{run_id}` is replaced with the run's id. */
  readonly modelDataKey: string;
  /**
   * The key of the model's metrics (JSON) in the artifact store; `{run_id}` is replaced.
   * @default - no metrics
   */
  readonly metricsKey?: string;
  /**
   * Content types the model takes and returns.
   * @default ['application/json', 'text/csv']
   */
  readonly contentTypes?: string[];
}

/*
 * Spark jobs on EMR Serverless.
 */

/** A step that runs a Spark job on EMR Serverless and waits for it to end. */
export interface SparkJobStepProps extends StepOptions {
  /** The job, for example from `SparkRuntime.addJob`. */
  readonly job: ISparkJob;
  /**
   * The entry point's arguments in this step: `{run_id}` becomes the run's id, and
   * `{snapshot:<table>}` the id of a table's snapshot the run recorded.
   * @default - the job's
   */
  readonly arguments?: string[];
  /**
   * Spark settings of this step, beside the job's (and over them where both set one).
   * @default - the job's
   */
  readonly sparkConf?: { [key: string]: string };
  /**
   * After this long EMR Serverless cancels the job and the step fails: whole minutes, at most 7 days.
   * @default - the job's timeout
   */
  readonly timeout?: Duration;
}

// multi-node jobs

/** A step that runs a multi-node parallel job, its nodes started together, and waits for it to end. */
export interface MultiNodeJobStepProps extends StepOptions {
  /**
   * The queue, for example `compute.multiNodeQueue!.jobQueue`: on-demand EC2 only, since Batch
   * runs no multi-node job on spot or Fargate.
   */
  readonly jobQueue: batch.IJobQueue;
  /**
   * A `batch.MultiNodeJobDefinition`, for example from `BatchCompute.addMultiNodeJobDefinition`:
   * the step sets the environment of each of its node ranges, so it must know them.
   */
  readonly jobDefinition: batch.IJobDefinition;
  /** Added to every node's environment. @default - none */
  readonly environment?: { [name: string]: string };
  /**
   * After this long Batch stops every node and the step fails; at least one minute.
   * @default - the job definition's timeout
   */
  readonly timeout?: Duration;
}
