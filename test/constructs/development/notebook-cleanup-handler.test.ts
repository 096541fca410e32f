import {
  AppDetails, DeleteAppCommand, DeleteSpaceCommand, DeleteUserProfileCommand, DescribeSpaceCommand, DescribeUserProfileCommand, ListAppsCommand,
  ResourceInUse, ResourceNotFound, SageMakerClient, SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { Clock, handler, NotebookCleanupEvent, onEvent } from '../../../constructs/development/notebook-cleanup/handler';
import { receivedAtResponseUrl } from '../../support/response-url';

const sagemaker = mockClient(SageMakerClient);
const NAMES = { DomainId: 'd-abc123', UserProfileName: 'churn-ana-lima', SpaceName: 'churn-ana-lima' };

function event(requestType: NotebookCleanupEvent['RequestType'], names: Record<string, string> = NAMES, responseUrl = 'https://example.invalid/'): NotebookCleanupEvent {
  return {
    RequestType: requestType,
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sbx/1',
    RequestId: 'request-1',
    LogicalResourceId: 'NotebookCleanup',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'd-abc123/churn-ana-lima' }),
    ResourceProperties: names as any,
  };
}

/** A clock whose invocation has `left` milliseconds, each pause taking its time off. */
function clock(left = 600_000): Clock & { pauses: number } {
  const c = { pauses: 0, timeLeft: () => left, sleep: async (ms: number) => { c.pauses++; left -= ms; } };
  return c;
}

const app = (name: string, status: AppDetails['Status'], owner: Partial<AppDetails> = { SpaceName: 'churn-ana-lima' }): AppDetails =>
  ({ DomainId: 'd-abc123', AppType: 'JupyterLab', AppName: name, Status: status, ...owner });
const notFound = (what: string) => new ResourceNotFound({ message: `${what} does not exist`, $metadata: {} });

