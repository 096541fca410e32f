/**
 * Deletes a sandbox owner's notebook when CloudFormation deletes the sandbox: first every app of
 * the owner's private space and of the owner's profile, waiting until SageMaker has deleted
 * them, then the space, then the profile. CloudFormation cannot delete a space whose apps still
 * run, nor a profile that still has a space; the resources this cleanup goes before are then
 * already gone, which CloudFormation takes as deleted. Creating and updating do nothing.
 * CloudFormation waits for the answer PUT to the event's presigned URL, so every path answers,
 * before the function's timeout: should time run short, the deletion fails naming what is left,
 * and deleting the stack again picks up where this one stopped.
 */
import {
  AppDetails, DeleteAppCommand, DeleteSpaceCommand, DeleteUserProfileCommand, DescribeSpaceCommand, DescribeUserProfileCommand,
  paginateListApps, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { answerOf, CustomResourceEvent, CustomResourceResponse, putResponse } from '../../core/custom-resource-response';

/** The owner's notebook: the domain it is in, the owner's profile and private space. */
export interface NotebookNames {
  readonly DomainId: string;
  readonly UserProfileName: string;
  readonly SpaceName: string;
}

export type NotebookCleanupEvent = CustomResourceEvent<NotebookNames>;

/** How the cleanup tells time: what the invocation has left, in milliseconds, and a pause. */
export interface Clock {
  readonly timeLeft: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const DOMAIN_ID = /^d-[a-z0-9]+$/;
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Time kept back to answer CloudFormation: one round of calls takes a few seconds. */
const ANSWER_MARGIN_MS = 60_000;
/** Between two looks at what SageMaker is still deleting: apps take minutes. */
const POLL_MS = 10_000;

const sagemaker = new SageMakerClient({ maxAttempts: 10 });

export async function handler(event: NotebookCleanupEvent, context: { getRemainingTimeInMillis(): number }): Promise<void> {
  const clock: Clock = { timeLeft: () => context.getRemainingTimeInMillis(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
  await putResponse(event.ResponseURL, await onEvent(event, clock));
}

/** What to answer CloudFormation, having deleted the notebook if the sandbox is being deleted. Never throws. */
export async function onEvent(event: NotebookCleanupEvent, clock: Clock): Promise<CustomResourceResponse> {
  const names = event.ResourceProperties ?? ({} as Partial<NotebookNames>);
  const id = `${names.DomainId}/${names.UserProfileName}`;
  const answer = (status: CustomResourceResponse['Status'], reason?: string) => answerOf(event, id, status, reason);
  if (!DOMAIN_ID.test(names.DomainId ?? '') || !NAME.test(names.UserProfileName ?? '') || !NAME.test(names.SpaceName ?? '')) {
    const reason = `"${id}" with space "${names.SpaceName}" names no domain, profile and space; nothing is deleted`;
    // a delete must not fail on it, or a sandbox that failed to create could never be rolled back
    return event.RequestType === 'Delete' ? answer('SUCCESS', reason) : answer('FAILED', reason);
  }
  if (event.RequestType !== 'Delete') {
    return answer('SUCCESS');
  }
  try {
    const left = await deleteNotebook(names as NotebookNames, clock);
    console.log(JSON.stringify({ notebook: id, space: names.SpaceName, left }));
    return left.length === 0 ? answer('SUCCESS')
      : answer('FAILED', `Time ran short while SageMaker deleted ${left.join(', ')} of ${id}; delete the stack again to finish`);
  } catch (error) {
    const { name, message } = error as Error;
    return answer('FAILED', `Could not delete the notebook ${id}: ${name}: ${message}`);
  }
}

/** Deletes apps, space and profile in turn; returns what is still being deleted when time ran short. */
async function deleteNotebook(names: NotebookNames, clock: Clock): Promise<string[]> {
  const domain = { DomainId: names.DomainId };
  const space = { ...domain, SpaceName: names.SpaceName };
  const profile = { ...domain, UserProfileName: names.UserProfileName };
  const apps = await until(clock, () => deleteApps(names));
  if (apps.length > 0) {
    return apps;
  }
  const spaceLeft = await until(clock, () => deleteOnce(`space ${names.SpaceName}`,
    async () => (await sagemaker.send(new DescribeSpaceCommand(space))).Status,
    () => sagemaker.send(new DeleteSpaceCommand(space))));
  if (spaceLeft.length > 0) {
    return spaceLeft;
  }
  return until(clock, () => deleteOnce(`profile ${names.UserProfileName}`,
    async () => (await sagemaker.send(new DescribeUserProfileCommand(profile))).Status,
    () => sagemaker.send(new DeleteUserProfileCommand(profile))));
}

/** Runs `step` until it leaves nothing, pausing between rounds; stops with what is left when time runs short. */
async function until(clock: Clock, step: () => Promise<string[]>): Promise<string[]> {
  for (;;) {
    const left = await step();
    if (left.length === 0) {
      return left;
    }
    if (clock.timeLeft() < ANSWER_MARGIN_MS + POLL_MS) {
      return left;
    }
    await clock.sleep(POLL_MS);
  }
}

/** Asks SageMaker to delete every app of the space and the profile not yet deleted; returns those not yet gone. */
async function deleteApps(names: NotebookNames): Promise<string[]> {
  const found = [
    ...await listApps({ DomainIdEquals: names.DomainId, SpaceNameEquals: names.SpaceName }),
    ...await listApps({ DomainIdEquals: names.DomainId, UserProfileNameEquals: names.UserProfileName }),
  ];
  // an app of the owner's private space may be listed under the profile too: ask once
  const apps = [...new Map(found.map((app) => [`${app.SpaceName ?? app.UserProfileName}/${app.AppType}/${app.AppName}`, app])).values()]
    .filter((app) => app.Status !== 'Deleted');
  for (const app of apps.filter((a) => a.Status !== 'Deleting')) {
    await ignoring(['ResourceNotFound', 'ResourceInUse'], () => sagemaker.send(new DeleteAppCommand({
      DomainId: app.DomainId, AppType: app.AppType, AppName: app.AppName,
      ...(app.SpaceName ? { SpaceName: app.SpaceName } : { UserProfileName: app.UserProfileName }),
    })));
  }
  return apps.map((app) => `app ${app.AppType}/${app.AppName}`);
}

/** Every page of the apps the filter finds; none when the domain, space or profile is already gone. */
async function listApps(filter: { DomainIdEquals: string; SpaceNameEquals?: string; UserProfileNameEquals?: string }): Promise<AppDetails[]> {
  const apps: AppDetails[] = [];
  await ignoring(['ResourceNotFound'], async () => {
    for await (const page of paginateListApps({ client: sagemaker }, { ...filter, MaxResults: 100 })) {
      apps.push(...page.Apps ?? []);
    }
  });
  return apps;
}

/**
 * One round of deleting a space or profile: gone, it leaves nothing; deleting, it waits; else it
 * asks SageMaker to delete it (again, after a failed deletion).
 */
async function deleteOnce(what: string, status: () => Promise<string | undefined>, remove: () => Promise<unknown>): Promise<string[]> {
  let current: string | undefined;
  try {
    current = await status();
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFound') {
      return [];
    }
    throw error;
  }
  if (current !== 'Deleting') {
    await ignoring(['ResourceNotFound', 'ResourceInUse'], remove);
  }
  return [what];
}

/** Runs `call`, taking the named errors for "not now" or "already done". */
async function ignoring(names: string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!names.includes((error as Error).name)) {
      throw error;
    }
  }
}
