import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand, Output } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand, DescribeStateMachineCommand, DescribeStateMachineCommandOutput, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { main, newIo, regionFromOutputs } from '../../bin/dsi';
import { METAFLOW_SETTINGS } from '../../bin/dsi/metaflow-config';
import { testIo } from '../support/dsi-io';

const sfnMock = mockClient(SFNClient);
const cfnMock = mockClient(CloudFormationClient);
const ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:ExampleWorkflowStateMachine-abc';
const OUTPUTS = [
  { OutputKey: 'Workflows', OutputValue: JSON.stringify({ example: ARN }) },
  { OutputKey: 'JobLogGroupName', OutputValue: 'data-science-dev-ComputeJobLogs-xyz' },
];
/** A workflow of two steps, features then train, in one lane, as the library writes it. */
const DEFINITION = JSON.stringify({ StartAt: 'Plan steps', States: {
  'Plan steps': { Type: 'Pass', Next: 'Run steps' },
  'Run steps': { Type: 'Map', End: true, ItemProcessor: { StartAt: 'Next step', States: {
    'Next step': { Type: 'Pass', Next: 'Start step' },
    'Start step': { Type: 'Choice', Choices: [{ Variable: '$.step.name', StringEquals: 'features', Next: 'features' }, { Variable: '$.step.name', StringEquals: 'train', Next: 'train' }] },
    'features': { Type: 'Pass', Next: 'Athena query' }, 'train': { Type: 'Pass', Next: 'Batch job' },
    'Athena query': { Type: 'Task', Next: 'After step' }, 'Batch job': { Type: 'Task', Next: 'After step' },
    'After step': { Type: 'Choice', Choices: [], Default: 'Lane finished' }, 'Lane finished': { Type: 'Succeed' },
  } } },
  'Notify failure': { Type: 'Task', End: true },
} });

/** What JSON.parse says of `text`, in this version of Node. */
const jsonError = (text: string) => { try { JSON.parse(text); } catch (error) { return (error as Error).message; } return ''; };

/** The stack as DescribeStacks gives it, with `Outputs`. */
const deployed = (Outputs?: Output[]) => cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [{
  StackName: 'data-science-dev', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs,
}] });
/** The workflow's state machine as DescribeStateMachine gives it, logging to its log group unless `props` say otherwise. */
const describes = (props: Partial<DescribeStateMachineCommandOutput> = {}) => sfnMock.on(DescribeStateMachineCommand).resolves({
  stateMachineArn: ARN, name: 'x', definition: DEFINITION, roleArn: 'r', type: 'STANDARD', creationDate: new Date(),
  loggingConfiguration: { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vendedlogs/states/example:*' } }] },
  ...props,
});

let printed: string[];
let errors: string[];
const io = () => testIo(printed);
const entered = (id: number, name: string) => ({ id, type: 'PassStateEntered' as const, timestamp: new Date(), stateEnteredEventDetails: { name } });
/** The lane going on after `step`: the step has ended. */
const exited = (id: number, step: string) => ({
  id, type: 'ChoiceStateEntered' as const, timestamp: new Date(), stateEnteredEventDetails: { name: 'After step', input: JSON.stringify({ step: { name: step } }) },
});

beforeEach(() => {
  sfnMock.reset();
  cfnMock.reset();
  printed = [];
  errors = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
  deployed(OUTPUTS);
  describes();
});

describe('dsi workflows', () => {
  test('lists the deployed stack\'s workflows', async () => {
    expect(await main(['workflows'], io())).toBe(0);
    expect(printed).toEqual([`example\t${ARN}`]);
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: 'data-science-dev' });
  });

  test('reads a cdk deploy --outputs-file offline', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ 'fraud-prod': { Workflows: JSON.stringify({ scoring: ARN }) } }));
    expect(await main(['workflows', '--stack', 'fraud-prod', '--outputs', file], io())).toBe(0);
    expect(printed).toEqual([`scoring\t${ARN}`]);
    expect(cfnMock.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  test.each([
    ['a file that is not there', undefined, (file: string) => `dsi: Cannot read ${file}: ENOENT: no such file or directory, open '${file}'. Write it with \`npx cdk deploy --outputs-file ${file}\`.`],
    ['a file that is not JSON', 'outputs', (file: string) => `dsi: Cannot read ${file}: ${jsonError('outputs')}. Write it with \`npx cdk deploy --outputs-file ${file}\`.`],
    ['a file of other stacks', JSON.stringify({ a: {}, b: {} }), (file: string) => `dsi: ${file} has no stack fraud-prod; it has a, b. Pass --stack.`],
    ['a file of no stacks', '{}', (file: string) => `dsi: ${file} has no stack fraud-prod; it has none. Pass --stack.`],
    ['a stack without workflows', JSON.stringify({ 'fraud-prod': { Bucket: 'b' } }), () => 'dsi: Stack fraud-prod has no Workflows output: is it a data-science stack?'],
  ])('says what to do with an outputs file of %s', async (_, content, message) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'outputs.json');
    if (content !== undefined) {
      fs.writeFileSync(file, content);
    }
    expect(await main(['workflows', '--stack', 'fraud-prod', '--outputs', file], io())).toBe(1);
    expect(errors).toEqual([message(file)]);
  });

  test('says so when the stack is not deployed', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id data-science-dev does not exist'), { name: 'ValidationError' }));
    expect(await main(['workflows'], io())).toBe(1);
    expect(errors[0]).toBe('dsi: Stack data-science-dev is not deployed in eu-west-1: deploy it with `npx cdk deploy data-science-dev`, or name another with --stack.');
  });

  test('says what to do without credentials', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expect(await main(['workflows'], io())).toBe(1);
    expect(errors[0]).toMatch(/^dsi: No AWS credentials found: set AWS_PROFILE, run `aws sso login`/);
  });
});

