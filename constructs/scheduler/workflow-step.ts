import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import { AthenaQueryBuilder } from './athena-query-step';
import { BatchJobBuilder } from './batch-job-step';
import { DataQualityBuilder } from './data-quality-step';
import { ForEachBuilder } from './for-each-step';
import { MonitoringBaselineBuilder } from './monitoring-baseline-step';
import { MultiNodeJobBuilder } from './multi-node-job-step';
import { RegisterModelBuilder } from './register-model-step';
import { SparkJobBuilder } from './spark-job-step';
import type { AthenaQueryStepProps, BatchJobStepProps, DataQualityStepProps, ForEachStepProps, MonitoringBaselineStepProps } from './step-props';
import type { MultiNodeJobStepProps, RegisterModelStepProps, SparkJobStepProps, StepOptions } from './step-props';
import type { StepBuilder, StepContext, StepStateSink } from './step-types';

/** One step of a `Workflow`; build steps with the static methods. */
export class WorkflowStep {
  /** Runs a container job on a Batch queue; the job sees `DSI_RUN_ID`, `DSI_WORKFLOW` and `DSI_STEP`. */
  public static batchJob(props: BatchJobStepProps): WorkflowStep {
    return WorkflowStep.of('batchJob', props, BatchJobBuilder);
  }

  /** Runs an Athena query, for example a CTAS or UNLOAD that writes features to the curated zone. */
  public static athenaQuery(props: AthenaQueryStepProps): WorkflowStep {
    return WorkflowStep.of('athenaQuery', props, AthenaQueryBuilder);
  }

  /** Registers a trained model in the model registry, pending approval, with its run, code version and metrics. */
  public static registerModel(props: RegisterModelStepProps): WorkflowStep {
    return WorkflowStep.of('registerModel', props, RegisterModelBuilder);
  }

  /** Fans a Batch job out over a list an earlier step wrote. */
  public static forEach(props: ForEachStepProps): WorkflowStep {
    return WorkflowStep.of('forEach', props, ForEachBuilder);
  }

  /**
   * Runs a Spark job on EMR Serverless and waits for it; its driver and executors see
   * `DSI_RUN_ID`, `DSI_WORKFLOW`, `DSI_STEP` and, when the run records snapshots, `DSI_SNAPSHOTS`.
   */
  public static sparkJob(props: SparkJobStepProps): WorkflowStep {
    return WorkflowStep.of('sparkJob', props, SparkJobBuilder);
  }

  /**
   * Checks a lake table against its data-quality rules (Glue Data Quality): the steps that
   * depend on this one start only if every rule passed; the score and failed rules go into the
   * run's record, and a failure's notification names the rules that failed and their values.
   */
  public static dataQuality(props: DataQualityStepProps): WorkflowStep {
    return WorkflowStep.of('dataQuality', props, DataQualityBuilder);
  }

  /**
   * Computes a model's monitoring baseline from its training data (SageMaker Model Monitor's
   * analyzer, in a processing job) and keeps it in the artifact store under the model's key,
   * where the model's `DriftMonitor` reads it.
   */
  public static monitoringBaseline(props: MonitoringBaselineStepProps): WorkflowStep {
    return WorkflowStep.of('monitoringBaseline', props, MonitoringBaselineBuilder);
  }

  /**
   * Runs a multi-node parallel job, its nodes started together, and waits for it; every node
   * sees `DSI_RUN_ID`, `DSI_WORKFLOW` and `DSI_STEP` beside Batch's `AWS_BATCH_JOB_*` variables.
   * A multi-node job is a step of its own: `forEach` and `batchJob` refuse one.
   */
  public static multiNodeJob(props: MultiNodeJobStepProps): WorkflowStep {
    return WorkflowStep.of('multiNodeJob', props, MultiNodeJobBuilder);
  }

  /** The step's name, unique in its workflow. */
  public readonly name: string;
  /** The steps that must succeed before this one starts. */
  public readonly dependsOn: string[];
  /** How many times a failure of the step is retried. */
  public readonly retries: number;

  /** A step of `props`, checked as `WorkflowStep.<factory>`'s: its props' own props are checked in the workflow. */
  private static of<P extends StepOptions>(factory: string, props: P, Builder: new (props: P) => StepBuilder): WorkflowStep {
    checkPropsStruct(`WorkflowStep.${factory}`, props, '{ name: "train", ... }', { required: true });
    return new WorkflowStep(props, new Builder(props));
  }

  private constructor(options: StepOptions, private readonly builder: StepBuilder) {
    this.name = options.name;
    this.dependsOn = options.dependsOn ?? [];
    this.retries = options.retries ?? 0;
  }

  /**
   * Records what is wrong with this step in its workflow.
   * @internal
   */
  public _check(context: StepContext, check: PropChecker, prefix: string): void {
    check.check(Number.isInteger(this.retries) && this.retries >= 0 && this.retries <= 10, `${prefix}.retries`, this.retries,
      'give a whole number from 0 to 10');
    this.builder.check(this, context, check, prefix);
  }

  /**
   * Puts the step's states in the lane that runs it.
   * @internal
   */
  public _addStates(context: StepContext, sink: StepStateSink): void {
    this.builder.addStates(this, context, sink);
  }

  /**
   * History events a run of this step may record beyond one task's.
   * @internal
   */
  public _extraHistoryEvents(): number {
    return this.builder.extraHistoryEvents?.() ?? 0;
  }

  /**
   * Grants the workflow's state machine what the step calls.
   * @internal
   */
  public _grant(stateMachine: sfn.StateMachine, context: StepContext): void {
    this.builder.grant(stateMachine, context);
  }
}
