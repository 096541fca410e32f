import * as fs from 'fs';
import * as path from 'path';

/** The worker's `require` and global object, which the test environment (environment.js) gives a test file. */
function worker(): { require: NodeJS.Require; global: any } | undefined {
  return (globalThis as any).__worker;
}

/** Whether this file runs in a jest worker whose modules it can share. */
export function inWorker(): boolean {
  return worker() !== undefined;
}

/**
 * A module loaded once per jest worker, outside the test file's registry (see environment.js), or
 * this file's own where there is no worker (an app or script the tests spawn).
 */
export function workerModule<T = any>(id: string): T {
  return (worker()?.require ?? require)(id);
}

/** The global object the worker's modules see, which is not a test file's. */
export function workerGlobal(): any {
  return worker()?.global ?? globalThis;
}

/**
 * The modules every test file takes from the worker: aws-cdk-lib with each of its entry points,
 * constructs, cdk-nag, and cloudformation-diff (whose resource model takes a second to load, in
 * every file that diffs templates otherwise). They hold no state a test reads across files (apps
 * are made per test), and the library's code that extends them is loaded by each file as before.
 */
export function sharedModules(): string[] {
  const manifest = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'package.json');
  const entries = Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).exports)
    .filter((entry) => !entry.endsWith('.json') && !entry.endsWith('.js') && !entry.startsWith('./.'))
    .map((entry) => `aws-cdk-lib${entry.slice(1)}`);
  return [...entries, 'constructs', 'cdk-nag', '@aws-cdk/cloudformation-diff'];
}
