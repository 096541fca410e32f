import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';

/** Where the test environment puts the worker's engine on a test file's global object. */
export const SHARED_RULE_ENGINE = '__sharedCloudFormationRuleEngine';

/** CloudFormation rule validation, run on the worker's engine: plain data in, a report as JSON out. */
export interface SharedRuleEngine {
  validate(props: unknown, stackTemplates: readonly StackTemplate[]): string;
  version(props: unknown): string;
}

interface StackTemplate {
  readonly templatePath: string;
  readonly stackConstructPath: string;
  readonly accountId?: string;
  readonly region?: string;
}

/**
 * Sends this file's CloudFormation rule validation to the worker's engine (see environment.ts).
 * The plugin's props, the templates and the report are the same; only the engine is shared.
 */
export function shareRuleEngine(): void {
  const engine: SharedRuleEngine | undefined = (globalThis as any)[SHARED_RULE_ENGINE];
  const prototype = CloudFormationValidatePlugin.prototype as any;
  if (!engine || prototype[SHARED_RULE_ENGINE]) {
    return;
  }
  prototype[SHARED_RULE_ENGINE] = true;
  prototype.validate = function (this: any, context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stackTemplates = (context.stackTemplates ?? []).map(({ templatePath, stackConstructPath, accountId, region }) =>
      ({ templatePath, stackConstructPath, accountId, region }));
    return JSON.parse(engine.validate(this.props, stackTemplates));
  };
  Object.defineProperty(prototype, 'version', { get(this: any) { return engine.version(this.props); } });
}
