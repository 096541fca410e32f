/** A failure the user can act on: printed as is, without a stack trace. */
export class DsiError extends Error {
  /** @param usage the command was called wrongly (exit code 2), rather than failing (1) */
  constructor(message: string, public readonly usage = false) {
    super(message);
    this.name = 'DsiError';
  }
}

/**
 * How dsi's clients retry: the SDK's adaptive mode backs off throttled calls and slows its own
 * rate, for every call, paginators' included.
 */
export const RETRY = { retryMode: 'adaptive', maxAttempts: 6 } as const;

/** The error a user can act on for `error`, when dsi knows what to say of it. */
export function asDsiError(error: unknown): DsiError | undefined {
  if (error instanceof DsiError) {
    return error;
  }
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message ?? '')) {
    return new DsiError('No AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
  }
  if (/^Region is missing/.test(message ?? '')) {
    return new DsiError('No AWS region: export AWS_REGION (or give your AWS profile a region), or pass --outputs FILE from '
      + '`cdk deploy --outputs-file FILE`, whose Region output dsi then uses.');
  }
  return undefined;
}
