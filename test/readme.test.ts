import * as fs from 'fs';
import * as path from 'path';
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
});
