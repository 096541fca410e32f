import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ValidationError } from '../../../constructs/core';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { SPARK_WORKFLOW_ANSWERS, sparkWorkflow, sparkWorkflowParts, SparkWorkflowParts } from '../../support/spark-workflow';
import { aslErrors, definitionOf, laneStates, LocalRun, runLocally, taskError, taskStateNames } from '../../support/state-machines';
import { checkedTemplate } from '../../support/synth';

/**
 * The cause startJobRun.sync fails with for a job that failed: the job run, with EMR Serverless's
 * own error in StateDetails. Step Functions gives it as the job run's JSON; aws-local-stepfunctions
 * strips every backslash from what intrinsic functions return, which breaks JSON inside JSON, so
 * here the cause has no quotes.
 */
const FAILED_RUN = 'JobRun 00fq5n6h21j9rn09 FAILED, StateDetails: Job failed, please check complete logs in configured logging destination. '
  + 'ExitCode: 1. Last few exceptions: Caused by: java.io.FileNotFoundException: s3://raw/events/ does not exist';

/** The step a task's call ran for, as the failure should report it. */
function stepOf(call: LocalRun['calls'][number]): string {
  if (/^(Spark job|Batch job)/.test(call.state)) {
    return call.input.JobName ?? call.input.Name.replace(/-run-\d+$/, '');
  }
  if (call.state.startsWith('Athena query')) {
    return 'stats';
  }
  if (['Read table snapshots', 'Snapshot ids'].includes(call.state)) {
    return 'Read table snapshots';
  }
  if (['Record start', 'Record success'].includes(call.state)) {
    return call.state;
  }
  if (/^(Wait for|Forget) dependencies/.test(call.state)) {
    return call.input.Key.step.S;
  }
  if (call.state.startsWith('Count dependency')) {
    return call.input.ExpressionAttributeValues[':step'].SS[0];
  }
  return call.state.split(' ')[0];
}

