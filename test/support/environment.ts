import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';
import { SHARED_RULE_ENGINE, SharedRuleEngine } from './shared-rule-engine';

/**
 * Jest's node environment, with one CloudFormation rule engine per worker.
 *
 * aws-cdk-lib's CloudFormation rule validation compiles and warms a WebAssembly engine of about
 * 9 MB on its first check, some 3 s. Jest gives every test file its own copy of aws-cdk-lib, so
 * each file that synthesizes would start one. This environment is loaded once per worker, outside
 * the files' module registries: the engine it holds serves every file the worker runs.
 */
export default class TestEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.global[SHARED_RULE_ENGINE] = sharedRuleEngine;
  }
}

let plugins: Map<string, any> | undefined;

/** The worker's plugin for these props, made on first use (this module is the worker's own). */
const sharedRuleEngine: SharedRuleEngine = {
  validate(props, stackTemplates) {
    return JSON.stringify(pluginFor(props).validate({ stackTemplates, templatePaths: stackTemplates.map((s) => s.templatePath) }));
  },
  version(props) {
    return pluginFor(props).version;
  },
};

function pluginFor(props: unknown): any {
  plugins ??= new Map();
  const key = JSON.stringify(props ?? {});
  if (!plugins.has(key)) {
    // required here, not imported above: the worker loads this copy only when a file synthesizes
    const { CloudFormationValidatePlugin } = require('aws-cdk-lib');
    plugins.set(key, new CloudFormationValidatePlugin(props));
  }
  return plugins.get(key);
}
