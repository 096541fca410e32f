import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './cli';
// plain JavaScript, which jest and Stryker load with Node's require
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ACTIVE_MUTANT, KILLS_FILE, REACH_FILE, mergeCoverage, mutantSources, reachedMutants, testsReaching } = require('./mutant-reach');

const file = (p: string) => ({ path: p });

test('a file\'s coverage merged into the run\'s keeps every count where it was hit, outside tests or in its test', () => {
  const run = { static: { 1: 2 }, perTest: { 'a passes': { 3: 1 } } };
  const merged = mergeCoverage(run, { static: { 1: 1, 2: 4 }, perTest: { 'a passes': { 3: 2, 5: 1 }, 'b passes': { 6: 1 } } });
  expect(merged).toEqual({ static: { 1: 3, 2: 4 }, perTest: { 'a passes': { 3: 3, 5: 1 }, 'b passes': { 6: 1 } } });
  expect(merged).toBe(run);
});

test('a file reaches the mutants it hit outside its tests and in any of them, each once', () => {
  expect(reachedMutants({ static: { 1: 2 }, perTest: { a: { 1: 1, 3: 1 }, b: { 4: 2 } } }).sort()).toEqual(['1', '3', '4']);
  expect(reachedMutants({ static: {}, perTest: {} })).toEqual([]);
});

test('a mutant runs the files that reached it, fastest first; with no record of it, every file', () => {
  const reach = new Map([
    ['/t/slow.test.ts', { ms: 900, mutants: ['7', '8'] }],
    ['/t/fast.test.ts', { ms: 100, mutants: ['7'] }],
    ['/t/other.test.ts', { ms: 50, mutants: ['8'] }],
  ]);
  const tests = ['/t/slow.test.ts', '/t/fast.test.ts', '/t/other.test.ts', '/t/new.test.ts'].map(file);
  expect(testsReaching('7', tests, reach).map((t: { path: string }) => t.path)).toEqual(['/t/fast.test.ts', '/t/slow.test.ts']);
  expect(testsReaching('8', tests, reach).map((t: { path: string }) => t.path)).toEqual(['/t/other.test.ts', '/t/slow.test.ts']);
  // never let off: a mutant no recorded file reached, or no dry run recorded, runs them all
  expect(testsReaching('9', tests, reach)).toEqual(tests);
  expect(testsReaching('7', tests, undefined)).toEqual(tests);
});

test('files that killed other mutants of the source file go first, most kills first, the rest fastest first', () => {
  const reach = new Map([
    ['/t/slow.test.ts', { ms: 900, mutants: ['7'] }],
    ['/t/middle.test.ts', { ms: 500, mutants: ['7'] }],
    ['/t/fast.test.ts', { ms: 100, mutants: ['7'] }],
    ['/t/faster.test.ts', { ms: 50, mutants: ['7'] }],
  ]);
  const tests = [...reach.keys()].map(file);
  const kills = new Map([['/t/middle.test.ts', 1], ['/t/slow.test.ts', 3], ['/t/unreached.test.ts', 9]]);
  expect(testsReaching('7', tests, reach, kills).map((t: { path: string }) => t.path))
    .toEqual(['/t/slow.test.ts', '/t/middle.test.ts', '/t/faster.test.ts', '/t/fast.test.ts']);
});

test('then files that killed most mutants of any source file, a check\'s mutants dying to the tests of every check', () => {
  const reach = new Map([
    ['/t/own.test.ts', { ms: 300, mutants: ['7'] }],
    ['/t/checks.test.ts', { ms: 900, mutants: ['7'] }],
    ['/t/some.test.ts', { ms: 800, mutants: ['7'] }],
    ['/t/fast.test.ts', { ms: 50, mutants: ['7'] }],
  ]);
  const tests = [...reach.keys()].map(file);
  const all = new Map([['/t/own.test.ts', 1], ['/t/checks.test.ts', 40], ['/t/some.test.ts', 2]]);
  const paths = (budget = Infinity) => testsReaching('7', tests, reach, new Map([['/t/own.test.ts', 1]]), budget, all)
    .map((t: { path: string }) => t.path);
  expect(paths()).toEqual(['/t/own.test.ts', '/t/checks.test.ts', '/t/some.test.ts', '/t/fast.test.ts']);
  expect(paths(1200)).toEqual(['/t/own.test.ts', '/t/checks.test.ts']);
});

