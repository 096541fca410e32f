// @ts-check
/*
 * Jest's runner under Stryker (stryker.config.mjs sets it; `npm test` never uses it). Stryker runs
 * jest in band, in its own process. In the dry run this runner runs every file and writes what
 * each reached (recorded by environment.js; see mutant-reach.js). In a mutant's run it runs only
 * the files that reached that mutant, those that killed other mutants of its source file in this
 * run first, then those that killed most of any file (by any runner: mutant-reach.js keeps them in
 * a file of the sandbox),
 * and stops at the first that fails or cannot run: one failing test kills a mutant, and Stryker's
 * jest runner has no bail of its own (jest's `bail` exits the process). So Stryker's `disableBail`
 * has no effect here: a kill names the tests of one file.
 */
const fs = require('fs');
const path = require('path');
const { ACTIVE_MUTANT, forgetKills, mutantSources, noteKill, readKills, readReach, recorded, testsReaching, writeReach } = require('./mutant-reach');

/**
 * How much of the dry run's time a mutant's files may take, in ms: a mutant no file kills within
 * it counts as surviving, so the score is never overstated (stryker.config.mjs sets it).
 */
const BUDGET = 'CDK_DS_MUTANT_BUDGET_MS';

/** @type {typeof import('jest-runner').default} jest's own runner, as jest itself resolves it */
const TestRunner = require(require.resolve('jest-runner', { paths: [path.dirname(require.resolve('jest'))] })).default;

/** @type {Map<string, import('./mutant-reach').FileReach> | undefined | null} read once per process */
let reach = null;

/** @type {Map<string, string> | undefined} each mutant's source file, read once per process */
let sources;

class MutantRunner extends TestRunner {
  /** @type {TestRunner['runTests']} */
  async runTests(tests, watcher, options) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) {
      await super.runTests(tests, watcher, options);
      // always, so that no earlier run's record outlives this one; an empty one runs every file
      writeReach(this._globalConfig.rootDir, recorded());
      forgetKills(this._globalConfig.rootDir);
      return;
    }
    if (reach === null) {
      reach = readReach(this._globalConfig.rootDir);
    }
    sources ??= mutantSources(this._globalConfig.rootDir);
    const source = sources.get(mutant) ?? '';
    const kills = readKills(this._globalConfig.rootDir, source);
    /** @type {string | undefined} */
    let killer;
    /** The files that reached the mutant but did not fit in the budget. */
    let left = 0;
    const unsubscribe = [
      this.on('test-file-success', ([test, result]) => {
        if (result.numFailingTests > 0 || result.testExecError !== undefined) {
          killer ??= test.path;
        }
      }),
      this.on('test-file-failure', ([test]) => {
        killer ??= test.path;
      }),
    ];
    try {
      const chosen = testsReaching(mutant, tests, reach, kills.ofSource, Number(process.env[BUDGET] || Infinity), kills.ofAny);
      left = testsReaching(mutant, tests, reach).length - chosen.length;
      for (const test of chosen) {
        if (killer !== undefined) {
          break;
        }
        await super.runTests([test], watcher, options);
      }
    } finally {
      unsubscribe.forEach((off) => off());
    }
    if (killer !== undefined) {
      noteKill(this._globalConfig.rootDir, source, killer);
    }
    // a line per mutant as it ends, to follow a long run: CDK_DS_MUTANT_LOG=<file>
    if (process.env.CDK_DS_MUTANT_LOG) {
      const outcome = killer === undefined ? `survived${left > 0 ? `, ${left} files past the budget not run` : ''}`
        : `killed by ${path.relative(this._globalConfig.rootDir, killer)}`;
      fs.appendFileSync(process.env.CDK_DS_MUTANT_LOG, `${new Date().toISOString()} mutant ${mutant} of ${source}: ${outcome}\n`);
    }
  }
}

module.exports = MutantRunner;
