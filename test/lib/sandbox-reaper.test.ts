import { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, hasExpired, reap } from '../../lib/sandbox-reaper/handler';

const cfn = mockClient(CloudFormationClient);
const stack = (tags: Record<string, string>) => ({
  Stacks: [{ StackName: 'sbx', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE' as const, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
});

beforeEach(() => {
  cfn.reset();
  process.env.STACK_NAME = 'data-science-dev-sandbox-churn';
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

describe('the sandbox reaper', () => {
  test('deletes the sandbox once its expiry date has come', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack({ 'expires-on': '2026-12-11' }));
    cfn.on(DeleteStackCommand).resolves({});
    expect(await reap(new Date('2026-12-11T00:00:01Z'))).toEqual({ deleted: true, reason: 'data-science-dev-sandbox-churn expired on 2026-12-11' });
    expect(cfn.commandCalls(DeleteStackCommand)[0].args[0].input).toEqual({ StackName: 'data-science-dev-sandbox-churn' });
    // its own stack, by name: DescribeStacks without one describes every stack of the region
    expect(cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: 'data-science-dev-sandbox-churn' });
    // the log line says which stack went and why, for whoever looks for a vanished sandbox
    expect(console.log).toHaveBeenCalledWith('{"deleted":"data-science-dev-sandbox-churn","expiredOn":"2026-12-11"}');
  });

  test('reads the expiry from its own tag, among the stack\'s other tags', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack({ team: 'data-science', 'expires-on': '2027-01-15', owner: 'ana.lima' }));
    expect(await reap(new Date('2026-12-11T09:00:00Z'))).toMatchObject({ deleted: false, reason: expect.stringContaining('extended to 2027-01-15') });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  test('leaves a sandbox extended past today', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack({ 'expires-on': '2027-01-15' }));
    expect(await reap(new Date('2026-12-11T09:00:00Z'))).toMatchObject({ deleted: false, reason: expect.stringContaining('extended to 2027-01-15') });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  test('never deletes a stack without the sandbox tag', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack({ team: 'data-science' }));
    expect(await reap(new Date('2030-01-01'))).toEqual({ deleted: false, reason: 'data-science-dev-sandbox-churn has no expires-on tag: not a sandbox, left alone' });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  test('lets API errors fail the invocation, so the schedule retries', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack({ 'expires-on': '2026-12-11' }));
    cfn.on(DeleteStackCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await expect(reap(new Date('2026-12-12'))).rejects.toThrow('Rate exceeded');
  });

  test('runs as Lambda calls it, with an event and a context', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack({ 'expires-on': '2099-01-01' }));
    const invoke = handler as (event: unknown, context: unknown) => ReturnType<typeof handler>;
    expect(await invoke({}, { functionName: 'reaper', getRemainingTimeInMillis: () => 30_000 })).toMatchObject({ deleted: false, reason: expect.stringContaining('extended to 2099-01-01') });
  });

  test('counts a sandbox expired from the start of its expiry day, UTC', () => {
    expect(hasExpired('2026-12-11', new Date('2026-12-10T23:59:59Z'))).toBe(false);
    expect(hasExpired('2026-12-11', new Date('2026-12-11T00:00:00Z'))).toBe(true);
  });
});