test('a budget of the dry run\'s time stops the files once spent, but the first always runs', () => {
  const reach = new Map([
    ['/t/slow.test.ts', { ms: 900, mutants: ['7'] }],
    ['/t/middle.test.ts', { ms: 500, mutants: ['7'] }],
    ['/t/fast.test.ts', { ms: 100, mutants: ['7'] }],
  ]);
  const tests = [...reach.keys()].map(file);
  const paths = (budget: number, kills = new Map<string, number>()) => testsReaching('7', tests, reach, kills, budget).map((t: { path: string }) => t.path);
  expect(paths(600)).toEqual(['/t/fast.test.ts', '/t/middle.test.ts']);
  expect(paths(599)).toEqual(['/t/fast.test.ts', '/t/middle.test.ts']);
  expect(paths(100)).toEqual(['/t/fast.test.ts']);
  expect(paths(1)).toEqual(['/t/fast.test.ts']);
  expect(paths(601)).toEqual(['/t/fast.test.ts', '/t/middle.test.ts', '/t/slow.test.ts']);
  // a known killer runs first, whatever it costs
  expect(paths(1, new Map([['/t/slow.test.ts', 2]]))).toEqual(['/t/slow.test.ts']);
});

test('each mutant\'s source file is read from the instrumented sources of the library\'s folders', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutant-sources-'));
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  write('constructs/a/one.ts', 'const x = stryMutAct_9fa48("1") ? 0 : stryMutAct_9fa48("12") ? 1 : 2;');
  write('lib/two.ts', 'if (stryMutAct_9fa48("3")) {}');
  write('test/three.test.ts', 'stryMutAct_9fa48("4")');
  write('bin/plain.ts', 'const y = "stryMutAct";');
  expect(Object.fromEntries(mutantSources(dir))).toEqual({
    1: path.join('constructs', 'a', 'one.ts'), 12: path.join('constructs', 'a', 'one.ts'), 3: path.join('lib', 'two.ts'),
  });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs jest in band on the files of `dir` with the mutant runner, as Stryker does; the names and outcomes of the files it ran. */
/** This process's environment but a mutation run's settings, which would log or cut these runs. */
function outsideStryker(): NodeJS.ProcessEnv {
  const { CDK_DS_MUTANT_LOG: _log, CDK_DS_MUTANT_BUDGET_MS: _budget, ...rest } = process.env;
  return rest;
}

function jestIn(dir: string, env: NodeJS.ProcessEnv, testEnvironment = 'node'): string[] {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', dir, '--runInBand', '--json',
    '--config', JSON.stringify({ runner: path.join(__dirname, 'mutant-runner.js'), testEnvironment, transform: {} })],
  { cwd: dir, encoding: 'utf8', env: { ...outsideStryker(), ...env }, timeout: 120_000 });
  const report = JSON.parse(result.stdout);
  return report.testResults.map((r: { name: string; status: string }) => `${path.basename(r.name)} ${r.status}`);
}

