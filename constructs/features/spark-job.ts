import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkSparkConf, ISparkJob, sparkConfParameters } from '../compute/spark-job-target';
import { acknowledgeResourceWildcard } from '../core/grants';
import { roleDescription } from '../core/role-description';
import { checkPropsStruct, PropChecker, shownDuration } from '../core/validation-error';
import { ICEBERG_RUNTIME_JAR } from './iceberg-settings';
import type { ISparkRuntime } from './spark-runtime-props';

/** A Spark job, as `SparkRuntime.addJob` takes it. */
export interface SparkJobOptions {
  /**
   * The PySpark script (`.py`) or JAR (`.jar`) the job runs, by its key in the runtime's artifact
   * store, for example `code/features/<git sha>/build_features.py`.
   */
  readonly entryPointKey: string;
  /**
   * The entry point's arguments; a step may give others. `{run_id}` becomes the run's id and
   * `{snapshot:<table>}` a table's recorded snapshot id, as in a step's.
   * @default - none
   */
  readonly arguments?: string[];
  /** The class a JAR runs. @default - the JAR's manifest's */
  readonly mainClass?: string;
  /**
   * Spark settings of every run, for example `{ 'spark.executor.memory': '8g' }`.
   * @default - EMR Serverless's
   */
  readonly sparkConf?: { [key: string]: string };
  /**
   * More JARs on the class path, by their keys in the artifact store, beside Iceberg's runtime.
   * @default - none
   */
  readonly jarKeys?: string[];
  /**
   * After this long EMR Serverless cancels a run and its step fails: whole minutes, at most 7 days.
   * @default Duration.hours(4)
   */
  readonly timeout?: Duration;
  /**
   * The role the job's code runs as; it must trust `emr-serverless.amazonaws.com`.
   * @default - a new role that may read its entry point and jars and write its logs, nothing more until granted
   */
  readonly jobRole?: iam.IRole;
}

export interface SparkJobProps extends SparkJobOptions {
  /** The runtime the job runs on. */
  readonly runtime: ISparkRuntime;
}

/** Artifact store keys: no leading slash, no wildcard (grants read them as prefixes). */
const KEY = /^[A-Za-z0-9!_.'()=+,@-][A-Za-z0-9!_.'()=+,@/-]*$/;
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

/**
 * A Spark job of a `SparkRuntime`: its entry point in the artifact store, its settings, and the
 * role its code runs as, which may read the entry point and write the job's logs; grant it its
 * data like a Batch job's role (`zone.grantRead(job, 'events/')`, `table.grantCommit(job)`).
 */
export class SparkJob extends Construct implements ISparkJob {
  public readonly applicationId: string;
  public readonly jobRole: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly entryPoint: string;
  public readonly entryPointArguments: string[];
  public readonly sparkSubmitParameters: string;
  public readonly timeoutMinutes: number;

  private readonly applicationArn: string;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `SparkJobProps`
   */
  constructor(scope: Construct, id: string, props: SparkJobProps) {
    super(scope, id);
    checkPropsStruct('SparkJob', props, '{ runtime, entryPointKey: "code/jobs/features.py" }', { required: true });
    const timeout = props.timeout ?? Duration.hours(4);
    validate(id, props, timeout);

    const { runtime } = props;
    const store = runtime.artifactStore;
    this.applicationId = runtime.applicationId;
    this.applicationArn = runtime.applicationArn;
    this.jobRole = props.jobRole ?? new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('emr-serverless.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: roleDescription(`Role of the ${id} Spark job`),
    });
    this.grantPrincipal = this.jobRole;
    this.entryPoint = store.bucket.s3UrlForObject(props.entryPointKey);
    this.entryPointArguments = props.arguments ?? [];
    const jars = [ICEBERG_RUNTIME_JAR, ...(props.jarKeys ?? []).map((key) => store.bucket.s3UrlForObject(key))];
    this.sparkSubmitParameters = [
      ...(props.mainClass ? ['--class', props.mainClass] : []),
      ...sparkConfParameters({ 'spark.app.name': id, ...(props.jarKeys?.length ? { 'spark.jars': jars.join(',') } : {}), ...props.sparkConf }),
    ].join(' ');
    this.timeoutMinutes = timeout.toMinutes();

