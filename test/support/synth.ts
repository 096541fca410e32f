import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CompliancePacks, CompliancePacksOptions } from '../../constructs/core/compliance';
import { ROOT } from './cli';

/** The context of cdk.json: the same feature flags the CLI runs with, rule validation included. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

/** A new app with cdk.json's feature flags, synthesizing into its own temporary folder. */
export function newTestApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context } });
}

/** One rule finding from a validation plugin (a cdk-nag pack or CloudFormation rule validation). */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
  readonly description: string;
}

/**
 * Synthesizes `app` with the cdk-nag packs and CloudFormation rule validation, and returns
 * every finding of every plugin, warnings included.
 */
export function synthFindings(app: App, options: CompliancePacksOptions = {}): Finding[] {
  CompliancePacks.addTo(app, options);
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
    return [];
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const findings: Finding[] = report.pluginReports.flatMap((plugin: any) => plugin.violations.map((v: any) => ({
    plugin: plugin.pluginName,
    rule: v.ruleName,
    severity: v.severity,
    paths: v.violatingConstructs.map((c: any) => c.constructPath),
    description: v.description,
  })));
  if (failure && findings.length === 0) {
    throw failure;
  }
  return findings;
}

/** Synthesizes `app` with every check on and fails listing each unacknowledged finding. */
export function expectNoFindings(app: App, options: CompliancePacksOptions = {}): void {
  const findings = synthFindings(app, options);
  if (findings.length > 0) {
    const lines = findings.map((f) => `${f.severity} ${f.rule} (${f.plugin}) at ${f.paths.join(', ')}: ${f.description}`);
    throw new Error(`${findings.length} unacknowledged finding(s):\n${lines.join('\n')}`);
  }
}

/** The template of `stack`, after the app passed every check. */
export function checkedTemplate(stack: Stack, options: CompliancePacksOptions = {}): Template {
  expectNoFindings(stack.node.root as App, options);
  return Template.fromStack(stack);
}
