/**
 * What CloudFormation sends a custom resource's function, and how the function answers, for the
 * handlers that answer CloudFormation themselves (no provider framework, so no state machine
 * beside them): CloudFormation waits for the answer PUT to the event's presigned URL, so every
 * path of such a handler must end in `putResponse`, before the function's timeout.
 */

/** The request of a custom resource whose properties are `P`. */
export interface CustomResourceEvent<P> {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: P;
}

/** The answer CloudFormation reads. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

/**
 * The answer to `event`. The physical id the resource was created with is kept on updates, so
 * CloudFormation never takes an update for a replacement and deletes the old resource.
 */
export function answerOf<P>(event: CustomResourceEvent<P>, newPhysicalId: string, status: CustomResourceResponse['Status'], reason?: string): CustomResourceResponse {
  return {
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId ?? newPhysicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}

/** Sends the answer to CloudFormation's presigned URL, with the empty content type it was signed for. */
export async function putResponse(url: string, response: CustomResourceResponse): Promise<void> {
  const reply = await fetch(url, { method: 'PUT', body: JSON.stringify(response), headers: { 'content-type': '' } });
  if (!reply.ok) {
    throw new Error(`CloudFormation refused the response: HTTP ${reply.status} ${await reply.text()}`);
  }
}
