/**
 * `npm test`: the type check and jest side by side, failing if either fails; one after the other,
 * the type check added its whole time to the run. TypeScript's native compiler, `tsgo`, checks the
 * tree on one thread in some 4 s of CPU, where tsc 5.9 takes 20 s of the cores jest needs; tsc 5.9
 * stays the compiler jsii builds the package with (`npm run build`, `npm run typecheck`).
 *
 *   npm test -- [jest arguments]
 */
import { spawn } from 'child_process';
import * as path from 'path';

const bin = (name: string) => path.join(__dirname, '..', 'node_modules', '.bin', name);
const finished = (child: ReturnType<typeof spawn>) => new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));

// the type check's report waits for jest's to end, so that the two never interleave
const typecheck = spawn(bin('tsgo'), ['--noEmit', '--singleThreaded', '-p', 'tsconfig.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
let report = '';
typecheck.stdout!.on('data', (chunk) => { report += chunk; });
typecheck.stderr!.on('data', (chunk) => { report += chunk; });
// jest's workers take node's flags: no V8 background threads, which contend for the two cores the
// workers and the type check already fill; and young-generation space for synthesis's short-lived
// objects, so that fewer of them are collected twice (about 5 % of the run)
const jest = spawn(process.execPath, ['--single-threaded', '--max-semi-space-size=64', bin('jest'), ...process.argv.slice(2)], { stdio: 'inherit' });

void Promise.all([finished(typecheck), finished(jest)]).then(([types, tests]) => {
  if (types !== 0) {
    process.stderr.write(`${report}\nnpm test: the type check failed\n`);
  }
  process.exit(types || tests);
});
