/**
 * AWS Control Tower's proactive controls on the default team stack (dev and prod), a project
 * sandbox and every example: the controls each fails, on how many resources, and how many of those
 * are acknowledged; then the policy statements with a wildcard action or resource.
 *
 *   npx tsx bench/control-tower.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CONTROL_TOWER_PLUGIN } from '../constructs/core/compliance';
import { DataScienceStack, DataScienceStage, ProjectSandboxStack } from '../lib';
import { cdk, ROOT } from '../test/support/cli';
import { wildcardStatements } from '../test/support/policies';
import { Finding, newTestApp, readValidationReport, synthValidation, Validation } from '../test/support/synth';
import { daysFromToday } from '../constructs/core/dates';

interface Measured {
  readonly name: string;
  readonly validation: Validation;
  readonly templates: any[];
}

function inProcess(name: string, build: (app: App) => Stack[]): Measured {
  const app = newTestApp();
  const stacks = build(app);
  const validation = synthValidation(app, { controlTower: true });
  return { name, validation, templates: stacks.map((s) => JSON.parse(fs.readFileSync(path.join(app.outdir, s.templateFile), 'utf8'))) };
}

function example(name: string): Measured {
  const result = cdk('synth', '--app', `npx tsx test/support/with-control-tower.ts examples/${name}/app.ts`, '--quiet');
  const templates = fs.readdirSync(result.outdir).filter((f) => f.endsWith('.template.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(result.outdir, f), 'utf8')));
  return { name: `example ${name}`, validation: readValidationReport(path.join(result.outdir, 'validation-report.json')), templates };
}

const expiresOn = daysFromToday(14);
const measured: Measured[] = [
  inProcess('dev', (app) => [new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' })]),
  inProcess('prod', (app) => [new DataScienceStack(app, 'data-science-prod', { teamName: 'data-science', stage: DataScienceStage.PROD })]),
  inProcess('sandbox churn', (app) => [new ProjectSandboxStack(app, 'data-science-dev-sandbox-churn', { teamName: 'data-science', projectName: 'churn', expiresOn })]),
  ...fs.readdirSync(path.join(ROOT, 'examples')).filter((n) => fs.existsSync(path.join(ROOT, 'examples', n, 'app.ts'))).map(example),
];

const controlTower = <F extends Finding>(findings: F[]) => findings.filter((f) => f.plugin === CONTROL_TOWER_PLUGIN);
const pairs = (findings: Finding[]) => findings.reduce((n, f) => n + f.paths.length, 0);
console.log('Control Tower proactive controls: failed (controls on resources), of which acknowledged');
for (const { name, validation } of measured) {
  const open = controlTower(validation.findings);
  const acked = controlTower(validation.acknowledged);
  const rules = new Set([...open, ...acked].map((f) => f.rule));
  console.log(`  ${name.padEnd(24)} ${String(rules.size).padStart(3)} controls on ${String(pairs(open) + pairs(acked)).padStart(3)} resources;`
    + ` acknowledged ${new Set(acked.map((f) => f.rule)).size} on ${pairs(acked)}; open ${new Set(open.map((f) => f.rule)).size} on ${pairs(open)}`
    + `${validation.unreadableControls.length ? `; read by the harness: ${validation.unreadableControls.join(' ')}` : ''}`
    + `${validation.unevaluatedControls.length ? `; not evaluated: ${validation.unevaluatedControls.join(' ')}` : ''}`);
  for (const [state, findings] of [['OPEN', open], ['ack ', acked]] as const) {
    for (const rule of new Set(findings.map((f) => f.description))) {
      const paths = findings.filter((f) => f.description === rule).flatMap((f) => f.paths.map((p) => p.replace(/^[^/]+\//, '')));
      console.log(`      ${state} ${rule.replace(/\]:.*$/, ']').padEnd(22)} ${paths.length} ${paths.join(', ')}`);
    }
  }
}
console.log('Allow statements with a wildcard, in identity policies | in resource policies (key, bucket, topic, queue, log):');
console.log(`  ${''.padEnd(24)} ${['all', 'action', 'any resource', 'whole kind', 'name pattern'].map((h) => h.padStart(14)).join('')} |`);
for (const { name, templates } of measured) {
  const statements = templates.flatMap(wildcardStatements);
  const counts = (identity: boolean) => {
    const of = statements.filter((s) => s.identity === identity);
    return [of.length, of.filter((s) => s.wildcards.action).length, of.filter((s) => s.wildcards.anyResource).length,
      of.filter((s) => s.wildcards.wholeKind).length, of.filter((s) => s.wildcards.resourcePattern).length].map((n) => String(n).padStart(14)).join('');
  };
  console.log(`  ${name.padEnd(24)} ${counts(true)} | ${counts(false)}`);
}
const actionsOnAny = (identity: boolean) => (m: Measured) => m.templates.flatMap(wildcardStatements)
  .filter((s) => s.identity === identity && s.wildcards.anyResource).reduce((n, s) => n + [s.statement.Action].flat().length, 0);
console.log(`Actions allowed on any resource (identity policies): ${measured.map((m) => `${m.name} ${actionsOnAny(true)(m)}`).join(', ')}`);
