import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandOutcome } from '../command-outcome';
import { profileTable } from './profiles';
import { formatReport, idleCostOf, templatesOf } from './report';

/**
 * `idle-cost [--profiles] [--assembly DIR] [cdk synth arguments]`, with its arguments. Without
 * `--assembly` it synthesizes the app with `synthesize`, which returns the assembly's folder or
 * the exit code of a failed synth. Exits 0 with the report, 2 without a cloud assembly, else with
 * the failed synth's code.
 */
export function idleCost(args: string[], synthesize: (contextArgs: string[]) => string | number = cdkSynth): CommandOutcome {
  if (args.includes('--profiles')) {
    return { status: 0, stdout: `${profileTable()}\n`, stderr: '' };
  }
  const at = args.indexOf('--assembly');
  const assembly = at >= 0 ? args[at + 1] : synthesize(args);
  if (typeof assembly === 'number') {
    return { status: assembly, stdout: '', stderr: '' };
  }
  if (!assembly) {
    return { status: 2, stdout: '', stderr: 'idle-cost: give --assembly the folder of a cloud assembly, for example cdk.out\n' };
  }
  if (!fs.existsSync(path.join(assembly, 'manifest.json'))) {
    return { status: 2, stdout: '', stderr: `idle-cost: no cloud assembly at ${assembly}\n` };
  }
  return { status: 0, stdout: `${formatReport(templatesOf(assembly).map(([stack, template]) => idleCostOf(stack, template)))}\n`, stderr: '' };
}

/** Synthesizes the app with the CDK CLI of this repository into a temporary folder; its errors go to stderr as they come. */
function cdkSynth(contextArgs: string[]): string | number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'idle-cost-'));
  const cdk = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk');
  const result = spawnSync(cdk, ['synth', '--quiet', '--no-notices', '--output', outdir, ...contextArgs], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] });
  return result.status === 0 ? outdir : result.status ?? 1;
}
