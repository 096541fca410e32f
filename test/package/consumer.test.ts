/**
 * The package as an organization gets it: `npm pack` builds it, it is installed in a bare folder beside
 * its peers alone (no esbuild, no lock file, no cdk.json, no Docker), and an app in plain JavaScript
 * synthesizes the team stack and a sandbox with it, with the locked peers and with the oldest the
 * package admits. `npm run test:package`, which installs the oldest peers into test/package/floor with
 * `npm ci`; the peers are copied as npm installed them, so nothing here needs the registry.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { API_PAGES, renderApiReference } from '../../scripts/api-reference';
import { handlerOptions, handlerSources } from '../../scripts/bundles';
import { cdk, cdkIn, CliResult, ROOT } from '../support/cli';
import { daysFromToday } from '../../constructs/core/dates';

const EXPIRES = daysFromToday(14);
const STACKS = ['data-science-dev', 'data-science-dev-sandbox-churn-ana-lima'];
const FLOOR = path.join(__dirname, 'floor');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-data-science-package-'));
// any attempt to run Docker fails
process.env.CDK_DOCKER = path.join(WORK, 'no-docker');

function run(command: string, args: string[], options: SpawnSyncOptions = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function timed<T>(work: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = work();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

/** Where Node finds package `name` from `dir`, as npm installed it. */
function installedDir(name: string, dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return fs.realpathSync(candidate);
    }
    if (path.dirname(at) === at) {
      throw new Error(`${name} is not installed above ${dir}`);
    }
  }
}

/** Copies an installed package to `nodeModules/name`, and beside it each dependency it does not carry inside. */
function copyInstalled(from: string, nodeModules: string, name: string): void {
  const target = path.join(nodeModules, name);
  if (fs.existsSync(target)) {
    return;
  }
  fs.cpSync(from, target, { recursive: true, dereference: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
  for (const dependency of Object.keys(pkg.dependencies ?? {})) {
    const dir = installedDir(dependency, from);
    if (!dir.startsWith(from + path.sep)) {
      copyInstalled(dir, nodeModules, dependency);
    }
  }
}

/**
 * What differs by build and by aws-cdk-lib release rather than by this library: CDK's usage metadata, asset
 * hashes, and the Node.js of aws-cdk-lib's own custom resource providers (nodejs24.x from 2.259.0 on, 22 before).
 */
function normalized(templateFile: string): object {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  delete template.Resources.CDKMetadata;
  delete template.Conditions?.CDKMetadataAvailable;
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (/CustomResourceProviderHandler[0-9A-F]{8}$/.test(id)) {
      resource.Properties.Runtime = '<aws-cdk-lib\'s Node.js>';
    }
  }
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset hash>'));
}

/** Every finding of every plugin in a cloud assembly's validation report. */
function findings(outdir: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((plugin: any) => plugin.violations.map((v: any) => `${plugin.pluginName} ${v.ruleName}`));
}

let tarball: string;
let packed: { size: number; unpackedSize: number; entryCount: number; files: { path: string; size: number }[] };
let repository: CliResult;
let repositorySeconds: number;

beforeAll(() => {
  // on a clean clone after `npm ci`, `npm pack` alone builds the package (prepack)
  const pack = run('npm', ['pack', '--json', '--pack-destination', WORK], { cwd: ROOT });
  expect(pack.status).toBe(0);
  [packed] = JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[') + 1));
  tarball = path.join(WORK, 'cdk-data-science-0.1.0.tgz');
  [repository, repositorySeconds] = timed(() => cdk('synth', '-c', 'sandbox=churn', '-c', 'owner=ana.lima', '-c', `sandboxExpiresOn=${EXPIRES}`, '--quiet'));
  expect(repository.stderr).not.toMatch(/Error/);
  expect(repository.status).toBe(0);
  process.stdout.write(`package: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.entryCount} files\n`);
});

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

describe('npm pack', () => {
  test('ships the compiled library, its typings and jsii assembly, the prebuilt handlers, the command lines and the LICENSE', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', '.jsii',
      'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/constructs/core/functions.js',
      ...Object.keys(handlerSources()).map((name) => `dist/handlers/${name}/index.js`),
      'dist/bin/dsi.js', 'dist/bin/stateful-guard.js', 'dist/bin/THIRD-PARTY-LICENSES.txt', 'dist/db.json.gz',
    ]));
    // only what the package needs: no sources, no tests, no bundles of the repository's own app
    expect(files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|\.jsii$)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/bin/')).sort()).toEqual(['dist/bin/THIRD-PARTY-LICENSES.txt', 'dist/bin/dsi.js', 'dist/bin/stateful-guard.js']);
    // the command lines carry no peer: one that bundled aws-cdk-lib's constructs would weigh tens of MB
    expect(packed.files.filter((f) => /^dist\/bin\/.*\.js$/.test(f.path) && f.size > 2 * 1024 * 1024).map((f) => `${f.path}: ${f.size} bytes`)).toEqual([]);
  });

  test('ships no source map that points at a file the package lacks', () => {
    const dir = path.join(WORK, 'unpacked');
    fs.mkdirSync(dir);
    expect(run('tar', ['-xzf', tarball, '-C', dir]).status).toBe(0);
    const files = packed.files.map((f) => f.path);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      for (const [, url] of fs.readFileSync(path.join(dir, 'package', file), 'utf8').matchAll(/\/\/# sourceMappingURL=(\S+)/g)) {
        expect({ file, url: url.startsWith('data:') ? 'inline' : url }).toEqual({ file, url: 'inline' });
      }
    }
  });

  test('ships each handler as esbuild bundles it from today\'s source', () => {
    for (const [name, source] of Object.entries(handlerSources())) {
      const [built] = esbuild.buildSync({ ...handlerOptions(name, source), write: false }).outputFiles;
      expect(fs.readFileSync(path.join(WORK, 'unpacked', 'package', 'dist', 'handlers', name, 'index.js'), 'utf8')).toBe(built.text);
    }
  });
});

