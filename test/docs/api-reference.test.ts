import * as lib from '../../lib';
import { API_PAGES, declarationsFingerprint, stampOf } from '../../scripts/api-reference';
import { readPage } from '../support/doc-commands';

/**
 * The committed API reference against the code, without jsii (a minute's compile): each page records
 * the fingerprint of the declarations it was generated from. `npm run test:package` compares the pages
 * byte for byte with what jsii-docgen makes of the packed assembly.
 */
let fingerprint: string | undefined;
/** The declarations' fingerprint, computed once for both pages: it transpiles every source file. */
const currentFingerprint = () => fingerprint ??= declarationsFingerprint();

describe.each(Object.values(API_PAGES))('the API reference %s', (page) => {
  const text = readPage(page);

  test('was generated from the declarations the code has now: else run `npm run docs`', () => {
    expect({ page, generatedFrom: stampOf(text) }).toEqual({ page, generatedFrom: currentFingerprint() });
  });

  test('describes every public member: no "No description" entry', () => {
    const undescribed = text.split('\n').filter((line) => line.includes('*No description.*'));
    expect(undescribed).toEqual([]);
  });

  test('has a section for every class and enum the package exports', () => {
    const exported = Object.keys(lib).filter((name) => !name.startsWith('_'));
    expect(exported.length).toBeGreaterThan(20);
    const headings = new Set([...text.matchAll(/^### (\w+)/gm)].map((m) => m[1]));
    // jsii leaves the Error subclass out: only JavaScript can catch it by type
    expect(exported.filter((name) => !headings.has(name) && name !== 'ValidationError')).toEqual([]);
  });
});

test('the fingerprint moves with a declaration and its doc comment, not with a function body', () => {
  const ts = require('typescript');
  const declarations = (source: string) => ts.transpileDeclaration(source, { fileName: 'x.ts', compilerOptions: {} }).outputText;
  const before = 'export class A {\n  /** Doubles. */\n  public twice(n: number): number { return n * 2; }\n}\n';
  expect(declarations(before.replace('n * 2', 'n + n'))).toBe(declarations(before));
  expect(declarations(before.replace('Doubles.', 'Twice n.'))).not.toBe(declarations(before));
  expect(declarations(before.replace('n: number)', 'n: string)'))).not.toBe(declarations(before));
});
