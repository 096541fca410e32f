import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeResourceWildcard } from '../core/grants';
import { AslState, catchAll, task, transientRetry, userRetries } from './asl';
import type { BatchJobOptions } from './step-props';
import type { StepContext, StepStateSink } from './step-types';

/** The run id: the execution's name, unique per state machine. */
export const RUN_ID_PATH = '$$.Execution.Name';

/** Batch's throttling and server errors, as Step Functions names them. */
export const BATCH_TRANSIENT_ERRORS = ['Batch.AWSBatchException', 'Batch.ServerException', 'Batch.TooManyRequestsException'];

/** Where a step's request waits for the shared task that runs it. */
const REQUEST = '$.request';

/**
 * A SubmitJob request for `job`, its queue and job definition at `queuePath` and
 * `definitionPath` when given (a lane's `ref`), else written out.
 */
function submitJobRequest(jobName: string, job: BatchJobOptions, environment: object[], paths: { queue?: string; definition?: string } = {}): object {
  const resources = [
    ...(job.vcpus !== undefined ? [{ Type: 'VCPU', Value: String(job.vcpus) }] : []),
    ...(job.memoryMiB !== undefined ? [{ Type: 'MEMORY', Value: String(job.memoryMiB) }] : []),
    ...(job.gpuCount !== undefined ? [{ Type: 'GPU', Value: String(job.gpuCount) }] : []),
  ];
  return {
    JobName: jobName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128),
    ...(paths.queue ? { 'JobQueue.$': paths.queue } : { JobQueue: job.jobQueue.jobQueueArn }),
    ...(paths.definition ? { 'JobDefinition.$': paths.definition } : { JobDefinition: job.jobDefinition.jobDefinitionArn }),
    ContainerOverrides: { Environment: environment, ...(resources.length > 0 ? { ResourceRequirements: resources } : {}) },
    ...(job.timeout ? { Timeout: { AttemptDurationSeconds: job.timeout.toSeconds() } } : {}),
  };
}

/** A job's environment: the run id at `runIdPath`, then `env`, then `extra` entries. */
function jobEnvironment(env: { [name: string]: string }, runIdPath: string, extra: object[] = []): object[] {
  return [{ 'Name': 'DSI_RUN_ID', 'Value.$': runIdPath }, ...Object.entries(env).map(([Name, Value]) => ({ Name, Value })), ...extra];
}

/**
 * A Batch job as a step of a lane: a Pass state named after the step that writes its request,
 * and the submitJob.sync task that steps with the same retries share. Spot reclamation is
 * retried by Batch, by the job definition's retry strategy, so the task retries service
 * errors and then only the step's own `retries`.
 */
export function addBatchJobStep(sink: StepStateSink, stepName: string, job: BatchJobOptions, env: { [name: string]: string }, retries: number): void {
  const timed = job.timeout !== undefined;
  const runner = sink.shared(sharedTaskName('Batch job', retries, timed ? ' with timeout' : ''), task('batch:submitJob.sync', {
    'JobName.$': `${REQUEST}.JobName`,
    'JobQueue.$': `${REQUEST}.JobQueue`,
    'JobDefinition.$': `${REQUEST}.JobDefinition`,
    'ContainerOverrides.$': `${REQUEST}.ContainerOverrides`,
    ...(timed ? { 'Timeout.$': `${REQUEST}.Timeout` } : {}),
  }, { Retry: [transientRetry(BATCH_TRANSIENT_ERRORS), ...userRetries(retries)], Catch: [catchAll(sink.stepFailed)], Next: sink.afterStep }));
  const request = submitJobRequest(stepName, job, jobEnvironment(env, RUN_ID_PATH),
    { queue: sink.ref(job.jobQueue.jobQueueArn), definition: sink.ref(job.jobDefinition.jobDefinitionArn) });
  sink.add(stepName, { Type: 'Pass', Parameters: request, ResultPath: REQUEST, Next: runner });
}

/**
 * A submitJob.sync task of its own, for a job that does not run as a lane's step (each item of a
 * `forEach`); the run id at `runIdPath`, and `extraEnv` after the job's environment.
 */
export function batchJobTask(stateName: string, job: BatchJobOptions, env: { [name: string]: string }, extraEnv: object[], runIdPath: string, fields: AslState): AslState {
  return task('batch:submitJob.sync', submitJobRequest(stateName, job, jobEnvironment(env, runIdPath, extraEnv)),
    { Retry: [transientRetry(BATCH_TRANSIENT_ERRORS)], ...fields });
}

/**
 * An Athena query as a step of a lane: a Pass state named after the step that writes its
 * request, and the startQueryExecution.sync task that steps with the same retries share.
 */
export function addAthenaQueryStep(sink: StepStateSink, stepName: string, request: { [field: string]: unknown }, retries: number): void {
  const runner = sink.shared(sharedTaskName('Athena query', retries), task('athena:startQueryExecution.sync', Object.fromEntries(
    ['QueryString', 'WorkGroup', 'QueryExecutionContext'].map((field) => [`${field}.$`, `${REQUEST}.${field}`]),
  ), {
    Retry: [transientRetry(['Athena.TooManyRequestsException', 'Athena.InternalServerException']), ...userRetries(retries)],
    Catch: [catchAll(sink.stepFailed)],
    Next: sink.afterStep,
  }));
  sink.add(stepName, { Type: 'Pass', Parameters: request, ResultPath: REQUEST, Next: runner });
}

/** `Batch job`, `Batch job with timeout, 2 retries`: what a shared task does, and how often it tries again. */
function sharedTaskName(does: string, retries: number, variant = ''): string {
  return `${does}${variant}${retries > 0 ? `, ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}`;
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
