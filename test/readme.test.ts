import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { addStacksFromContext } from '../bin/app/stacks-from-context';
import { ROOT } from './support/cli';
import { cdkCommand, readablePages, readPage, shellCommands } from './support/doc-commands';

const readme = readPage('README.md');
const pages = readablePages();

function dedent(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

describe('README', () => {
  test('starts with the two quick-start commands', () => {
    const firstBlock = readme.split('```')[1];
    expect(firstBlock).toContain('npm ci && npx cdk synth');
    expect(firstBlock).toContain('npm test');
  });

  test('is a front page: what it is, the two commands, one picture, the layers table, and a link to every page of docs/', () => {
    // the picture aside, it reads in a minute
    expect(readme.replace(/```mermaid[\s\S]*?```/, '').split('\n').length).toBeLessThan(100);
    expect(readme.match(/```mermaid/g)).toHaveLength(1);
    expect(readme).toContain('## The layers');
    const linked = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]);
    expect(new Set(linked)).toEqual(new Set(pages.filter((p) => p !== 'README.md').concat(['docs/API.md', 'docs/API.python.md'])));
  });
});

describe.each(pages)('%s', (page) => {
  const text = readPage(page);

  test('links only to files and headings that exist', () => {
    for (const [, target, anchor] of text.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
      if (/^[a-z]+:/.test(target)) {
        continue;
      }
      const file = target === '' ? path.join(ROOT, page) : path.join(ROOT, path.dirname(page), target);
      expect({ page, target, exists: fs.existsSync(file) }).toEqual({ page, target, exists: true });
      if (anchor) {
        const headings = [...fs.readFileSync(file, 'utf8').matchAll(/^#+ (.*)$/gm)]
          .map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
        expect({ page, target, anchor, found: headings.includes(anchor) }).toEqual({ page, target, anchor, found: true });
      }
    }
  });

  test('each snippet taken from an example is a slice of that example, so it compiles with it', () => {
    for (const [, file, code] of text.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g)) {
      const source = dedent(fs.readFileSync(path.join(ROOT, file), 'utf8')).join('\n');
      expect(source).toContain(dedent(code).join('\n'));
    }
  });

  test('every `cdk deploy` or `cdk destroy` that names a stack names one the app makes with the flags given', () => {
    const commands = shellCommands(text).filter((l) => l.startsWith('npx cdk ')).map(cdkCommand);
    const named = commands.filter((c) => ['deploy', 'destroy'].includes(c.verb) && c.stacks.length > 0);
    const made = new Map<string, string[]>();
    for (const command of named) {
      if (command.app?.startsWith('npx tsx examples/')) {
        // an example names its stacks in its folder's source
        const folder = path.join(ROOT, path.dirname(command.app.split(' ')[2]));
        const source = fs.readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(folder, f), 'utf8')).join('\n');
        command.stacks.forEach((stack) => expect({ command: command.line, named: source.includes(`'${stack}'`) })
          .toEqual({ command: command.line, named: true }));
        continue;
      }
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

test('the pages deploy and destroy named stacks, so the check above has commands to read', () => {
  const verbs = pages.flatMap((p) => shellCommands(readPage(p))).filter((l) => l.startsWith('npx cdk ')).map(cdkCommand)
    .filter((c) => c.stacks.length > 0).map((c) => c.verb);
  expect(verbs).toEqual(expect.arrayContaining(['deploy', 'destroy']));
});