    for (const key of [props.entryPointKey, ...props.jarKeys ?? []]) {
      store.grantRead(this, key);
    }
    // EMR Serverless writes each run's logs under applications/<id>/jobs/<run id>/, as the job's role
    store.grantWrite(this, `${runtime.logPrefix}applications/${runtime.applicationId}/`);
    this.grantLogs(runtime);
    this.grantDefaultDatabase();
  }

  public grantStart(grantee: iam.IGrantable): iam.Grant {
    const jobRuns = `${this.applicationArn}/jobruns/*`;
    acknowledgeResourceWildcard(grantee, jobRuns, 'Runs of this one application, whose ids EMR Serverless assigns as they start.');
    return iam.Grant.addToPrincipal({ grantee, actions: ['emr-serverless:StartJobRun'], resourceArns: [this.applicationArn] })
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun'], resourceArns: [jobRuns] }))
      .combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['iam:PassRole'],
        resourceArns: [this.jobRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
      }));
  }

  /** Writing the drivers' and executors' log streams, as EMR Serverless does as the job's role. */
  private grantLogs(runtime: ISparkRuntime): void {
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resourceArns: [runtime.logGroup.logGroupArn],
    });
    // an action of no resource type (the Service Authorization Reference): granted on a log group's ARN it is granted on none
    iam.Grant.addToPrincipal({ grantee: this, actions: ['logs:DescribeLogGroups'], resourceArns: ['*'] });
    acknowledgeResourceWildcard(this, runtime.logGroup.logGroupArn, 'The streams of the runtime\'s one log group, which EMR Serverless names per job run.');
    acknowledgeResourceWildcard(this, '*', 'logs:DescribeLogGroups has no resource type, so it takes * alone; it lists log groups and reads no log.');
  }

  /**
   * Spark's Hive session looks up the catalog's `default` database as it starts, whatever the
   * job reads; it reads nothing there.
   */
  private grantDefaultDatabase(): void {
    const stack = Stack.of(this);
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['glue:GetDatabase'],
      resourceArns: [stack.formatArn({ service: 'glue', resource: 'catalog' }), stack.formatArn({ service: 'glue', resource: 'database', resourceName: 'default' })],
    });
  }
}

function validate(id: string, props: SparkJobProps, timeout: Duration): void {
  const check = new PropChecker(`SparkJob '${id}'`);
  const key = (prop: string, value: string, fix: string) => check.check(typeof value === 'string' && KEY.test(value) && !/\.\.|\/\//.test(value), prop, value, fix);
  key('entryPointKey', props.entryPointKey, 'give the key of a script or JAR in the artifact store, for example "code/features/build_features.py"');
  check.check(typeof props.entryPointKey !== 'string' || /\.(py|jar)$/.test(props.entryPointKey), 'entryPointKey', props.entryPointKey,
    'give a PySpark script (.py) or a JAR (.jar)');
  check.list('jarKeys', props.jarKeys, '["code/features/udfs.jar"]').forEach((jar, i) => key(`jarKeys[${i}]`, jar, 'give the key of a JAR in the artifact store, for example "code/features/udfs.jar"'));
  check.matches('mainClass', props.mainClass, /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/,
    'give a Java class name such as "com.example.BuildFeatures"');
  check.list('arguments', props.arguments, '["--day", "{run_id}"]')
    .forEach((argument, i) => check.text(`arguments[${i}]`, argument, 10280, 'give 1 to 10280 characters'));
  checkSparkConf(check, 'sparkConf', props.sparkConf);
  const minutes = check.durationIn('timeout', timeout, 'minutes', 'Duration.hours(4)');
  check.check(minutes === undefined || (Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_TIMEOUT_MINUTES), 'timeout', shownDuration(timeout),
    'give whole minutes from 1 minute to 7 days (EMR Serverless cancels batch runs after 7 days at most), for example Duration.hours(4)');
  check.construct('jobRole', props.jobRole, 'an iam.IRole that trusts emr-serverless.amazonaws.com, such as iam.Role.fromRoleArn(this, "JobRole", arn)');
  check.construct('runtime', props.runtime, 'an ISparkRuntime, such as new SparkRuntime(this, "Spark", { artifactStore })', { required: true });
  check.throwIfAny();
}
