import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore, ModelRegistry, RunRegistry } from '../../../constructs/versioning';
import { aslErrors, runLocally, stateMachineDefinitions, taskError } from '../../support/state-machines';
import { RunTable } from '../../support/run-table';
import { checkedTemplate, newTestApp } from '../../support/synth';

/** A workflow that records its runs and registers its model; run locally with aws-local-stepfunctions. */
describe('Workflow run records and model registration', () => {
  let template: Template;
  let definition: any;
  let closer: any;
  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Records');
    const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, standardQueues: false });
    const queue = compute.addQueue('cpu').jobQueue;
    const job = compute.addJobDefinition('Job', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
    const models = new ModelRegistry(stack, 'Models', { namePrefix: 'team', modelNames: ['churn'] });
    new Workflow(stack, 'Flow', {
      workflowName: 'training',
      artifactStore: new ArtifactStore(stack, 'Artifacts'),
      runRegistry: new RunRegistry(stack, 'Runs'),
      codeVersion: '3f9c2e1',
      inputLocations: ['s3://raw-bucket/events/'],
      steps: [
        WorkflowStep.batchJob({ name: 'train', jobQueue: queue, jobDefinition: job }),
        WorkflowStep.registerModel({
          name: 'register', dependsOn: ['train'], registry: models, modelName: 'churn', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1',
          modelDataKey: 'runs/training/{run_id}/train/model.tar.gz', metricsKey: 'runs/training/{run_id}/train/metrics.json',
        }),
      ],
    });
    template = checkedTemplate(stack, { regulated: true });
    const definitions = Object.entries(stateMachineDefinitions(template));
    definition = definitions.find(([id]) => id.startsWith('FlowStateMachine'))![1];
    closer = definitions.find(([id]) => id.startsWith('RunsRunCloser'))![1];
  });

  test('pass asl-validator', () => {
    expect(aslErrors(definition)).toEqual([]);
    expect(aslErrors(closer)).toEqual([]);
  });

  test('call the service integrations their records and notices need', () => {
    const resources = (machine: any) => Object.fromEntries(Object.entries<any>(machine.States).filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => [name, String(state.Resource).replace(/^arn:aws:states:::/, '')]));
    expect(resources(definition)).toMatchObject({
      'Record start': 'dynamodb:putItem', 'Record success': 'dynamodb:updateItem', 'Record failure': 'dynamodb:updateItem', 'Notify failure': 'sns:publish',
    });
    expect(resources(closer)).toMatchObject({ 'Record end': 'dynamodb:updateItem' });
  });

  test('record the start, with run id, code version, inputs, parameters and artifact prefix, and the success', async () => {
    const run = await runLocally(definition, {}, 'run-2026-11-27');
    expect(run.error).toBeUndefined();
    const states = run.calls.map((c) => c.state);
    expect(states[0]).toBe('Record start');
    expect(states[states.length - 1]).toBe('Record success');
    const item = run.calls[0].input.Item;
    expect(item).toMatchObject({
      workflow: { S: 'training' },
      runId: { S: 'run-2026-11-27' },
      status: { S: 'RUNNING' },
      codeVersion: { S: '3f9c2e1' },
      inputLocations: { SS: ['s3://raw-bucket/events/'] },
      parameters: { S: '{}' },
    });
    expect(item.artifactPrefix.S).toMatch(/^s3:\/\/artifactsbucket[0-9a-f]+\/runs\/training\/run-2026-11-27\/$/);
    const success = run.calls[states.length - 1].input;
    expect(success.Key).toEqual({ workflow: { S: 'training' }, runId: { S: 'run-2026-11-27' } });
    expect(success.ExpressionAttributeValues[':status']).toEqual({ S: 'SUCCEEDED' });
  });

  test('record a failure with the failing step and error, then notify and fail', async () => {
    const run = await runLocally(definition, { 'Batch job': () => { throw taskError('States.TaskFailed', 'exit code 137'); } }, 'run-9');
    const record = run.calls.find((c) => c.state === 'Record failure')!.input;
    expect(record.Key.runId).toEqual({ S: 'run-9' });
    expect(record.ExpressionAttributeValues).toMatchObject({
      ':status': { S: 'FAILED' }, ':step': { S: 'train' }, ':error': { S: 'States.TaskFailed' },
    });
    expect(run.calls.find((c) => c.state === 'Notify failure')!.input.Subject).toBe('Workflow training failed');
    const states = run.calls.map((c) => c.state);
    expect(states.indexOf('Record failure')).toBeLessThan(states.indexOf('Notify failure'));
    expect(states).not.toContain('Record success');
    expect(run.error?.name).toBe('States.TaskFailed');
  });

  test('leave a record the registry holds as DynamoDB would write it: running, then succeeded, with its start and end', async () => {
    const table = new RunTable();
    const run = await runLocally(definition, table.handlers(['Record start'], ['Record success', 'Record failure']), 'run-12');
    expect(run.error).toBeUndefined();
    expect(table.record('training', 'run-12')).toEqual({
      workflow: { S: 'training' }, runId: { S: 'run-12' }, status: { S: 'SUCCEEDED' },
      startedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }, endedAt: { S: '2026-11-27T02:00:05Z' },
      codeVersion: { S: '3f9c2e1' }, parameters: { S: '{}' }, inputLocations: { SS: ['s3://raw-bucket/events/'] },
      artifactPrefix: { S: expect.stringMatching(/^s3:\/\/artifactsbucket[0-9a-f]+\/runs\/training\/run-12\/$/) },
    });
  });

  test('write the record through DynamoDB\'s throttling: each record is retried', async () => {
    const table = new RunTable();
    const throttledOnce = (write: (input: any) => object) => (input: any, attempt: number) => {
      if (attempt === 1) {
        throw taskError('DynamoDB.ThrottlingException', 'Rate exceeded');
      }
      return write(input);
    };
    const run = await runLocally(definition, {
      'Record start': throttledOnce((input) => table.put(input)), 'Record success': throttledOnce((input) => table.update(input)),
    }, 'run-14');
    expect(run.error).toBeUndefined();
    expect(table.record('training', 'run-14')?.status).toEqual({ S: 'SUCCEEDED' });
  });

  test('leave a failed run\'s record failed, naming its step and error, as DynamoDB would write it', async () => {
    const table = new RunTable();
    const run = await runLocally(definition, {
      ...table.handlers(['Record start'], ['Record success', 'Record failure']),
      'Batch job': () => { throw taskError('States.TaskFailed', 'exit code 137'); },
    }, 'run-13');
    expect(run.error?.name).toBe('States.TaskFailed');
    expect(table.record('training', 'run-13')).toMatchObject({
      status: { S: 'FAILED' }, endedAt: { S: '2026-11-27T02:00:05Z' }, failedStep: { S: 'train' }, error: { S: 'States.TaskFailed' },
      startedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
    expect(run.calls.map((c) => c.state)).toContain('Notify failure');
  });

  test('still notify when the failure cannot be recorded', async () => {
    const run = await runLocally(definition, {
      'Batch job': () => { throw taskError('States.TaskFailed'); },
      'Record failure': () => { throw taskError('DynamoDB.AmazonDynamoDBException', 'AccessDenied'); },
    });
    expect(run.calls.map((c) => c.state)).toContain('Notify failure');
    expect(run.error?.name).toBe('States.TaskFailed');
    // the run told of itself; the run closer closes the record it could not (workflow-failures.test.ts)
    expect(run.endedIn).toBe('Run failed');
  });

  test('register the trained model pending approval, with its artifact, metrics, run and code version', async () => {
    const run = await runLocally(definition, {}, 'run-11');
    const request = run.calls.find((c) => c.state === 'register')!.input;
    expect(request).toMatchObject({
      ModelPackageGroupName: 'team-churn',
      ModelApprovalStatus: 'PendingManualApproval',
      ModelPackageDescription: 'Run run-11 of workflow training',
      CustomerMetadataProperties: { workflow: 'training', runId: 'run-11', codeVersion: '3f9c2e1' },
    });
    expect(request.InferenceSpecification.Containers[0]).toEqual({
      Image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1',
      ModelDataUrl: expect.stringMatching(/^s3:\/\/artifactsbucket[0-9a-f]+\/runs\/training\/run-11\/train\/model\.tar\.gz$/),
    });
    expect(request.ModelMetrics.ModelQuality.Statistics.S3Uri).toMatch(/\/runs\/training\/run-11\/train\/metrics\.json$/);
  });

  test('share one closer among the workflows of a registry', () => {
    const stack = new Stack(newTestApp(), 'Shared');
    const runRegistry = new RunRegistry(stack, 'Runs');
    const jobQueue = batch.JobQueue.fromJobQueueArn(stack, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu');
    const jobDefinition = batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:1');
    for (const workflowName of ['a', 'b']) {
      new Workflow(stack, workflowName, { workflowName, runRegistry, steps: [WorkflowStep.batchJob({ name: 'train', jobQueue, jobDefinition })] });
    }
    const shared = Template.fromStack(stack);
    shared.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' }, 1);
    shared.resourcePropertiesCountIs('AWS::Events::Rule', { Description: Match.stringLikeRegexp('^Reports and closes the runs of workflow') }, 2);
  });

  test('put the closer in the workflows\' stack when the registry is in another, with no reference back', () => {
    const app = newTestApp();
    const runRegistry = new RunRegistry(new Stack(app, 'Registry'), 'Runs');
    const flows = new Stack(app, 'Flows');
    const jobQueue = batch.JobQueue.fromJobQueueArn(flows, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu');
    const jobDefinition = batch.EcsJobDefinition.fromJobDefinitionArn(flows, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:1');
    for (const workflowName of ['a', 'b']) {
      new Workflow(flows, workflowName, { workflowName, runRegistry, steps: [WorkflowStep.batchJob({ name: 'train', jobQueue, jobDefinition })] });
    }
    const assembly = app.synth();
    Template.fromJSON(assembly.getStackByName('Flows').template)
      .resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' }, 1);
    expect(assembly.getStackByName('Flows').dependencies.map((d) => d.id)).toContain('Registry');
    expect(assembly.getStackByName('Registry').dependencies.map((d) => d.id)).not.toContain('Flows');
  });
});
