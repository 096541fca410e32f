// @ts-check
/*
 * Jest's runner under Stryker (stryker.config.mjs sets it; `npm test` never uses it). Stryker runs
 * jest in band, in its own process. In the dry run this runner runs every file and writes what
 * each reached (recorded by environment.js; see mutant-reach.js). In a mutant's run it runs only
 * the files that reached that mutant, fastest first, and stops at the first that fails or cannot
 * run: one failing test kills a mutant, and Stryker's jest runner has no bail of its own (jest's
 * `bail` exits the process). So Stryker's `disableBail` has no effect here: a kill names the tests
 * of one file.
 */
const path = require('path');
const { ACTIVE_MUTANT, readReach, recorded, testsReaching, writeReach } = require('./mutant-reach');

/** @type {typeof import('jest-runner').default} jest's own runner, as jest itself resolves it */
const TestRunner = require(require.resolve('jest-runner', { paths: [path.dirname(require.resolve('jest'))] })).default;

/** @type {Map<string, import('./mutant-reach').FileReach> | undefined | null} read once per process */
let reach = null;

class MutantRunner extends TestRunner {
  /** @type {TestRunner['runTests']} */
  async runTests(tests, watcher, options) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) {
      await super.runTests(tests, watcher, options);
      // always, so that no earlier run's record outlives this one; an empty one runs every file
      writeReach(this._globalConfig.rootDir, recorded());
      return;
    }
    if (reach === null) {
      reach = readReach(this._globalConfig.rootDir);
    }
    let failed = false;
    const unsubscribe = [
      this.on('test-file-success', ([, result]) => {
        failed ||= result.numFailingTests > 0 || result.testExecError !== undefined;
      }),
      this.on('test-file-failure', () => {
        failed = true;
      }),
    ];
    try {
      for (const test of testsReaching(mutant, tests, reach)) {
        if (failed) {
          break;
        }
        await super.runTests([test], watcher, options);
      }
    } finally {
      unsubscribe.forEach((off) => off());
    }
  }
}

module.exports = MutantRunner;
