import { Duration } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PropChecker } from '../core/validation-error';

/** A step that runs a container job on a Batch queue and waits for it to end. */
export interface BatchJobStepProps {
  /** The step's name, unique in its workflow: letters, digits, hyphens and underscores. */
  readonly name: string;
  /** The queue the job is submitted to, for example `BatchCompute.cpuQueue`. */
  readonly jobQueue: batch.IJobQueue;
  /** The job to run, for example from `BatchCompute.addJobDefinition`. */
  readonly jobDefinition: batch.IJobDefinition;
  /**
   * After this long Batch stops the job and the step fails; at least one minute.
   * @default - the job definition's timeout
   */
  readonly timeout?: Duration;
}

/** What a step is told about the run it belongs to. */
export interface StepContext {
  /** The workflow's name. */
  readonly workflowName: string;
  /** The run id, resolved at run time. */
  readonly runId: string;
}

/** One step of a `Workflow`. */
export abstract class WorkflowStep {
  /** Runs a container job on a Batch queue; the job sees `DSI_RUN_ID` and `DSI_WORKFLOW` in its environment. */
  public static batchJob(props: BatchJobStepProps): WorkflowStep {
    const check = new PropChecker(`WorkflowStep.batchJob('${props.name}')`);
    check.check(props.timeout === undefined || props.timeout.toSeconds() >= 60, 'timeout', props.timeout?.toHumanString(),
      'give at least one minute, the shortest job timeout Batch accepts');
    check.throwIfAny();
    return new BatchJobStep(props);
  }

  /**
   * @param name the step's name, unique in its workflow
   * @param kind what the step runs, for example `batchJob`
   */
  protected constructor(public readonly name: string, public readonly kind: string) {}

  /** Builds the step's states in `scope`. */
  public abstract bind(scope: Construct, context: StepContext): sfn.TaskStateBase;
}

class BatchJobStep extends WorkflowStep {
  constructor(private readonly props: BatchJobStepProps) {
    super(props.name, 'batchJob');
  }

  public bind(scope: Construct, context: StepContext): sfn.TaskStateBase {
    return new tasks.BatchSubmitJob(scope, this.name, {
      jobName: this.name,
      jobQueueArn: this.props.jobQueue.jobQueueArn,
      jobDefinitionArn: this.props.jobDefinition.jobDefinitionArn,
      containerOverrides: {
        environment: { DSI_RUN_ID: context.runId, DSI_WORKFLOW: context.workflowName },
      },
      taskTimeout: this.props.timeout ? sfn.Timeout.duration(this.props.timeout) : undefined,
      resultPath: sfn.JsonPath.DISCARD,
    });
  }
}
