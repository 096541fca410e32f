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
import { exitWith } from './command-outcome';
import { statefulGuard } from './stateful-guard/command';

exitWith(statefulGuard(process.argv.slice(2)));
