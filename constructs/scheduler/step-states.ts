import { Duration, Fn, Stack } from 'aws-cdk-lib';
import type { IJobDefinition, IJobQueue } from 'aws-cdk-lib/aws-batch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { counted } from '../core/counted';
import { acknowledgeResourceWildcard } from '../core/grants';
import { AslState, catchAll, task, transientRetry, userRetries } from './asl';
import type { BatchJobOptions } from './step-props';
import type { StepContext, StepStateSink } from './step-types';

/** The run id: the execution's name, unique per state machine. */
export const RUN_ID_PATH = '$$.Execution.Name';

/** Where a run's lanes hold the snapshots it recorded (table-snapshots.ts). */
export const SNAPSHOTS_PATH = '$.snapshots';
/** The snapshots as `{ Name: 'DSI_SNAPSHOTS', Value: <JSON> }`, a Batch job's environment entry. */
const SNAPSHOTS_ENV_PATH = `${SNAPSHOTS_PATH}.env`;

/** Athena's throttling and server errors, as Step Functions names them. */
export const ATHENA_TRANSIENT_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];

/** Batch's throttling and server errors, as Step Functions names them. */
export const BATCH_TRANSIENT_ERRORS = ['Batch.AWSBatchException', 'Batch.ServerException', 'Batch.TooManyRequestsException'];

/** The resources a job asks for beside its job definition's, if any. */
function resourceRequirements(job: BatchJobOptions): object[] {
  return [
    ...(job.vcpus !== undefined ? [{ Type: 'VCPU', Value: String(job.vcpus) }] : []),
    ...(job.memoryMiB !== undefined ? [{ Type: 'MEMORY', Value: String(job.memoryMiB) }] : []),
    ...(job.gpuCount !== undefined ? [{ Type: 'GPU', Value: String(job.gpuCount) }] : []),
  ];
}

/** Batch job names: letters, digits, hyphens and underscores, 128 at most. */
function jobName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
}

