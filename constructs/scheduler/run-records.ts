import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ArtifactStore } from '../versioning/artifact-store';
import type { RunRegistry } from '../versioning/run-registry';
import { RUN_ID_PATH, serviceTask } from './step-states';
import type { StepContext } from './step-types';

const DYNAMODB_TRANSIENT_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException', 'DynamoDB.InternalServerErrorException',
  'DynamoDB.RequestLimitExceeded',
];

/** What a run record says about the workflow. */
export interface RunRecordContext extends StepContext {
  readonly inputLocations: string[];
}

function dynamoTask(scope: Construct, name: string, action: 'putItem' | 'updateItem', parameters: object): sfn.CustomState {
  return serviceTask(scope, name, `dynamodb:${action}`, parameters, DYNAMODB_TRANSIENT_ERRORS);
}

function key(registry: RunRegistry, workflowName: string): object {
  return { TableName: registry.table.tableName, Key: { workflow: { S: workflowName }, runId: { 'S.$': RUN_ID_PATH } } };
}

/** Writes the run's record as it starts: who, when, from which code and data, with which input. */
export function recordStart(scope: Construct, registry: RunRegistry, context: RunRecordContext): sfn.CustomState {
  const artifacts = context.artifactStore;
  return dynamoTask(scope, 'Record start', 'putItem', {
    TableName: registry.table.tableName,
    Item: {
      workflow: { S: context.workflowName },
      runId: { 'S.$': RUN_ID_PATH },
      status: { S: 'RUNNING' },
      startedAt: { 'S.$': '$$.Execution.StartTime' },
      codeVersion: { S: context.codeVersion },
      parameters: { 'S.$': 'States.JsonToString($$.Execution.Input)' },
      ...(context.inputLocations.length > 0 ? { inputLocations: { SS: context.inputLocations } } : {}),
      ...(artifacts ? {
        artifactPrefix: {
          'S.$': `States.Format('${artifacts.bucket.s3UrlForObject(ArtifactStore.runsPrefix(context.workflowName))}{}/', ${RUN_ID_PATH})`,
        },
      } : {}),
    },
  });
}

/** Marks the run succeeded, with its end time. */
export function recordSuccess(scope: Construct, registry: RunRegistry, workflowName: string): sfn.CustomState {
  return dynamoTask(scope, 'Record success', 'updateItem', {
    ...key(registry, workflowName),
    UpdateExpression: 'SET #status = :status, endedAt = :endedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': { S: 'SUCCEEDED' }, ':endedAt': { 'S.$': '$$.State.EnteredTime' } },
  });
}

/**
 * Marks a run that ended outside its own states, timed out or stopped, with that status and its
 * end time, if its record still says RUNNING: a record the run closed itself, or never wrote,
 * is left as it is. Its input is `{ workflow, runId, status, endedAt }`.
 */
export function recordStopped(scope: Construct, registry: RunRegistry): sfn.IChainable {
  const update = dynamoTask(scope, 'Record stop', 'updateItem', {
    TableName: registry.table.tableName,
    Key: { workflow: { 'S.$': '$.workflow' }, runId: { 'S.$': '$.runId' } },
    UpdateExpression: 'SET #status = :status, endedAt = :endedAt',
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': { 'S.$': '$.status' }, ':endedAt': { 'S.$': '$.endedAt' }, ':running': { S: 'RUNNING' } },
  });
  update.addCatch(new sfn.Succeed(scope, 'Already closed'), { errors: ['DynamoDB.ConditionalCheckFailedException'] });
  return update;
}

/** Marks the run failed, with its end time, the failing step and the error. */
export function recordFailure(scope: Construct, registry: RunRegistry, workflowName: string): sfn.CustomState {
  return dynamoTask(scope, 'Record failure', 'updateItem', {
    ...key(registry, workflowName),
    UpdateExpression: 'SET #status = :status, endedAt = :endedAt, failedStep = :step, #error = :error',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
    ExpressionAttributeValues: {
      ':status': { S: 'FAILED' },
      ':endedAt': { 'S.$': '$$.State.EnteredTime' },
      ':step': { 'S.$': '$.failure.step' },
      ':error': { 'S.$': '$.failure.error' },
    },
  });
}
