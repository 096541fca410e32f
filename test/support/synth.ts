import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addStacksFromContext } from '../../bin/app/stacks-from-context';
import { CompliancePacks, CompliancePacksOptions } from '../../constructs/core/compliance';
import { acknowledgementsOn } from './acknowledgements';
import { ROOT } from './cli';
import { ControlTowerChecks, UNEVALUATED, UNREADABLE } from './control-tower';
import { keepOneRuleEngine } from './one-rule-engine';
import { workerGlobal } from './worker-modules';
import { cacheLibraryReports } from './validation-cache';

// one rule engine per worker, and each check once per `npm test` where suites synthesize the same stacks
keepOneRuleEngine();
cacheLibraryReports();

/** The context of cdk.json: the same feature flags the CLI runs with, rule validation included. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

/** A new app with cdk.json's feature flags, synthesizing into its own temporary folder. */
export function newTestApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context } });
}

/**
 * What `npx cdk synth -c key=value ...` does with bin/app.ts, in this process: the stacks the flags
 * ask for, the rule packs the app adds, and a synth into the app's own folder with cdk.json's flags.
 * The command line itself is proven by the few tests that spawn it; the rest call the same code here.
 * Its CloudFormation rule validation runs here, as aws-cdk-lib's own plugin does, not in the app's
 * worker thread (test/bin/parallel-validation.test.ts shows the two report alike).
 */
export function synthDefaultApp(context: Record<string, string> = {}): { app: App; validation: Validation } {
  const app = newTestApp(context);
  addStacksFromContext(app);
  return { app, validation: synthValidation(app) };
}

const APP_INIT_HOOK = Symbol.for('@aws-cdk/core.App#initHook');

/**
 * What `npx cdk synth --app 'npx tsx examples/<name>/app.ts'` does, in this process: the example
 * makes its app with cdk.json's context and adds its own packs, and the synth writes the assembly
 * with the validation report. With `controlTower`, AWS Control Tower's controls run beside the packs.
 */
export function synthExample(name: string, options: Pick<CheckOptions, 'controlTower'> = {}): { app: App; validation: Validation } {
  const apps: App[] = [];
  // aws-cdk-lib calls this hook at the end of each App's constructor, before anything is added to it
  // on the global object aws-cdk-lib sees, which is the worker's
  const global = workerGlobal();
  global[APP_INIT_HOOK] = (app: App) => {
    Object.entries(cdkJsonContext()).forEach(([key, value]) => app.node.setContext(key, value));
    apps.push(app);
  };
  try {
    require(path.join(ROOT, 'examples', name, 'app.ts'));
  } finally {
    delete global[APP_INIT_HOOK];
  }
  if (apps.length !== 1) {
    throw new Error(`examples/${name}/app.ts made ${apps.length} apps; the CLI synthesizes one`);
  }
  const app = apps[0];
  if (options.controlTower) {
    Validations.of(app).addPlugins(new ControlTowerChecks());
  }
  return { app, validation: synthReport(app) };
}

/** One rule finding from a validation plugin (a cdk-nag pack, CloudFormation rule validation, Control Tower). */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
  readonly description: string;
}

/** Which checks the harness runs: the packs `CompliancePacks` adds, and Control Tower's controls. */
export interface CheckOptions extends CompliancePacksOptions {
  /**
   * Run AWS Control Tower's proactive controls (`ControlTowerChecks`) too. They take seconds per
   * stack, so the tests run them on the default stacks, a sandbox and the examples.
   * @default false
   */
  readonly controlTower?: boolean;
}

/** What one synth's validation reported. */
export interface Validation {
  /** Findings nobody acknowledged. */
  readonly findings: Finding[];
  /** Findings acknowledged on their construct, each with its reason. */
  readonly acknowledged: (Finding & { readonly reason: string })[];
  /** Controls whose results the plugin could not read, read by the harness instead. */
  readonly unreadableControls: string[];
  /** Controls cfn-guard itself could not evaluate (each also a finding). */
  readonly unevaluatedControls: string[];
}

/**
 * Synthesizes `app` with the cdk-nag packs, CloudFormation rule validation and, when asked,
 * Control Tower's controls, and returns what each plugin found, warnings included.
 */
