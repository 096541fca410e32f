import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { RETRY } from '../../bin/dsi/errors';

/**
 * dsi leaves retries to the SDK. These tests drive a real client through its whole middleware
 * stack, answering its HTTP requests here instead of from AWS.
 */
function client(answers: Array<{ status: number; type?: string; body: object }>) {
  const requests: Array<{ target: string; body: any }> = [];
  const requestHandler = {
    handle: async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
      const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      requests.push({ target: request.headers['x-amz-target'], body: JSON.parse(body) });
      const answer = answers[Math.min(requests.length, answers.length) - 1];
      return {
        response: {
          statusCode: answer.status,
          headers: { 'content-type': 'application/x-amz-json-1.0', ...answer.type ? { 'x-amzn-errortype': answer.type } : {} },
          body: new TextEncoder().encode(JSON.stringify(answer.body)),
        },
      };
    },
  };
  const sfn = new SFNClient({ ...RETRY, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler });
  return { sfn, requests };
}

/** Settles `promise` with the clock run forward, so the SDK's backoff takes no real time. */
async function withoutWaiting<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => { settled = true; });
  watched.catch(() => undefined);
  while (!settled) {
    await jest.advanceTimersByTimeAsync(1000);
  }
  return watched;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const THROTTLED = { status: 400, type: 'ThrottlingException', body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
const START = new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:wf', name: 'manual-1', input: '{}' });

describe('dsi\'s AWS clients', () => {
  test('retry a throttled call, sending the same run name again, so one run starts', async () => {
    const { sfn, requests } = client([THROTTLED, THROTTLED, { status: 200, body: { executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:wf:manual-1', startDate: 1 } }]);
    const started = await withoutWaiting(sfn.send(START));
    expect(started.executionArn).toMatch(/:manual-1$/);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => `${r.target} ${r.body.name}`))).toEqual(new Set(['AWSStepFunctions.StartExecution manual-1']));
  });

  test('give up after six attempts, with the service\'s error', async () => {
    const { sfn, requests } = client([THROTTLED]);
    await expect(withoutWaiting(sfn.send(START))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(requests).toHaveLength(6);
  });

  test('do not retry an error a retry cannot mend', async () => {
    const { sfn, requests } = client([{ status: 400, type: 'ExecutionAlreadyExists', body: { __type: 'ExecutionAlreadyExists', message: 'exists' } }]);
    await expect(withoutWaiting(sfn.send(START))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(requests).toHaveLength(1);
  });
});