describe('WorkflowStep.sparkJob', () => {
  let parts: SparkWorkflowParts;
  let definition: any;
  beforeAll(() => {
    parts = sparkWorkflowParts();
    sparkWorkflow(parts);
    definition = definitionOf(checkedTemplate(parts.stack, { regulated: true, controlTower: true }), 'FlowStateMachine');
  });

  test('starts the job through the optimized integration and waits for it, as the job\'s role, with the run\'s variables', async () => {
    expect(aslErrors(definition)).toEqual([]);
    const run = await runLocally(definition, SPARK_WORKFLOW_ANSWERS, 'run-1');
    expect(run.error).toBeUndefined();
    expect(laneStates(definition)['Spark job with arguments'].Resource).toMatch(/:states:::emr-serverless:startJobRun\.sync$/);
    const build = run.calls.find((c) => c.state === 'Spark job with arguments')!.input;
    const { stack, build: job } = parts;
    expect(build).toEqual({
      Name: 'build-run-1',
      ApplicationId: expect.stringMatching(/^sparkapplication/),
      ExecutionRoleArn: expect.stringMatching(/^arn:aws:iam::111122223333:role\/sparkbuildjobrole/),
      JobDriver: {
        SparkSubmit: {
          EntryPoint: expect.stringMatching(/^s3:\/\/artifactsbucket[0-9a-f]+\/code\/features\/build\.py$/),
          EntryPointArguments: expect.any(Array),
          SparkSubmitParameters: '--conf spark.app.name=Build --conf spark.executor.memory=8g',
        },
      },
      ConfigurationOverrides: { ApplicationConfiguration: [{ Classification: 'spark-defaults', Properties: expect.any(Object) }] },
      ExecutionTimeoutMinutes: 240,
    });
    expect(stack.resolve(job.timeoutMinutes)).toBe(240);
    const environment = build.ConfigurationOverrides.ApplicationConfiguration[0].Properties;
    for (const side of ['spark.emr-serverless.driverEnv', 'spark.executorEnv']) {
      expect(environment).toMatchObject({ [`${side}.DSI_RUN_ID`]: 'run-1', [`${side}.DSI_WORKFLOW`]: 'features', [`${side}.DSI_STEP`]: 'build' });
    }
    // a job with no arguments runs without the field, in a task of its own shape
    const report = run.calls.find((c) => c.state === 'Spark job, 1 retry')!.input;
    expect(report.Name).toBe('report-run-1');
    expect(report.JobDriver.SparkSubmit).toEqual({ EntryPoint: expect.stringMatching(/report\.py$/), SparkSubmitParameters: '--conf spark.app.name=Report' });
  });

  test('retries EMR Serverless\'s throttling and server errors, without counting them as the step\'s retries', async () => {
    const run = await runLocally(definition, {
      ...SPARK_WORKFLOW_ANSWERS,
      'Spark job with arguments': (_: any, attempt: number) => {
        if (attempt === 1) {
          throw taskError('EMRServerless.ThrottlingException', 'Rate exceeded');
        }
        if (attempt === 2) {
          throw taskError('EMRServerless.InternalServerException', 'Internal error');
        }
        return { ApplicationId: 'app', JobRunId: 'j1', State: 'SUCCESS' };
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.state === 'Spark job with arguments')).toHaveLength(3);
    expect(run.endedIn).toBe('Record success');
  });

  test('a failed job fails the run with EMR Serverless\'s own error, recorded and notified with the step', async () => {
    const run = await runLocally(definition, {
      ...SPARK_WORKFLOW_ANSWERS,
      'Spark job with arguments': () => { throw taskError('States.TaskFailed', FAILED_RUN); },
    }, 'run-3');
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: FAILED_RUN });
    expect(run.endedIn).toBe('Run failed');
    const record = run.calls.find((c) => c.state === 'Record failure')!.input;
    expect(record.ExpressionAttributeValues).toMatchObject({ ':status': { S: 'FAILED' }, ':step': { S: 'build' }, ':error': { S: 'States.TaskFailed' } });
    const notice = run.calls.find((c) => c.state === 'Notify failure')!.input.Message;
    expect(notice).toMatchObject({ workflow: 'features', runId: 'run-3', status: 'FAILED', step: 'build', error: 'States.TaskFailed' });
    expect(notice.cause).toBe(FAILED_RUN);
    // a job failure is not retried: the step asked for no retries
    expect(run.calls.filter((c) => c.state === 'Spark job with arguments')).toHaveLength(1);
    expect(run.calls.map((c) => c.state)).not.toContain('Record success');
  });

  test('a step\'s own retries try a failed job again', async () => {
    const run = await runLocally(definition, {
      ...SPARK_WORKFLOW_ANSWERS,
      'Spark job, 1 retry': (_: any, attempt: number) => {
        if (attempt === 1) {
          throw taskError('States.TaskFailed', FAILED_RUN);
        }
        return {};
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.state === 'Spark job, 1 retry')).toHaveLength(2);
  });

  test('each task of a run, failing for good, fails the run with its error, after recording and reporting the step it ran for', async () => {
    const tasks = taskStateNames(definition).filter((state) => !['Record failure', 'Notify failure'].includes(state));
    expect(tasks).toEqual(expect.arrayContaining(['Read table snapshots', 'Snapshot ids', 'Spark job with arguments', 'Spark job, 1 retry']));
    for (const failing of tasks) {
      let failed: LocalRun['calls'][number] | undefined;
      const run = await runLocally(definition, {
        ...SPARK_WORKFLOW_ANSWERS,
        [failing]: (input) => {
          failed ??= { state: failing, step: failing, input };
          throw taskError('Test.Broken', `${failing} is broken`);
        },
      }, 'run-13');
      expect({ failing, error: run.error }).toEqual({ failing, error: { name: 'Test.Broken', message: `${failing} is broken` } });
      const notice = run.calls.find((c) => c.state === 'Notify failure')!.input.Message;
      const reported = failing === 'Start dependent' ? notice.step : stepOf(failed!);
      expect({ failing, step: notice.step }).toEqual({ failing, step: reported });
      expect(run.calls.find((c) => c.state === 'Record failure')!.input.ExpressionAttributeValues[':step']).toEqual({ S: reported });
      expect({ failing, last: run.endedIn }).toEqual({ failing, last: 'Run failed' });
    }
  });

  test('a workflow that records no snapshot hands its Spark jobs none', async () => {
    const plain = sparkWorkflowParts();
    new Workflow(plain.stack, 'Flow', { workflowName: 'plain', steps: [WorkflowStep.sparkJob({ name: 'build', job: plain.build, timeout: Duration.minutes(30), sparkConf: { 'spark.executor.cores': '4' } })] });
    const plainDefinition = definitionOf(checkedTemplate(plain.stack), 'FlowStateMachine');
    expect(JSON.stringify(plainDefinition)).not.toContain('snapshots');
    const run = await runLocally(plainDefinition, {}, 'run-2');
    expect(run.error).toBeUndefined();
    const build = run.calls.find((c) => c.state === 'Spark job')!.input;
    expect(Object.keys(build.ConfigurationOverrides.ApplicationConfiguration[0].Properties).filter((k) => k.includes('SNAPSHOTS'))).toEqual([]);
    expect(build.ExecutionTimeoutMinutes).toBe(30);
    expect(build.JobDriver.SparkSubmit.SparkSubmitParameters).toBe('--conf spark.app.name=Build --conf spark.executor.memory=8g --conf spark.executor.cores=4');
  });

  test('plain arguments, the step\'s own or else the job\'s, reach the job as given', async () => {
    const plain = sparkWorkflowParts();
    const backfill = plain.runtime.addJob('Backfill', { entryPointKey: 'code/features/backfill.py', arguments: ['--days', '7'] });
    new Workflow(plain.stack, 'Flow', {
      workflowName: 'plain',
      steps: [WorkflowStep.sparkJob({ name: 'build', job: plain.build, arguments: ['--mode', 'full'] }), WorkflowStep.sparkJob({ name: 'backfill', job: backfill })],
    });
    const run = await runLocally(definitionOf(Template.fromStack(plain.stack), 'FlowStateMachine'), {}, 'run-4');
    expect(run.error).toBeUndefined();
    const started = run.calls.filter((c) => c.state === 'Spark job with arguments').map((c) => [c.input.Name, c.input.JobDriver.SparkSubmit.EntryPointArguments]);
    expect(started.sort()).toEqual([['backfill-run-4', ['--days', '7']], ['build-run-4', ['--mode', 'full']]]);
  });

  test('bad step props are a ValidationError naming each prop, value and fix', () => {
    const bad = sparkWorkflowParts();
    let attempt = 0;
    const make = () => new Workflow(bad.stack, `Bad${attempt++}`, {
      workflowName: 'bad',
      steps: [WorkflowStep.sparkJob({
        name: 'build', job: bad.build, arguments: [''], sparkConf: { 'spark.jars': 's3://b/x.jar' }, timeout: Duration.seconds(90),
      })],
    });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow('steps[0].arguments[0] = "": give 1 to 10280 characters');
    expect(make).toThrow('steps[0].sparkConf = "spark.jars": give extra jars with the job\'s jarKeys');
    expect(make).toThrow('steps[0].timeout = "1 minute 30 seconds": give whole minutes from 1 minute to 7 days');
    expect(() => new Workflow(new Stack(), 'NoJob', { workflowName: 'x', steps: [WorkflowStep.sparkJob({ name: 'a', job: undefined as any })] }))
      .toThrow('steps[0].job = undefined: give a Spark job, for example from SparkRuntime.addJob');
    // a job's own arguments are checked as the step's are, by their own prop
    const orders = bad.runtime.addJob('Orders', { entryPointKey: 'code/orders.py', arguments: ['--snapshot', '{snapshot:orders}'] });
    expect(() => new Workflow(bad.stack, 'JobArguments', { workflowName: 'x', steps: [WorkflowStep.sparkJob({ name: 'a', job: orders })] }))
      .toThrow('steps[0].job.entryPointArguments[1] = "{snapshot:orders}": give the workflow tableSnapshots naming the Iceberg table');
    // from JavaScript: an argument that is no text is named, not a TypeError
    expect(() => new Workflow(bad.stack, 'NumberArgument', { workflowName: 'x', steps: [WorkflowStep.sparkJob({ name: 'a', job: bad.build, arguments: [42 as any] })] }))
      .toThrow('steps[0].arguments[0] = 42: give 1 to 10280 characters');
  });
});
