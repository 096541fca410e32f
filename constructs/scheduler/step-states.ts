import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeResourceWildcard } from '../core/grants';
import type { BatchJobOptions } from './step-props';
import type { StepContext } from './step-types';

/** The run id: the execution's name, unique per state machine. */
export const RUN_ID_PATH = '$$.Execution.Name';

/** Service errors that pass: retried quickly with exponential backoff and full jitter. */
export function retryTransient(state: sfn.CustomState | sfn.TaskStateBase | sfn.Map | sfn.DistributedMap, errors: string[]): void {
  state.addRetry({
    errors, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, maxDelay: Duration.minutes(1),
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/** The retries a user asked for, on any failure; added after the transient ones. */
export function retryFailures(state: sfn.CustomState | sfn.TaskStateBase | sfn.Map | sfn.DistributedMap, retries: number): void {
  if (retries > 0) {
    state.addRetry({
      errors: [sfn.Errors.ALL], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: retries,
      jitterStrategy: sfn.JitterType.FULL,
    });
  }
}

/**
 * A Task state calling `integration` (for example `dynamodb:putItem` or
 * `aws-sdk:s3:getObject`) with `parameters`, its result discarded unless `output` says where it
 * goes, and the service's `transientErrors` retried.
 */
export function serviceTask(scope: Construct, stateName: string, integration: string, parameters: object, transientErrors: string[],
  output: { readonly ResultSelector?: object; readonly ResultPath: string | null } = { ResultPath: null }): sfn.CustomState {
  const task = new sfn.CustomState(scope, stateName, {
    stateJson: { Type: 'Task', Resource: `arn:${Aws.PARTITION}:states:::${integration}`, Parameters: parameters, ...output },
  });
  retryTransient(task, transientErrors);
  return task;
}

/** Batch's throttling and server errors, as Step Functions names them. */
export const BATCH_TRANSIENT_ERRORS = ['Batch.AWSBatchException', 'Batch.ServerException', 'Batch.TooManyRequestsException'];

/**
 * A Batch submitJob.sync task. Spot reclamation is retried by Batch, by the job definition's
 * retry strategy, so the task retries only service errors.
 */
export function batchJobTask(scope: Construct, stateName: string, job: BatchJobOptions, env: { [name: string]: string }, extraEnv: object[] = [], runIdPath = RUN_ID_PATH): sfn.CustomState {
  const resources = [
    ...(job.vcpus !== undefined ? [{ Type: 'VCPU', Value: String(job.vcpus) }] : []),
    ...(job.memoryMiB !== undefined ? [{ Type: 'MEMORY', Value: String(job.memoryMiB) }] : []),
    ...(job.gpuCount !== undefined ? [{ Type: 'GPU', Value: String(job.gpuCount) }] : []),
  ];
  return serviceTask(scope, stateName, 'batch:submitJob.sync', {
    JobName: stateName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128),
    JobQueue: job.jobQueue.jobQueueArn,
    JobDefinition: job.jobDefinition.jobDefinitionArn,
    ContainerOverrides: {
      Environment: [
        { 'Name': 'DSI_RUN_ID', 'Value.$': runIdPath },
        ...Object.entries(env).map(([Name, Value]) => ({ Name, Value })),
        ...extraEnv,
      ],
      ...(resources.length > 0 ? { ResourceRequirements: resources } : {}),
    },
    ...(job.timeout ? { Timeout: { AttemptDurationSeconds: job.timeout.toSeconds() } } : {}),
  }, BATCH_TRANSIENT_ERRORS);
}

/** Roles already allowed what every submitJob.sync task needs, whatever its queue. */
const rolesWatchingJobs = new WeakSet<iam.IRole>();

/**
 * What submitJob.sync calls: submit to this queue with this job definition (any of its
 * revisions, so runs under way survive a deploy); and, once per role, stop a job when the run
 * stops and the managed EventBridge rule that reports job completion.
 */
export function grantBatchJob(role: iam.IRole, job: BatchJobOptions): void {
  const stack = Stack.of(role);
  const definitionRevisions = stack.formatArn({ service: 'batch', resource: 'job-definition', resourceName: `${job.jobDefinition.jobDefinitionName}:*` });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['batch:SubmitJob'], resources: [job.jobQueue.jobQueueArn, definitionRevisions],
  }));
  acknowledgeResourceWildcard(role, definitionRevisions, 'Every revision of this one job definition, so runs under way survive a deploy that registers a new revision.');
  if (rolesWatchingJobs.has(role)) {
    return;
  }
  rolesWatchingJobs.add(role);
  const jobs = stack.formatArn({ service: 'batch', resource: 'job', resourceName: '*' });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:TerminateJob'], resources: [jobs] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:DescribeJobs'], resources: ['*'] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForBatchJobsRule' })],
  }));
  acknowledgeResourceWildcard(role, jobs, 'batch:TerminateJob names jobs by id, which Batch assigns at submission; this lets a stopped run stop its own jobs.');
}

/** The environment every job of a step sees. */
export function stepEnvironment(context: StepContext, stepName: string, job: BatchJobOptions): { [name: string]: string } {
  return { DSI_WORKFLOW: context.workflowName, DSI_STEP: stepName, ...job.environment };
}

/** What `{run_id}` in a step's text becomes: the run's id. */
export const RUN_ID_PLACEHOLDER = '{run_id}';

/**
 * A Parameters field holding `text`: plain, or, where the text says `{run_id}`, a
 * States.Format that puts the run id there. States.Format takes `'`, `{`, `}` and `\`
 * literally only when escaped; CDK tokens (bucket names and such) are left whole.
 */
export function withRunId(field: string, text: string): { [field: string]: string } {
  if (!text.includes(RUN_ID_PLACEHOLDER)) {
    return { [field]: text };
  }
  const parts = text.split(RUN_ID_PLACEHOLDER).map(escapeFormatLiteral);
  return { [`${field}.$`]: `States.Format('${parts.join('{}')}'${`, ${RUN_ID_PATH}`.repeat(parts.length - 1)})` };
}

function escapeFormatLiteral(text: string): string {
  return text.split(/(\$\{Token\[[^\]]+\]\})/).map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\'{}]/g, (c) => `\\${c}`))).join('');
}
