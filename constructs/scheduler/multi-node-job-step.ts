import type * as batch from 'aws-cdk-lib/aws-batch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { PropChecker } from '../core/validation-error';
import { checkJobEnvironment } from './batch-job-step';
import { addSubmitJobStep, grantBatchJob, nodeRangesOf, stepEnvironment } from './step-states';
import type { MultiNodeJobStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

/**
 * Builds a `WorkflowStep.multiNodeJob`: one submitJob.sync whose node overrides give every
 * node range the run's environment, so each node sees DSI_RUN_ID beside Batch's own
 * AWS_BATCH_JOB_* variables. Retries and the failure path are those of a Batch job step.
 */
export class MultiNodeJobBuilder implements StepBuilder {
  constructor(private readonly props: MultiNodeJobStepProps) {}

  public check(_step: StepIdentity, _context: StepContext, check: PropChecker, prefix: string): void {
    const { jobDefinition, jobQueue } = this.props;
    const multiNode = 'a batch.MultiNodeJobDefinition, as BatchCompute.addMultiNodeJobDefinition makes: the step sets each node range\'s environment '
      + 'and must know them (an imported job definition does not say); a single-node job runs as WorkflowStep.batchJob';
    if (check.construct(`${prefix}.jobDefinition`, jobDefinition, multiNode, { required: true })) {
      check.check(nodeRangesOf(jobDefinition) !== undefined, `${prefix}.jobDefinition`, jobDefinition.node.path, `give ${multiNode}`);
    }
    const onDemand = 'an on-demand EC2 queue, such as compute.multiNodeQueue.jobQueue';
    if (check.construct(`${prefix}.jobQueue`, jobQueue, onDemand, { required: true })) {
      const refused = refusedEnvironment(jobQueue);
      check.check(refused === undefined, `${prefix}.jobQueue`, jobQueue.node.path,
        `it runs on ${refused?.capacity} (compute environment ${refused?.path}), where Batch runs no multi-node job: give ${onDemand}`);
    }
    checkJobEnvironment(this.props, check, prefix);
  }

  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    const ranges = nodeRangesOf(this.props.jobDefinition)!;
    const env = stepEnvironment(sink, context, step.name, this.props.environment);
    const shape = [
      ...(ranges.length > 1 ? [`${ranges.length} node ranges`] : []),
      ...(this.props.timeout ? ['timeout'] : []),
    ];
    addSubmitJobStep(sink, step.name, this.props, step.retries, `Multi-node job${shape.length > 0 ? ` with ${shape.join(' and ')}` : ''}${env.label}`, {
      NodeOverrides: {
        NodePropertyOverrides: ranges.map((_, i) => ({ 'TargetNodes.$': `$.job.nodes[${i}]`, 'ContainerOverrides': { 'Environment.$': env.array } })),
      },
    }, { env: env.own, nodes: ranges });
  }

  public grant(stateMachine: sfn.StateMachine): void {
    grantBatchJob(stateMachine.role, this.props);
  }
}

/** Capacity types of compute environments that run no multi-node job, as a user would name them. */
const REFUSED_CAPACITY: Record<string, string> = { SPOT: 'spot', FARGATE: 'Fargate', FARGATE_SPOT: 'Fargate Spot' };

/**
 * The first of a queue's compute environments that runs on spot or Fargate; undefined when
 * none does, or the queue is imported and cannot say.
 */
function refusedEnvironment(jobQueue: batch.IJobQueue): { capacity: string; path: string } | undefined {
  const environments = (jobQueue as { computeEnvironments?: batch.OrderedComputeEnvironment[] }).computeEnvironments ?? [];
  for (const { computeEnvironment } of environments) {
    const type = (computeEnvironment.node.defaultChild as { computeResources?: { type?: unknown } } | undefined)?.computeResources?.type;
    if (typeof type === 'string' && REFUSED_CAPACITY[type]) {
      return { capacity: REFUSED_CAPACITY[type], path: computeEnvironment.node.path };
    }
  }
  return undefined;
}
