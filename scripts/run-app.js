/**
 * Runs a CDK app written in TypeScript: cdk.json's `app` is
 * `node --single-threaded scripts/run-app.js bin/app.ts`.
 *
 * esbuild bundles the app with the files of this repository it imports into one CommonJS file, kept
 * in `.cache/apps` and built again when a file it was built from changes; the packages (aws-cdk-lib,
 * cdk-nag, constructs) stay outside, loaded by node as installed. A TypeScript loader would transform
 * and resolve each of some 150 modules, and every one of aws-cdk-lib's hundreds of requires, through its
 * hooks: a second of the default stack's synth (`npm run bench`).
 *
 * Plain JavaScript, so that nothing has to compile it.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
// In the repository, not in node_modules: node loads a module by its real path, and a bundle under a
// node_modules linked from another checkout would take that checkout for its package root.
const CACHE = path.join(ROOT, '.cache', 'apps');
/** Files that shape what esbuild makes of the sources, besides the sources themselves. */
const SETTINGS = ['package.json', 'tsconfig.json', 'tsconfig.jsii.json'];
/** The last line of a bundle: the record of what it was built from, published with its code in one rename. */
const RECORD = '//# cdk-data-science-bundle ';

/** @param {string | Uint8Array} contents */
function digest(contents) {
  return crypto.createHash('sha256').update(contents).digest('hex');
}

/** @param {string} file */
function digestOf(file) {
  try {
    return digest(fs.readFileSync(path.join(ROOT, file)));
  } catch {
    return undefined;
  }
}

/**
 * The bundle of `entry`: its name, from the entry's name and a digest of its whole path.
 * @param {string} entry
 */
function bundlePath(entry) {
  return path.join(CACHE, `${path.basename(entry, '.ts')}-${digest(entry).slice(0, 12)}.js`);
}

/**
 * The record a bundle ends with, if every file it names still has the content it was built from: a
 * checkout that only touches a file's time does not rebuild, an edit always does.
 * @param {string} outfile
 * @param {string} builtWith
 * @returns {{ builtWith: string, inputs: Record<string, string>, packages: string[] } | undefined}
 */
function freshRecord(outfile, builtWith) {
  let record;
  try {
    const code = fs.readFileSync(outfile, 'utf8');
    record = JSON.parse(code.slice(code.lastIndexOf(RECORD) + RECORD.length));
  } catch {
    return undefined;
  }
  const fresh = record.builtWith === builtWith && Object.entries(record.inputs).every(([file, hash]) => digestOf(file) === hash);
  return fresh ? record : undefined;
}

/**
 * Writes `contents` beside `file` and renames it into place, so that no reader sees half of it.
 * @param {string} file
 * @param {string | Uint8Array} contents
 */
function publish(file, contents) {
  const partial = `${file}.${crypto.randomUUID()}`;
  fs.writeFileSync(partial, contents);
  fs.renameSync(partial, file);
}

/**
 * The bundle of `entry`, built if it is missing or stale, and the packages it requires. The record
 * holds the digest of each source as esbuild read it (the source map carries its text), so an edit
 * that lands while esbuild builds makes the next run build again. Each bundle names its own source
 * map by a digest of its code: two builds at once never pair one's code with the other's map.
 * @param {string} entry
 * @returns {{ outfile: string, packages: string[] }}
 */
function bundle(entry) {
  const outfile = bundlePath(entry);
  // a bundle is as much esbuild's and this file's as its sources'
  const builtWith = `esbuild ${require('esbuild/package.json').version}, ${digest(fs.readFileSync(__filename))}`;
  const record = freshRecord(outfile, builtWith);
  if (record) {
    return { outfile, packages: record.packages };
  }
  const settings = Object.fromEntries(SETTINGS.map((file) => [file, digestOf(file)]));
  const { outputFiles, metafile } = require('esbuild').buildSync({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const map = outputFiles.find((file) => file.path.endsWith('.map'));
  const code = outputFiles.find((file) => file.path.endsWith('.js'));
  const { sources, sourcesContent } = JSON.parse(map.text);
  const read = new Map(sources.map((source, i) => [path.relative(ROOT, path.resolve(CACHE, source)), sourcesContent[i]]));
  const inputs = {
    ...settings,
    ...Object.fromEntries(Object.keys(metafile.inputs).map((file) => [file, read.has(file) ? digest(read.get(file)) : digestOf(file)])),
  };
  const packages = [...new Set(Object.values(metafile.outputs).flatMap((output) => output.imports)
    .filter((imported) => imported.external && (imported.kind === 'require-call' || imported.kind === 'import-statement'))
    .map((imported) => imported.path))];
  const mapName = `${path.basename(outfile, '.js')}.${digest(code.contents).slice(0, 12)}.js.map`;
  fs.mkdirSync(CACHE, { recursive: true });
  publish(path.join(CACHE, mapName), map.contents);
  publish(outfile, `${code.text.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${mapName}\n`)}`
    + `${RECORD}${JSON.stringify({ builtWith, inputs, packages })}\n`);
  removeOtherMaps(outfile, mapName);
  return { outfile, packages };
}

/**
 * Removes the maps of earlier builds of this bundle, leaving those of the last minute, which a synth
 * running now may still read.
 * @param {string} outfile
 * @param {string} current
 */
function removeOtherMaps(outfile, current) {
  const prefix = `${path.basename(outfile, '.js')}.`;
  for (const file of fs.readdirSync(CACHE)) {
    const other = path.join(CACHE, file);
    try {
      if (file.startsWith(prefix) && file.endsWith('.js.map') && file !== current && Date.now() - fs.statSync(other).mtimeMs > 60_000) {
        fs.rmSync(other, { force: true });
      }
    } catch {
      // another build removed it first
    }
  }
}

/**
 * Runs the app `entry` in this process. Errors and the validation report's stack traces name the
 * app's TypeScript lines, through the bundle's source map. Node reads the map of every module it
 * loads while maps are on, and cdk-nag carries one in each of its 270 files: the packages the bundle
 * requires are loaded first, without.
 * @param {string} entry
 */
function run(entry) {
  const { outfile, packages } = bundle(path.resolve(entry));
  const requireFromBundle = require('module').createRequire(outfile);
  packages.forEach((name) => requireFromBundle(name));
  process.setSourceMapsEnabled(true);
  require(outfile);
}

if (require.main === module) {
  if (!process.argv[2]) {
    console.error('Give the app to run: node scripts/run-app.js bin/app.ts');
    process.exit(2);
  }
  run(process.argv[2]);
}

module.exports = { bundle, bundlePath };
