import * as fs from 'fs';
import * as path from 'path';

/*
 * The props checked against a pattern, read in the source as text. `RegExp.test` reads a number or
 * a list of one string as its text, so `NAME.test(['events'])` passes and the list reaches the
 * template: a prop's text goes through `PropChecker.matches`, or its check asks that the value it
 * tests be a string first. Mutation testing leaves this file out: there the source is Stryker's
 * instrumented text.
 */

const ROOT = path.join(__dirname, '..');

/** Checks whose pattern tests the keys of an object, which are strings whatever a caller gives. */
const KEYS = [
  'constructs/compute/spark-job-target.ts: SPARK_KEY.test(key)',
  'constructs/compute/spark-job-target.ts: WORKFLOW_VARIABLE.test(key)',
  'lib/stack-props-check.ts: TAG_TEXT.test(key)',
];

/** Checks that let a value that is no string pass, because a check before them refuses it. */
const TEXT_CHECKED_BEFORE = [
  'constructs/core/naming.ts: NAME_PATTERN.test(value)',
  'constructs/features/spark-job.ts: /\\.(py|jar)$/.test(props.entryPointKey)',
  'constructs/warehouse/lake-table.ts: NOT_ICEBERG.test(c.type)',
];

/** Each `check.check(...)` call of a source file, whole. */
function checkCalls(source: string): string[] {
  const calls: string[] = [];
  for (let start = source.indexOf('check.check('); start >= 0; start = source.indexOf('check.check(', start + 1)) {
    let depth = 0;
    let end = start + 'check.check'.length;
    for (; end < source.length; end++) {
      depth += source[end] === '(' ? 1 : source[end] === ')' ? -1 : 0;
      if (depth === 0) {
        break;
      }
    }
    calls.push(source.slice(start, end + 1));
  }
  return calls;
}

function sources(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file));
}

test('a prop checked against a pattern is checked as text first', () => {
  const unguarded = [...new Set([...sources('constructs'), ...sources('lib')].flatMap((file) => checkCalls(fs.readFileSync(path.join(ROOT, file), 'utf8'))
    .flatMap((call) => [...call.matchAll(/([\w.$]+|\/\S+\/)\.test\(([^()]*)\)/g)]
      .filter((m) => !call.includes(`typeof ${m[2]} === 'string' &&`))
      .map((m) => `${file}: ${m[0]}`))))];
  const listed = [...KEYS, ...TEXT_CHECKED_BEFORE];
  expect(unguarded.filter((site) => !listed.includes(site))).toEqual([]);
  // a site gone from the source leaves its list
  expect(listed.filter((site) => !unguarded.includes(site))).toEqual([]);
});
