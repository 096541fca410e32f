import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore, ModelRegistry, RunRegistry } from '../../../constructs/versioning';
import { DataWarehouse } from '../../../constructs/warehouse';
import { expectAlarms } from '../../support/alarms';
import { runCloserAlarms } from '../../support/alarm-specs';
import { ACCOUNT, PolicySimulator } from '../../support/iam';
import { propertyOf, resourceId } from '../../support/resources';
import { RunTable } from '../../support/run-table';
import { aslErrors, definitionOf, LocalRun, runLocally, taskError, taskStateNames } from '../../support/state-machines';
import { checkedTemplate, newTestApp } from '../../support/synth';

/**
 * No silent failure: a run that fails, times out or is stopped is reported to the workflow's
 * topic and its record closed, whichever task fails, the failure path's own included; the run
 * closer reports what the run could not, and its own failures raise an alarm.
 */
function imported(stack: Stack) {
  return {
    jobQueue: batch.JobQueue.fromJobQueueArn(stack, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu'),
    jobDefinition: batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:1'),
  };
}

/** Every kind of step, in two lanes that wait for each other: every state a run can pass through. */
function everyKindOfStep(stack: Stack): WorkflowStep[] {
  const job = imported(stack);
  const models = new ModelRegistry(stack, 'Models', { namePrefix: 'team', modelNames: ['churn'] });
  return [
    WorkflowStep.athenaQuery({ name: 'features', warehouse: new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' }), queryString: 'SELECT 1' }),
    WorkflowStep.batchJob({ name: 'prepare', dependsOn: ['features'], ...job }),
    WorkflowStep.batchJob({ name: 'train', dependsOn: ['prepare'], retries: 1, ...job }),
    WorkflowStep.batchJob({ name: 'split', dependsOn: ['prepare'], ...job }),
    WorkflowStep.forEach({ name: 'score', dependsOn: ['split', 'train'], itemsFrom: 'split', job }),
    WorkflowStep.registerModel({ name: 'register', dependsOn: ['train'], registry: models, modelName: 'churn', image: 'serve:1', modelDataKey: 'runs/{run_id}/model.tar.gz' }),
  ];
}

/** The answers that let a run of `everyKindOfStep` through: the list `score` reads. */
const ANSWERS = { score: () => ({ Body: '["a"]' }) };

/** The step a task's call ran for, as the failure should report it. */
function stepOf(call: LocalRun['calls'][number]): string | undefined {
  if (call.state.startsWith('Batch job')) {
    return call.input.JobName;
  }
  if (call.state.startsWith('Athena query')) {
    return 'features';
  }
  if (/^(Wait for|Forget) dependencies/.test(call.state)) {
    return call.input.Key.step.S;
  }
  if (call.state.startsWith('Count dependency')) {
    return call.input.ExpressionAttributeValues[':step'].SS[0];
  }
  // a step's own states are named after it: `score`, `score items`, `score item`
  return call.state.split(' ')[0] === call.state || /^\S+ items?$/.test(call.state) ? call.state.split(' ')[0] : { 'Record start': 'Record start', 'Record success': 'Record success' }[call.state];
}

const FAILURE_PATH = ['Record failure', 'Notify failure'];

describe('Workflow failures', () => {
  let template: Template;
  let definition: any;
  let closer: any;
  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Failures');
    new Workflow(stack, 'Flow', {
      workflowName: 'training', steps: everyKindOfStep(stack), artifactStore: new ArtifactStore(stack, 'Artifacts'), runRegistry: new RunRegistry(stack, 'Runs'),
    });
    template = checkedTemplate(stack, { regulated: true });
    definition = definitionOf(template, 'FlowStateMachine');
    closer = definitionOf(template, 'RunsRunCloserStateMachine');
  });

  test('pass asl-validator, and run through every kind of step', async () => {
    expect(aslErrors(definition)).toEqual([]);
    expect(aslErrors(closer)).toEqual([]);
    const run = await runLocally(definition, ANSWERS);
    expect(run.error).toBeUndefined();
    expect(run.calls.map((c) => c.state)).toEqual(expect.arrayContaining(['Wait for dependencies', 'Count dependency', 'Start dependent', 'register', 'score item']));
  });

  test('each task of a run, failing for good, fails the run with its own error, after recording and reporting the step it ran for', async () => {
    const ok = await runLocally(definition, ANSWERS);
    const tasks = taskStateNames(definition).filter((state) => !FAILURE_PATH.includes(state));
    // every Task a successful run passes through, and no other
    expect([...tasks].sort()).toEqual([...new Set(ok.calls.map((c) => c.state))].sort());
    expect([...tasks].sort()).toEqual(['Athena query', 'Batch job', 'Batch job, 1 retry', 'Count dependency', 'Forget dependencies', 'Record start', 'Record success',
      'Start dependent', 'Wait for dependencies', 'register', 'score', 'score item'].sort());
    for (const failing of tasks) {
      let failed: LocalRun['calls'][number] | undefined;
      const run = await runLocally(definition, {
        ...ANSWERS,
        [failing]: (input) => {
          failed ??= { state: failing, step: input.JobName ?? failing, input };
          throw taskError('Test.Broken', `${failing} is broken`);
        },
      }, 'run-13');
      const reported = stepOf(failed!);
      expect({ failing, error: run.error }).toEqual({ failing, error: { name: 'Test.Broken', message: `${failing} is broken` } });
      const record = run.calls.find((c) => c.state === 'Record failure')!.input;
      expect(record.ExpressionAttributeValues[':error']).toEqual({ S: 'Test.Broken' });
      const notice = run.calls.find((c) => c.state === 'Notify failure')!.input.Message;
      expect(notice).toMatchObject({ workflow: 'training', runId: 'run-13', status: 'FAILED', error: 'Test.Broken', cause: `${failing} is broken` });
      if (reported) {
        expect({ failing, step: notice.step }).toEqual({ failing, step: reported });
        expect(record.ExpressionAttributeValues[':step']).toEqual({ S: reported });
      } else {
        // SendTaskSuccess names no step: it is one of the steps that tell others
        expect({ failing, step: notice.step }).toEqual({ failing, step: expect.stringMatching(/^(prepare|train)$/) });
      }
      expect({ failing, last: run.endedIn }).toEqual({ failing, last: 'Run failed' });
      // a failed run is never recorded a success
      const succeeded = run.calls.filter((c) => c.state === 'Record success');
      expect({ failing, succeeded: succeeded.length }).toEqual({ failing, succeeded: failing === 'Record success' ? 1 : 0 });
    }
  });

  test.each([
    ['a notification throttled, then delivered, ends the run as told', { 'Notify failure': (_: any, attempt: number) => {
      if (attempt < 3) {
        throw taskError('SNS.ThrottledException', 'Rate exceeded');
      }
      return {};
    } }, 'Run failed', 3],
    ['a notification failing for good still fails the run with the step\'s error, as not told', {
      'Notify failure': () => { throw taskError('SNS.AuthorizationErrorException', 'not allowed'); },
    }, 'Run failed, not notified', 1],
    ['a failure that cannot be recorded is still told', {
      'Record failure': () => { throw taskError('DynamoDB.AmazonDynamoDBException', 'AccessDenied'); },
    }, 'Run failed', 1],
    ['a failure neither recorded nor told still fails the run with the step\'s error', {
      'Record failure': () => { throw taskError('DynamoDB.AmazonDynamoDBException', 'AccessDenied'); },
      'Notify failure': () => { throw taskError('SNS.AuthorizationErrorException', 'not allowed'); },
    }, 'Run failed, not notified', 1],
  ])('%s', async (_, failurePath, end, notifications) => {
    const run = await runLocally(definition, {
      ...ANSWERS,
      'Batch job, 1 retry': () => { throw taskError('States.TaskFailed', 'exit code 1'); },
      ...failurePath,
    });
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: 'exit code 1' });
    expect(run.endedIn).toBe(end);
    expect(run.calls.filter((c) => c.state === 'Notify failure')).toHaveLength(notifications);
  });

  /** What SNS's Publish answers when it, or the topic's KMS key, is throttled or has an internal error: each passes. */
  const PUBLISH_TRANSIENT_ERRORS = ['SNS.ThrottledException', 'SNS.KMSThrottlingException', 'SNS.InternalErrorException'];
  /** How often a notification is retried: six times, over about two minutes. */
  const NOTIFY_RETRIES = 6;
  /** A Task that fails with `error` its first `times` calls, then succeeds. */
  const failing = (error: string, times: number) => (_: any, attempt: number) => {
    if (attempt <= times) {
      throw taskError(error, 'Rate exceeded');
    }
    return {};
  };

  test.each(PUBLISH_TRANSIENT_ERRORS)('the failure path\'s notification, refused with %s on each retry but the last, is delivered and the run ends as told', async (error) => {
    const run = await runLocally(definition, {
      ...ANSWERS,
      'Batch job, 1 retry': () => { throw taskError('States.TaskFailed', 'exit code 1'); },
      'Notify failure': failing(error, NOTIFY_RETRIES),
    });
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: 'exit code 1' });
    expect(run.calls.filter((c) => c.state === 'Notify failure')).toHaveLength(NOTIFY_RETRIES + 1);
    expect(run.endedIn).toBe('Run failed');
  });

  test('the failure path\'s notification, throttled past its retries, ends the run as not told, for the run closer to report', async () => {
    const run = await runLocally(definition, {
      ...ANSWERS,
      'Batch job, 1 retry': () => { throw taskError('States.TaskFailed', 'exit code 1'); },
      'Notify failure': failing('SNS.ThrottledException', NOTIFY_RETRIES + 1),
    });
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: 'exit code 1' });
    expect(run.calls.filter((c) => c.state === 'Notify failure')).toHaveLength(NOTIFY_RETRIES + 1);
    expect(run.endedIn).toBe('Run failed, not notified');
  });

  describe('the run closer', () => {
    const event = (status: string, runId = 'run-21') => ({
      workflow: 'training', runId, status, endedAt: '2026-11-28T02:00:00Z',
      executionArn: `arn:aws:states:eu-west-1:111122223333:execution:flow:${runId}`, topicArn: 'arn:aws:sns:eu-west-1:111122223333:team',
    });
    /** The last two events of a run's history, newest first, as getExecutionHistory gives them. */
    const history = (end: object, before: object) => () => ({ Events: [end, before] });
    const failedIn = (state: string) => history(
      { Type: 'ExecutionFailed', ExecutionFailedEventDetails: { Error: 'States.TaskFailed', Cause: 'exit code 1' } },
      { Type: 'FailStateEntered', StateEnteredEventDetails: { Name: state } },
    );

    test('leaves a run that told of its failure alone, but closes its record if still RUNNING', async () => {
      const run = await runLocally(closer, { 'Read how the run ended': failedIn('Run failed') }, 'close-1', event('FAILED'));
      expect(run.error).toBeUndefined();
      expect(run.calls.map((c) => c.state)).toEqual(['Record end', 'Read how the run ended']);
      expect(run.calls[0].input).toMatchObject({
        Key: { workflow: { S: 'training' }, runId: { S: 'run-21' } },
        ConditionExpression: '#status = :running',
        ExpressionAttributeValues: { ':status': { S: 'FAILED' }, ':endedAt': { S: '2026-11-28T02:00:00Z' }, ':running': { S: 'RUNNING' } },
      });
      expect(run.calls[1].input).toEqual({ ExecutionArn: event('FAILED').executionArn, ReverseOrder: true, MaxResults: 2, IncludeExecutionData: false });
    });

    test.each([
      ['a run whose failure path could not notify', 'FAILED', failedIn('Run failed, not notified')],
      ['a run that failed where no Catch reaches (States.Runtime)', 'FAILED', history(
        { Type: 'ExecutionFailed', ExecutionFailedEventDetails: { Error: 'States.Runtime', Cause: 'Path $.x not found' } },
        { Type: 'TaskStateEntered', StateEnteredEventDetails: { Name: 'Read step failure' } },
      )],
      ['a run that failed outside any state', 'FAILED', history(
        { Type: 'ExecutionFailed', ExecutionFailedEventDetails: { Error: 'States.DataLimitExceeded' } }, { Type: 'TaskFailed' },
      )],
      ['a run that timed out', 'TIMED_OUT', history({ Type: 'ExecutionTimedOut', ExecutionTimedOutEventDetails: { Error: 'States.Timeout' } }, { Type: 'TaskSubmitted' })],
      ['a run that was stopped', 'ABORTED', history({ Type: 'ExecutionAborted', ExecutionAbortedEventDetails: { Cause: 'stopped by ana' } }, { Type: 'TaskSubmitted' })],
    ])('reports %s to the workflow\'s topic, with the run\'s final event, and closes its record', async (_, status, read) => {
      const run = await runLocally(closer, { 'Read how the run ended': read }, 'close-2', event(status));
      expect(run.error).toBeUndefined();
      expect(run.calls.find((c) => c.state === 'Record end')!.input.ExpressionAttributeValues[':status']).toEqual({ S: status });
      const notice = run.calls.find((c) => c.state === 'Notify run end')!.input;
      expect(notice).toEqual({
        TopicArn: 'arn:aws:sns:eu-west-1:111122223333:team',
        Subject: `Workflow training run ${status}`,
        Message: { workflow: 'training', runId: 'run-21', status, end: read().Events[0] },
      });
    });

    test('closes a record still RUNNING as DynamoDB would, and leaves one its run closed itself as it was', async () => {
      const table = new RunTable();
      const record = (runId: string, status: string) => ({ workflow: { S: 'training' }, runId: { S: runId }, status: { S: status } });
      table.put({ TableName: 'runs', Item: record('run-21', 'RUNNING') });
      table.put({ TableName: 'runs', Item: record('run-22', 'SUCCEEDED') });
      for (const runId of ['run-21', 'run-22']) {
        const run = await runLocally(closer, { ...table.handlers([], ['Record end']), 'Read how the run ended': failedIn('Run failed') }, 'close-3', event('FAILED', runId));
        expect(run.error).toBeUndefined();
      }
      expect(table.record('training', 'run-21')).toEqual({ ...record('run-21', 'FAILED'), endedAt: { S: '2026-11-28T02:00:00Z' } });
      expect(table.record('training', 'run-22')).toEqual(record('run-22', 'SUCCEEDED'));
    });

    test('reports a run its record no longer says RUNNING of, and retries throttling', async () => {
      const run = await runLocally(closer, {
        'Record end': () => { throw taskError('DynamoDB.ConditionalCheckFailedException'); },
        'Read how the run ended': failedIn('Run failed, not notified'),
        'Notify run end': (_, attempt) => {
          if (attempt < 3) {
            throw taskError('SNS.ThrottledException');
          }
          return {};
        },
      }, 'close-3', event('FAILED'));
      expect(run.error).toBeUndefined();
      expect(run.calls.filter((c) => c.state === 'Notify run end')).toHaveLength(3);
    });

    test.each(PUBLISH_TRANSIENT_ERRORS)('delivers a report refused with %s on each retry but the last, and ends closed', async (error) => {
      const run = await runLocally(closer, {
        'Read how the run ended': failedIn('Run failed, not notified'),
        'Notify run end': failing(error, NOTIFY_RETRIES),
      }, 'close-6', event('FAILED'));
      expect(run.error).toBeUndefined();
      expect(run.calls.filter((c) => c.state === 'Notify run end')).toHaveLength(NOTIFY_RETRIES + 1);
      expect(run.calls.filter((c) => c.state === 'Notify run end').map((c) => c.input.Message.runId)).toEqual(Array(NOTIFY_RETRIES + 1).fill('run-21'));
      expect(run.endedIn).toBe('Run closed');
    });

    test('fails, for its alarm, when the report is throttled past its retries', async () => {
      const run = await runLocally(closer, {
        'Read how the run ended': failedIn('Run failed, not notified'),
        'Notify run end': failing('SNS.KMSThrottlingException', NOTIFY_RETRIES + 1),
      }, 'close-8', event('FAILED'));
      expect(run.error?.name).toBe('SNS.KMSThrottlingException');
      expect(run.calls.filter((c) => c.state === 'Notify run end')).toHaveLength(NOTIFY_RETRIES + 1);
    });

    test.each(['Sfn.SfnException', 'Sfn.ThrottlingException'])('reads the run\'s history again when Step Functions refuses it with %s, and reports the run', async (error) => {
      const run = await runLocally(closer, {
        'Read how the run ended': (_, attempt) => {
          if (attempt <= 2) {
            throw taskError(error, 'Rate exceeded');
          }
          return failedIn('Run failed, not notified')();
        },
      }, 'close-9', event('FAILED'));
      expect(run.error).toBeUndefined();
      expect(run.calls.filter((c) => c.state === 'Read how the run ended')).toHaveLength(3);
      expect(run.calls.filter((c) => c.state === 'Notify run end')).toHaveLength(1);
      expect(run.endedIn).toBe('Run closed');
    });

    test.each([
      ['its record cannot be written (DynamoDB throttling past its retries)', 'Record end', 'DynamoDB.ThrottlingException'],
      ['the run\'s history cannot be read', 'Read how the run ended', 'Sfn.AccessDeniedException'],
      ['the topic refuses it', 'Notify run end', 'SNS.AuthorizationErrorException'],
    ])('fails, for an alarm, when %s', async (_, state, error) => {
      const run = await runLocally(closer, {
        'Read how the run ended': failedIn('Run failed, not notified'),
        [state]: () => { throw taskError(error); },
      }, 'close-4', event('FAILED'));
      expect(run.error?.name).toBe(error);
      expect(run.calls.filter((c) => c.state === state).length).toBeGreaterThanOrEqual(1);
    });

    test('alarms on its own failures and time-outs, and on ends it could not be given, to the workflow\'s topic', () => {
      // in alarm on the first failed or timed-out closing, and on the first end left in its dead-letter queue
      expectAlarms(template, runCloserAlarms(template, 'RunsRunCloser', [{ Ref: resourceId(template, 'AWS::SNS::Topic', 'FlowNotifications') }]),
        'test/constructs/scheduler/workflow-failures.test.ts');
    });

    test('is started by EventBridge as a role only EventBridge assumes, and EventBridge and CloudWatch may use the keys and topic it reports through', async () => {
      const sim = new PolicySimulator(template);
      const role = sim.logicalId('AWS::IAM::Role', 'RunsRunCloserEventsRole');
      expect(template.toJSON().Resources[role].Properties).toMatchObject({
        Description: 'Starts the run closer for runs that failed, timed out or were stopped',
        AssumeRolePolicyDocument: { Statement: [expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'events.amazonaws.com' } })] },
      });
      expect(await sim.decide(role, 'states:StartExecution', sim.arn(sim.logicalId('AWS::StepFunctions::StateMachine', 'RunsRunCloserStateMachine')))).toBe('Allowed');
      // the services act for this account: EventBridge encrypts the ends it could not deliver into the
      // dead-letter queue under the closer's key, CloudWatch publishes the closer's alarms to the encrypted topic
      const ours = { 'aws:SourceAccount': ACCOUNT };
      const keyOf = (type: string, prefix: string) => sim.resolve(propertyOf(template, type, prefix, 'KmsMasterKeyId'));
      const closerKey = keyOf('AWS::SQS::Queue', 'RunsRunCloserDeadLetters');
      const topicKey = keyOf('AWS::SNS::Topic', 'FlowNotifications');
      const topic = sim.arn(resourceId(template, 'AWS::SNS::Topic', 'FlowNotifications'));
      for (const [service, action, resource] of [
        ['events.amazonaws.com', 'kms:GenerateDataKey', closerKey], ['events.amazonaws.com', 'kms:Decrypt', closerKey],
        ['cloudwatch.amazonaws.com', 'sns:Publish', topic], ['cloudwatch.amazonaws.com', 'kms:GenerateDataKey', topicKey], ['cloudwatch.amazonaws.com', 'kms:Decrypt', topicKey],
      ]) {
        expect([service, action, await sim.decideForService(service, action, resource, ours)]).toEqual([service, action, 'Allowed']);
        expect([service, action, await sim.decideForService(service, action, resource, { 'aws:SourceAccount': '999988887777' })]).toEqual([service, action, 'ImplicitlyDenied']);
      }
    });

    test('hears of every run of the workflow that fails, times out or is stopped', () => {
      const [rule] = Object.values(template.findResources('AWS::Events::Rule', { Properties: { Description: Match.stringLikeRegexp('^Reports and closes the runs of workflow training') } }));
      expect(rule.Properties.EventPattern).toEqual({
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: expect.stringMatching(/^FlowStateMachine/) }] },
      });
      const [target] = rule.Properties.Targets;
      expect(target.Arn).toEqual({ Ref: expect.stringMatching(/^RunsRunCloserStateMachine/) });
      // the topic's ARN is a reference, joined into the template
      const input = target.InputTransformer.InputTemplate['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : 'topic')).join('');
      expect(JSON.parse(input.replace(/<([A-Za-z-]+)>/g, '"$1"'))).toEqual({
        workflow: 'training', runId: 'detail-name', status: 'detail-status', endedAt: 'time', executionArn: 'detail-executionArn', topicArn: 'topic',
      });
      expect(target.DeadLetterConfig).toBeDefined();
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86400 });
    });
  });

  test('a workflow composed on its own, with no registry, still reports its failed, timed-out and stopped runs to its topic', async () => {
    const stack = new Stack(newTestApp(), 'Alone');
    new Workflow(stack, 'Training', { workflowName: 'training', steps: [WorkflowStep.batchJob({ name: 'train', ...imported(stack) })] });
    const alone = checkedTemplate(stack);
    alone.resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: Match.objectLike({ status: ['FAILED', 'TIMED_OUT', 'ABORTED'] }) }) }, 1);
    const machine = definitionOf(alone, 'RunCloserStateMachine');
    expect(machine.StartAt).toBe('Read how the run ended');
    const run = await runLocally(machine, { 'Read how the run ended': () => ({ Events: [{ Type: 'ExecutionTimedOut' }, { Type: 'TaskSubmitted' }] }) }, 'close-5',
      { workflow: 'training', runId: 'r', status: 'TIMED_OUT', endedAt: 't', executionArn: 'arn', topicArn: 'topic' });
    expect(run.calls.map((c) => c.state)).toEqual(['Read how the run ended', 'Notify run end']);
  });

  test('a closer of more workflows than an alarm takes actions alarms to the topics of the first five, as many as CloudWatch takes', () => {
    const stack = new Stack(newTestApp(), 'Many');
    const job = imported(stack);
    const flows = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].map((id) => new Workflow(stack, id, {
      workflowName: id.toLowerCase(), steps: [WorkflowStep.batchJob({ name: 'train', ...job })],
    }));
    const template = Template.fromStack(stack);
    // one closer reports all six: its alarms name the topics of the first five workflows, in order
    const topics = flows.map((flow) => ({ Ref: resourceId(template, 'AWS::SNS::Topic', `${flow.node.id}Notifications`) }));
    expectAlarms(template, runCloserAlarms(template, 'RunCloser', topics.slice(0, 5)), 'test/constructs/scheduler/workflow-failures.test.ts');
  });

  test('a topic and a registry in another stack: the workflow\'s stack depends on theirs, never the other way', () => {
    const app = newTestApp();
    const shared = new Stack(app, 'Shared');
    const runRegistry = new RunRegistry(shared, 'Runs');
    const notificationTopic = new sns.Topic(shared, 'Topic', { enforceSSL: true });
    const flows = new Stack(app, 'Flows');
    const job = imported(flows);
    for (const workflowName of ['a', 'b']) {
      new Workflow(flows, workflowName, { workflowName, runRegistry, notificationTopic, steps: [WorkflowStep.batchJob({ name: 'train', ...job })] });
    }
    checkedTemplate(flows);
    const assembly = (app as App).synth();
    expect(assembly.getStackByName('Flows').dependencies.map((d) => d.id)).toEqual(expect.arrayContaining(['Shared']));
    expect(assembly.getStackByName('Shared').dependencies.map((d) => d.id)).not.toContain('Flows');
    // one closer reports both, and alarms once to the topic
    const flowsTemplate = Template.fromJSON(assembly.getStackByName('Flows').template);
    flowsTemplate.resourcePropertiesCountIs('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' }, 1);
    for (const alarm of Object.values(flowsTemplate.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
    const closer = resourceId(flowsTemplate, 'AWS::StepFunctions::StateMachine', 'RunCloser').replace(/StateMachine.*$/, '');
    // the topic of the other stack, by reference to its output
    const topic = { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Shared', OutputName: expect.stringMatching(/RefTopic/) }) };
    expectAlarms(flowsTemplate, runCloserAlarms(flowsTemplate, closer, [topic]),
      'test/constructs/scheduler/workflow-failures.test.ts');
  });
});
