import * as iam from 'aws-cdk-lib/aws-iam';
import type { PropChecker } from '../core/validation-error';

/**
 * A Spark job a workflow step can run: its EMR Serverless application, its entry point and
 * settings, and the runtime role its code runs as (its `grantPrincipal`). A `SparkJob` of a
 * `SparkRuntime` is one.
 */
export interface ISparkJob extends iam.IGrantable {
  /** The EMR Serverless application the job runs on. */
  readonly applicationId: string;
  /** The role the job's code runs as. */
  readonly jobRole: iam.IRole;
  /** The S3 URL of the job's PySpark script or JAR. */
  readonly entryPoint: string;
  /** The arguments the entry point gets unless a step gives others. */
  readonly entryPointArguments: string[];
  /** The job's spark-submit parameters: its main class and its Spark settings, never empty. */
  readonly sparkSubmitParameters: string;
  /** After this many minutes EMR Serverless cancels a run of the job. */
  readonly timeoutMinutes: number;

  /**
   * Lets `grantee` start runs of this job as its runtime role, watch and cancel them: nothing
   * else of the application, no other role.
   */
  grantStart(grantee: iam.IGrantable): iam.Grant;
}

/** Spark settings' names, as spark-submit takes them after `--conf`. */
const SPARK_KEY = /^[A-Za-z0-9_.-]+$/;
/** The environment variables a workflow sets in every Spark job. */
const WORKFLOW_VARIABLE = /^spark\.(emr-serverless\.driverEnv|executorEnv)\.DSI_/;

/**
 * Records what is wrong with Spark settings given as `prop`: spark-submit parameters are split at
 * white space, the workflow's variables are its own, and `spark.jars` keeps Iceberg's runtime, so
 * jars are given on the job (`jarKeys`).
 */
export function checkSparkConf(check: PropChecker, prop: string, conf: { [key: string]: string } | undefined): void {
  const isObject = conf === undefined || (typeof conf === 'object' && !Array.isArray(conf));
  check.check(isObject, prop, conf, 'give the settings as an object, for example { "spark.executor.memory": "4g" }');
  if (!isObject) {
    return;
  }
  for (const [key, value] of Object.entries(conf ?? {})) {
    check.check(SPARK_KEY.test(key) && !WORKFLOW_VARIABLE.test(key) && key !== 'spark.jars', prop, key,
      key === 'spark.jars' ? 'give extra jars with the job\'s jarKeys: spark.jars also loads Iceberg\'s runtime, which this setting would drop'
        : WORKFLOW_VARIABLE.test(key) ? 'leave DSI_ variables to the workflow, which sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_SNAPSHOTS'
          : 'give a Spark setting name of letters, digits, dots, hyphens and underscores, such as spark.executor.memory');
    check.check(typeof value === 'string' && value.length > 0 && !/\s/.test(value), `${prop}.${key}`, value,
      'give a value without white space (spark-submit splits its parameters at spaces), for example "4g"');
  }
}

/** Spark settings as spark-submit parameters: `--conf key=value` each. */
export function sparkConfParameters(conf: { [key: string]: string } | undefined): string[] {
  return Object.entries(conf ?? {}).flatMap(([key, value]) => ['--conf', `${key}=${value}`]);
}
