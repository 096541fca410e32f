/**
 * Rule-pack findings of Metaflow's CloudFormation template (../shared/anchors, read through
 * cloudformation-include) beside the default team stack, both checked by the same packs.
 *
 *   npx tsx bench/metaflow-anchor.ts [path to metaflow-cfn-template.yml]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { CompliancePacks, DataScienceStack } from '../lib';

const anchor = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'anchors', 'metaflow-cfn-template.yml');
const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;

function findings(build: (app: App) => void, regulated: boolean): Map<string, number> {
  const app = new App({ context, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'anchor-')) });
  build(app);
  CompliancePacks.addTo(app, { regulated });
  try {
    app.synth();
  } catch {
    // a failing validation is the point here; the report holds the findings
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const byPack = new Map<string, number>();
  for (const plugin of report.pluginReports) {
    const count = plugin.violations.reduce((sum: number, v: any) => sum + v.violatingConstructs.length, 0);
    byPack.set(plugin.pluginName, count);
  }
  return byPack;
}

for (const regulated of [false, true]) {
  const metaflow = findings((app) => new CfnInclude(new Stack(app, 'Metaflow'), 'Template', { templateFile: anchor }), regulated);
  const ours = findings((app) => new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' }), regulated);
  const packs = [...new Set([...metaflow.keys(), ...ours.keys()])].sort();
  console.log(regulated ? 'with NIST 800-53 rev 5 and HIPAA Security too:' : 'AwsSolutions and Serverless packs:');
  for (const pack of packs) {
    console.log(`  ${pack.padEnd(26)} Metaflow template ${String(metaflow.get(pack) ?? 0).padStart(4)}   data-science stack ${String(ours.get(pack) ?? 0).padStart(4)}`);
  }
}
