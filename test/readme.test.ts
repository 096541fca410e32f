import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { addStacksFromContext } from '../bin/app/stacks-from-context';
import { ROOT } from './support/cli';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function dedent(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

describe('README', () => {
  test('starts with the two quick-start commands', () => {
    const firstBlock = readme.split('```')[1];
    expect(firstBlock).toContain('npm ci && npx cdk synth');
    expect(firstBlock).toContain('npm test');
  });

  test('each snippet taken from an example is a slice of that example, so it compiles with it', () => {
    const snippets = [...readme.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(snippets.length).toBeGreaterThan(0);
    for (const [, file, code] of snippets) {
      const source = dedent(fs.readFileSync(path.join(ROOT, file), 'utf8')).join('\n');
      expect(source).toContain(dedent(code).join('\n'));
    }
  });

  test('every `cdk deploy` or `cdk destroy` that names a stack names one the app makes with the flags given', () => {
    const commands = cdkCommands(readme);
    const named = commands.filter((c) => ['deploy', 'destroy'].includes(c.verb) && c.stacks.length > 0);
    expect(named.map((c) => c.verb)).toEqual(expect.arrayContaining(['deploy', 'destroy']));
    const made = new Map<string, string[]>();
    for (const command of named) {
      // `--app cdk.out` deploys the assembly the last `cdk synth` before it made
      const synth = command.app === 'cdk.out' ? commands.slice(0, commands.indexOf(command)).reverse().find((c) => c.verb === 'synth') : command;
      const example = /^'npx tsx (examples\/[\w-]+\/app\.ts)'$/.exec(synth?.app ?? '');
      if (example) {
        // an example's stacks are the ones its source makes at the top of its app
        const source = fs.readFileSync(path.join(ROOT, example[1]), 'utf8');
        const ids = [...source.matchAll(/new \w+Stack\(app, '([^']+)'/g)].map((m) => m[1]);
        expect({ command: command.line, stacks: ids }).toEqual({ command: command.line, stacks: expect.arrayContaining(command.stacks) });
        continue;
      }
      expect(synth?.app).toBeUndefined(); // otherwise only bin/app.ts is read here
      const key = JSON.stringify(synth!.context);
      if (!made.has(key)) {
        const app = new App({ context: synth!.context });
        addStacksFromContext(app);
        made.set(key, app.node.children.filter((c): c is Stack => Stack.isStack(c)).map((s) => s.stackName));
      }
      expect({ command: command.line, stacks: made.get(key) }).toEqual({ command: command.line, stacks: expect.arrayContaining(command.stacks) });
    }
  });
});

interface CdkCommand {
  readonly line: string;
  readonly verb: string;
  readonly context: Record<string, string>;
  readonly app?: string;
  readonly stacks: string[];
}

/** The `npx cdk` commands of the README's shell blocks: continuation lines joined, comments and what follows `&&` or `|` dropped. */
function cdkCommands(text: string): CdkCommand[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ' '));
  const lines = blocks.flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').split(/\s(?:&&|\|\||\||;)\s/)[0].trim())
    .filter((l) => l.startsWith('npx cdk '));
  return lines.map((line) => {
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
        app = words[++i];
      } else if (words[i].startsWith('--')) {
        i += ['--outputs-file', '--require-approval'].includes(words[i]) ? 1 : 0;
      } else if (/^[A-Za-z][A-Za-z0-9-]*$/.test(words[i])) {
        stacks.push(words[i]);
      }
    }
    return { line, verb: words[0], context, app, stacks };
  });
}
