import * as fs from 'fs';
import * as path from 'path';

/**
 * Every mutant the committed mutation report says no test killed is in the reviewed list
 * `reports/mutation/survivors.json`, with a reason it is equivalent or not worth a test, and
 * the list names no mutant the report does not. After `npm run mutate`, a new survivor fails
 * here until a test kills it or its reason is written.
 */
const REPORT_DIR = path.join(__dirname, '..', 'reports', 'mutation');

/** One reviewed survivor: where, which change, and why no test kills it. */
interface Survivor {
  readonly line: number;
  readonly column: number;
  readonly mutator: string;
  readonly replacement: string;
  readonly reason: string;
}

/** A survivor the way both files can name it. */
const key = (file: string, s: Omit<Survivor, 'reason'>) => `${file}:${s.line}:${s.column} ${s.mutator} ${JSON.stringify(s.replacement)}`;

describe('mutation survivors', () => {
  let survived: string[];
  let reviewed: Map<string, string>;
  beforeAll(() => {
    const report = JSON.parse(fs.readFileSync(path.join(REPORT_DIR, 'mutation.json'), 'utf8'));
    survived = Object.entries<{ mutants: any[] }>(report.files).flatMap(([file, { mutants }]) => mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map((m) => key(file, { ...m.location.start, mutator: m.mutatorName, replacement: m.replacement })));
    const list: Record<string, Survivor[]> = JSON.parse(fs.readFileSync(path.join(REPORT_DIR, 'survivors.json'), 'utf8'));
    reviewed = new Map(Object.entries(list).flatMap(([file, survivors]) => survivors.map((s) => [key(file, s), s.reason])));
  });

  test('each has a reason in the reviewed list', () => {
    expect(survived.filter((s) => !reviewed.has(s))).toEqual([]);
  });

  test('the list names only mutants that still survive', () => {
    expect([...reviewed.keys()].filter((s) => !survived.includes(s))).toEqual([]);
  });

  test('each reason is one line that says why', () => {
    expect([...reviewed].filter(([, reason]) => reason.trim().length < 20 || reason.includes('\n'))).toEqual([]);
  });
});
