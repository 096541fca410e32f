#!/usr/bin/env node
/**
 * Fails a pipeline before a deploy that would replace or delete a stateful resource.
 *
 *   npx tsx bin/stateful-guard.ts <deployed template> <new template>
 *
 * Get the deployed template with `aws cloudformation get-template --stack-name S
 * --query TemplateBody > deployed.json`, the new one from `cdk.out/S.template.json`.
 * Exit codes: 0 nothing stateful is lost, 1 something would be, 2 bad arguments.
 */
import * as fs from 'fs';
import { statefulLosses } from './stateful-guard/stateful-changes';

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
const losses = statefulLosses(readTemplate(deployedFile), readTemplate(nextFile));
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
