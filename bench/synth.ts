/**
 * Wall time of `npx cdk synth` for the default DataScienceStack and the feature-engineering
 * example (the team stack with Spark, an Iceberg table and two workflows) beside a bare one-bucket
 * app, run the same way (the CLI with cdk.json's app command, its file swapped), alternating so
 * both see the same machine load. Reports medians and their ratio, in wall time and in CPU time
 * (the CLI and the app it runs, user and system), with the load average; shared machines are
 * noisy, so read the ratios, not the seconds.
 *
 *   npm run bench -- [runs]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 5);

/** cdk.json's app command with `bin/app.ts` swapped for `file`: every app runs as the default one does. */
const appCommand: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).app;
const sameWay = (file: string) => appCommand.replace('bin/app.ts', file);

const subjects = {
  'default DataScienceStack': appCommand,
  'feature-engineering example': sameWay('examples/feature-engineering/app.ts'),
  'one-bucket app': sameWay('bench/fixtures/one-bucket.ts'),
  // the team stack with a multi-node queue, a 2-node job and its workflow
  'distributed-training': sameWay('examples/distributed-training/app.ts'),
};

function synthSeconds(app: string): { seconds: number; cpuSeconds: number; resources: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const start = process.hrtime.bigint();
  // bash's `times` gives the CPU time of the CLI and every process under it
  const result = spawnSync('bash', ['-c', '"$@" >/dev/null || exit; times', 'bash',
    path.join(ROOT, 'node_modules', '.bin', 'cdk'), 'synth', '--app', app, '--quiet', '--output', outdir], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`cdk synth --app '${app}' failed:\n${result.stderr}`);
  }
  const children = result.stdout.trim().split('\n').pop()!.split(/\s+/)
    .map((t) => /(\d+)m([\d.]+)s/.exec(t)!).map(([, m, sec]) => Number(m) * 60 + Number(sec));
  const cpuSeconds = children[0] + children[1];
  const resources = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .map((f) => Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')).Resources).length)
    .reduce((a, b) => a + b, 0);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { seconds, cpuSeconds, resources };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
const cpuTimes: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
const counts: Record<string, number> = {};
for (const app of Object.values(subjects)) {
  synthSeconds(app); // warm-up: the file cache, each app's bundle, the default app's list of resource types
}
for (let run = 0; run < RUNS; run++) {
  for (const [name, app] of Object.entries(subjects)) {
    const { seconds, cpuSeconds, resources } = synthSeconds(app);
    times[name].push(seconds);
    cpuTimes[name].push(cpuSeconds);
    counts[name] = resources;
  }
}

const baseName = 'one-bucket app';
const runs = (values: number[]) => values.map((t) => t.toFixed(2)).join(', ');
const ratio = (name: string, base: string, label: string) => `${(median(times[name]) / median(times[base])).toFixed(2)}x ${label} in wall time, `
  + `${(median(cpuTimes[name]) / median(cpuTimes[base])).toFixed(2)}x in CPU time`;
console.log(`npx cdk synth --app '${appCommand}', ${RUNS} alternating runs each, ${os.cpus().length} cores, node ${process.version}, `
  + `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const name of Object.keys(subjects)) {
  console.log(`  ${name.padEnd(27)} median ${median(times[name]).toFixed(2)} s wall (runs: ${runs(times[name])}), `
    + `${median(cpuTimes[name]).toFixed(2)} s CPU (runs: ${runs(cpuTimes[name])})  resources: ${counts[name]}`);
}
for (const name of Object.keys(subjects).filter((n) => n !== baseName)) {
  console.log(`  ${name}: ${ratio(name, baseName, 'the one-bucket app')}`);
}
console.log(`  distributed-training: ${ratio('distributed-training', 'default DataScienceStack', 'the default stack')}`);
