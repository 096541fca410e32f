import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

const ONE_ENGINE = Symbol.for('cdk-data-science.oneRuleEngine');

/**
 * aws-cdk-lib's CloudFormation rule validation runs on a singleton plugin whose engine takes about
 * 3 s to start, and another 1.2 s whenever a template holds a resource type the last one did not,
 * though the types only choose which of aws-cdk-lib's own rules it loads. Started once with every
 * type those rules name, the engine holds them all and serves any template alike; with aws-cdk-lib
 * taken from the worker (see environment.js), it serves every file the worker runs.
 */
export function keepOneRuleEngine(): void {
  const plugin = (CloudFormationValidatePlugin as any)._singletonInstance();
  const initializeEngine = plugin.initializeEngine;
  if (plugin[ONE_ENGINE] || typeof initializeEngine !== 'function') {
    return;
  }
  plugin[ONE_ENGINE] = true;
  const index = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'core', 'lib', 'validation', 'rules', 'index.generated.json');
  const ruleTypes: string[] = JSON.parse(fs.readFileSync(index, 'utf8')).rules.flatMap((r: { types: string[] | null }) => r.types ?? []);
  plugin.initializeEngine = function (this: any, types: Set<string>) {
    return this.engine ?? initializeEngine.call(this, new Set([...ruleTypes, ...types]));
  };
}
