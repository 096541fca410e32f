#!/usr/bin/env node
/**
 * Prints what each stack of the app bills a month while nothing runs, from the price table
 * in bin/idle-cost/prices.ts.
 *
 *   npm run cost                                # synthesizes the app as `cdk synth` would
 *   npm run cost -- -c network=private -c stage=prod -c replicaRegion=us-west-2
 *   npm run cost -- --assembly cdk.out          # reads an assembly already synthesized
 *   npm run cost -- --profiles                  # the table of the three network profiles in docs/network.md
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { profileTable } from './idle-cost/profiles';
import { formatReport, idleCostOf, templatesOf } from './idle-cost/report';

/** Synthesizes the app with the CDK CLI of this repository into a temporary folder. */
function synthesize(contextArgs: string[]): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'idle-cost-'));
  const cdk = path.join(__dirname, '..', 'node_modules', '.bin', 'cdk');
  const result = spawnSync(cdk, ['synth', '--quiet', '--no-notices', '--output', outdir, ...contextArgs], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
  return outdir;
}

const args = process.argv.slice(2);
if (args.includes('--profiles')) {
  console.log(profileTable());
} else {
  const at = args.indexOf('--assembly');
  const assembly = at >= 0 ? args[at + 1] : synthesize(args);
  if (!assembly || !fs.existsSync(path.join(assembly, 'manifest.json'))) {
    console.error(`idle-cost: no cloud assembly at ${assembly}`);
    process.exit(2);
  }
  console.log(formatReport(templatesOf(assembly).map(([stack, template]) => idleCostOf(stack, template))));
}
