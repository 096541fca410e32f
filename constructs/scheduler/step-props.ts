import { Duration } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import type { ISparkJob } from '../compute/spark-job-target';
import type { DataQualityRuleset } from '../features/data-quality-ruleset';
import type { ModelProblemType } from '../modelops/drift-monitor-props';
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
  /**
   * vCPUs the job reserves.
   * @default - the job definition's
   */
  readonly vcpus?: number;
  /**
   * Memory the job reserves, in MiB.
   * @default - the job definition's
   */
  readonly memoryMiB?: number;
  /**
   * NVIDIA GPUs the job reserves.
   * @default - the job definition's
   */
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
  /** The zone the query writes into. */
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
  /** The registry the model is registered in. */
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

/**
 * A step that checks a lake table against its data-quality rules with Glue Data Quality: a
 * gate. A rule that fails fails the run, with the rules that failed and their values in the
 * notification, before any step that depends on this one starts; the score and the failed
 * rules go into the run's record either way.
 */
export interface DataQualityStepProps extends StepOptions {
  /** The rules, declared with the table they check. */
  readonly ruleset: DataQualityRuleset;
  /**
   * Which partitions to check: a Spark SQL condition on the table's partition keys, for example
   * `dt >= date_format(date_sub(current_date(), 7), 'yyyy-MM-dd')`. Glue reads only those partitions.
   * @default - the whole table
   */
  readonly partitionPredicate?: string;
  /**
   * Glue G.1X workers (1 DPU each) that evaluate the rules; each bills by the second, at least a minute.
   * @default 2
   */
  readonly workers?: number;
  /**
   * After this long Glue stops the evaluation and the step fails; whole minutes, up to 48 hours.
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
}

/** How a monitoring baseline's dataset is written. */
export enum BaselineDatasetFormat {
  /** CSV whose first line names the columns. */
  CSV_WITH_HEADER = 'CSV_WITH_HEADER',
  /** CSV without a header line: columns are known by their 0-based index (`_c0`, `_c1`, ...). */
  CSV = 'CSV',
  /** One JSON object a line. */
  JSON_LINES = 'JSON_LINES',
}

/** A model-quality baseline: predictions of a validation set beside their labels. */
export interface ModelQualityBaselineOptions {
  /** What the model predicts, which decides the metrics the baseline holds. */
  readonly problemType: ModelProblemType;
  /** The column (a header name, or a 0-based index without a header) or JSONPath of the prediction. */
  readonly inferenceAttribute: string;
  /** The column or JSONPath of the label. */
  readonly groundTruthAttribute: string;
  /** Classification only: the column or JSONPath of the predicted probability. @default - none */
  readonly probabilityAttribute?: string;
  /** Binary classification only: the probability from which a prediction counts as positive. @default - none */
  readonly probabilityThreshold?: number;
}

/**
 * A step that computes a model's monitoring baseline (statistics and constraints) from its
 * training data with SageMaker Model Monitor's analyzer, in a processing job, and keeps it in
 * the workflow's artifact store under the model's key, where its `DriftMonitor` reads it.
 */
export interface MonitoringBaselineStepProps extends StepOptions {
  /** The model, as the artifact store names it: the baseline goes to `models/<modelName>/monitoring/<kind>/baseline/`. */
  readonly modelName: string;
  /**
   * The key prefix of the dataset (training data, or for model quality a validation set with
   * predictions and labels): in the workflow's artifact store, or in `datasetZone`.
   * `{run_id}` is replaced with the run's id, for example `runs/training/{run_id}/prepare/train/`.
   */
  readonly datasetKeyPrefix: string;
  /** A lake zone the dataset is in. @default - the workflow's artifact store */
  readonly datasetZone?: LakeZone;
  /**
   * How the dataset is written.
   * @default BaselineDatasetFormat.CSV_WITH_HEADER
   */
  readonly datasetFormat?: BaselineDatasetFormat;
  /**
   * Compute a model-quality baseline instead, from predictions beside their labels; it goes
   * under `model-quality/` rather than `data-quality/`.
   * @default - a data-quality baseline
   */
  readonly modelQuality?: ModelQualityBaselineOptions;
  /**
   * The instance the processing job runs on; it bills for the job's run time.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Size of the processing job's storage volume, in GiB, encrypted with the artifact store's key.
   * @default 20
   */
  readonly volumeSizeGiB?: number;
  /** After this long the job is stopped and the step fails. @default Duration.hours(1) */
  readonly timeout?: Duration;
  /**
   * The analyzer image the processing job runs.
   * @default - SageMaker Model Monitor's analyzer image in the stack's region (ModelMonitorImage)
   */
  readonly analyzerImageUri?: string;
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