describe('dsi run', () => {
  test('starts a run named for the second it started', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:manual-20261127-100000`, startDate: new Date() });
    expect(await main(['run', 'example'], io())).toBe(0);
    const { name } = sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(name).toMatch(/^manual-20261127-100000-[0-9a-f]{4}$/);
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: ARN, name, input: '{}' });
    expect(printed).toEqual([`started run ${name} of example`]);
  });

  test('passes an input file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'input.json');
    fs.writeFileSync(file, '{"since":"2026-11-01"}');
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    await main(['run', 'example', '--input', file], io());
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.input).toBe('{"since":"2026-11-01"}');
  });

  test('refuses an input file that is not JSON, and starts nothing', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'input.json');
    fs.writeFileSync(file, '{since: 1}');
    expect(await main(['run', 'example', '--input', file], io())).toBe(1);
    expect(errors).toEqual([`dsi: --input ${file} is not a readable JSON file: ${jsonError('{since: 1}')}`]);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('--wait shows steps done of total and the current step, then exits 0 on success', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:r1`, startDate: new Date() });
    sfnMock.on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: 'x', stateMachineArn: ARN, status: 'RUNNING', startDate: new Date() })
      .resolvesOnce({ executionArn: 'x', stateMachineArn: ARN, status: 'RUNNING', startDate: new Date() })
      .resolves({ executionArn: 'x', stateMachineArn: ARN, status: 'SUCCEEDED', startDate: new Date() });
    sfnMock.on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: [entered(2, 'features')] })
      .resolvesOnce({ events: [entered(2, 'features'), exited(3, 'features'), entered(4, 'train')] })
      // the last history comes in two pages
      .resolvesOnce({ events: [entered(2, 'features'), exited(3, 'features')], nextToken: 'page-2' })
      .resolves({ events: [entered(4, 'train'), exited(5, 'train')] });
    expect(await main(['run', 'example', '--wait'], io())).toBe(0);
    const name = sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.name;
    expect(printed).toEqual([
      `started run ${name} of example`,
      '0/2 steps done, running features',
      '1/2 steps done, running train',
      '2/2 steps done',
      `run ${name} succeeded`,
    ]);
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)[3].args[0].input.nextToken).toBe('page-2');
  });

  test('--wait polls every 5 seconds, says a step\'s progress once, and names every step under way', async () => {
    const sleeps: number[] = [];
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:r3`, startDate: new Date() });
    sfnMock.on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: 'x', stateMachineArn: ARN, status: 'RUNNING', startDate: new Date() })
      .resolvesOnce({ executionArn: 'x', stateMachineArn: ARN, status: 'RUNNING', startDate: new Date() })
      .resolves({ executionArn: 'x', stateMachineArn: ARN, status: 'ABORTED', startDate: new Date() });
    // events of no state, and states that are no step, tell nothing of the steps
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [
      { id: 1, type: 'ExecutionStarted', timestamp: new Date() }, entered(2, 'features'), entered(3, 'Plan steps'), entered(4, 'train'),
    ] });
    expect(await main(['run', 'example', '--wait'], { ...io(), sleep: async (ms: number) => { sleeps.push(ms); } })).toBe(1);
    const name = sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.name;
    expect(printed).toEqual([`started run ${name} of example`, '0/2 steps done, running features, train', `run ${name} aborted`]);
    expect(sleeps).toEqual([5000, 5000]);
    expect(sfnMock.commandCalls(DescribeStateMachineCommand).map((c) => c.args[0].input)).toEqual([{ stateMachineArn: ARN }]);
    expect(sfnMock.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input)).toEqual(Array(3).fill({ executionArn: `${ARN}:r3` }));
  });

  test('--wait exits 1 on failure, naming the failed step', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:r2`, startDate: new Date() });
    sfnMock.on(DescribeExecutionCommand).resolves({ executionArn: 'x', stateMachineArn: ARN, status: 'FAILED', startDate: new Date() });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [entered(2, 'features'), exited(3, 'features'), entered(4, 'train'),
      { id: 5, type: 'TaskStateEntered', timestamp: new Date(), stateEnteredEventDetails: { name: 'Notify failure', input: JSON.stringify({ failure: { step: 'train', error: 'States.TaskFailed' } }) } }] });
    expect(await main(['run', 'example', '--wait'], io())).toBe(1);
    const name = sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.name;
    // the failed step is no longer under way
    expect(printed).toEqual([`started run ${name} of example`, '1/2 steps done', `run ${name} failed at step train`]);
  });

  test('names the workflows there are when asked for another', async () => {
    expect(await main(['run', 'nightly'], io())).toBe(1);
    expect(errors[0]).toBe('dsi: No workflow "nightly" in stack data-science-dev; it has "example".');
  });
});

