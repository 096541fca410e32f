import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropChecker } from '../../constructs/core/validation-error';
import { DataQualityRuleset, SparkRuntime } from '../../constructs/features';
import { WorkflowStep } from '../../constructs/scheduler';
import { ArtifactStore, ModelRegistry } from '../../constructs/versioning';
import { DataWarehouse } from '../../constructs/warehouse';

/** What a workflow's steps are checked against, made once: a step's check reads them and changes nothing. */
export interface StepParts {
  readonly artifactStore: ArtifactStore;
  readonly lake: DataWarehouse;
  readonly events: ReturnType<DataWarehouse['raw']['addTable']>;
  readonly ruleset: DataQualityRuleset;
  readonly sparkJob: ReturnType<SparkRuntime['addJob']>;
  /** A registry of one model, `churn`, one of none, and one of two, `churn` and `ltv`. */
  readonly models: ModelRegistry;
  readonly noModels: ModelRegistry;
  readonly twoModels: ModelRegistry;
  readonly job: { jobQueue: any; jobDefinition: any };
  /** A job definition of two nodes, as a multi-node one reads. */
  readonly multiNodeJobDefinition: any;
}

let parts: StepParts | undefined;

function makeStepParts(): StepParts {
  const stack = new Stack(new App(), 'Steps');
  const artifactStore = new ArtifactStore(stack, 'Artifacts');
  const lake = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
  const events = lake.raw.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
  const models = new ModelRegistry(stack, 'Models', { namePrefix: 'team' });
  models.addModel('churn');
  const twoModels = new ModelRegistry(stack, 'TwoModels', { namePrefix: 'two' });
  ['churn', 'ltv'].forEach((name) => twoModels.addModel(name));
  return {
    artifactStore, lake, events, models, twoModels,
    noModels: new ModelRegistry(stack, 'NoModels', { namePrefix: 'empty' }),
    ruleset: new DataQualityRuleset(events, 'Checks', { table: events, rules: 'Rules = [ RowCount > 0 ]' }),
    sparkJob: new SparkRuntime(stack, 'Spark', { artifactStore }).addJob('Build', { entryPointKey: 'code/build.py' }),
    // a step's check reads that a queue and a job definition are constructs, and a job definition's path and containers
    job: { jobQueue: new Construct(stack, 'Queue'), jobDefinition: new Construct(stack, 'Job') },
    multiNodeJobDefinition: Object.assign(new Construct(stack, 'Ddp'), { containers: [{ startNode: 0, endNode: 1 }] }),
  };
}

/**
 * Checks one step as a workflow would, as its first step, and throws what it found; the workflow
 * has an artifact store unless `withoutArtifactStore`.
 */
export function checkStep(make: (parts: StepParts) => WorkflowStep, withoutArtifactStore = false): void {
  parts ??= makeStepParts();
  const check = new PropChecker('Thing');
  make(parts)._check({ workflowName: 'flow', codeVersion: 'v1', artifactStore: withoutArtifactStore ? undefined : parts.artifactStore }, check, 'steps[0]');
  check.throwIfAny();
}
