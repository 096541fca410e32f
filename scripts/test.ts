/**
 * `npm test`: the type check and jest side by side, failing if either fails. tsc works on one
 * core while jest's workers wait on the Guard and command-line processes they spawn; one after
 * the other, the type check added its whole time to the run.
 *
 *   npm test -- [jest arguments]
 */
import { spawn } from 'child_process';
import * as path from 'path';

const bin = (name: string) => path.join(__dirname, '..', 'node_modules', '.bin', name);
const finished = (child: ReturnType<typeof spawn>) => new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));

// tsc's report waits for jest's to end, so that the two never interleave
const typecheck = spawn(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
let report = '';
typecheck.stdout!.on('data', (chunk) => { report += chunk; });
typecheck.stderr!.on('data', (chunk) => { report += chunk; });
const jest = spawn(bin('jest'), process.argv.slice(2), { stdio: 'inherit' });

void Promise.all([finished(typecheck), finished(jest)]).then(([types, tests]) => {
  if (types !== 0) {
    process.stderr.write(`${report}\nnpm test: the type check failed (npm run typecheck)\n`);
  }
  process.exit(types || tests);
});
