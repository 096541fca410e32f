import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { WORKER_REQUIRE, workerModule } from './worker-modules';

const SHARED = Symbol.for('cdk-data-science.sharedRuleEngine');

/**
 * Runs this test file's CloudFormation rule validation on the worker's copy of the plugin, whose
 * rule engine takes about 3 s to start: once per worker instead of once per file. The props, the
 * templates and the report are the same; the report comes back as data of this file's own.
 */
export function shareRuleEngine(): void {
  const prototype = CloudFormationValidatePlugin.prototype as any;
  if (!(globalThis as any)[WORKER_REQUIRE] || prototype[SHARED]) {
    return;
  }
  prototype[SHARED] = true;
  const Worker = workerModule<typeof import('aws-cdk-lib')>('aws-cdk-lib').CloudFormationValidatePlugin as any;
  // the feature flag runs the singleton, with default props; a plugin given props keeps its own engine
  const workerPlugins = new Map<string, any>();
  const workerPlugin = (props: unknown) => {
    const key = JSON.stringify(props ?? {});
    if (!workerPlugins.has(key)) {
      workerPlugins.set(key, keepOneEngine(key === '{}' ? Worker._singletonInstance() : new Worker(props)));
    }
    return workerPlugins.get(key);
  };
  prototype.validate = function (this: any, context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stackTemplates = (context.stackTemplates ?? []).map(({ templatePath, stackConstructPath, accountId, region }) =>
      ({ templatePath, stackConstructPath, accountId, region }));
    const report = workerPlugin(this.props).validate({ stackTemplates, templatePaths: stackTemplates.map((s) => s.templatePath) });
    return JSON.parse(JSON.stringify(report));
  };
  Object.defineProperty(prototype, 'version', { get(this: any) { return workerPlugin(this.props).version; } });
}

/**
 * The plugin starts a new engine (about 1.2 s) whenever a template holds a resource type the last
 * one did not, though the types only choose which of aws-cdk-lib's own rules it loads. Started
 * once with every type those rules name, the engine holds them all and serves any template alike.
 */
function keepOneEngine(plugin: any): any {
  const initializeEngine = plugin.initializeEngine;
  if (typeof initializeEngine !== 'function') {
    return plugin;
  }
  const index = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'core', 'lib', 'validation', 'rules', 'index.generated.json');
  const ruleTypes: string[] = JSON.parse(fs.readFileSync(index, 'utf8')).rules.flatMap((r: { types: string[] | null }) => r.types ?? []);
  plugin.initializeEngine = function (this: any, types: Set<string>) {
    return this.engine ?? initializeEngine.call(this, new Set([...ruleTypes, ...types]));
  };
  return plugin;
}