test('the committed API reference is, byte for byte, what jsii-docgen makes of the assembly `npm pack` built', async () => {
  for (const [language, page] of Object.entries(API_PAGES)) {
    const committed = fs.readFileSync(path.join(ROOT, page), 'utf8');
    expect({ page, same: committed === await renderApiReference(language) }).toEqual({ page, same: true });
  }
});

test('the library compiles against the oldest aws-cdk-lib and constructs it admits', () => {
  const result = run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.floor.json'], { cwd: ROOT });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});

describe.each([
  ['the locked peers', ROOT],
  ['the oldest peers it admits', FLOOR],
])('installed with %s', (label, peersFrom) => {
  const app = path.join(WORK, label.replace(/ /g, '-'));
  const versions: Record<string, string> = {};
  let synth: CliResult;

  beforeAll(() => {
    fs.mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    for (const name of ['aws-cdk-lib', 'constructs', 'cdk-nag']) {
      const from = installedDir(name, peersFrom);
      versions[name] = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8')).version;
      copyInstalled(from, path.join(app, 'node_modules'), name);
    }
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: 'consumer', private: true, dependencies: { 'cdk-data-science': `file:${tarball}`, ...versions },
    }));
    // npm resolves a new package's peers from registry metadata even when node_modules holds them, and an
    // offline cache may lack it; so peers are left as copied here, and `npm ls` below checks they satisfy the package
    const install = run('npm', ['install', '--offline', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps'], { cwd: app });
    expect({ status: install.status, stderr: install.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/error/i) });
    for (const file of ['consumer-app.js', 'unchecked-bucket-app.js', 'wildcard-grant-app.js']) {
      fs.copyFileSync(path.join(__dirname, file), path.join(app, file));
    }
    let seconds: number;
    process.env.SANDBOX_EXPIRES_ON = EXPIRES;
    [synth, seconds] = timed(() => cdkIn(app, 'synth', '--app', 'node consumer-app.js', '--quiet'));
    process.stdout.write(`synth with ${label} (aws-cdk-lib ${versions['aws-cdk-lib']}, constructs ${versions.constructs}, cdk-nag ${versions['cdk-nag']}): `
      + `${seconds.toFixed(1)} s; the repository's app from its sources: ${repositorySeconds.toFixed(1)} s\n`);
  });

  test('holds the package and its peers only, with no esbuild, lock file or cdk.json, and the peers satisfy the package', () => {
    const top = fs.readdirSync(path.join(app, 'node_modules')).filter((f) => !f.startsWith('.') && !f.startsWith('@')).sort();
    expect(top).toEqual(['aws-cdk-lib', 'cdk-data-science', 'cdk-nag', 'constructs']);
    expect(fs.existsSync(path.join(app, 'node_modules', 'esbuild'))).toBe(false);
    expect(fs.readdirSync(app).filter((f) => /lock|cdk\.json/.test(f))).toEqual([]);
    expect(run('npm', ['ls', '--offline'], { cwd: app }).status).toBe(0);
  });

  test('synthesizes the repository app\'s templates: the default DataScienceStack, example workflow included, and a sandbox', () => {
    expect(synth.stderr).not.toMatch(/Error|Docker|esbuild|lock file/);
    expect(synth.status).toBe(0);
    for (const stack of STACKS) {
      const template = normalized(path.join(synth.outdir, `${stack}.template.json`));
      expect(template).toEqual(normalized(path.join(repository.outdir, `${stack}.template.json`)));
    }
    expect(JSON.stringify(normalized(path.join(synth.outdir, `${STACKS[0]}.template.json`)))).toContain('"ExampleWorkflowArn"');
  });

  test('passes the rule packs with no finding, which do report in this install', () => {
    expect(findings(synth.outdir)).toEqual([]);
    const outdir = path.join(app, 'unchecked.out');
    run('node', ['unchecked-bucket-app.js'], { cwd: app, env: { ...process.env, CDK_OUTDIR: outdir } });
    expect(findings(outdir)).toEqual(expect.arrayContaining(['AwsSolutions AwsSolutions-S1', 'AwsSolutions AwsSolutions-S10']));
  });

  test('acknowledges a finding by its full id, `::` inside brackets and all, and that finding alone', () => {
    const outdir = path.join(app, 'granted.out');
    run('node', ['wildcard-grant-app.js'], { cwd: app, env: { ...process.env, CDK_OUTDIR: outdir } });
    expect(findings(outdir)).toEqual(['AwsSolutions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package/acme-ltv/*]']);
  });

  test('runs its command lines with nothing else installed', () => {
    const template = path.join(synth.outdir, `${STACKS[0]}.template.json`);
    const guard = run(path.join(app, 'node_modules', '.bin', 'stateful-guard'), [template, template], { cwd: app });
    expect(guard.stderr).toBe('');
    expect(guard.status).toBe(0);
    const dsi = run(path.join(app, 'node_modules', '.bin', 'dsi'), ['--help'], { cwd: app });
    expect(dsi.stdout + dsi.stderr).toContain('usage:');
    expect(dsi.status).toBe(0);
  });

  if (label === 'the locked peers') {
    test('its jsii assembly holds every export of its entry, but the Error subclass only JavaScript can catch by type', () => {
      const assembly = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk-data-science', '.jsii'), 'utf8'));
      const types = new Set(Object.values<any>(assembly.types).map((t) => t.name));
      const exports = run('node', ['-e', 'console.log(JSON.stringify(Object.keys(require("cdk-data-science"))))'], { cwd: app });
      expect(JSON.parse(exports.stdout).filter((name: string) => !types.has(name))).toEqual(['ValidationError']);
      expect([...types]).toEqual(expect.arrayContaining(['ValidationErrors', 'TeamParameters', 'CompliancePacks', 'DataScienceStack']));
    });

    test('generates Python bindings offline from the installed package, and they byte-compile', () => {
      const out = path.join(WORK, 'python');
      const pacmak = run(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--targets', 'python', '--code-only', '--outdir', out, path.join(app, 'node_modules', 'cdk-data-science')], {
        cwd: app,
        // the installed package is packed as it is, without building it again
        env: { ...process.env, npm_config_ignore_scripts: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
      });
      expect(pacmak.stderr).not.toMatch(/error/i);
      expect(pacmak.status).toBe(0);
      const source = path.join(out, 'python', 'src', 'cdk_data_science', '__init__.py');
      expect(fs.readFileSync(source, 'utf8')).toContain('class DataScienceStack(');
      expect(fs.readFileSync(source, 'utf8')).toContain('def is_validation_error(');
      const compiled = run('python3', ['-m', 'compileall', '-q', path.join(out, 'python', 'src')]);
      expect(compiled.stdout + compiled.stderr).toBe('');
      expect(compiled.status).toBe(0);
    });
  }
});
