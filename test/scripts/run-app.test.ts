import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../support/cli';

// plain JavaScript, so that cdk.json's app command needs nothing to compile it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundle, bundlePath } = require('../../scripts/run-app.js') as {
  bundle(entry: string): { outfile: string; packages: string[] };
  bundlePath(entry: string): string;
};

const LAUNCHER = path.join(ROOT, 'scripts', 'run-app.js');
/** cdk.json's app command, which names bin/app.ts. */
const APP_COMMAND: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).app;

describe('scripts/run-app.js, the app command of cdk.json', () => {
  let folder: string;
  let entry: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-'));
    entry = path.join(folder, 'app.ts');
    fs.writeFileSync(path.join(folder, 'message.ts'), 'export const MESSAGE: string = \'one\';\n');
    fs.writeFileSync(entry, [
      'import { App } from \'aws-cdk-lib\';',
      'import { MESSAGE } from \'./message\';',
      'console.log(`${MESSAGE} ${new App().node.id === \'\'}`);',
      'if (process.env.FAIL) {',
      '  throw new Error(\'failed on purpose\');',
      '}',
      '',
    ].join('\n'));
  });

  afterEach(() => {
    const outfile = bundlePath(entry);
    const name = path.basename(outfile, '.js');
    fs.readdirSync(path.dirname(outfile)).filter((file) => file === `${name}.js` || file.startsWith(`${name}.`))
      .forEach((file) => fs.rmSync(path.join(path.dirname(outfile), file), { force: true }));
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the app at `entry` the way cdk.json runs bin/app.ts. */
  function run(env: NodeJS.ProcessEnv = {}) {
    return spawnSync('bash', ['-c', APP_COMMAND.replace('bin/app.ts', entry)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  }

  test('runs a TypeScript app with the packages it imports, from one bundle', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('one true\n');
    const { outfile, packages } = bundle(entry);
    expect(outfile).toBe(bundlePath(entry));
    expect(path.relative(ROOT, outfile)).toMatch(/^\.cache\/apps\/app-[0-9a-f]{12}\.js$/);
    // the packages stay outside, loaded from node_modules
    expect(packages).toEqual(['aws-cdk-lib']);
    expect(fs.readFileSync(outfile, 'utf8')).toContain('require("aws-cdk-lib")');
  });

  test('keeps the bundle until a file it was built from changes, by content, not by time', () => {
    const first = bundle(entry).outfile;
    const builtAt = fs.statSync(first).mtimeMs;
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(folder, 'message.ts'), later, later);
    expect(bundle(entry).outfile).toBe(first);
    expect(fs.statSync(first).mtimeMs).toBe(builtAt);

    fs.writeFileSync(path.join(folder, 'message.ts'), 'export const MESSAGE: string = \'two\';\n');
    expect(run().stdout).toBe('two true\n');
    expect(fs.readFileSync(first, 'utf8')).toContain('"two"');
  });

  test('never runs a bundle one of whose files is gone: it builds again, and says what is missing', () => {
    expect(run().stdout).toBe('one true\n');
    fs.rmSync(path.join(folder, 'message.ts'));
    const result = run();
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Could not resolve "./message"');
  });

  test('a bundled module finds the repository as its package root, for the handlers\' bundles and the validation worker', () => {
    fs.writeFileSync(entry, `import { packageRoot } from ${JSON.stringify(path.join(ROOT, 'constructs', 'core', 'package-root'))};\nconsole.log(packageRoot());\n`);
    expect(run().stdout).toBe(`${ROOT}\n`);
  });

  test('an error names the line of the TypeScript source, not of the bundle', () => {
    const result = run({ FAIL: '1' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('failed on purpose');
    expect(result.stderr).toContain(`${entry}:5:`);
    expect(result.stderr).not.toContain('.cache/apps');
  });

  test('without an app, says what to give', () => {
    const result = spawnSync(process.execPath, [LAUNCHER], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Give the app to run: node scripts/run-app.js bin/app.ts');
  });
});