beforeEach(() => {
  sagemaker.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

describe('the notebook cleanup', () => {
  test('on delete, deletes every app page by page, waits until they are gone, then the space, then the profile', async () => {
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'churn-ana-lima' })
      .resolvesOnce({ Apps: [app('default', 'InService'), app('old', 'Deleted')], NextToken: 'page-2' })
      .resolvesOnce({ Apps: [app('gpu', 'Failed'), app('leaving', 'Deleting')] })
      .resolves({ Apps: [app('default', 'Deleted'), app('old', 'Deleted'), app('gpu', 'Deleted'), app('leaving', 'Deleted')] });
    // the private space's app, listed under the profile too, and an app of the profile itself
    sagemaker.on(ListAppsCommand, { UserProfileNameEquals: 'churn-ana-lima' })
      .resolvesOnce({ Apps: [app('default', 'InService'), app('classic', 'Pending', { UserProfileName: 'churn-ana-lima' })] })
      .resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).resolvesOnce({ Status: 'InService' }).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).resolvesOnce({ Status: 'InService' }).rejects(notFound('profile'));
    sagemaker.on(DeleteAppCommand).resolves({});
    sagemaker.on(DeleteSpaceCommand).resolves({});
    sagemaker.on(DeleteUserProfileCommand).resolves({});
    const time = clock();

    expect(await onEvent(event('Delete'), time)).toEqual({
      Status: 'SUCCESS', PhysicalResourceId: 'd-abc123/churn-ana-lima',
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sbx/1', RequestId: 'request-1', LogicalResourceId: 'NotebookCleanup',
    });
    // each app once, whatever lists it; none already deleting or deleted
    expect(sagemaker.commandCalls(DeleteAppCommand).map((c) => c.args[0].input)).toEqual([
      { DomainId: 'd-abc123', AppType: 'JupyterLab', AppName: 'default', SpaceName: 'churn-ana-lima' },
      { DomainId: 'd-abc123', AppType: 'JupyterLab', AppName: 'gpu', SpaceName: 'churn-ana-lima' },
      { DomainId: 'd-abc123', AppType: 'JupyterLab', AppName: 'classic', UserProfileName: 'churn-ana-lima' },
    ]);
    expect(sagemaker.commandCalls(ListAppsCommand)[1].args[0].input).toMatchObject({ NextToken: 'page-2' });
    expect(sagemaker.commandCalls(DeleteSpaceCommand).map((c) => c.args[0].input)).toEqual([{ DomainId: 'd-abc123', SpaceName: 'churn-ana-lima' }]);
    expect(sagemaker.commandCalls(DeleteUserProfileCommand).map((c) => c.args[0].input)).toEqual([{ DomainId: 'd-abc123', UserProfileName: 'churn-ana-lima' }]);
    // in order: the space only once no app is left, the profile once the space is gone
    const order = sagemaker.calls().map((c) => c.args[0].constructor.name).filter((n) => n.startsWith('Delete'));
    expect(order.indexOf('DeleteSpaceCommand')).toBeGreaterThan(order.lastIndexOf('DeleteAppCommand'));
    expect(order.indexOf('DeleteUserProfileCommand')).toBeGreaterThan(order.indexOf('DeleteSpaceCommand'));
    expect(time.pauses).toBe(3);
  });

  test('waits for a space SageMaker is already deleting, without asking again', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).resolvesOnce({ Status: 'Deleting' }).resolvesOnce({ Status: 'Deleting' }).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).rejects(notFound('profile'));
    expect(await onEvent(event('Delete'), clock())).toMatchObject({ Status: 'SUCCESS' });
    expect(sagemaker.commandCalls(DeleteSpaceCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(DescribeSpaceCommand)).toHaveLength(3);
  });

  test('answers before its time is up, failing the deletion with what SageMaker is still deleting', async () => {
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'churn-ana-lima' }).resolves({ Apps: [app('default', 'Deleting')] });
    sagemaker.on(ListAppsCommand, { UserProfileNameEquals: 'churn-ana-lima' }).resolves({ Apps: [] });
    // 100, 90, 80 and 70 seconds left: room for a pause and a round each time; at 60 it answers
    const time = clock(100_000);
    expect(await onEvent(event('Delete'), time)).toMatchObject({
      Status: 'FAILED',
      Reason: 'Time ran short while SageMaker deleted app JupyterLab/default of d-abc123/churn-ana-lima; delete the stack again to finish',
    });
    expect(time.pauses).toBe(4);
    expect(sagemaker.commandCalls(DeleteSpaceCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(DeleteUserProfileCommand)).toHaveLength(0);
  });

  test('succeeds at once when the profile, its space and its apps are already gone', async () => {
    sagemaker.on(ListAppsCommand).rejects(notFound('profile'));
    sagemaker.on(DescribeSpaceCommand).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).rejects(notFound('profile'));
    const time = clock();
    expect(await onEvent(event('Delete'), time)).toMatchObject({ Status: 'SUCCESS' });
    expect(sagemaker.commandCalls(DeleteAppCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(DeleteSpaceCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(DeleteUserProfileCommand)).toHaveLength(0);
    expect(time.pauses).toBe(0);
  });

  test('asks again after an app or a profile refused to go, and takes an app gone meanwhile as deleted', async () => {
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'churn-ana-lima' })
      .resolvesOnce({ Apps: [app('default', 'Pending'), app('gone', 'InService')] })
      .resolves({ Apps: [] });
    sagemaker.on(ListAppsCommand, { UserProfileNameEquals: 'churn-ana-lima' }).resolves({ Apps: [] });
    sagemaker.on(DeleteAppCommand, { AppName: 'default' }).rejects(new ResourceInUse({ message: 'App is pending', $metadata: {} }));
    sagemaker.on(DeleteAppCommand, { AppName: 'gone' }).rejects(notFound('app'));
    sagemaker.on(DescribeSpaceCommand).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).resolvesOnce({ Status: 'Delete_Failed' }).resolvesOnce({ Status: 'Deleting' }).rejects(notFound('profile'));
    sagemaker.on(DeleteUserProfileCommand).resolves({});
    expect(await onEvent(event('Delete'), clock())).toMatchObject({ Status: 'SUCCESS' });
    expect(sagemaker.commandCalls(DeleteUserProfileCommand)).toHaveLength(1);
  });

  test('names everything SageMaker is still deleting when time runs short, and what it deleted in its log', async () => {
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'churn-ana-lima' }).resolves({ Apps: [app('default', 'Deleting'), app('gpu', 'Deleting')] });
    sagemaker.on(ListAppsCommand, { UserProfileNameEquals: 'churn-ana-lima' }).resolves({ Apps: [] });
    expect(await onEvent(event('Delete'), clock(70_000))).toMatchObject({
      Reason: 'Time ran short while SageMaker deleted app JupyterLab/default, app JupyterLab/gpu of d-abc123/churn-ana-lima; delete the stack again to finish',
    });
    expect(console.log).toHaveBeenCalledWith(JSON.stringify({
      notebook: 'd-abc123/churn-ana-lima', space: 'churn-ana-lima', left: ['app JupyterLab/default', 'app JupyterLab/gpu'],
    }));
  });

  test.each(['space', 'profile'])('with time short while the %s is deleting, names it and leaves what comes after it', async (deleting) => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    if (deleting === 'space') {
      sagemaker.on(DescribeSpaceCommand).resolves({ Status: 'Deleting' });
    } else {
      sagemaker.on(DescribeSpaceCommand).rejects(notFound('space'));
    }
    sagemaker.on(DescribeUserProfileCommand).resolves({ Status: 'Deleting' });
    expect(await onEvent(event('Delete'), clock(65_000))).toMatchObject({
      Status: 'FAILED', Reason: expect.stringMatching(new RegExp(`^Time ran short while SageMaker deleted ${deleting} churn-ana-lima of d-abc123/churn-ana-lima;`)),
    });
    // the profile is neither asked after nor deleted while its space is left
    expect(sagemaker.commandCalls(DescribeUserProfileCommand)).toHaveLength(deleting === 'space' ? 0 : 1);
    expect(sagemaker.commandCalls(DeleteUserProfileCommand)).toHaveLength(0);
  });

  test('waits for a space that refuses to go while in use, and fails on any other error of SageMaker\'s about it', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).resolvesOnce({ Status: 'InService' }).rejects(notFound('space'));
    sagemaker.on(DeleteSpaceCommand).rejects(new ResourceInUse({ message: 'Space has an app', $metadata: {} }));
    sagemaker.on(DescribeUserProfileCommand).rejects(notFound('profile'));
    expect(await onEvent(event('Delete'), clock())).toMatchObject({ Status: 'SUCCESS' });

    sagemaker.reset();
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).rejects(new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized', $metadata: {} }));
    expect(await onEvent(event('Delete'), clock())).toMatchObject({
      Status: 'FAILED', Reason: 'Could not delete the notebook d-abc123/churn-ana-lima: AccessDeniedException: not authorized',
    });
    expect(sagemaker.commandCalls(DeleteUserProfileCommand)).toHaveLength(0);
  });

  test('takes a space and a profile that vanish between being described and being deleted for gone', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).resolvesOnce({ Status: 'InService' }).rejects(notFound('space'));
    sagemaker.on(DeleteSpaceCommand).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).resolvesOnce({ Status: 'InService' }).rejects(notFound('profile'));
    sagemaker.on(DeleteUserProfileCommand).rejects(notFound('profile'));
    expect(await onEvent(event('Delete'), clock())).toMatchObject({ Status: 'SUCCESS' });
    expect(sagemaker.commandCalls(DeleteSpaceCommand)).toHaveLength(1);
    expect(sagemaker.commandCalls(DeleteUserProfileCommand)).toHaveLength(1);
  });

  test('deletes the space\'s app and the profile\'s app of the same name, both, when space and profile are named apart', async () => {
    const names = { ...NAMES, SpaceName: 'churn-shared' };
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'churn-shared' })
      .resolvesOnce({ Apps: [app('default', 'InService', { SpaceName: 'churn-shared' })] }).resolves({ Apps: [] });
    sagemaker.on(ListAppsCommand, { UserProfileNameEquals: 'churn-ana-lima' })
      .resolvesOnce({ Apps: [app('default', 'InService', { UserProfileName: 'churn-ana-lima' })] }).resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).rejects(notFound('profile'));
    expect(await onEvent(event('Delete', names), clock())).toMatchObject({ Status: 'SUCCESS' });
    expect(sagemaker.commandCalls(DeleteAppCommand).map((c) => c.args[0].input)).toEqual([
      { DomainId: 'd-abc123', AppType: 'JupyterLab', AppName: 'default', SpaceName: 'churn-shared' },
      { DomainId: 'd-abc123', AppType: 'JupyterLab', AppName: 'default', UserProfileName: 'churn-ana-lima' },
    ]);
  });

  test('fails the deletion on an API error, naming it', async () => {
    sagemaker.on(ListAppsCommand).rejects(new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized to perform: sagemaker:ListApps', $metadata: {} }));
    expect(await onEvent(event('Delete'), clock())).toMatchObject({
      Status: 'FAILED',
      Reason: 'Could not delete the notebook d-abc123/churn-ana-lima: AccessDeniedException: not authorized to perform: sagemaker:ListApps',
    });
  });

  test.each(['Create', 'Update'] as const)('on %s, deletes nothing', async (requestType) => {
    expect(await onEvent(event(requestType), clock())).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'd-abc123/churn-ana-lima' });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test.each([
    { ...NAMES, DomainId: '' },
    { ...NAMES, DomainId: 'arn:aws:sagemaker:eu-west-1:111122223333:domain/d-abc123' },
    { ...NAMES, DomainId: 'd-abc123/other' },
    { ...NAMES, UserProfileName: 'churn.ana' },
    { ...NAMES, SpaceName: '*' },
  ])('never deletes by names that are not a domain, a profile and a space: %p', async (names) => {
    expect(await onEvent(event('Create', names), clock())).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('nothing is deleted') });
    // a rollback of that failed creation still completes
    expect(await onEvent(event('Delete', names), clock())).toMatchObject({ Status: 'SUCCESS' });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('answers an event it cannot read, never throwing', async () => {
    const broken = { ...event('Delete'), ResourceProperties: undefined } as unknown as NotebookCleanupEvent;
    expect(await onEvent(broken, clock())).toMatchObject({ Status: 'SUCCESS', Reason: expect.stringContaining('nothing is deleted') });
  });

  test('answers CloudFormation with a PUT of the response to the presigned URL', async () => {
    const received = await receivedAtResponseUrl((url) => handler(event('Create', NAMES, url), { getRemainingTimeInMillis: () => 600_000 }));
    expect(received).toEqual([{ method: 'PUT', contentType: '', body: expect.any(String) }]);
    expect(JSON.parse(received[0].body)).toMatchObject({ Status: 'SUCCESS', RequestId: 'request-1', PhysicalResourceId: 'd-abc123/churn-ana-lima' });
  });

  test('as deployed, pauses ten real seconds between looks, and stops by the invocation\'s own time left', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    sagemaker.on(DescribeSpaceCommand).resolvesOnce({ Status: 'Deleting' }).rejects(notFound('space'));
    sagemaker.on(DescribeUserProfileCommand).rejects(notFound('profile'));
    // only the pause's timer is faked: the answer's PUT keeps the real ones
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'queueMicrotask', 'Date', 'hrtime', 'performance'] });
    try {
      const answered = receivedAtResponseUrl((url) => handler(event('Delete', NAMES, url), { getRemainingTimeInMillis: () => 70_000 }));
      await jest.advanceTimersByTimeAsync(9_999);
      expect(sagemaker.commandCalls(DescribeSpaceCommand)).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(sagemaker.commandCalls(DescribeSpaceCommand)).toHaveLength(2);
      expect(JSON.parse((await answered)[0].body)).toMatchObject({ Status: 'SUCCESS' });
      // with less than its margin and a pause left, it answers with what is still being deleted, pausing never
      sagemaker.on(DescribeSpaceCommand).resolves({ Status: 'Deleting' });
      const [late] = await receivedAtResponseUrl((url) => handler(event('Delete', NAMES, url), { getRemainingTimeInMillis: () => 69_999 }));
      expect(JSON.parse(late.body)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('space churn-ana-lima') });
    } finally {
      jest.useRealTimers();
    }
  });
});
