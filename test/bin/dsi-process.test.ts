import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../support/cli';

/** Runs dsi as a user does (`npm run dsi -- ...` runs tsx), with no AWS region, profile or credentials in reach. */
function dsi(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'DSI_STACK']) {
    delete env[name];
  }
  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bin', 'dsi.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dsi as a process', () => {
  test('prints its own output only: no notice of the SDK\'s about Node.js versions', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'outputs.json');
    const arn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:Example';
    fs.writeFileSync(file, JSON.stringify({ 'data-science-dev': { Region: 'eu-west-1', Workflows: JSON.stringify({ example: arn }) } }));
    expect(dsi('workflows', '--outputs', file)).toEqual({ status: 0, stdout: `example\t${arn}\n`, stderr: '' });
  });

  test('says in one line that a command is unknown, and which there are', () => {
    expect(dsi('bogus')).toEqual({
      status: 2, stdout: '',
      stderr: 'dsi: unknown command "bogus": the commands are workflows, run, runs, logs, metaflow-config, notebook (dsi --help shows how to call them)\n',
    });
  });

  test('says in one line where to give a region, when it has none', () => {
    const { status, stderr } = dsi('workflows');
    expect(status).toBe(1);
    expect(stderr).toBe('dsi: No AWS region: export AWS_REGION (or give your AWS profile a region), or pass --outputs FILE from '
      + '`cdk deploy --outputs-file FILE`, whose Region output dsi then uses.\n');
  });
});
