#!/usr/bin/env node
/**
 * Fails a pipeline before a deploy that would replace or delete a stateful resource, or
 * change the network profile of a deployed stack.
 *
 *   npx tsx bin/stateful-guard.ts <deployed template> <new template>
 *
 * Get the deployed template with `aws cloudformation get-template --stack-name S
 * --query TemplateBody > deployed.json`, the new one from `cdk.out/S.template.json`.
 * Exit codes: 0 nothing stateful is lost, 1 something would be, 2 bad arguments.
 */
import * as fs from 'fs';
import { networkProfileChange, statefulLosses } from './stateful-guard/stateful-changes';

function readTemplate(file: string): object {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`stateful-guard: cannot read a JSON template from ${file}: ${(error as Error).message}`);
    process.exit(2);
  }
}

const [deployedFile, nextFile] = process.argv.slice(2);
if (!deployedFile || !nextFile) {
  console.error('usage: stateful-guard <deployed template.json> <new template.json>');
  process.exit(2);
}
const deployed = readTemplate(deployedFile);
const next = readTemplate(nextFile);
const profileChange = networkProfileChange(deployed, next);
if (profileChange) {
  console.error(`stateful-guard: this deploy would change the network profile of ${profileChange.vpcLogicalId} from `
    + `"${profileChange.from}" to "${profileChange.to}". The new subnets take the old ones' address ranges, so CloudFormation `
    + 'would fail to create them. Deploy with the deployed profile (-c network=' + profileChange.from + '), or deploy the new '
    + 'profile as a new stack and move the data (docs/network.md).');
  process.exitCode = 1;
}
const losses = statefulLosses(deployed, next);
if (losses.length === 0) {
  console.log('stateful-guard: no stateful resource would be replaced or deleted');
} else {
  console.error(`stateful-guard: this deploy would lose ${losses.length} stateful resource(s):`);
  for (const loss of losses) {
    console.error(`  ${loss.logicalId} (${loss.type}): ${loss.impact}`);
  }
  console.error('Keep their construct ids and replace-only properties, or migrate the data first.');
  process.exitCode = 1;
}
