// @ts-check
/*
 * Jest's node environment, with the worker's own `require` (plain JavaScript: jest and Stryker's
 * jest runner both load it with Node's `require`).
 *
 * Jest gives every test file its own module registry, so each file would load aws-cdk-lib afresh
 * and run it cold: some 3 s before its first stack is synthesized. This environment is loaded
 * once per worker: what the files load through its `require` (aws-cdk-lib, constructs, cdk-nag,
 * cloudformation-diff, asl-validator; see worker-modules.ts) is loaded once, stays warm, and
 * serves every file the worker runs. The files' own code, the library's included, stays theirs.
 *
 * Under Stryker's dry run it also records which mutants each file reached (mutant-reach.js).
 */
const { TestEnvironment: NodeEnvironment } = require('jest-environment-node');
const { ACTIVE_MUTANT, mergeCoverage, reachedMutants, recorded } = require('./mutant-reach');

// Every app of the tests records no stack trace where each construct was made: the templates are
// the same, and capturing them was a tenth of a suite's time. Set here, it reaches aws-cdk-lib
// wherever it is loaded, and the command lines the tests spawn.
process.env.CDK_CONTEXT_JSON = JSON.stringify({
  ...JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}'),
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
});

const ERRORS_ONLY = Symbol('errorsOnly');

// aws-cdk-lib calls the function under this symbol of its global object at the end of every App's constructor
const APP_INIT_HOOK = Symbol.for('@aws-cdk/core.App#initHook');
const COLLECTING = 'An App was made while jest collects this file\'s tests: build stacks in beforeAll or in a test, '
  + 'so that a construct that throws fails those tests, not the whole file (as Stryker counts it, a RuntimeError, not a kill)';

class TestEnvironment extends NodeEnvironment {
  /** @type {string} */
  #testPath;
  /** Under Stryker's dry run: its coverage before this file, and when this file started */
  #recording = /** @type {{ before?: import('./mutant-reach').MutantCoverage, start: number } | undefined} */ (undefined);

  /** @param {ConstructorParameters<typeof NodeEnvironment>} args */
  constructor(...args) {
    super(...args);
    this.#testPath = args[1].testPath;
    // read by test/support/worker-modules.ts
    this.global.__worker = { require, global: globalThis };
    // aws-cdk-lib, loaded in the worker's realm, knows a Date by `instanceof` (a lifecycle rule's
    // dates): the files make the worker's Dates, as an app makes the Dates of its aws-cdk-lib
    this.global.Date = Date;
  }

  async setup() {
    await super.setup();
    // Stryker's instrumented code counts hits in its namespace's coverage, which it takes at its
    // first hit in this file: a fresh one holds exactly the mutants this file reaches
    const stryker = this.#stryker();
    if (stryker && process.env[ACTIVE_MUTANT] === undefined) {
      this.#recording = { before: stryker.mutantCoverage, start: Date.now() };
      stryker.mutantCoverage = { static: {}, perTest: {} };
    }
    // until the file's tests start, no App may be made
    /** @type {any} */ (globalThis)[APP_INIT_HOOK] = () => {
      throw new Error(COLLECTING);
    };
    // jest maps each frame of every stack trace of the worker's modules through source maps. aws-cdk-lib
    // records a trace, of a plain object, wherever a finding is acknowledged (thousands a run): those
    // are formatted as V8 does, and only errors' traces are mapped. An error of the test file's realm
    // is no `instanceof` this realm's Error: its brand says what it is
    const mapped = Error.prepareStackTrace;
    if (mapped && !(/** @type {any} */ (mapped))[ERRORS_ONLY]) {
      /** @type {(error: Error, frames: NodeJS.CallSite[]) => any} */
      const prepare = (error, frames) => (Object.prototype.toString.call(error) === '[object Error]'
        ? mapped(error, frames) : ['Error', ...frames.map((frame) => `    at ${frame}`)].join('\n'));
      Error.prepareStackTrace = Object.assign(prepare, { [ERRORS_ONLY]: true });
    }
  }

  async teardown() {
    delete (/** @type {any} */ (globalThis))[APP_INIT_HOOK];
    const stryker = this.#stryker();
    if (stryker && this.#recording) {
      const mine = /** @type {import('./mutant-reach').MutantCoverage} */ (stryker.mutantCoverage);
      recorded().set(this.#testPath, { ms: Date.now() - this.#recording.start, mutants: reachedMutants(mine) });
      stryker.mutantCoverage = mergeCoverage(this.#recording.before ?? { static: {}, perTest: {} }, mine);
    }
    await super.teardown();
  }

  /** @returns {{ mutantCoverage?: import('./mutant-reach').MutantCoverage } | undefined} Stryker's namespace, set by its jest runner */
  #stryker() {
    return this.global[/** @type {string} */ (this.global.__strykerGlobalNamespace__ ?? '__stryker__')];
  }

  /** @param {{ name: string }} event */
  handleTestEvent(event) {
    if (event.name === 'run_start') {
      delete (/** @type {any} */ (globalThis))[APP_INIT_HOOK];
    }
  }
}

module.exports = TestEnvironment;
