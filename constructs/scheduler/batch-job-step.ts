import { Construct } from 'constructs';
import type { PropChecker } from '../core/validation-error';
import { batchJobTask, grantBatchJob, retryFailures, stepEnvironment } from './step-states';
import type { BatchJobOptions, BatchJobStepProps } from './step-props';
import type { BoundStep, StepBuilder, StepContext, StepIdentity } from './step-types';

/** Checks a Batch job's overrides; shared with `forEach`. */
export function checkBatchJob(job: BatchJobOptions, check: PropChecker, prefix: string): void {
  const whole = (prop: 'vcpus' | 'memoryMiB' | 'gpuCount', min: number) => {
    const value = job[prop];
    check.check(value === undefined || (Number.isInteger(value) && value >= min), `${prefix}.${prop}`, value, `give a whole number, ${min} or more`);
  };
  whole('vcpus', 1);
  whole('memoryMiB', 1);
  whole('gpuCount', 0);
  check.check(job.timeout === undefined || job.timeout.toSeconds() >= 60, `${prefix}.timeout`, job.timeout?.toHumanString(),
    'give at least one minute, the shortest job timeout Batch accepts');
}

/** Builds a `WorkflowStep.batchJob`. */
export class BatchJobBuilder implements StepBuilder {
  constructor(private readonly props: BatchJobStepProps) {}

  public check(_step: StepIdentity, _context: StepContext, check: PropChecker, prefix: string): void {
    checkBatchJob(this.props, check, prefix);
  }

  public build(scope: Construct, step: StepIdentity, context: StepContext): BoundStep {
    const task = batchJobTask(scope, step.name, this.props, stepEnvironment(context, step.name, this.props));
    retryFailures(task, step.retries);
    return { start: task, end: task, catchable: [task], grant: (role) => grantBatchJob(role, this.props) };
  }
}
