import * as fs from 'fs';
import * as path from 'path';

/** Where the test environment puts the worker's `require` and global object on a test file's global. */
export const WORKER_REQUIRE = '__workerRequire';
export const WORKER_GLOBAL = '__workerGlobal';

/**
 * A module loaded once per jest worker, outside the test file's registry (see environment.ts), or
 * this file's own where there is no worker (an app or script the tests spawn).
 */
export function workerModule<T = any>(id: string): T {
  const load: NodeJS.Require = (globalThis as any)[WORKER_REQUIRE] ?? require;
  return load(id);
}

/** The global object the worker's modules see, which is not a test file's. */
export function workerGlobal(): any {
  return (globalThis as any)[WORKER_GLOBAL] ?? globalThis;
}

/**
 * The modules every test file takes from the worker: aws-cdk-lib with each of its entry points,
 * constructs and cdk-nag. They hold no state a test reads across files (apps are made per test),
 * and the library's code that extends them is loaded by each file as before.
 */
export function sharedModules(): string[] {
  const manifest = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'package.json');
  const entries = Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).exports)
    .filter((entry) => !entry.endsWith('.json') && !entry.endsWith('.js') && !entry.startsWith('./.'))
    .map((entry) => `aws-cdk-lib${entry.slice(1)}`);
  return [...entries, 'constructs', 'cdk-nag'];
}
