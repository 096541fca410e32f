import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './cli';

/** The README and the pages of docs/ a person reads, the generated API reference aside. */
export function readablePages(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && !f.startsWith('API'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

export function readPage(page: string): string {
  return fs.readFileSync(path.join(ROOT, page), 'utf8');
}

/**
 * The commands of a page's shell blocks, one per line: continuation lines joined, comments
 * dropped, and a line of several commands (`&&`, `||`, `|`, `;`) split into each.
 */
export function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ' '));
  return blocks.flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/(^|\s+)#.*$/, '').trim())
    .filter((line) => line.length > 0)
    .flatMap((line) => splitCommands(line));
}

const OPERATORS = [' && ', ' || ', ' | ', '; '];

/** Splits on `&&`, `||`, `|` and `;` outside quotes and `$(...)`. */
function splitCommands(line: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    const operator = quote || depth > 0 ? undefined : OPERATORS.find((o) => line.startsWith(o, i));
    if (operator) {
      parts.push(current.trim());
      current = '';
      i += operator.length - 1;
      continue;
    }
    if (quote) {
      quote = c === quote ? undefined : quote;
    } else if (c === '\'' || c === '"') {
      quote = c;
    } else if (line.startsWith('$(', i)) {
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
    }
    current += c;
  }
  parts.push(current.trim());
  return parts.filter((p) => p.length > 0);
}

export interface CdkCommand {
  readonly line: string;
  readonly verb: string;
  readonly context: Record<string, string>;
  readonly app?: string;
  readonly stacks: string[];
}

/** Reads an `npx cdk ...` command: its verb, `-c` context, `--app` and the stacks it names. */
export function cdkCommand(line: string): CdkCommand {
  // a command substitution, such as the commit of -c codeVersion=$(git rev-parse HEAD), stands for a value
  const words = line.replace(/\$\([^)]*\)/g, '0f1e2d3c').match(/'[^']*'|\S+/g)!.slice(2);
  const context: Record<string, string> = {};
  const stacks: string[] = [];
  let app: string | undefined;
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '-c') {
      const [key, ...value] = words[++i].split('=');
      context[key] = value.join('=');
    } else if (words[i] === '--app') {
      app = words[++i].replace(/^'|'$/g, '');
    } else if (words[i].startsWith('--')) {
      i += ['--outputs-file', '--require-approval', '--output'].includes(words[i]) ? 1 : 0;
    } else if (/^[A-Za-z][A-Za-z0-9-]*$/.test(words[i])) {
      stacks.push(words[i]);
    }
  }
  return { line, verb: words[0], context, app, stacks };
}
