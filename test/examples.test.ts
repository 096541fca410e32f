import * as fs from 'fs';
import * as path from 'path';
import { cdk, ROOT } from './support/cli';

const examples = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((name) => fs.existsSync(path.join(ROOT, 'examples', name, 'app.ts')));

test('there are examples', () => {
  expect(examples).toContain('team-stack');
});

test.each(examples)('examples/%s/app.ts synthesizes with every check passing', (name) => {
  const result = cdk('synth', '--app', `npx tsx examples/${name}/app.ts`, '--quiet');
  expect(result.stderr).not.toMatch(/ERROR|WARNING/);
  expect(result.status).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8'));
  const stacks = Object.values(manifest.artifacts).filter((a: any) => a.type === 'aws:cloudformation:stack');
  expect(stacks.length).toBeGreaterThan(0);
});
