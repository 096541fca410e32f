import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreatePresignedDomainUrlCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DsiError } from './errors';
import { StackOptions, stackOutputs } from './stack-outputs';

/** What `dsi notebook` talks to; tests give mocks. */
export interface NotebookIo {
  readonly cloudformation: CloudFormationClient;
  readonly sagemaker: SageMakerClient;
  readonly print: (line: string) => void;
}

/** How long the URL lets one sign in; the JupyterLab session it opens lasts SageMaker's default 12 hours. */
const URL_SECONDS = 300;

/**
 * `dsi notebook`: prints a presigned URL that signs the caller in to the owner's notebook of a
 * sandbox stack, straight into its JupyterLab (`--studio`: Studio's home page), alone on its line
 * so that `open "$(dsi notebook ...)"` works.
 */
export async function openNotebook(io: NotebookIo, options: StackOptions & { studio?: boolean }): Promise<void> {
  const outputs = await stackOutputs(io, options);
  const domainId = outputs.NotebookDomainId;
  const profile = outputs.NotebookUserProfileName;
  if (!profile) {
    throw new DsiError(domainId
      ? `Stack ${options.stack} is a team stack: its notebooks are in its people's sandboxes. Name yours with --stack <team>-<stage>-sandbox-<project>-<owner>.`
      : `Stack ${options.stack} has no notebook. Deploy the team stack with -c notebooks=true, then your sandbox with `
        + '-c notebooks=true -c sandbox=<project> -c owner=<you>, and name it with --stack.');
  }
  try {
    const { AuthorizedUrl } = await io.sagemaker.send(new CreatePresignedDomainUrlCommand({
      DomainId: domainId,
      UserProfileName: profile,
      ...(options.studio ? { LandingUri: 'studio::' } : { SpaceName: outputs.NotebookSpaceName, LandingUri: 'app:JupyterLab:' }),
      ExpiresInSeconds: URL_SECONDS,
    }));
    io.print(AuthorizedUrl!);
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'AccessDeniedException') {
      throw new DsiError(`You may not open the notebook ${profile}: ${message}. Assume the sandbox's project role `
        + `(${outputs.ProjectRoleArn ?? 'its ProjectRoleArn output'}), or ask for sagemaker:CreatePresignedDomainUrl on the profile.`);
    }
    if (name === 'ResourceNotFound') {
      throw new DsiError(`Domain ${domainId} has no profile ${profile}: ${message}. Was the team's domain replaced? Deploy the sandbox again.`);
    }
    throw error;
  }
}
