/**
 * Synth time of the team stack alone beside the team stack with 20 project sandboxes, each
 * app built and synthesized in-process with the rule packs on, alternating so both see the
 * same machine load. Reports medians and their ratio.
 *
 *   npx tsx bench/sandboxes.ts [runs]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CompliancePacks, DataScienceStack, ProjectSandboxStack } from '../lib';
import { cdkJsonContext } from '../test/support/synth';
import { daysFromToday } from '../constructs/core/dates';

const RUNS = Number(process.argv[2] ?? 5);
const SANDBOXES = 20;
const CONTEXT = cdkJsonContext();
const EXPIRES = daysFromToday(14);

function synth(sandboxes: number): number {
  const start = process.hrtime.bigint();
  const app = new App({ context: CONTEXT, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sbx-')) });
  new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' });
  for (let i = 0; i < sandboxes; i++) {
    new ProjectSandboxStack(app, `data-science-dev-sandbox-p${i}`, { teamName: 'data-science', projectName: `p${i}`, expiresOn: EXPIRES });
  }
  CompliancePacks.addTo(app);
  app.synth();
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
synth(0);
synth(SANDBOXES); // warm-up
const alone: number[] = [];
const withSandboxes: number[] = [];
for (let run = 0; run < RUNS; run++) {
  alone.push(synth(0));
  withSandboxes.push(synth(SANDBOXES));
}
console.log(`synth with rule packs, in-process, median of ${RUNS} alternating runs`);
console.log(`  team stack alone:               ${median(alone).toFixed(2)} s`);
console.log(`  team stack and ${SANDBOXES} sandboxes:   ${median(withSandboxes).toFixed(2)} s`);
console.log(`  ratio: ${(median(withSandboxes) / median(alone)).toFixed(2)}x (${((median(withSandboxes) - median(alone)) / SANDBOXES * 1000).toFixed(0)} ms per sandbox)`);
