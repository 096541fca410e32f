/**
 * What `npm run build` bundles with esbuild besides the jsii compile: every Lambda handler, into the
 * folder the constructs deploy from, and the command lines of package.json's `bin`, each into one
 * self-contained file so the package needs no runtime dependencies.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { HANDLER_BUNDLES } from '../constructs/core/handler-bundles';

export const ROOT = path.resolve(__dirname, '..');

/**
 * Every handler of the package by its name, the folder that holds its `handler.ts`: a new handler
 * is found by its file, and deployed by `newSmallFunction({ handlerName })`.
 */
export function handlerSources(): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const top of ['constructs', 'lib']) {
    for (const file of fs.readdirSync(path.join(ROOT, top), { recursive: true, encoding: 'utf8' })) {
      if (path.basename(file) !== 'handler.ts') {
        continue;
      }
      const name = path.basename(path.dirname(file));
      if (sources[name]) {
        throw new Error(`Two handlers are named ${name}: ${sources[name]} and ${path.join(top, file)}; rename one folder`);
      }
      sources[name] = path.join(top, file);
    }
  }
  return sources;
}

/** How a handler is bundled: minified CommonJS for Lambda's Node.js 24 runtime, which brings the AWS SDK v3. */
export function handlerOptions(name: string, source: string): esbuild.BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [source],
    outfile: path.join(HANDLER_BUNDLES, name, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
  };
}

/** How a bundle being written is named, beside the handlers' folders. */
const PARTIAL = '.partial-';

/**
 * Bundles every handler, replacing what an earlier build left. Each bundle is written beside the
 * handlers' folders and renamed into its own: a synth running meanwhile in the same checkout (the
 * other test runner of a mutation run, whose setup builds them too) never finds a handler missing
 * or half written, and a partial file is never inside the folder an asset is made of.
 */
export function buildHandlers(): void {
  const root = path.join(ROOT, HANDLER_BUNDLES);
  const sources = handlerSources();
  for (const [name, source] of Object.entries(sources)) {
    const [bundle] = esbuild.buildSync({ ...handlerOptions(name, source), write: false }).outputFiles;
    fs.mkdirSync(path.dirname(bundle.path), { recursive: true });
    const partial = path.join(root, `${PARTIAL}${name}.${process.pid}.js`);
    fs.writeFileSync(partial, bundle.contents);
    fs.renameSync(partial, bundle.path);
  }
  for (const entry of fs.readdirSync(root)) {
    const full = path.join(root, entry);
    if (Object.hasOwn(sources, entry)) {
      fs.readdirSync(full).filter((file) => file !== 'index.js').forEach((file) => fs.rmSync(path.join(full, file), { recursive: true, force: true }));
    } else if (!entry.startsWith(PARTIAL) || leftBehind(full)) {
      // a handler since removed, or a partial bundle a build that stopped left
      fs.rmSync(full, { recursive: true, force: true });
    }
  }
}

/** Whether a partial bundle is a minute old; one that another build has just renamed into place is not. */
function leftBehind(partial: string): boolean {
  const written = fs.statSync(partial, { throwIfNoEntry: false })?.mtimeMs;
  return written !== undefined && Date.now() - written > 60_000;
}

/**
 * Bundles each command line of package.json's `bin` from `bin/<name>.ts` with everything it imports,
 * so installing the package installs no SDK clients, and writes the licenses of what they carry.
 * cloudformation-diff reads CloudFormation's resource specification from a file one folder above
 * its code, which for a bundle in `dist/bin` is `dist/`.
 */
export function buildCommandLines(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const carried = new Set<string>();
  for (const [name, outfile] of Object.entries<string>(pkg.bin)) {
    const { metafile } = esbuild.buildSync({
      absWorkingDir: ROOT,
      entryPoints: [path.join('bin', `${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      // the peers are installed wherever the package is: a command line that carried them would weigh tens of MB
      external: Object.keys(pkg.peerDependencies ?? {}).flatMap((peer) => [peer, `${peer}/*`]),
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    for (const input of Object.keys(metafile.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) {
        carried.add(match[1]);
      }
    }
  }
  const diff = path.dirname(require.resolve('@aws-cdk/cloudformation-diff/package.json'));
  const spec = path.dirname(require.resolve('@aws-cdk/aws-service-spec/package.json', { paths: [diff] }));
  fs.copyFileSync(path.join(spec, 'db.json.gz'), path.join(ROOT, 'dist', 'db.json.gz'));
  carried.add(path.relative(ROOT, spec));
  fs.writeFileSync(path.join(ROOT, 'dist', 'bin', 'THIRD-PARTY-LICENSES.txt'), [...carried].sort().map(licenseOf).join(`\n\n${'-'.repeat(78)}\n\n`));
}

/** A package's name, version, license and license text, for the notice of what a bundle carries. */
function licenseOf(dir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
  const file = fs.readdirSync(path.join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? fs.readFileSync(path.join(ROOT, dir, file), 'utf8').trim() : `${pkg.license} (the package ships no license file)`;
  return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}`;
}
