/**
 * Rule-pack findings of Metaflow's CloudFormation template (../shared/anchors, read through
 * cloudformation-include) beside the default team stack, both checked by the same packs.
 *
 *   npx tsx bench/metaflow-anchor.ts [path to metaflow-cfn-template.yml]
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { REGULATED_PACKS } from '../constructs/core/compliance';
import { DataScienceStack } from '../lib';
import { newTestApp, synthFindings } from '../test/support/synth';

const anchor = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'anchors', 'metaflow-cfn-template.yml');
if (!fs.existsSync(anchor)) {
  console.error(`bench:metaflow compares against Metaflow's CloudFormation template, which is not at ${anchor}. `
    + 'Put metaflow-cfn-template.yml (aws/cloudformation/ in github.com/outerbounds/metaflow-tools) in ../shared/anchors/ beside '
    + 'the checkout, or give its path: npm run bench:metaflow -- <path to metaflow-cfn-template.yml>');
  process.exit(1);
}

/** Findings by pack; each pack reports on its own, so one synth with every pack serves both tables. */
function findings(build: (app: App) => void): Map<string, number> {
  const app = newTestApp();
  build(app);
  const byPack = new Map<string, number>();
  for (const finding of synthFindings(app, { regulated: true })) {
    byPack.set(finding.plugin, (byPack.get(finding.plugin) ?? 0) + finding.paths.length);
  }
  return byPack;
}

const metaflow = findings((app) => new CfnInclude(new Stack(app, 'Metaflow'), 'Template', { templateFile: anchor }));
const ours = findings((app) => new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' }));
const packs = [...new Set([...metaflow.keys(), ...ours.keys()])].sort();
for (const regulated of [false, true]) {
  console.log(regulated ? 'with NIST 800-53 rev 5 and HIPAA Security too:' : 'AwsSolutions and Serverless packs:');
  for (const pack of packs.filter((p) => regulated || !REGULATED_PACKS.includes(p))) {
    console.log(`  ${pack.padEnd(26)} Metaflow template ${String(metaflow.get(pack) ?? 0).padStart(4)}   data-science stack ${String(ours.get(pack) ?? 0).padStart(4)}`);
  }
}