export function synthValidation(app: App, options: CheckOptions = {}): Validation {
  CompliancePacks.addTo(app, options);
  if (options.controlTower) {
    Validations.of(app).addPlugins(new ControlTowerChecks());
  }
  return synthReport(app);
}

/** Synthesizes `app` with the plugins it has and reads what they reported. */
function synthReport(app: App): Validation {
  let failure: unknown;
  try {
    app.synth();
  } catch (error) {
    failure = error;
  }
  const reportFile = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) {
    if (failure) {
      throw failure;
    }
    return { findings: [], acknowledged: [], unreadableControls: [], unevaluatedControls: [] };
  }
  const validation = readValidationReport(reportFile);
  if (failure && validation.findings.length === 0) {
    throw failure;
  }
  return validation;
}

/** What a cloud assembly's `validation-report.json` says, by plugin, the CLI's included. */
export function readValidationReport(reportFile: string): Validation {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const finding = (plugin: any, v: any) => ({
    plugin: plugin.pluginName,
    rule: v.ruleName,
    severity: v.severity,
    paths: v.violatingConstructs.map((c: any) => c.constructPath),
    description: v.description,
  });
  const controls = (key: string) => report.pluginReports.flatMap((p: any) => (p.metadata?.[key] ?? '').split(' ').filter(Boolean));
  return {
    findings: report.pluginReports.flatMap((plugin: any) => plugin.violations.map((v: any) => finding(plugin, v))),
    acknowledged: report.pluginReports.flatMap((plugin: any) => (plugin.suppressedViolations ?? [])
      .map((v: any) => ({ ...finding(plugin, v), reason: v.reason }))),
    unreadableControls: controls(UNREADABLE),
    unevaluatedControls: controls(UNEVALUATED),
  };
}

/** The unacknowledged findings of `synthValidation`. */
export function synthFindings(app: App, options: CheckOptions = {}): Finding[] {
  return synthValidation(app, options).findings;
}

/** A reason shorter than this says nothing of why a finding does not apply. */
const SHORTEST_REASON = 20;
/**
 * A reason is whole sentences: it starts as a sentence does, or with the IAM action it speaks of,
 * and ends with a full stop; a part of it lost (an empty piece of a joined text) breaks one end.
 */
const SENTENCES = /^([A-Z0-9]|[a-z0-9-]+:[A-Za-z*])[^]*[^ ]\.$/;
/** The CloudFormation rule engine's rules, whose findings aws-cdk-lib acknowledges itself, in its own words. */
const LIBRARY_RULES = /^CloudFormation-Validate::/;

/** Each acknowledgement under `app` whose reason does not say why, as a line naming its rule and construct. */
function unexplainedAcknowledgements(app: App): string[] {
  return app.node.findAll().flatMap((construct) => acknowledgementsOn(construct)
    .filter(([rule, reason]) => (reason ?? '').trim().length < SHORTEST_REASON || (!LIBRARY_RULES.test(rule) && !SENTENCES.test(reason)) || / {2}/.test(reason))
    .map(([rule, reason]) => `${rule} at ${construct.node.path} is acknowledged with the reason "${reason ?? ''}": say why it does not apply, in whole sentences`));
}

/**
 * Synthesizes `app` with every check on and fails listing each unacknowledged finding, and each
 * acknowledgement, of any pack or control, whose reason does not say why.
 */
export function expectNoFindings(app: App, options: CheckOptions = {}): void {
  const lines = [
    ...synthFindings(app, options).map((f) => `${f.severity} ${f.rule} (${f.plugin}) at ${f.paths.join(', ')}: ${f.description}`),
    ...unexplainedAcknowledgements(app),
  ];
  if (lines.length > 0) {
    throw new Error(`${lines.length} finding(s) unacknowledged or acknowledged without a reason:\n${lines.join('\n')}`);
  }
}

/** The template of `stack`, after the app passed every check. */
export function checkedTemplate(stack: Stack, options: CheckOptions = {}): Template {
  expectNoFindings(stack.node.root as App, options);
  return Template.fromStack(stack);
}
