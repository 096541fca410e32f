/** Where the test environment puts the worker's `require` on a test file's global object. */
export const WORKER_REQUIRE = '__workerRequire';

/**
 * A module loaded once per jest worker, outside the test file's registry (see environment.ts), or
 * this file's own where there is no worker (an app or script the tests spawn). Only for modules
 * whose state no test reads: values from it come from another realm, so hand them over as data.
 */
export function workerModule<T = any>(id: string): T {
  const load: NodeJS.Require = (globalThis as any)[WORKER_REQUIRE] ?? require;
  return load(id);
}
