import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { checkSparkConf, sparkConfParameters } from '../compute/spark-job-target';
import { type PropChecker, shownDuration } from '../core/validation-error';
import { catchAll, task, transientRetry, userRetries } from './asl';
import { checkSnapshotPlaceholders, hasRunValues, runValueArgument } from './run-values';
import { RUN_ID_PATH, sharedTaskName, SNAPSHOTS_PATH } from './step-states';
import type { SparkJobStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

/**
 * EMR Serverless's throttling and server errors, as Step Functions names the errors of this
 * integration (its page lists none; the names follow the service's API errors).
 */
export const EMR_SERVERLESS_TRANSIENT_ERRORS = ['EMRServerless.ThrottlingException', 'EMRServerless.InternalServerException'];

/** EMR Serverless cancels a batch job run after 7 days at most. */
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

/** Builds a `WorkflowStep.sparkJob`. */
export class SparkJobBuilder implements StepBuilder {
  constructor(private readonly props: SparkJobStepProps) {}

  public check(_step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void {
    const { job, arguments: args, timeout } = this.props;
    check.instance(`${prefix}.job`, job, 'grantStart', 'a Spark job, for example from SparkRuntime.addJob', { required: true });
    const argumentList = check.list(`${prefix}.arguments`, args, '["--date", "{run_id}"]');
    argumentList.forEach((argument, i) => check.text(`${prefix}.arguments[${i}]`, argument, 10280, 'give 1 to 10280 characters'));
    (args ? argumentList : job?.entryPointArguments ?? []).forEach((argument, i) => checkSnapshotPlaceholders(check,
      `${prefix}.${args ? 'arguments' : 'job.entryPointArguments'}[${i}]`, argument, context));
    checkSparkConf(check, `${prefix}.sparkConf`, this.props.sparkConf);
    // a timeout known only at deploy is EMR Serverless's to judge
    const minutes = check.durationIn(`${prefix}.timeout`, timeout, 'minutes', 'Duration.hours(1)');
    check.check(minutes === undefined || (Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_TIMEOUT_MINUTES), `${prefix}.timeout`, shownDuration(timeout),
      'give whole minutes from 1 minute to 7 days (EMR Serverless cancels batch runs after 7 days at most)');
  }

  /**
   * A Pass state named after the step writes what is the step's own (its entry point, arguments,
   * parameters and timeout; its application and role, once per workflow), and a startJobRun.sync
   * task that the steps with and without arguments share starts the job with the run's variables
   * in the driver's and executors' environment, and waits for it.
   */
  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    const { job } = this.props;
    const args = this.props.arguments ?? job.entryPointArguments;
    const dynamic = args.some(hasRunValues);
    const variables: { [name: string]: string } = {
      'DSI_RUN_ID.$': RUN_ID_PATH,
      'DSI_WORKFLOW': context.workflowName,
      'DSI_STEP.$': '$.spark.name',
      ...(context.snapshotTables ? { 'DSI_SNAPSHOTS.$': `${SNAPSHOTS_PATH}.json` } : {}),
    };
    const environment = Object.fromEntries(['spark.emr-serverless.driverEnv', 'spark.executorEnv']
      .flatMap((side) => Object.entries(variables).map(([name, value]) => [`${side}.${name}`, value])));
    const runner = sink.shared(sharedTaskName(`Spark job${args.length > 0 ? ' with arguments' : ''}`, step.retries), task('emr-serverless:startJobRun.sync', {
      'Name.$': `States.Format('{}-{}', $.spark.name, ${RUN_ID_PATH})`,
      'ApplicationId.$': '$.spark.target.ApplicationId',
      'ExecutionRoleArn.$': '$.spark.target.ExecutionRoleArn',
      'JobDriver': {
        SparkSubmit: {
          'EntryPoint.$': '$.spark.entryPoint',
          ...(args.length > 0 ? { 'EntryPointArguments.$': '$.spark.arguments' } : {}),
          'SparkSubmitParameters.$': '$.spark.parameters',
        },
      },
      'ConfigurationOverrides': { ApplicationConfiguration: [{ Classification: 'spark-defaults', Properties: environment }] },
      'ExecutionTimeoutMinutes.$': '$.spark.timeout',
    }, {
      Retry: [transientRetry(EMR_SERVERLESS_TRANSIENT_ERRORS), ...userRetries(step.retries)],
      Catch: [catchAll(sink.stepFailed)],
      Next: sink.afterStep,
    }));
    sink.add(step.name, {
      Type: 'Pass',
      Parameters: {
        'name': step.name,
        'target.$': sink.ref({ ApplicationId: job.applicationId, ExecutionRoleArn: job.jobRole.roleArn }),
        'entryPoint': job.entryPoint,
        ...(args.length === 0 ? {} : dynamic ? { 'arguments.$': `States.Array(${args.map(runValueArgument).join(', ')})` } : { arguments: args }),
        'parameters': [job.sparkSubmitParameters, ...sparkConfParameters(this.props.sparkConf)].join(' '),
        'timeout': this.props.timeout?.toMinutes() ?? job.timeoutMinutes,
      },
      ResultPath: '$.spark',
      Next: runner,
    });
  }

  /** Starting, watching and cancelling runs of the job, and the managed rule startJobRun.sync watches them with. */
  public grant(stateMachine: sfn.StateMachine): void {
    const role = stateMachine.role;
    this.props.job.grantStart(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [Stack.of(role).formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForEMRServerlessJobRule' })],
    }));
  }
}
