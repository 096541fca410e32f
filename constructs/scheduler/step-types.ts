import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { PropChecker } from '../core/validation-error';
import type { ArtifactStore } from '../versioning/artifact-store';
import type { RunRegistry } from '../versioning/run-registry';
import type { AslState } from './asl';

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
  /**
   * The tables whose snapshots the run records as it starts, by name: the lanes hold them at
   * `$.snapshots` (`ids`, `json`, `env`), and a step's text names them as `{snapshot:<table>}`.
   * @default - none: the run records no snapshot
   */
  readonly snapshotTables?: string[];
  /** Where runs are recorded, if anywhere: steps with outcomes of their own add them to the run's record. */
  readonly runRegistry?: RunRegistry;
}

/** What a builder knows of its step beside its own props. */
export interface StepIdentity {
  readonly name: string;
  readonly dependsOn: string[];
  readonly retries: number;
}

/**
 * Where a step puts its states, inside the lane that runs it. The step's first state is named
 * after the step; its states go on to `afterStep` and catch every error into `stepFailed`
 * (with `catchAll`), which reports the step by name.
 */
export interface StepStateSink {
  /** The state a step's last state goes on to. */
  readonly afterStep: string;
  /** The state a step's states catch every error into. */
  readonly stepFailed: string;
  /** Adds one of the step's own states. */
  add(name: string, state: AslState): void;
  /**
   * Adds a state that steps share, once, and returns its name (which names differ from one Map
   * of lanes to the next: a state machine's state names are unique): a step of a common kind
   * runs its request in it.
   */
  shared(name: string, state: AslState): string;
  /** The name `shared` gives the state `name` in this lane: for shared states that lead to each other in a loop. */
  sharedName(name: string): string;
  /**
   * The JSONPath at which every lane holds `value` (ARNs, names, environment entries; in
   * Parameters form, so a `.$` field is resolved as the run starts): a value many steps use is
   * written once in the definition.
   */
  ref(value: unknown): string;
}

/** How a kind of step becomes states; each kind has its own. */
export interface StepBuilder {
  /** Records what is wrong with the step in its workflow, its props under `prefix`. */
  check(step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void;
  /** Puts the step's states in `sink`, the first named after the step. */
  addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void;
  /** Grants the state machine (its role) what the step calls. */
  grant(stateMachine: sfn.StateMachine, context: StepContext): void;
  /**
   * The most history events a run of the step records beyond a step of one task, for a step
   * that loops (polls); the workflow counts them against Step Functions' 25,000.
   */
  extraHistoryEvents?(): number;
}
