import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PropChecker } from '../core/validation-error';
import type { ArtifactStore } from '../versioning/artifact-store';

/*
 * How steps become states: internal to the scheduler, not part of the package's API.
 */

/** What a step is told about the workflow it belongs to. */
export interface StepContext {
  readonly workflowName: string;
  /** The version of the code runs run, recorded with each run and model. */
  readonly codeVersion: string;
  /** Where `forEach` steps read their items. */
  readonly artifactStore?: ArtifactStore;
}

/** A step built into states. */
export interface BoundStep {
  /** The first state of the step. */
  readonly start: sfn.State;
  /** The last state of the step. */
  readonly end: sfn.State & sfn.INextable;
  /** The states a failure is caught on. */
  readonly catchable: Array<sfn.CustomState | sfn.TaskStateBase | sfn.Map | sfn.DistributedMap | sfn.Parallel>;
  /** Grants the state machine's role what the step calls. */
  grant(role: iam.IRole): void;
}

/** What a builder knows of its step beside its own props. */
export interface StepIdentity {
  readonly name: string;
  readonly dependsOn: string[];
  readonly retries: number;
}

/** How a kind of step becomes states; each kind has its own. */
export interface StepBuilder {
  /** Records what is wrong with the step in its workflow, its props under `prefix`. */
  check(step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void;
  build(scope: Construct, step: StepIdentity, context: StepContext): BoundStep;
}
