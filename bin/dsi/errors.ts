/** A failure the user can act on: printed as is, without a stack trace. */
export class DsiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DsiError';
  }
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

/**
 * Calls `call`, retrying throttled calls with exponential backoff and jitter, and turns the
 * errors a user meets (no credentials) into a DsiError that says what to do.
 */
export async function aws<T>(call: () => Promise<T>, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)), attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error: any) {
      if (THROTTLING.has(error?.name) && attempt < attempts) {
        await sleep(Math.random() * 200 * 2 ** attempt);
        continue;
      }
      if (error?.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error?.message ?? '')) {
        throw new DsiError('No AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
      }
      throw error;
    }
  }
}