describe('jest with the mutant runner', () => {
  let dir: string;
  const ran = (env: NodeJS.ProcessEnv) => jestIn(dir, env);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutant-runner-'));
    fs.writeFileSync(path.join(dir, 'slow.test.js'), 'test("slow", () => {});');
    fs.writeFileSync(path.join(dir, 'fails.test.js'), 'test("fails", () => { expect(1).toBe(2); });');
    fs.writeFileSync(path.join(dir, 'after.test.js'), 'test("after", () => {});');
    fs.writeFileSync(path.join(dir, 'elsewhere.test.js'), 'test("elsewhere", () => {});');
    // the instrumented sources: mutants 3 and 5 of one file, 6 of another
    fs.mkdirSync(path.join(dir, 'constructs'));
    fs.writeFileSync(path.join(dir, 'constructs', 'one.ts'), 'stryMutAct_9fa48("3"); stryMutAct_9fa48("5");');
    fs.writeFileSync(path.join(dir, 'constructs', 'two.ts'), 'stryMutAct_9fa48("6");');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // each test starts a run of its own, after its dry run
  beforeEach(() => {
    fs.rmSync(path.join(dir, KILLS_FILE), { force: true });
    fs.writeFileSync(path.join(dir, REACH_FILE), JSON.stringify({
      [path.join(dir, 'slow.test.js')]: { ms: 50, mutants: ['3', '5', '6'] },
      [path.join(dir, 'fails.test.js')]: { ms: 200, mutants: ['3', '5', '6'] },
      [path.join(dir, 'after.test.js')]: { ms: 300, mutants: ['3', '5', '6'] },
      [path.join(dir, 'elsewhere.test.js')]: { ms: 10, mutants: ['4'] },
    }));
  });

  test('a mutant\'s run takes its files fastest first and stops at the first that fails; a file that did not reach it never runs', () => {
    expect(ran({ [ACTIVE_MUTANT]: '3' })).toEqual(['slow.test.js passed', 'fails.test.js failed']);
    expect(ran({ [ACTIVE_MUTANT]: '4' })).toEqual(['elsewhere.test.js passed']);
  });

  test('a runner that replaces another, as Stryker replaces them every few mutants, starts with the files that killed in the run', () => {
    expect(ran({ [ACTIVE_MUTANT]: '3' })).toEqual(['slow.test.js passed', 'fails.test.js failed']);
    // mutants 3 and 5 are of one source file, run here in two processes
    expect(ran({ [ACTIVE_MUTANT]: '5' })).toEqual(['fails.test.js failed']);
    // 6 is of another, whose mutants none killed yet: the file that killed those of any goes first
    expect(ran({ [ACTIVE_MUTANT]: '6' })).toEqual(['fails.test.js failed']);
    expect(fs.readFileSync(path.join(dir, KILLS_FILE), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  test('a dry run forgets the kills of an earlier run', () => {
    expect(ran({ [ACTIVE_MUTANT]: '3' })).toEqual(['slow.test.js passed', 'fails.test.js failed']);
    // the dry run: every file, no mutant
    expect(ran({}).sort()).toEqual(['after.test.js passed', 'elsewhere.test.js passed', 'fails.test.js failed', 'slow.test.js passed']);
    expect(fs.existsSync(path.join(dir, KILLS_FILE))).toBe(false);
  });

  test('in one process, as Stryker runs its mutants, the next mutant of a source file starts with the file that killed the last', () => {
    // what Stryker's jest runner does for each mutant: set the active mutant and call jest's runCLI
    const script = `const { runCLI } = require(${JSON.stringify(require.resolve('jest'))});
(async () => {
  for (const mutant of ['3', '5', '6']) {
    process.env.${ACTIVE_MUTANT} = mutant;
    const { results } = await runCLI({ rootDir: ${JSON.stringify(dir)}, runInBand: true, silent: true,
      config: JSON.stringify({ runner: ${JSON.stringify(path.join(__dirname, 'mutant-runner.js'))}, transform: {} }) }, [${JSON.stringify(dir)}]);
    console.log(mutant, results.testResults.map((r) => r.testFilePath.split('/').pop()).join(' '));
  }
})();`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: outsideStryker(), timeout: 120_000 });
    expect(result.stdout.trim().split('\n')).toEqual([
      '3 slow.test.js fails.test.js',
      // mutants 3 and 5 are of one source file: the file that killed 3 goes first
      '5 fails.test.js',
      // 6 is of another: the file that killed mutants of any source goes first
      '6 fails.test.js',
    ]);
  });
});

test('the dry run records, per test file, the mutants it reached in its tests and outside them, with the test environment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutant-reach-'));
  // Stryker's jest runner puts one namespace on every file's global, as this environment does
  fs.writeFileSync(path.join(dir, 'environment.js'), `const Base = require(${JSON.stringify(path.join(__dirname, 'environment.js'))});
const namespace = {};
module.exports = class extends Base {
  constructor(config, context) { super(config, context); this.global.__stryker__ = namespace; }
};`);
  // what instrumented code does: take the namespace's coverage at the first hit, and count hits in it
  const hits = (ids: string[]) => `const ns = globalThis.__stryker__;
const cov = ns.mutantCoverage || (ns.mutantCoverage = { static: {}, perTest: {} });
const hit = (id) => { cov.static[id] = (cov.static[id] || 0) + 1; };
hit('${ids[0]}');
test('reaches', () => { ${ids.slice(1).map((id) => `hit('${id}');`).join(' ')} });`;
  fs.writeFileSync(path.join(dir, 'first.test.js'), hits(['1', '2']));
  fs.writeFileSync(path.join(dir, 'second.test.js'), hits(['2', '3']));
  expect(jestIn(dir, {}, path.join(dir, 'environment.js')).sort()).toEqual(['first.test.js passed', 'second.test.js passed']);
  const reach = JSON.parse(fs.readFileSync(path.join(dir, REACH_FILE), 'utf8'));
  expect(Object.fromEntries(Object.entries<{ mutants: string[]; ms: number }>(reach).map(([file, r]) => [path.basename(file), r.mutants.sort()])))
    .toEqual({ 'first.test.js': ['1', '2'], 'second.test.js': ['2', '3'] });
  fs.rmSync(dir, { recursive: true, force: true });
});
