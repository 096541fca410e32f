// @ts-check
/**
 * Mutation testing of the constructs and stacks: `npm run mutate`, never part of `npm test`.
 *
 * A run is incremental: results are kept in the committed incremental file, and a later run tests
 * only the mutants whose code or covering tests changed. On two cores a killed mutant costs a few
 * seconds, but a surviving one runs the files that reach it up to a budget (below), a minute or
 * more for code of the team stack: run a file or a folder at a time,
 * `npm run mutate -- --mutate 'constructs/versioning/run-registry.ts'`; the incremental file keeps
 * every earlier run's results.
 *
 * Most mutants of the constructs are static for Stryker: the tests synthesize their stacks in
 * `beforeAll`, outside any one test, so Stryker would run every test file for each. Jest's runner
 * of test/support/mutant-runner.js runs only the files that reached the mutant in the dry run,
 * those that killed other mutants of its source file first, then those that killed most of any
 * file, then fastest first, and stops at the first that fails. A static mutant's result is reused
 * by the incremental mode even after the tests that would now kill it change: rerun its file, or
 * its lines (`--mutate 'file.ts:30-32'`), with `--force` then. Give a range both its ends
 * (`file.ts:30-30`) and each file one range: a range of one line number, and every range of a file
 * but its first, are left out of the run without a word.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import jestConfig from './jest.config.js';

// A mutant runs the files that reached it until 45 s of their dry-run time is spent, its known
// killers first, then the run's most killing, then the fastest (test/support/mutant-runner.js): a
// static mutant of the team stack reaches some 40 files, 195 s of tests, and a survivor would run
// them all. The files left out are the team stack's and the command line's (examples, app,
// harness), which build the same constructs the faster files test; a mutant only they could kill
// counts as surviving, so the score can be understated, never overstated.
// `CDK_DS_MUTANT_BUDGET_MS=Infinity` runs them all.
process.env.CDK_DS_MUTANT_BUDGET_MS ??= '45000';

// The validation reports of the whole run, the dry run's and every mutant's: a report is kept by
// all it was computed from (test/support/validation-cache.ts), so a stack a mutant leaves as it was
// is not checked again. The test runners inherit the folder; it goes when the run ends.
if (!process.env.CDK_DS_VALIDATION_CACHE) {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'stryker-validation-cache-'));
  process.env.CDK_DS_VALIDATION_CACHE = cache;
  process.on('exit', () => fs.rmSync(cache, { recursive: true, force: true }));
}

export default {
  packageManager: 'npm',
  // bin/app.ts and bin/app/ run only under `cdk synth` in a child process, where no coverage is seen
  mutate: ['constructs/**/*.ts', 'lib/**/*.ts', 'bin/**/*.ts', '!bin/app.ts', '!bin/app/**/*.ts'],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // jest's related tests miss files that reach a mutant through lib/ (not among jest's roots);
    // the dry run runs every file instead, and the runner picks each mutant's files
    enableFindRelatedTests: false,
    config: {
      runner: '<rootDir>/test/support/mutant-runner.js',
      // the tests that read the library's source as text, which is the instrumented text here: the
      // API reference's fingerprint of the declarations, the inventory of the props' bounds, and of
      // the props checked against patterns;
      // and the review of the survivors, which reads this report, left out of the sandbox
      testPathIgnorePatterns: [
        ...jestConfig.testPathIgnorePatterns,
        '<rootDir>/test/docs/api-reference.test.ts',
        '<rootDir>/test/bound-sites.test.ts',
        '<rootDir>/test/pattern-sites.test.ts',
        '<rootDir>/test/mutation-survivors.test.ts',
      ],
    },
  },
  // each mutant runs only the tests that reach it
  coverageAnalysis: 'perTest',
  // No type check of each mutant before its tests: Stryker's TypeScript checker took 23 s to 35 s
  // a mutant here, even with a program of the mutated file alone, where its tests take 1 s to 3 s,
  // and it holds one of the two cores. A mutant that does not compile runs, and its tests judge it.
  // To tell those apart on a small run: `npm run mutate -- --checkers typescript --mutate <file>`.
  checkers: [],
  tsconfigFile: 'tsconfig.json',
  // jest runs TypeScript through swc, which checks no types: test files stay as written, line for line
  disableTypeChecks: false,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  // aws-cdk-lib keeps every token it makes in a process-wide map (global.__cdkTokenMap), and with it
  // each app a test synthesized: a runner grows by every file it runs. A surviving mutant runs some 30
  // files, past node's default 4 GB heap; and a runner near its limit spends its time collecting, so
  // each is replaced after 20 mutants
  testRunnerNodeArgs: ['--max-old-space-size=8192'],
  maxTestRunnerReuse: 20,
  // the first run is the whole suite, instrumented, on a shared machine
  dryRunTimeoutMinutes: 40,
  // generous, so a slow machine does not count a surviving mutant as a timed-out (killed) one
  timeoutMS: 30000,
  timeoutFactor: 3,
  ignorePatterns: ['dist', 'cdk.out', '.cache', 'bench/results', 'coverage', 'reports', 'test/package/floor/node_modules', '.stryker-reach.json', '.stryker-kills.log'],
  tempDirName: '.stryker-tmp',
};
