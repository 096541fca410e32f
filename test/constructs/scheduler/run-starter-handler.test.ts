import { ExecutionAlreadyExists, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { executionName, handler, startRun } from '../../../constructs/scheduler/run-starter/handler';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:training';

const listed = (executionArn: string) => ({ executions: [{ executionArn, name: 'n', stateMachineArn: ARN, status: 'RUNNING' as const, startDate: new Date() }] });
let sleeps: number[];
const clock = { sleep: async (ms: number) => { sleeps.push(ms); }, timeLeft: () => 25_000 };
const lambdaContext = { getRemainingTimeInMillis: () => 25_000 };

let logs: string[];
beforeEach(() => {
  sfn.reset();
  sleeps = [];
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logs.push(line); });
  process.env.STATE_MACHINE_ARN = ARN;
  process.env.ALLOW_CONCURRENT_RUNS = 'false';
});

describe('the run starter', () => {
  test('starts a run named after the trigger, with the trigger as input', async () => {
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolves(listed(`${ARN}:x`));
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date() });
    const result = await handler({ trigger: 'data', id: '6a7e8f-01', detail: { key: 'raw/events/dt=2026-11-27/part-0.parquet' } }, lambdaContext);
    expect(result).toEqual({ started: true, executionName: 'data-6a7e8f-01' });
    expect(sfn.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: ARN, statusFilter: 'RUNNING', maxResults: 1 });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'data-6a7e8f-01',
      input: JSON.stringify({ trigger: { type: 'data', id: '6a7e8f-01', detail: { key: 'raw/events/dt=2026-11-27/part-0.parquet' } } }),
    });
  });

  test('starts nothing while a run is still running', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ name: 'schedule-2026-11-27T02-00-00Z', executionArn: 'a', stateMachineArn: ARN, status: 'RUNNING', startDate: new Date() }] });
    const result = await handler({ trigger: 'schedule', id: '2026-11-28T02:00:00Z' }, lambdaContext);
    expect(result).toMatchObject({ started: false, reason: 'run schedule-2026-11-27T02-00-00Z is still running' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(logs.map((l) => JSON.parse(l))).toEqual([
      { skipped: 'schedule-2026-11-28T02-00-00Z', because: 'run schedule-2026-11-27T02-00-00Z is still running' },
    ]);
  });

  test('starts beside a running run when concurrent runs are allowed, without asking', async () => {
    process.env.ALLOW_CONCURRENT_RUNS = 'true';
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'a', startDate: new Date() });
    expect(await handler({ trigger: 'schedule', id: 't1' }, lambdaContext)).toMatchObject({ started: true });
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(0);
  });

  test('returns only once ListExecutions lists the run it started, so the next trigger sees it', async () => {
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolvesOnce({ executions: [] }).resolvesOnce(listed(`${ARN}:older`)).resolves(listed(`${ARN}:new`));
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:new`, startDate: new Date() });
    expect(await startRun({ trigger: 'schedule', id: 't3' }, clock)).toMatchObject({ started: true });
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(4);
    expect(sleeps).toEqual([1000, 1000]);
    expect(logs.map((l) => JSON.parse(l))).toEqual([{ started: 'schedule-t3' }]);
  });

  test('gives up waiting after 15 looks, saying so, the run still started', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:slow`, startDate: new Date() });
    expect(await startRun({ trigger: 'schedule', id: 't4' }, clock)).toMatchObject({ started: true });
    expect(sleeps).toHaveLength(14);
    expect(JSON.parse(logs[0])).toEqual({ started: 'schedule-t4', warning: 'not listed after 15 looks; a trigger now may start a second run' });
  });

  test('stops waiting before the invocation runs out of time, or when it cannot look', async () => {
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolvesOnce({ executions: [] }).resolvesOnce({ executions: [] })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:late`, startDate: new Date() });
    const left = [20_000, 5_500];
    expect(await startRun({ trigger: 'schedule', id: 't5' }, { ...clock, timeLeft: () => left.shift() ?? 0 })).toMatchObject({ started: true });
    expect(sleeps).toHaveLength(1);
    expect(JSON.parse(logs[0]).warning).toBe('not listed after 2 looks; a trigger now may start a second run');
    // a failed look ends the wait; the run has started, so the invocation succeeds
    expect(await startRun({ trigger: 'schedule', id: 't6' }, clock)).toMatchObject({ started: true });
    expect(JSON.parse(logs[1]).warning).toBe('could not look for the run: ThrottlingException; a trigger now may start a second run');
  });

  test('looks once more with exactly its margin and a pause (6 s) left, and not with less', async () => {
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:edge`, startDate: new Date() });
    const left = [6_000, 5_999];
    expect(await startRun({ trigger: 'schedule', id: 't7' }, { ...clock, timeLeft: () => left.shift() ?? 0 })).toMatchObject({ started: true });
    expect(sleeps).toEqual([1000]);
    expect(JSON.parse(logs[0]).warning).toBe('not listed after 2 looks; a trigger now may start a second run');
  });

  test('as deployed, pauses a real second between looks, and stops looking by the invocation\'s own time left', async () => {
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolvesOnce({ executions: [] }).resolves(listed(`${ARN}:timed`));
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:timed`, startDate: new Date() });
    jest.useFakeTimers();
    try {
      const started = handler({ trigger: 'schedule', id: 't8' }, lambdaContext);
      await jest.advanceTimersByTimeAsync(999);
      expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(await started).toMatchObject({ started: true });
      expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
    // with less than its margin and a pause left, it looks once and returns
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolves({ executions: [] });
    expect(await handler({ trigger: 'schedule', id: 't9' }, { getRemainingTimeInMillis: () => 5_999 })).toMatchObject({ started: true });
    expect(JSON.parse(logs[1]).warning).toBe('not listed after 1 looks; a trigger now may start a second run');
  });

  test('starts one run for a trigger delivered twice', async () => {
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { maxResults: 10 }).resolves(listed('a'));
    sfn.on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'a', startDate: new Date() })
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    expect(await startRun({ trigger: 'workflow', id: 'e1' }, clock)).toMatchObject({ started: true });
    expect(await startRun({ trigger: 'workflow', id: 'e1' }, clock)).toEqual({
      started: false, executionName: 'workflow-e1', reason: 'this trigger already started its run',
    });
  });

  test('lets other errors fail the invocation, so the trigger retries it', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(handler({ trigger: 'schedule', id: 't2' }, lambdaContext)).rejects.toThrow('Rate exceeded');
  });

  test('keeps execution names within Step Functions\' rules', () => {
    expect(executionName('schedule', '2026-11-27T02:00:00Z')).toBe('schedule-2026-11-27T02-00-00Z');
    expect(executionName('data', 'x'.repeat(200))).toHaveLength(80);
    expect(executionName('data', 'a b/c')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
