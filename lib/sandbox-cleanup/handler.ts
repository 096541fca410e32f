/**
 * Empties a sandbox's prefix of the team's artifact store when CloudFormation deletes the
 * sandbox: every object version and delete marker under it, so none of the sandbox's data
 * outlives it. Creating and updating do nothing. CloudFormation invokes the function directly
 * and waits for the answer it PUTs to the event's ResponseURL, so every path answers: should
 * time run short, the function answers with what it deleted, and the store's lifecycle rule for
 * `sandboxes/` expires the rest.
 */
import { DeleteObjectsCommand, ListObjectVersionsCommand, ObjectIdentifier, S3Client } from '@aws-sdk/client-s3';
import { answerOf, CustomResourceEvent, CustomResourceResponse, putResponse } from '../../constructs/core/custom-resource-response';

export type CleanupEvent = CustomResourceEvent<{ readonly Bucket: string; readonly Prefix: string }>;
export type CleanupResponse = CustomResourceResponse;

/** The only prefixes this function empties: one sandbox's, never the whole store or `sandboxes/`. */
const SANDBOX_PREFIX = /^sandboxes\/[a-z0-9][a-z0-9.-]*\/$/;

/** Time kept back to answer CloudFormation: one list and delete round takes a few seconds. */
const ANSWER_MARGIN_MS = 60_000;

const s3 = new S3Client({ maxAttempts: 10 });

export async function handler(event: CleanupEvent, context: { getRemainingTimeInMillis(): number }): Promise<void> {
  await putResponse(event.ResponseURL, await onEvent(event, () => context.getRemainingTimeInMillis()));
}

/**
 * What to answer CloudFormation, having emptied the prefix if the sandbox is being deleted;
 * `timeLeft` says how many milliseconds the invocation has left. Never throws.
 */
export async function onEvent(event: CleanupEvent, timeLeft: () => number): Promise<CleanupResponse> {
  const { Bucket: bucket, Prefix: prefix } = event.ResourceProperties ?? {};
  const answer = (status: CleanupResponse['Status'], reason?: string) => answerOf(event, `s3://${bucket}/${prefix}`, status, reason);
  if (!SANDBOX_PREFIX.test(prefix ?? '')) {
    const reason = `Prefix "${prefix}" is not one sandbox's (sandboxes/<name>/); nothing is deleted`;
    // a delete must not fail on it, or a sandbox that failed to create could never be rolled back
    return event.RequestType === 'Delete' ? answer('SUCCESS', reason) : answer('FAILED', reason);
  }
  if (event.RequestType !== 'Delete') {
    return answer('SUCCESS');
  }
  try {
    const { deleted, finished } = await emptyPrefix(bucket, prefix, timeLeft);
    console.log(JSON.stringify({ emptied: `s3://${bucket}/${prefix}`, deleted, finished }));
    return finished ? answer('SUCCESS')
      : answer('SUCCESS', `Deleted ${deleted} versions before time ran short; the store's lifecycle rule for sandboxes/ expires the rest`);
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'NoSuchBucket') {
      return answer('SUCCESS', `${bucket} no longer exists; nothing to delete`);
    }
    return answer('FAILED', `Could not empty s3://${bucket}/${prefix}: ${name}: ${message}`);
  }
}

/**
 * Deletes every version and delete marker under `prefix`, a page (at most 1000) at a time,
 * listing from the start each round so nothing written meanwhile is passed over; stops early,
 * unfinished, when less than the margin is left.
 */
async function emptyPrefix(bucket: string, prefix: string, timeLeft: () => number): Promise<{ deleted: number; finished: boolean }> {
  let deleted = 0;
  for (;;) {
    if (timeLeft() < ANSWER_MARGIN_MS) {
      return { deleted, finished: false };
    }
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
    const objects: ObjectIdentifier[] = [...page.Versions ?? [], ...page.DeleteMarkers ?? []]
      .filter(({ Key }) => Key !== undefined)
      .map(({ Key, VersionId }) => ({ Key, VersionId }));
    if (objects.length === 0) {
      return { deleted, finished: true };
    }
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    const [first] = result.Errors ?? [];
    if (first) {
      throw Object.assign(new Error(`${result.Errors!.length} of ${objects.length} versions were not deleted, `
        + `the first ${first.Key} (${first.VersionId}): ${first.Message}`), { name: first.Code ?? 'DeleteObjectsError' });
    }
    deleted += objects.length;
    if (!page.IsTruncated) {
      return { deleted, finished: true };
    }
  }
}
