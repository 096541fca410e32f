import * as fs from 'fs';
import * as path from 'path';
import { CONTROL_TOWER_PLUGIN } from '../constructs/core/compliance';
import { cdk, ROOT } from './support/cli';
import { readValidationReport } from './support/synth';

const examples = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((name) => fs.existsSync(path.join(ROOT, 'examples', name, 'app.ts')));

test('there are examples', () => {
  expect(examples).toContain('team-stack');
});

test.each(examples)('examples/%s/app.ts synthesizes with every check passing, Control Tower\'s controls included', (name) => {
  const result = cdk('synth', '--app', `npx tsx test/support/with-control-tower.ts examples/${name}/app.ts`, '--quiet');
  expect(result.stderr).not.toMatch(/ERROR|WARNING/);
  expect(result.status).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8'));
  const stacks = Object.values(manifest.artifacts).filter((a: any) => a.type === 'aws:cloudformation:stack');
  expect(stacks.length).toBeGreaterThan(0);
  // the controls ran: every acknowledgement of theirs is in the report, with its reason
  const { acknowledged } = readValidationReport(path.join(result.outdir, 'validation-report.json'));
  const controls = acknowledged.filter((f) => f.plugin === CONTROL_TOWER_PLUGIN);
  expect(controls.length).toBeGreaterThan(0);
  controls.forEach((f) => expect(f.reason.length).toBeGreaterThan(40));
});
