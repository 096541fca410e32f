import { ArtifactStore } from '../versioning/artifact-store';
import type { RunRegistry } from '../versioning/run-registry';
import { AslState, DYNAMODB_TRANSIENT_ERRORS, task, transientRetry } from './asl';
import { RUN_ID_PATH } from './step-states';
import type { StepContext } from './step-types';

/** What a run record says about the workflow. */
export interface RunRecordContext extends StepContext {
  readonly inputLocations: string[];
  /** The record's `snapshots` attribute, when the run records the snapshots of the tables it reads. */
  readonly snapshotsAttribute?: object;
}

function dynamoTask(action: 'putItem' | 'updateItem', parameters: object, fields: AslState): AslState {
  return task(`dynamodb:${action}`, parameters, { Retry: [transientRetry(DYNAMODB_TRANSIENT_ERRORS)], ...fields });
}

function key(registry: RunRegistry, workflowName: string): object {
  return { TableName: registry.table.tableName, Key: { workflow: { S: workflowName }, runId: { 'S.$': RUN_ID_PATH } } };
}

/** Writes the run's record as it starts: who, when, from which code and data, with which input. */
export function recordStart(registry: RunRegistry, context: RunRecordContext, fields: AslState): AslState {
  const artifacts = context.artifactStore;
  return dynamoTask('putItem', {
    TableName: registry.table.tableName,
    Item: {
      workflow: { S: context.workflowName },
      runId: { 'S.$': RUN_ID_PATH },
      status: { S: 'RUNNING' },
      startedAt: { 'S.$': '$$.Execution.StartTime' },
      codeVersion: { S: context.codeVersion },
      parameters: { 'S.$': 'States.JsonToString($$.Execution.Input)' },
      ...(context.inputLocations.length > 0 ? { inputLocations: { SS: context.inputLocations } } : {}),
      ...(context.snapshotsAttribute ? { snapshots: context.snapshotsAttribute } : {}),
      ...(artifacts ? {
        artifactPrefix: {
          'S.$': `States.Format('${artifacts.bucket.s3UrlForObject(ArtifactStore.runsPrefix(context.workflowName))}{}/', ${RUN_ID_PATH})`,
        },
      } : {}),
    },
  }, fields);
}

/** Marks the run succeeded, with its end time. */
export function recordSuccess(registry: RunRegistry, workflowName: string, fields: AslState): AslState {
  return dynamoTask('updateItem', {
    ...key(registry, workflowName),
    UpdateExpression: 'SET #status = :status, endedAt = :endedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': { S: 'SUCCEEDED' }, ':endedAt': { 'S.$': '$$.State.EnteredTime' } },
  }, fields);
}

/** Marks the run failed, with its end time, the failing step and the error at `$.failure`. */
export function recordFailure(registry: RunRegistry, workflowName: string, fields: AslState): AslState {
  return dynamoTask('updateItem', {
    ...key(registry, workflowName),
    UpdateExpression: 'SET #status = :status, endedAt = :endedAt, failedStep = :step, #error = :error',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
    ExpressionAttributeValues: {
      ':status': { S: 'FAILED' },
      ':endedAt': { 'S.$': '$$.State.EnteredTime' },
      ':step': { 'S.$': '$.failure.step' },
      ':error': { 'S.$': '$.failure.error' },
    },
  }, fields);
}

/**
 * Marks a run that ended outside its own last states (timed out, stopped, or failed where its
 * failure path could not record it) with that status and its end time, if its record still
 * says RUNNING: a record the run closed itself, or never wrote, is left as it is. Its input is
 * `{ workflow, runId, status, endedAt }`.
 */
export function recordEnd(registry: RunRegistry, fields: AslState): AslState {
  return dynamoTask('updateItem', {
    TableName: registry.table.tableName,
    Key: { workflow: { 'S.$': '$.workflow' }, runId: { 'S.$': '$.runId' } },
    UpdateExpression: 'SET #status = :status, endedAt = :endedAt',
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': { 'S.$': '$.status' }, ':endedAt': { 'S.$': '$.endedAt' }, ':running': { S: 'RUNNING' } },
  }, fields);
}

/**
 * Appends `entry` (DynamoDB JSON, with `.$` paths) to the list `attribute` of the run's
 * record, starting the list if the record has none: a step's own outcome, kept whether the
 * run goes on or fails.
 */
export function appendToRunRecord(registry: RunRegistry, workflowName: string, attribute: string, entry: object, fields: AslState): AslState {
  return dynamoTask('updateItem', {
    ...key(registry, workflowName),
    UpdateExpression: 'SET #list = list_append(if_not_exists(#list, :none), :entry)',
    ExpressionAttributeNames: { '#list': attribute },
    ExpressionAttributeValues: { ':none': { L: [] }, ':entry': { L: [{ M: entry }] } },
  }, fields);
}