describe('dsi runs and logs', () => {
  test('lists recent runs across pages, with status and duration', async () => {
    sfnMock.on(ListExecutionsCommand)
      .resolvesOnce({ executions: [{ executionArn: 'a', stateMachineArn: ARN, name: 'run-3', status: 'RUNNING', startDate: new Date('2026-11-27T09:58:30Z') }], nextToken: 't' })
      .resolves({ executions: [{ executionArn: 'b', stateMachineArn: ARN, name: 'run-2', status: 'FAILED', startDate: new Date('2026-11-26T02:00:00Z'), stopDate: new Date('2026-11-26T03:05:09Z') }] });
    expect(await main(['runs', 'example'], io())).toBe(0);
    expect(printed).toEqual([
      'run-3\tRUNNING\t2026-11-27T09:58:30.000Z\t1m30s',
      'run-2\tFAILED\t2026-11-26T02:00:00.000Z\t1h5m9s',
    ]);
    expect(sfnMock.commandCalls(ListExecutionsCommand)[1].args[0].input.nextToken).toBe('t');
  });

  test('lists the runs of a state machine whose definition it cannot read, without snapshots', async () => {
    describes({ definition: undefined });
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: 'b', stateMachineArn: ARN, name: 'run-2', status: 'SUCCEEDED',
      startDate: new Date('2026-11-26T02:00:00Z'), stopDate: new Date('2026-11-26T02:00:09Z') }] });
    expect(await main(['runs', 'example'], io())).toBe(0);
    expect(printed).toEqual(['run-2\tSUCCEEDED\t2026-11-26T02:00:00.000Z\t9s']);
    expect(sfnMock.commandCalls(DescribeStateMachineCommand).map((c) => c.args[0].input)).toEqual([{ stateMachineArn: ARN }]);
  });

  /** `count` runs, newest first, on one page per hundred as Step Functions gives them. */
  const runs = (count: number) => {
    const all = Array.from({ length: count }, (_, i) => ({
      executionArn: `e${i}`, stateMachineArn: ARN, name: `run-${count - i}`, status: 'SUCCEEDED' as const,
      startDate: new Date('2026-11-26T02:00:00Z'), stopDate: new Date('2026-11-26T02:01:00Z'),
    }));
    let page = 0;
    sfnMock.on(ListExecutionsCommand).callsFake(() => {
      const executions = all.slice(page * 100, ++page * 100);
      return { executions, nextToken: page * 100 < all.length ? `page-${page}` : undefined };
    });
  };

  test.each([1, 2, 100, 1000])('--max %d prints that many runs out of five more, and no more', async (max) => {
    runs(max + 5);
    expect(await main(['runs', 'example', '--max', String(max)], io())).toBe(0);
    expect(printed).toHaveLength(max);
    expect(printed[max - 1]).toMatch(new RegExp(`^run-${6}\t`));
    // Step Functions gives at most 100 runs a page
    expect(sfnMock.commandCalls(ListExecutionsCommand)[0].args[0].input).toMatchObject({ stateMachineArn: ARN, maxResults: Math.min(max, 100) });
  });

  test.each(['0', '1001'])('refuses --max %s, one step past each end', async (max) => {
    expect(await main(['runs', 'example', '--max', max], io())).toBe(2);
    expect(errors).toEqual([`dsi: --max ${max} is not a number of runs: give a whole number from 1 to 1000`]);
  });

  test('says where each step of a run logged, by the job named after it, whichever lane ran it', async () => {
    const job = (id: number, name: string, stream: string) => ({
      id, previousEventId: id - 1, type: 'TaskSucceeded' as const, timestamp: new Date(),
      taskSucceededEventDetails: { resourceType: 'batch', resource: 'submitJob.sync', output: JSON.stringify({ JobName: name, Container: { LogStreamName: stream } }) },
    });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [
      entered(2, 'train'), entered(3, 'evaluate'), { id: 4, type: 'TaskStateEntered', timestamp: new Date(), stateEnteredEventDetails: { name: 'Batch job' } },
      job(5, 'train', 'Example-train/default/abc123'),
    ] });
    expect(await main(['logs', 'run-7', '--workflow', 'example'], io())).toBe(0);
    expect(printed).toEqual([
      'run run-7: states, inputs and outputs in log group /aws/vendedlogs/states/example',
      'step train: Batch job log stream Example-train/default/abc123 in log group data-science-dev-ComputeJobLogs-xyz',
    ]);
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)[0].args[0].input.executionArn).toBe('arn:aws:states:eu-west-1:111122223333:execution:ExampleWorkflowStateMachine-abc:run-7');
    // the log group of the run is the workflow's own, read from the workflow the outputs name
    expect(sfnMock.commandCalls(DescribeStateMachineCommand).map((c) => c.args[0].input)).toEqual([{ stateMachineArn: ARN }]);
  });

  test('finds the log stream of a job that failed in its last attempt, and names its step by the state before it', async () => {
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [
      entered(2, 'train'),
      { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: new Date() },
      { id: 4, previousEventId: 3, type: 'TaskFailed', timestamp: new Date(), taskFailedEventDetails: {
        resourceType: 'batch', resource: 'submitJob.sync', error: 'States.TaskFailed', cause: JSON.stringify({ JobName: 7, Attempts: [{ Container: { LogStreamName: 'Example-train/default/ghi789' } }] }),
      } },
      // a job no state before it names
      { id: 7, type: 'TaskSucceeded', timestamp: new Date(), taskSucceededEventDetails: { resourceType: 'batch', resource: 'x', output: JSON.stringify({ Container: { LogStreamName: 'lost/default/000' } }) } },
      // outputs that describe no job
      { id: 5, previousEventId: 4, type: 'TaskSucceeded', timestamp: new Date(), taskSucceededEventDetails: { resourceType: 'batch', resource: 'x', output: 'not json' } },
      { id: 6, previousEventId: 5, type: 'TaskSucceeded', timestamp: new Date(), taskSucceededEventDetails: { resourceType: 'batch', resource: 'x', output: '{"Container":{"LogStreamName":5}}' } },
    ] });
    expect(await main(['logs', 'run-9', '--workflow', 'example'], io())).toBe(0);
    expect(printed).toEqual([
      'run run-9: states, inputs and outputs in log group /aws/vendedlogs/states/example',
      'step train: Batch job log stream Example-train/default/ghi789 in log group data-science-dev-ComputeJobLogs-xyz',
      'step (unknown): Batch job log stream lost/default/000 in log group data-science-dev-ComputeJobLogs-xyz',
    ]);
  });

  test('names a job without a name by the state of its own branch, not by the one entered last beside it', async () => {
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [
      entered(2, 'train'), entered(3, 'evaluate'),
      { id: 4, previousEventId: 2, type: 'TaskScheduled', timestamp: new Date() },
      { id: 5, previousEventId: 3, type: 'TaskScheduled', timestamp: new Date() },
      { id: 6, previousEventId: 4, type: 'TaskFailed', timestamp: new Date(), taskFailedEventDetails: {
        resourceType: 'batch', resource: 'submitJob.sync', error: 'States.TaskFailed', cause: JSON.stringify({ Container: { LogStreamName: 'Example-train/default/jkl012' } }),
      } },
    ] });
    expect(await main(['logs', 'run-9', '--workflow', 'example'], io())).toBe(0);
    expect(printed.pop()).toBe('step train: Batch job log stream Example-train/default/jkl012 in log group data-science-dev-ComputeJobLogs-xyz');
  });

  test('says so when neither the workflow nor the stack names a log group, and takes a failed job\'s stream from its cause', async () => {
    deployed(OUTPUTS.slice(0, 1));
    // logging that names no CloudWatch log group, as for a state machine logging elsewhere or not at all
    describes({ loggingConfiguration: { level: 'OFF', destinations: [] } });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    expect(await main(['logs', 'run-8', '--workflow', 'example'], io())).toBe(0);
    for (const loggingConfiguration of [{ level: 'ALL' as const, destinations: [{}] }, { level: 'ALL' as const, destinations: [{ cloudWatchLogsLogGroup: {} }] }, { level: 'OFF' as const }]) {
      describes({ loggingConfiguration });
      expect(await main(['logs', 'run-8', '--workflow', 'example'], io())).toBe(0);
    }
    expect(printed.splice(0)).toEqual(Array(4).fill('run run-8: states, inputs and outputs in log group (none)'));
    describes({ loggingConfiguration: undefined });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [
      entered(2, 'train'),
      { id: 3, previousEventId: 2, type: 'TaskFailed', timestamp: new Date(), taskFailedEventDetails: { resourceType: 'batch', resource: 'submitJob.sync', error: 'States.TaskFailed', cause: JSON.stringify({ JobName: 'train', Container: { LogStreamName: 'Example-train/default/def456' } }) } },
    ] });
    expect(await main(['logs', 'run-8', '--workflow', 'example'], io())).toBe(0);
    expect(printed).toEqual([
      'run run-8: states, inputs and outputs in log group (none)',
      'step train: Batch job log stream Example-train/default/def456 in log group (the job definition\'s)',
    ]);
  });

  test('prints usage without a command, exit 2, and for --help, exit 0', async () => {
    expect(await main([], io())).toBe(2);
    expect(printed[0]).toMatch(/^usage:/);
    expect(await main(['runs', '--help'], io())).toBe(0);
  });
});

