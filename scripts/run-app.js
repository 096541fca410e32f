/**
 * Runs a CDK app written in TypeScript: cdk.json's `app` is
 * `node --single-threaded scripts/run-app.js bin/app.ts`.
 *
 * esbuild bundles the app with the files of this repository it imports into one CommonJS file, kept
 * in node_modules/.cache and built again when a file it was built from changes; the packages (aws-cdk-lib,
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
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk-data-science', 'apps');

/** @param {string} file */
function digest(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * The record of a bundle, if it still matches the bundle's inputs, file for file, by content: a
 * checkout that only touches a file's time does not rebuild, an edit always does.
 * @param {string} recordFile
 * @param {string} builder
 * @returns {{ builder: string, inputs: Record<string, string>, packages: string[] } | undefined}
 */
function freshRecord(recordFile, builder) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  } catch {
    return undefined;
  }
  const fresh = record.builder === builder && Object.entries(record.inputs)
    .every(([file, hash]) => fs.existsSync(path.join(ROOT, file)) && digest(path.join(ROOT, file)) === hash);
  return fresh ? record : undefined;
}

/**
 * Where the bundle of `entry`, its source map and the record of its inputs are kept: by the entry's
 * name and a digest of its whole path.
 * @param {string} entry
 */
function bundleFiles(entry) {
  const name = `${path.basename(entry, '.ts')}-${crypto.createHash('sha256').update(entry).digest('hex').slice(0, 12)}`;
  const outfile = path.join(CACHE, `${name}.js`);
  return { outfile, map: `${outfile}.map`, recordFile: path.join(CACHE, `${name}.inputs.json`) };
}

/**
 * The bundle of `entry`, built if it is missing or stale, and the packages it requires. Each file is
 * written beside its final name and renamed into place, so two synths at once never read half a bundle.
 * @param {string} entry
 * @returns {{ outfile: string, packages: string[] }}
 */
function bundle(entry) {
  const { outfile, recordFile } = bundleFiles(entry);
  // what built it: esbuild's version, read without loading esbuild, and this file
  const builder = `esbuild ${require('esbuild/package.json').version}, ${digest(__filename)}`;
  const record = fs.existsSync(outfile) ? freshRecord(recordFile, builder) : undefined;
  if (record) {
    return { outfile, packages: record.packages };
  }
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
  const inputs = Object.fromEntries(Object.keys(metafile.inputs).map((file) => [file, digest(path.join(ROOT, file))]));
  const packages = [...new Set(Object.values(metafile.outputs).flatMap((output) => output.imports)
    .filter((imported) => imported.external).map((imported) => imported.path))];
  fs.mkdirSync(CACHE, { recursive: true });
  // the map before the code that names it, the record of the inputs last
  const files = [...outputFiles.sort((a, b) => Number(a.path.endsWith('.js')) - Number(b.path.endsWith('.js')))
    .map((file) => ({ path: file.path, contents: file.contents })),
  { path: recordFile, contents: JSON.stringify({ builder, inputs, packages }, undefined, 1) }];
  for (const file of files) {
    const partial = `${file.path}.${process.pid}`;
    fs.writeFileSync(partial, file.contents);
    fs.renameSync(partial, file.path);
  }
  return { outfile, packages };
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
  const load = require('module').createRequire(outfile);
  packages.forEach((name) => load(name));
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

module.exports = { bundle, bundleFiles };
