// @ts-check
/*
 * Which test files reach which mutants, as Stryker's dry run saw it (stryker.config.mjs).
 *
 * Most mutants of the constructs run in `beforeAll`, where the tests synthesize their stacks:
 * Stryker calls them static and would run every test file for each. In each run's dry run, the
 * test environment (environment.js) records, per test file, the mutants it reached and how long it
 * took; the mutant runner then runs a mutant's test files only: first those that killed other
 * mutants of its source file in this run, most kills first, then those that killed most mutants of
 * any file (a check's mutants die to the tests of every check), then the rest fastest first. Plain
 * JavaScript: jest and Stryker load both with Node's `require`.
 */
const fs = require('fs');
const path = require('path');

/** Written by the dry run beside the sandbox's jest config, read by every mutant run. */
const REACH_FILE = '.stryker-reach.json';

/**
 * Where the runners of one run note each kill, a line per kill: Stryker replaces a runner every
 * few mutants (`maxTestRunnerReuse`) and runs two at once, and each starts with what all learned.
 */
const KILLS_FILE = '.stryker-kills.log';

/** Where the environment leaves each file's reach, for the runner of the same process to write. */
const RECORDED = Symbol.for('cdk-data-science.mutantReach');

/** Stryker's variable naming the mutant a run tests, set only in mutant runs. */
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

/** Stryker's call, in the instrumented sources, that asks whether the mutant of the id it names is active */
const MUTANT_CALL = /\bstryMutAct_\w+\("(\d+)"\)/g;

/** Where Stryker instruments the library (stryker.config.mjs `mutate`). */
const SOURCE_FOLDERS = ['constructs', 'lib', 'bin'];

/**
 * @typedef {{ static: Record<string, number>, perTest: Record<string, Record<string, number>> }} MutantCoverage
 * @typedef {{ ms: number, mutants: string[] }} FileReach
 */

/** @returns {Map<string, FileReach>} the reach the environment recorded in this process */
function recorded() {
  const store = /** @type {any} */ (globalThis);
  return store[RECORDED] ??= new Map();
}

/**
 * `into` with `from`'s hits added, each counted where it was hit: outside tests, or in its test.
 * @param {MutantCoverage} into
 * @param {MutantCoverage} from
 * @returns {MutantCoverage}
 */
function mergeCoverage(into, from) {
  /** @param {Record<string, number>} to @param {Record<string, number>} hits */
  const add = (to, hits) => {
    for (const [id, count] of Object.entries(hits)) {
      to[id] = (to[id] ?? 0) + count;
    }
  };
  add(into.static, from.static);
  for (const [test, hits] of Object.entries(from.perTest)) {
    add(into.perTest[test] ??= {}, hits);
  }
  return into;
}

/**
 * The mutants `coverage` reached, in tests or outside them.
 * @param {MutantCoverage} coverage
 * @returns {string[]}
 */
function reachedMutants(coverage) {
  const ids = new Set(Object.keys(coverage.static));
  for (const hits of Object.values(coverage.perTest)) {
    for (const id of Object.keys(hits)) {
      ids.add(id);
    }
  }
  return [...ids];
}

/** @param {string} rootDir @param {Map<string, FileReach>} reach */
function writeReach(rootDir, reach) {
  fs.writeFileSync(path.join(rootDir, REACH_FILE), JSON.stringify(Object.fromEntries(reach)));
}

/** @param {string} rootDir @returns {Map<string, FileReach> | undefined} */
function readReach(rootDir) {
  const file = path.join(rootDir, REACH_FILE);
  return fs.existsSync(file) ? new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) : undefined;
}

/** Forgets the kills of an earlier run, as its dry run starts a new one. @param {string} rootDir */
function forgetKills(rootDir) {
  fs.rmSync(path.join(rootDir, KILLS_FILE), { force: true });
}

/**
 * Notes that `killer` killed a mutant of `source`; an append of one short line, whole even when
 * two runners write at once.
 * @param {string} rootDir @param {string} source @param {string} killer
 */
function noteKill(rootDir, source, killer) {
  fs.appendFileSync(path.join(rootDir, KILLS_FILE), `${JSON.stringify([source, killer])}\n`);
}

/**
 * The test files that killed mutants in this run, by every runner, and how many each: of `source`,
 * and of any source file, read in one pass of the log.
 * @param {string} rootDir @param {string} source
 * @returns {{ ofSource: Map<string, number>, ofAny: Map<string, number> }}
 */
function readKills(rootDir, source) {
  const file = path.join(rootDir, KILLS_FILE);
  const kills = { ofSource: new Map(), ofAny: new Map() };
  if (!fs.existsSync(file)) {
    return kills;
  }
  /** @param {Map<string, number>} counts @param {string} killer */
  const add = (counts, killer) => counts.set(killer, (counts.get(killer) ?? 0) + 1);
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === '') {
      continue;
    }
    const [of, killer] = JSON.parse(line);
    add(kills.ofAny, killer);
    if (of === source) {
      add(kills.ofSource, killer);
    }
  }
  return kills;
}

/**
 * The source file of each mutant, read from the instrumented sources under `rootDir`.
 * @param {string} rootDir
 * @returns {Map<string, string>} mutant id to the file's path under `rootDir`
 */
function mutantSources(rootDir) {
  /** @type {Map<string, string>} */
  const sources = new Map();
  for (const folder of SOURCE_FOLDERS.filter((f) => fs.existsSync(path.join(rootDir, f)))) {
    for (const file of fs.readdirSync(path.join(rootDir, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) {
        continue;
      }
      const source = path.join(folder, file);
      for (const [, id] of fs.readFileSync(path.join(rootDir, source), 'utf8').matchAll(MUTANT_CALL)) {
        sources.set(id, source);
      }
    }
  }
  return sources;
}

/**
 * The test files of `tests` that reached `mutant`: first those that killed other mutants of its
 * source file (`kills`, test path to kills), most kills first, then by their kills of any source
 * file (`allKills`), then the rest fastest first, as
 * many as fit in `budgetMs` of the dry run's time (the first always runs). All of `tests` when no
 * record says (no dry run recorded, or a mutant no recorded file reached), so a mutant is never
 * let off.
 * @template {{ path: string }} T
 * @param {string} mutant
 * @param {T[]} tests
 * @param {Map<string, FileReach> | undefined} reach
 * @param {ReadonlyMap<string, number>} [kills]
 * @param {number} [budgetMs]
 * @param {ReadonlyMap<string, number>} [allKills]
 * @returns {T[]}
 */
function testsReaching(mutant, tests, reach, kills = new Map(), budgetMs = Infinity, allKills = new Map()) {
  if (!reach) {
    return tests;
  }
  const reaching = tests.filter((test) => reach.get(test.path)?.mutants.includes(mutant));
  if (reaching.length === 0) {
    return tests;
  }
  /** @param {T} test */
  const ms = (test) => /** @type {FileReach} */ (reach.get(test.path)).ms;
  /** @param {ReadonlyMap<string, number>} of @param {T} test */
  const count = (of, test) => of.get(test.path) ?? 0;
  reaching.sort((a, b) => count(kills, b) - count(kills, a) || count(allKills, b) - count(allKills, a) || ms(a) - ms(b));
  let spent = 0;
  return reaching.filter((test) => {
    const fits = spent < budgetMs;
    spent += ms(test);
    return fits;
  });
}

module.exports = {
  ACTIVE_MUTANT, KILLS_FILE, REACH_FILE, forgetKills, mergeCoverage, mutantSources, noteKill, reachedMutants, recorded, readKills, readReach, testsReaching, writeReach,
};
