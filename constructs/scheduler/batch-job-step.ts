import type { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { MAX_INT32, type PropChecker, shownDuration } from '../core/validation-error';
import { addBatchJobStep, grantBatchJob, nodeRangesOf } from './step-states';
import type { BatchJobOptions, BatchJobStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

/** Variables the workflow or Batch set in every job. */
/** A variable's name a step may set: the workflow sets DSI_ variables and Batch AWS_BATCH ones. */
const STEP_VARIABLE = /^(?!DSI_|AWS_BATCH)[\s\S]+$/;

/** Checks a Batch job's queue, job definition and overrides; shared with `forEach`. */
export function checkBatchJob(job: BatchJobOptions, check: PropChecker, prefix: string): void {
  check.construct(`${prefix}.jobQueue`, job.jobQueue, 'a batch.IJobQueue, such as compute.queue("cpu").jobQueue', { required: true });
  if (check.construct(`${prefix}.jobDefinition`, job.jobDefinition, 'a batch.IJobDefinition, such as compute.addJobDefinition("Train", { image })', { required: true })) {
    check.check(nodeRangesOf(job.jobDefinition) === undefined, `${prefix}.jobDefinition`, job.jobDefinition.node.path,
      'it is a multi-node job: run it as its own step, WorkflowStep.multiNodeJob (a batchJob or forEach submits single-node jobs, '
      + 'whose container overrides Batch refuses for a multi-node job; and a fan-out of gang-scheduled GPU hosts would hold the queue)');
  }
  const whole = (prop: 'vcpus' | 'memoryMiB' | 'gpuCount', min: number) => {
    const value = job[prop];
    check.check(value === undefined || (Number.isInteger(value) && value >= min && value <= MAX_INT32), `${prefix}.${prop}`, value,
      `give a whole number from ${min} to ${MAX_INT32}`);
  };
  whole('vcpus', 1);
  whole('memoryMiB', 1);
  whole('gpuCount', 0);
  checkJobEnvironment(job, check, prefix);
}

/** Checks the variables and timeout a step gives its job; shared with `multiNodeJob`. */
export function checkJobEnvironment(job: { environment?: { [name: string]: string }; timeout?: Duration }, check: PropChecker, prefix: string): void {
  check.variables(`${prefix}.environment`, job.environment, STEP_VARIABLE,
    'give a variable name that is not empty and starts neither with DSI_ (the workflow sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_ITEM) nor with AWS_BATCH (Batch\'s)');
  const seconds = check.durationIn(`${prefix}.timeout`, job.timeout, 'seconds', 'Duration.hours(1)');
  check.check(seconds === undefined || (Number.isInteger(seconds) && seconds >= 60 && seconds <= MAX_INT32), `${prefix}.timeout`, shownDuration(job.timeout),
    'give whole seconds, at least one minute (the shortest job timeout Batch accepts)');
}

/** Builds a `WorkflowStep.batchJob`. */
export class BatchJobBuilder implements StepBuilder {
  constructor(private readonly props: BatchJobStepProps) {}

  public check(_step: StepIdentity, _context: StepContext, check: PropChecker, prefix: string): void {
    checkBatchJob(this.props, check, prefix);
  }

  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    addBatchJobStep(sink, context, step.name, this.props, step.retries);
  }

  public grant(stateMachine: sfn.StateMachine): void {
    grantBatchJob(stateMachine.role, this.props);
  }
}
