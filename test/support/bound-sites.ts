import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * Where the library's props checks hold a value to a bound, found in its source: the calls of
 * PropChecker's range checks (`nonEmpty` among them: a list's length of at least 1), of
 * `checkWholeNumber`, and every `check.check` whose condition compares with `<`, `<=`, `>` or
 * `>=`, or calls `within`. Each is named `<file>: <prop>`, the prop as the call spells it
 * (`${prefix}` parts kept), so a test can ask that every one is tested on both sides.
 */

const ROOT = path.resolve(__dirname, '../..');
const RANGE_CHECKS = new Set(['integer', 'number', 'text', 'duration', 'nonEmpty']);
const COMPARISONS = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);

/** Whether a condition compares with a bound: by an operator, or through `within(value, unit, min, max)`. */
function compares(node: ts.Node): boolean {
  if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
    return true;
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'within') {
    return true;
  }
  return ts.forEachChild(node, (child) => (compares(child) ? true : undefined)) ?? false;
}

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** Every bound the props checks of `constructs/` and `lib/` hold a value to, as `<file>: <prop>`, sorted. */
export function boundSites(): string[] {
  const sites: string[] = [];
  for (const file of [...files('constructs'), ...files('lib')]) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        const prop = method === 'checkWholeNumber' ? node.arguments[1]
          : ts.isPropertyAccessExpression(callee) && RANGE_CHECKS.has(method) && /check/i.test(callee.expression.getText(source)) ? node.arguments[0]
            : method === 'check' && ts.isPropertyAccessExpression(callee) && node.arguments.length >= 4 && compares(node.arguments[0]) ? node.arguments[1]
              : undefined;
        if (prop && (ts.isStringLiteral(prop) || ts.isNoSubstitutionTemplateLiteral(prop) || ts.isTemplateExpression(prop))) {
          sites.push(`${file}: ${prop.getText(source).slice(1, -1)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...new Set(sites)].sort();
}
