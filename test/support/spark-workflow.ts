import { Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import { SparkJob, SparkRuntime } from '../../constructs/features';
import { TableSnapshotsProps, Workflow, WorkflowProps, WorkflowStep } from '../../constructs/scheduler';
import { ArtifactStore, RunRegistry } from '../../constructs/versioning';
import { DataWarehouse, LakeTable, TableFormat } from '../../constructs/warehouse';
import { newTestApp } from './synth';

/** What a workflow with Spark steps is built from: the lake with two Iceberg tables, a Spark runtime and a job. */
export interface SparkWorkflowParts {
  readonly stack: Stack;
  readonly warehouse: DataWarehouse;
  readonly events: LakeTable;
  readonly features: LakeTable;
  readonly runtime: SparkRuntime;
  readonly build: SparkJob;
  readonly report: SparkJob;
  readonly jobQueue: batch.IJobQueue;
  readonly jobDefinition: batch.IJobDefinition;
  readonly snapshots: TableSnapshotsProps;
}

/** The parts, in a new stack. */
export function sparkWorkflowParts(): SparkWorkflowParts {
  const stack = new Stack(newTestApp(), 'Spark');
  const artifacts = new ArtifactStore(stack, 'Artifacts');
  const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
  const columns = [{ name: 'user_id', type: 'string' }, { name: 'amount', type: 'double' }];
  const events = warehouse.raw.addTable('Events', { tableName: 'events', format: TableFormat.ICEBERG, columns });
  const features = warehouse.curated.addTable('Features', { tableName: 'user_features', format: TableFormat.ICEBERG, columns });
  const runtime = new SparkRuntime(stack, 'Spark', { artifactStore: artifacts });
  const build = runtime.addJob('Build', { entryPointKey: 'code/features/build.py', sparkConf: { 'spark.executor.memory': '8g' } });
  const report = runtime.addJob('Report', { entryPointKey: 'code/features/report.py' });
  events.grantReadSnapshots(build);
  features.grantCommit(build);
  features.grantReadSnapshots(report);
  return {
    stack, warehouse, events, features, runtime, build, report,
    jobQueue: batch.JobQueue.fromJobQueueArn(stack, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu'),
    jobDefinition: batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:1'),
    snapshots: { tables: [events, features], warehouse },
  };
}

/**
 * Every kind of step in a workflow that records the snapshots of both tables: a Spark job with
 * arguments naming the run and a snapshot, a query reading a snapshot, Batch jobs in two lanes, a
 * fan-out over a list, and a Spark job with no arguments and a retry.
 */
export function sparkWorkflow(parts: SparkWorkflowParts, props: Partial<WorkflowProps> = {}): Workflow {
  const { stack, warehouse, build, report, jobQueue, jobDefinition } = parts;
  const artifactStore = parts.runtime.artifactStore;
  return new Workflow(stack, 'Flow', {
    workflowName: 'features',
    artifactStore,
    runRegistry: new RunRegistry(stack, 'Runs'),
    tableSnapshots: parts.snapshots,
    steps: [
      WorkflowStep.sparkJob({ name: 'build', job: build, arguments: ['--events-snapshot', '{snapshot:events}', '--out', 'runs/features/{run_id}/build/'] }),
      WorkflowStep.athenaQuery({
        name: 'stats', dependsOn: ['build'], warehouse,
        queryString: 'SELECT count(*) FROM user_features FOR VERSION AS OF {snapshot:user_features}',
      }),
      WorkflowStep.batchJob({ name: 'split', dependsOn: ['build'], jobQueue, jobDefinition }),
      WorkflowStep.batchJob({ name: 'train', dependsOn: ['build'], jobQueue, jobDefinition }),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split', 'train'], itemsFrom: 'split', job: { jobQueue, jobDefinition } }),
      WorkflowStep.sparkJob({ name: 'report', dependsOn: ['stats'], job: report, retries: 1 }),
    ],
    ...props,
  });
}

/** Snapshot ids as Iceberg makes them: random 63-bit numbers, past what a JSON number keeps exactly. */
export const EVENTS_SNAPSHOT = '5386758483127398421';
export const FEATURES_SNAPSHOT = '8744736658442914487';

/** GetQueryResults of the snapshot query, as Athena answers it: a header row, then a row per table. */
export function snapshotRows(rows: string[][] = [['0', EVENTS_SNAPSHOT, '2026-11-26T23:10:00.000Z'], ['1', FEATURES_SNAPSHOT, '2026-11-27T01:55:12.345Z']]): object {
  const row = (cells: string[]) => ({ Data: cells.map((VarCharValue) => ({ VarCharValue })) });
  return { ResultSet: { Rows: [row(['i', 'snapshot_id', 'committed_at']), ...rows.map(row)], ResultSetMetadata: {} }, UpdateCount: 0 };
}

/** The answers that let a run through: the snapshot query and its rows, and the list `score` reads. */
export const SPARK_WORKFLOW_ANSWERS = {
  'Read table snapshots': () => ({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'SUCCEEDED' } } }),
  'Snapshot ids': () => snapshotRows(),
  'score': () => ({ Body: '["north", "south"]' }),
};
