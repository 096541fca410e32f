import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
}

/**
 * Runs the CDK CLI of this repository as a newcomer would (`npx cdk ...`), into a fresh
 * output folder, with no AWS credentials in reach.
 */
export function cdk(...args: string[]): CliResult {
  return cdkIn(ROOT, ...args);
}

/** Runs the CDK CLI of this repository in `cwd`, for example an app of its own with no cdk.json. */
export function cdkIn(cwd: string, ...args: string[]): CliResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
    delete env[name];
  }
  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk'), [...args, '--no-notices', '--output', outdir], {
    cwd, env, encoding: 'utf8', timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outdir };
}
