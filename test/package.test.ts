import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as esbuild from 'esbuild';
import { HANDLER_BUNDLES } from '../constructs/core/handler-bundles';
import { DataScienceStack, ProjectSandboxStack } from '../lib';
import { handlerOptions, handlerSources } from '../scripts/bundles';
import { ROOT } from './support/cli';
import { cdkJsonContext } from './support/synth';
import { daysFromToday } from '../constructs/core/dates';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const bundleOf = (name: string) => fs.readFileSync(path.join(ROOT, HANDLER_BUNDLES, name, 'index.js'), 'utf8');

describe('the package', () => {
  test('is cdk-data-science, with its entry and jsii assembly in what it ships', () => {
    expect(pkg.name).toBe('cdk-data-science');
    expect(pkg.main).toBe('dist/lib/index.js');
    expect(pkg.types).toBe('dist/lib/index.d.ts');
    expect(pkg.files).toEqual(['dist', '.jsii']);
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  test('installs its peers only: the command lines are bundled, nothing else is a runtime dependency', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bundleDependencies ?? pkg.bundledDependencies ?? []).toEqual([]);
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'cdk-nag', 'constructs']);
  });

  test('admits aws-cdk-lib back to the first release cdk-nag 3\'s rule packs run on, and tests the oldest peers it admits', () => {
    // cdk-nag 3 declares 2.257.0, but its packs need the construct tree validation plugins get from 2.258.0 on
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe('^2.258.0');
    const floor = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'package', 'floor', 'package.json'), 'utf8'));
    expect(floor.dependencies).toEqual(Object.fromEntries(Object.entries<string>(pkg.peerDependencies).map(([peer, range]) => [peer, range.replace(/^\^/, '')])));
  });

  test('ships each handler prebuilt, as esbuild bundles it from today\'s source, and nothing else in the handlers folder', () => {
    const sources = handlerSources();
    expect(sources).toEqual({
      'notebook-cleanup': path.join('constructs', 'development', 'notebook-cleanup', 'handler.ts'),
      'run-starter': path.join('constructs', 'scheduler', 'run-starter', 'handler.ts'),
      'sandbox-cleanup': path.join('lib', 'sandbox-cleanup', 'handler.ts'),
      'sandbox-reaper': path.join('lib', 'sandbox-reaper', 'handler.ts'),
    });
    expect(fs.readdirSync(path.join(ROOT, HANDLER_BUNDLES)).sort()).toEqual(Object.keys(sources).sort());
    for (const [name, source] of Object.entries(sources)) {
      const [built] = esbuild.buildSync({ ...handlerOptions(name, source), write: false }).outputFiles;
      expect(bundleOf(name)).toBe(built.text);
    }
  });

  test('leaves the AWS SDK to the Lambda runtime', () => {
    const starter = bundleOf('run-starter');
    expect(starter).toContain('require("@aws-sdk/client-sfn")');
    expect(starter.length).toBeLessThan(10_000);
  });

  test('deploys every function of its stacks from a prebuilt bundle: synthesis bundles nothing', () => {
    const app = new App({ context: cdkJsonContext() });
    const expiresOn = daysFromToday(14);
    new DataScienceStack(app, 'Team', { teamName: 'data-science' });
    new ProjectSandboxStack(app, 'Sandbox', { teamName: 'data-science', projectName: 'churn', owner: 'ana', notebook: true, expiresOn });
    // a function's code is staged into the cloud assembly as the function is created
    const deployed = app.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function)
      .map((fn) => fs.readFileSync(path.join(app.outdir, (fn.node.findChild('Code') as s3assets.Asset).assetPath, 'index.js'), 'utf8'));
    // the run starter, the reaper, the prefix cleanup and the notebook cleanup
    expect(deployed).toHaveLength(4);
    expect(new Set(deployed)).toEqual(new Set(fs.readdirSync(path.join(ROOT, HANDLER_BUNDLES)).map(bundleOf)));
  });
});
