import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { CleanupEvent, handler, onEvent } from '../../lib/sandbox-cleanup/handler';
import { receivedAtResponseUrl } from '../support/response-url';

const s3 = mockClient(S3Client);

function event(requestType: CleanupEvent['RequestType'], prefix = 'sandboxes/churn/', responseUrl = 'https://example.invalid/'): CleanupEvent {
  return {
    RequestType: requestType,
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sbx/1',
    RequestId: 'request-1',
    LogicalResourceId: 'PrefixCleanup',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 's3://team-artifacts/sandboxes/churn/' }),
    ResourceProperties: { Bucket: 'team-artifacts', Prefix: prefix },
  };
}

/** An invocation with ten minutes left. */
const plenty = () => 600_000;

const versions = (keys: string[], from = 0) => keys.map((Key, i) => ({ Key, VersionId: `v${from + i}` }));

beforeEach(() => {
  s3.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

describe('the sandbox prefix cleanup', () => {
  test('on delete, removes every version and delete marker under the prefix, page by page', async () => {
    const first = Array.from({ length: 1000 }, (_, i) => `sandboxes/churn/part-${i}.parquet`);
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({ IsTruncated: true, NextKeyMarker: first[999], NextVersionIdMarker: 'v999', Versions: versions(first) })
      .resolvesOnce({ IsTruncated: false, Versions: versions(['sandboxes/churn/model.tar.gz'], 1000), DeleteMarkers: versions(['sandboxes/churn/old.csv'], 2000) });
    s3.on(DeleteObjectsCommand).resolves({});

    expect(await onEvent(event('Delete'), plenty)).toEqual({
      Status: 'SUCCESS', PhysicalResourceId: 's3://team-artifacts/sandboxes/churn/',
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sbx/1', RequestId: 'request-1', LogicalResourceId: 'PrefixCleanup',
    });
    // each round lists from the start, so nothing written meanwhile is passed over
    const lists = s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input);
    expect(lists).toEqual([{ Bucket: 'team-artifacts', Prefix: 'sandboxes/churn/' }, { Bucket: 'team-artifacts', Prefix: 'sandboxes/churn/' }]);
    const deletes = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
    expect(deletes.map((d) => d.Delete!.Objects!.length)).toEqual([1000, 2]);
    expect(deletes[1]).toEqual({ Bucket: 'team-artifacts', Delete: { Quiet: true, Objects: [
      { Key: 'sandboxes/churn/model.tar.gz', VersionId: 'v1000' }, { Key: 'sandboxes/churn/old.csv', VersionId: 'v2000' },
    ] } });
    // the function's log says what it emptied
    expect(console.log).toHaveBeenCalledWith(JSON.stringify({ emptied: 's3://team-artifacts/sandboxes/churn/', deleted: 1002, finished: true }));
  });

  test('on delete of an empty prefix, deletes nothing (S3 refuses an empty delete) and answers done', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    expect(await onEvent(event('Delete'), plenty)).toMatchObject({ Status: 'SUCCESS', Reason: undefined });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  test('passes over a listed version without a key, which no delete could name', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ VersionId: 'v0' }, { Key: 'sandboxes/churn/a', VersionId: 'v1' }] });
    s3.on(DeleteObjectsCommand).resolves({});
    expect(await onEvent(event('Delete'), plenty)).toMatchObject({ Status: 'SUCCESS' });
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects)).toEqual([[{ Key: 'sandboxes/churn/a', VersionId: 'v1' }]]);
  });

  test('answers before its time is up, leaving the rest to the lifecycle rule', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: true, Versions: versions(['sandboxes/churn/a', 'sandboxes/churn/b']) });
    s3.on(DeleteObjectsCommand).resolves({});
    const left = [600_000, 90_000, 59_000];
    expect(await onEvent(event('Delete'), () => left.shift() ?? 0)).toMatchObject({
      Status: 'SUCCESS', Reason: 'Deleted 4 versions before time ran short; the store\'s lifecycle rule for sandboxes/ expires the rest',
    });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(2);
  });

  test('runs one more round with exactly its margin (a minute) left, and none with less', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: true, Versions: versions(['sandboxes/churn/a']) });
    s3.on(DeleteObjectsCommand).resolves({});
    const left = [60_000, 59_999];
    expect(await onEvent(event('Delete'), () => left.shift() ?? 0)).toMatchObject({ Reason: expect.stringMatching(/^Deleted 1 versions before time ran short/) });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
  });

  test('answers an event it cannot read, never throwing', async () => {
    const broken = { ...event('Create'), ResourceProperties: undefined } as unknown as CleanupEvent;
    expect(await onEvent(broken, plenty)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('is not one sandbox\'s') });
    expect(await onEvent({ ...broken, RequestType: 'Delete' }, plenty)).toMatchObject({ Status: 'SUCCESS' });
  });

  test.each(['Create', 'Update'] as const)('on %s, deletes nothing', async (requestType) => {
    expect(await onEvent(event(requestType), plenty)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 's3://team-artifacts/sandboxes/churn/' });
    expect(s3.calls()).toHaveLength(0);
  });

  test('fails the deletion, naming the object, when S3 keeps some versions', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: versions(['sandboxes/churn/a', 'sandboxes/churn/b']) });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'sandboxes/churn/b', VersionId: 'v1', Code: 'AccessDenied', Message: 'Access Denied because object protected by object lock.' }] });
    expect(await onEvent(event('Delete'), plenty)).toMatchObject({
      Status: 'FAILED',
      Reason: 'Could not empty s3://team-artifacts/sandboxes/churn/: AccessDenied: 1 of 2 versions were not deleted, the first sandboxes/churn/b (v1): Access Denied because object protected by object lock.',
    });
  });

  test('names the error DeleteObjectsError when S3 gives no code for a version it kept', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: versions(['sandboxes/churn/a']) });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'sandboxes/churn/a', VersionId: 'v0', Message: 'kept' }] });
    expect(await onEvent(event('Delete'), plenty)).toMatchObject({
      Status: 'FAILED', Reason: 'Could not empty s3://team-artifacts/sandboxes/churn/: DeleteObjectsError: 1 of 1 versions were not deleted, the first sandboxes/churn/a (v0): kept',
    });
  });

  test('fails the deletion on an API error, and succeeds when the team bucket is already gone', async () => {
    s3.on(ListObjectVersionsCommand).rejectsOnce(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }))
      .rejectsOnce(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }));
    expect(await onEvent(event('Delete'), plenty)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('AccessDenied: Access Denied') });
    expect(await onEvent(event('Delete'), plenty)).toMatchObject({ Status: 'SUCCESS', Reason: 'team-artifacts no longer exists; nothing to delete' });
  });

  // the whole prefix must be one sandbox's: not one inside it, and not a sandboxes/ folder under another
  test.each(['sandboxes/', '', 'runs/', 'sandboxes/churn', 'sandboxes/../runs/', 'sandboxes/churn/models/', 'team/sandboxes/churn/'])('never empties "%s", which is not one sandbox\'s prefix', async (prefix) => {
    expect(await onEvent(event('Create', prefix), plenty)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('is not one sandbox\'s') });
    // a rollback of that failed creation still completes
    expect(await onEvent(event('Delete', prefix), plenty)).toMatchObject({ Status: 'SUCCESS' });
    expect(s3.calls()).toHaveLength(0);
  });

  test('answers CloudFormation with a PUT of the response to the presigned URL', async () => {
    const received = await receivedAtResponseUrl((url) => handler(event('Create', 'sandboxes/churn/', url), { getRemainingTimeInMillis: plenty }));
    expect(received).toEqual([{ method: 'PUT', contentType: '', body: expect.any(String) }]);
    expect(JSON.parse(received[0].body)).toMatchObject({ Status: 'SUCCESS', RequestId: 'request-1', LogicalResourceId: 'PrefixCleanup' });
  });

  test('as deployed, stops by the invocation\'s own time left', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: versions(['sandboxes/churn/a']) });
    const [late] = await receivedAtResponseUrl((url) => handler(event('Delete', 'sandboxes/churn/', url), { getRemainingTimeInMillis: () => 0 }));
    expect(JSON.parse(late.body)).toMatchObject({ Status: 'SUCCESS', Reason: expect.stringContaining('Deleted 0 versions before time ran short') });
    expect(s3.calls()).toHaveLength(0);
  });
});
