/**
 * Deletes a sandbox stack once its expiry date has passed. The date is the stack's
 * `expires-on` tag, so redeploying the sandbox with a later date extends it; the schedule
 * that invokes this function is only the reminder.
 */
import { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

export interface ReapResult {
  readonly deleted: boolean;
  readonly reason: string;
}

const cloudformation = new CloudFormationClient({ maxAttempts: 5 });

/** Whether a sandbox that expires on `expiresOn` (YYYY-MM-DD) has expired at `now`. */
export function hasExpired(expiresOn: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${expiresOn}T00:00:00Z`);
}

/** Lambda's entry point; it passes the event and its context, neither of which the reaper needs. */
export async function handler(): Promise<ReapResult> {
  return reap(new Date());
}

/** Deletes the stack named in STACK_NAME if its expiry day has come by `now`. */
export async function reap(now: Date): Promise<ReapResult> {
  const stackName = process.env.STACK_NAME!;
  const described = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = described.Stacks?.[0];
  const expiresOn = stack?.Tags?.find((tag) => tag.Key === 'expires-on')?.Value;
  if (!stack || !expiresOn) {
    return { deleted: false, reason: `${stackName} has no expires-on tag: not a sandbox, left alone` };
  }
  if (!hasExpired(expiresOn, now)) {
    return { deleted: false, reason: `${stackName} was extended to ${expiresOn}` };
  }
  await cloudformation.send(new DeleteStackCommand({ StackName: stackName }));
  console.log(JSON.stringify({ deleted: stackName, expiredOn: expiresOn }));
  return { deleted: true, reason: `${stackName} expired on ${expiresOn}` };
}