/** `{ Name, Value }` entries of a job's environment. */
function entries(env: { [name: string]: string }): object[] {
  return Object.entries(env).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * A Batch job as a step of a lane: a Pass state named after the step that writes what is the
 * step's own (its job name, its queue and job definition, its environment), and a
 * submitJob.sync task that the steps of the same shape share, which adds the run id and the
 * workflow's name to the environment and submits. Spot reclamation is retried by Batch, by
 * the job definition's retry strategy, so the task retries service errors and then only the
 * step's own `retries`.
 */
export function addBatchJobStep(sink: StepStateSink, context: StepContext, stepName: string, job: BatchJobOptions, retries: number): void {
  const resources = resourceRequirements(job);
  const env = stepEnvironment(sink, context, stepName, job.environment);
  const shape = [
    ...(resources.length > 0 ? ['resources'] : []),
    ...(job.timeout ? ['timeout'] : []),
  ];
  addSubmitJobStep(sink, stepName, job, retries, `Batch job${shape.length > 0 ? ` with ${shape.join(' and ')}` : ''}${env.label}`, {
    'ContainerOverrides': {
      'Environment.$': env.array,
      ...(resources.length > 0 ? { 'ResourceRequirements.$': '$.job.resources' } : {}),
    },
  }, { 'env': env.own, ...(resources.length > 0 ? { resources } : {}) });
}

/**
 * A step's environment: the variables that are its own (DSI_STEP and the job's), which its
 * Pass state writes at `$.job.env`, and the States.Array the shared task builds of them after
 * the run id, the workflow's name and, when the run records them, its snapshots; `label` counts the job's own for the task's name.
 */
export function stepEnvironment(sink: StepStateSink, context: StepContext, stepName: string, variables: { [name: string]: string } = {}) {
  const own = [{ Name: 'DSI_STEP', Value: stepName }, ...entries(variables)];
  const all = [sink.ref({ 'Name': 'DSI_RUN_ID', 'Value.$': RUN_ID_PATH }), sink.ref({ Name: 'DSI_WORKFLOW', Value: context.workflowName }),
    ...(context.snapshotTables ? [SNAPSHOTS_ENV_PATH] : []), ...own.map((_, i) => `$.job.env[${i}]`)];
  const count = own.length - 1;
  return { own, array: `States.Array(${all.join(', ')})`, label: count > 0 ? `, ${counted(count, 'variable')}` : '' };
}

/**
 * A Batch job as a step of a lane: a Pass state named after the step that writes `own` (with
 * the job's name, queue, job definition and timeout) at `$.job`, and the submitJob.sync task
 * named `does` that steps of the same shape share, which submits with `overrides`.
 */
export function addSubmitJobStep(sink: StepStateSink, stepName: string, job: { jobQueue: IJobQueue; jobDefinition: IJobDefinition; timeout?: Duration },
  retries: number, does: string, overrides: object, own: object): void {
  const runner = sink.shared(sharedTaskName(does, retries), task('batch:submitJob.sync', {
    'JobName.$': '$.job.name',
    'JobQueue.$': '$.job.target.JobQueue',
    'JobDefinition.$': '$.job.target.JobDefinition',
    ...overrides,
    ...(job.timeout ? { Timeout: { 'AttemptDurationSeconds.$': '$.job.timeout' } } : {}),
  }, { Retry: [transientRetry(BATCH_TRANSIENT_ERRORS), ...userRetries(retries)], Catch: [catchAll(sink.stepFailed)], Next: sink.afterStep }));
  sink.add(stepName, {
    Type: 'Pass',
    Parameters: {
      'name': jobName(stepName),
      'target.$': sink.ref({ JobQueue: job.jobQueue.jobQueueArn, JobDefinition: job.jobDefinition.jobDefinitionArn }),
      ...own,
      ...(job.timeout ? { timeout: job.timeout.toSeconds() } : {}),
    },
    ResultPath: '$.job',
    Next: runner,
  });
}

/**
 * A submitJob.sync task of its own, for a job that does not run as a lane's step (each item of a
 * `forEach`): its environment the run id at `runIdPath`, the workflow and step, the job's own,
 * then `extraEnv`.
 */
export function batchJobTask(context: StepContext, stepName: string, stateName: string, job: BatchJobOptions, extraEnv: object[], runIdPath: string, fields: AslState): AslState {
  const resources = resourceRequirements(job);
  const environment = [
    { 'Name': 'DSI_RUN_ID', 'Value.$': runIdPath },
    ...entries({ DSI_WORKFLOW: context.workflowName, DSI_STEP: stepName, ...job.environment }),
    ...extraEnv,
  ];
  return task('batch:submitJob.sync', {
    JobName: jobName(stateName),
    JobQueue: job.jobQueue.jobQueueArn,
    JobDefinition: job.jobDefinition.jobDefinitionArn,
    ContainerOverrides: { Environment: environment, ...(resources.length > 0 ? { ResourceRequirements: resources } : {}) },
    ...(job.timeout ? { Timeout: { AttemptDurationSeconds: job.timeout.toSeconds() } } : {}),
  }, { Retry: [transientRetry(BATCH_TRANSIENT_ERRORS)], ...fields });
}

/**
 * An Athena query as a step of a lane: a Pass state named after the step that writes its
 * query and where it runs, and the startQueryExecution.sync task that steps with the same
 * retries share.
 */
export function addAthenaQueryStep(sink: StepStateSink, stepName: string, query: { [field: string]: string }, where: object, retries: number): void {
  const runner = sink.shared(sharedTaskName('Athena query', retries), task('athena:startQueryExecution.sync', {
    'QueryString.$': '$.query.QueryString',
    'WorkGroup.$': '$.query.target.WorkGroup',
    'QueryExecutionContext.$': '$.query.target.QueryExecutionContext',
  }, {
    Retry: [transientRetry(ATHENA_TRANSIENT_ERRORS), ...userRetries(retries)],
    Catch: [catchAll(sink.stepFailed)],
    Next: sink.afterStep,
  }));
  sink.add(stepName, { Type: 'Pass', Parameters: { ...query, 'target.$': sink.ref(where) }, ResultPath: '$.query', Next: runner });
}

/**
 * The node ranges of a multi-node job definition, such as `['0:3']`, or undefined for any other
 * job definition (read by shape, so a job definition of another copy of aws-cdk-lib counts too).
 */
export function nodeRangesOf(jobDefinition: IJobDefinition): string[] | undefined {
  const containers = (jobDefinition as { containers?: unknown }).containers;
  return Array.isArray(containers) ? containers.map((c: { startNode: number; endNode: number }) => `${c.startNode}:${c.endNode}`) : undefined;
}

/** `Batch job`, `Batch job with timeout, 2 retries`: what a shared task does, and how often it tries again. */
export function sharedTaskName(does: string, retries: number): string {
  return `${does}${retries > 0 ? `, ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}`;
}

/** Roles already allowed what every submitJob.sync task needs, whatever its queue; and the queue and job definition pairs each may submit. */
const rolesWatchingJobs = new WeakSet<iam.IRole>();
const jobsOfRole = new WeakMap<iam.IRole, Set<string>>();

/**
 * What submitJob.sync calls: submit to this queue with this job definition (any of its
 * revisions, so runs under way survive a deploy); and, once per role, stop a job when the run
 * stops and the managed EventBridge rule that reports job completion.
 */
export function grantBatchJob(role: iam.IRole, job: BatchJobOptions): void {
  // many steps run the same job: grant it once
  const jobs = jobsOfRole.get(role) ?? new Set<string>();
  jobsOfRole.set(role, jobs);
  const definitionName = jobDefinitionNameOf(job.jobDefinition);
  const pair = `${job.jobQueue.jobQueueArn} ${definitionName}`;
  if (jobs.has(pair)) {
    return;
  }
  jobs.add(pair);
  const stack = Stack.of(role);
  const definitionRevisions = stack.formatArn({ service: 'batch', resource: 'job-definition', resourceName: `${definitionName}:*` });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['batch:SubmitJob'], resources: [job.jobQueue.jobQueueArn, definitionRevisions],
  }));
  acknowledgeResourceWildcard(role, definitionRevisions, 'Every revision of this one job definition, so runs under way survive a deploy that registers a new revision.');
  if (rolesWatchingJobs.has(role)) {
    return;
  }
  rolesWatchingJobs.add(role);
  const anyJob = stack.formatArn({ service: 'batch', resource: 'job', resourceName: '*' });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:TerminateJob'], resources: [anyJob] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['batch:DescribeJobs'], resources: ['*'] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForBatchJobsRule' })],
  }));
  acknowledgeResourceWildcard(role, anyJob, 'batch:TerminateJob names jobs by id, which Batch assigns at submission; this lets a stopped run stop its own jobs.');
}

/**
 * A job definition's name. aws-cdk-lib's MultiNodeJobDefinition gives its ARN (`...:job-definition/<name>:<revision>`)
 * as its name too: the name is then read out of the ARN.
 */
function jobDefinitionNameOf(jobDefinition: IJobDefinition): string {
  const stack = Stack.of(jobDefinition);
  const { jobDefinitionName: name, jobDefinitionArn: arn } = jobDefinition;
  if (JSON.stringify(stack.resolve(name)) !== JSON.stringify(stack.resolve(arn))) {
    return name;
  }
  return Fn.select(1, Fn.split('/', Fn.select(5, Fn.split(':', arn))));
}