describe('dsi mistakes, one line each', () => {
  test.each([
    [['deploy'], 'dsi: unknown command "deploy": the commands are workflows, run, runs, logs, metaflow-config, notebook (dsi --help shows how to call them)'],
    [['workflows', '--region', 'eu-west-1'], 'dsi: unknown option --region: the options are --stack, --outputs, --input, --wait, --max, --workflow, --out, --studio, --help'],
    [['workflows', 'example'], 'dsi: workflows takes no argument; remove "example"'],
    [['run', 'example', 'now'], 'dsi: run takes one argument, the workflow to run; remove "now"'],
    [['run'], 'dsi: give the workflow to run; dsi --help shows how'],
    [['runs'], 'dsi: give the workflow; dsi --help shows how'],
    [['logs'], 'dsi: give the run id; dsi --help shows how'],
    [['runs', 'example', '--max', 'ten'], 'dsi: --max ten is not a number of runs: give a whole number from 1 to 1000'],
    [['logs', 'run-7'], 'dsi: give --workflow <workflow>; dsi --help shows how'],
    [['workflows', 'a', 'b'], 'dsi: workflows takes no argument; remove "a" "b"'],
    [['runs', 'example', '--max'], 'dsi: option \'--max <value>\' argument missing'],
    [['runs', 'example', '--max', '5x'], 'dsi: --max 5x is not a number of runs: give a whole number from 1 to 1000'],
    [['runs', 'example', '--max', 'x5'], 'dsi: --max x5 is not a number of runs: give a whole number from 1 to 1000'],
  ])('dsi %j exits 2 saying what to change', async (argv, line) => {
    expect(await main(argv, io())).toBe(2);
    expect(errors).toEqual([line]);
    expect(printed).toEqual([]);
  });

  test('passes on an error it cannot explain, whole', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(main(['workflows'], io())).rejects.toThrow('Rate exceeded');
    // CloudFormation's ValidationError says more than that a stack is missing
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('1 validation error detected: stackName'), { name: 'ValidationError' }));
    await expect(main(['workflows'], io())).rejects.toThrow('1 validation error detected: stackName');
    cfnMock.on(DescribeStacksCommand).rejects(new Error('Stack with id data-science-dev does not exist'));
    await expect(main(['workflows'], io())).rejects.toThrow('Stack with id data-science-dev does not exist');
    expect(errors).toEqual([]);
  });

  test('reads a stack CloudFormation returns without outputs, or no stack, as one without workflows', async () => {
    for (const Stacks of [[], undefined]) {
      cfnMock.on(DescribeStacksCommand).resolves({ Stacks });
      expect(await main(['workflows'], io())).toBe(1);
    }
    deployed(undefined);
    expect(await main(['workflows'], io())).toBe(1);
    expect(errors).toEqual(Array(3).fill('dsi: Stack data-science-dev has no Workflows output: is it a data-science stack?'));
  });

  test('names every workflow there is when asked for another', async () => {
    deployed([{ OutputKey: 'Workflows', OutputValue: JSON.stringify({ example: ARN, nightly: ARN }) }]);
    expect(await main(['runs', 'weekly'], io())).toBe(1);
    deployed([{ OutputKey: 'Workflows', OutputValue: '{}' }]);
    expect(await main(['runs', 'weekly'], io())).toBe(1);
    expect(errors).toEqual([
      'dsi: No workflow "weekly" in stack data-science-dev; it has "example", "nightly".',
      'dsi: No workflow "weekly" in stack data-science-dev; it has none.',
    ]);
  });

  test('without a region, says where to give one', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(new Error('Region is missing'));
    expect(await main(['workflows'], io())).toBe(1);
    expect(errors).toEqual(['dsi: No AWS region: export AWS_REGION (or give your AWS profile a region), or pass --outputs FILE from '
      + '`cdk deploy --outputs-file FILE`, whose Region output dsi then uses.']);
  });

  test('talks to the terminal and the clock of the machine, and silences the SDK\'s Node.js notice unless the user set it', async () => {
    const setting = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    try {
      delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      newIo();
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'false';
      newIo();
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
    } finally {
      if (setting === undefined) {
        delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      } else {
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = setting;
      }
    }
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
    try {
      const machine = newIo('eu-west-1');
      machine.print('a line');
      expect(log.mock.calls).toEqual([['a line']]);
      expect(machine.now()).toEqual(new Date('2026-12-01T08:00:00Z'));
      let slept = false;
      const sleeping = machine.sleep(5000).then(() => { slept = true; });
      await jest.advanceTimersByTimeAsync(4999);
      expect(slept).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(slept).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  test('takes the region of the stack an --outputs file describes, for the clients it makes', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ 'fraud-prod': { Region: 'eu-central-1' }, 'data-science-dev': { Region: 'us-east-2' } }));
    expect(regionFromOutputs(['workflows', '--outputs', file, '--stack', 'fraud-prod'])).toBe('eu-central-1');
    expect(regionFromOutputs(['workflows', '--outputs', file])).toBe('us-east-2');
    expect(regionFromOutputs(['workflows'])).toBeUndefined();
    // options dsi will refuse later do not keep it from the region
    expect(regionFromOutputs(['workflows', '--outputs', file, '--bogus'])).toBe('us-east-2');
    fs.writeFileSync(file, JSON.stringify({ 'data-science-dev': { Region: 5 } }));
    expect(regionFromOutputs(['workflows', '--outputs', file])).toBeUndefined();
    const clients = newIo('eu-central-1');
    expect(await clients.sfn.config.region()).toBe('eu-central-1');
    expect(await clients.cloudformation.config.region()).toBe('eu-central-1');
  });
});

describe('dsi metaflow-config --out', () => {
  const outputs = (dir: string) => {
    const file = path.join(dir, 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ 'data-science-dev': Object.fromEntries(Object.values(METAFLOW_SETTINGS).map((key) => [key, `value-of-${key}`])) }));
    return file;
  };

  test('makes the folders the file goes in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-'));
    const out = path.join(dir, '.metaflowconfig', 'config.json');
    expect(await main(['metaflow-config', '--outputs', outputs(dir), '--out', out], io())).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).METAFLOW_DEFAULT_DATASTORE).toBe('s3');
    expect(printed).toEqual([`wrote ${out}: point Metaflow at it with METAFLOW_HOME, or copy it to ~/.metaflowconfig/config.json`]);
  });

  test('reads a ~ the shell left alone as the home folder', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
    const homeBefore = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(await main(['metaflow-config', '--outputs', outputs(home), '--out', '~/.metaflowconfig/config.json'], io())).toBe(0);
    } finally {
      process.env.HOME = homeBefore;
    }
    expect(fs.existsSync(path.join(home, '.metaflowconfig', 'config.json'))).toBe(true);
  });

  test('reads a ~ inside a path as a folder\'s name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-'));
    const out = path.join(dir, '~', 'config.json');
    expect(await main(['metaflow-config', '--outputs', outputs(dir), '--out', out], io())).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
  });

  test('says so in one line when it cannot write there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-'));
    fs.writeFileSync(path.join(dir, 'taken'), '');
    expect(await main(['metaflow-config', '--outputs', outputs(dir), '--out', path.join(dir, 'taken', 'config.json')], io())).toBe(1);
    expect(errors).toEqual([expect.stringMatching(/^dsi: cannot write --out .*taken\/config\.json: EEXIST/)]);
  });
});
