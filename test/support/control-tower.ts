import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { CONTROL_TOWER_PLUGIN } from '../../constructs/core/compliance';
import { cacheReports, templateInputs } from './validation-cache';

const PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
/** The Control Tower proactive controls the plugin ships, one Guard file each (`ct-ec2-pr-2.guard`). */
export const RULES_DIR = path.join(PACKAGE, 'rules', 'control-tower', 'cfn-guard');
/** The cfn-guard binary the plugin ships for this machine (no download: it is in the npm package). */
const GUARD = path.join(PACKAGE, 'bin', { linux: 'ubuntu', darwin: 'macos' }[os.platform() as string] ?? os.platform(),
  { x64: 'x86_64', arm64: 'aarch64' }[os.arch() as string] ?? os.arch(), 'cfn-guard');

/** One Control Tower control: its id, the Guard rule that checks it, and the rule's file. */
export interface ControlTowerRule {
  /** For example `CT.EC2.PR.2`. */
  readonly control: string;
  /** The name the plugin reports, for example `ec2_launch_template_token_hop_limit_check`. */
  readonly ruleName: string;
  readonly file: string;
}

/** Every bundled control, read from the rule files: the first rule of a file is the one it reports. */
export function controlTowerRules(): ControlTowerRule[] {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.guard') ? [path.join(dir, e.name)] : []);
  return files(RULES_DIR).sort().map((file) => ({
    control: path.basename(file, '.guard').toUpperCase().replace(/-/g, '.'),
    ruleName: /^rule\s+(\w+)/m.exec(fs.readFileSync(file, 'utf8'))![1],
    file,
  }));
}

/** The plugin report's metadata keys that list the controls the harness had to treat apart. */
export const UNREADABLE = 'unreadableByPlugin';
export const UNEVALUATED = 'unevaluated';

/**
 * AWS Control Tower's proactive controls, through `@cdklabs/cdk-validator-cfnguard`, so that one
 * rule neither the plugin nor Guard can read never hides the others:
 * - cfn-guard runs every rule once; a run that fails outright is retried rule by rule, and a rule
 *   Guard cannot evaluate on its own is reported as a finding of its own (and in the metadata);
 * - the plugin reads the failed rules' results; where its reading throws (it does on some rules,
 *   `Cannot read properties of undefined (reading 'to')`), the rules are split until the one it
 *   cannot read is alone, and that rule's resources are read from Guard's output here instead.
 * The plugin's name and rule names are the stock plugin's, so acknowledgements serve both.
 */
export class ControlTowerChecks implements IPolicyValidationPlugin {
  public readonly name = CONTROL_TOWER_PLUGIN;
  private readonly rules: ControlTowerRule[];

  /** @param rules the controls to run, all by default */
  constructor(rules?: ControlTowerRule[]) {
    this.rules = rules ?? controlTowerRules();
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // a control checks resources of the types it names, and skips a template without any; one
    // that names none (no bundled one) always runs
    const templates = readTemplates(context.templatePaths);
    const present = new Set(templates.flatMap((t) => Object.values<any>(t.content.Resources ?? {}).map((r) => r.Type)));
    const rules = this.rules.filter((rule) => typesOf(rule).length === 0 || typesOf(rule).some((type) => present.has(type)));
    const { results, unevaluated } = this.runGuard(rules, templates);
    const failed = rules.filter((rule) => results.some((r) => notCompliant(r).some((nc) => nc.name === rule.ruleName)));
    const unreadable: ControlTowerRule[] = [];
    const violations = [
      ...this.readFailed(failed, templates, results, unreadable),
      ...unevaluated.map(({ rule, error }) => ({
        ruleName: rule.ruleName,
        description: `[${rule.control}] cfn-guard could not evaluate this rule: ${error}`,
        violatingResources: [],
      })),
    ];
    return {
      success: violations.length === 0,
      violations,
      metadata: {
        [UNREADABLE]: unreadable.map((r) => r.control).join(' '),
        [UNEVALUATED]: unevaluated.map(({ rule }) => rule.control).join(' '),
      },
    };
  }

  /**
   * Guard's results for every template; rules Guard fails on are retried alone and set apart.
   * Each batch of rules runs on the templates cut down to the resource types its rules name.
   */
  private runGuard(rules: ControlTowerRule[], templates: TemplateFile[]): { results: GuardResult[]; unevaluated: { rule: ControlTowerRule; error: string }[] } {
    const results: GuardResult[] = [];
    const unevaluated: { rule: ControlTowerRule; error: string }[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-data-'));
    try {
      guardBatches(rules, templates).forEach((batch, b) => {
        const data = templates.map((template, t) => cutDown(template, batch.types, path.join(dir, `${b}-${t}.json`)));
        const named = (run: GuardResult[]) => run.map((r) => ({ ...r, name: templates[data.indexOf(r.name)]?.path ?? r.name }));
        const all = guard(batch.rules.map((r) => r.file), data);
        if (all.results) {
          results.push(...named(all.results));
          return;
        }
        for (const rule of batch.rules) {
          const one = guard([rule.file], data);
          if (one.results) {
            results.push(...named(one.results));
          } else {
            unevaluated.push({ rule, error: one.error! });
          }
        }
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return { results, unevaluated };
  }

  /** The plugin's violations of the failed rules, read on the templates cut down to the types they name. */
  private readFailed(failed: ControlTowerRule[], templates: TemplateFile[], results: GuardResult[], unreadable: ControlTowerRule[]): PolicyViolation[] {
    const types = failed.every((rule) => typesOf(rule).length > 0) ? new Set(failed.flatMap(typesOf)) : undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-failed-'));
    try {
      const cut = templates.map((template, t) => cutDown(template, types, path.join(dir, `${t}.json`)));
      const original = (file?: string) => templates[cut.indexOf(file!)]?.path ?? file;
      return this.readWithPlugin(failed, cut, results, unreadable).map((v) => ({
        ...v,
        violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath: original(r.templatePath)! })),
      }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The plugin's violations of `rules`, halving the set wherever the plugin cannot read it. */
  private readWithPlugin(rules: ControlTowerRule[], templates: string[], results: GuardResult[], unreadable: ControlTowerRule[]): PolicyViolation[] {
    if (rules.length === 0) {
      return [];
    }
    try {
      const plugin = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: rules.map((r) => r.file), maxBuffer: 64 * 1024 * 1024 });
      // the plugin also lists a check on no resource at all (a blank logical id) beside the real ones
      return plugin.validate({ templatePaths: templates } as any).violations.map((v) => {
        const named = v.violatingResources.filter((r) => r.resourceLogicalId);
        return named.length > 0 ? { ...v, violatingResources: named } : v;
      });
    } catch {
      if (rules.length > 1) {
        const half = Math.ceil(rules.length / 2);
        return [...this.readWithPlugin(rules.slice(0, half), templates, results, unreadable),
          ...this.readWithPlugin(rules.slice(half), templates, results, unreadable)];
      }
      unreadable.push(rules[0]);
      return [readFromGuard(rules[0], results)];
    }
  }
}

cacheReports(ControlTowerChecks.prototype, (p) => p.rules, (_p, context) => templateInputs(context));

/** One template's entry in cfn-guard's structured JSON output. */
export interface GuardResult {
  readonly name: string;
  readonly not_compliant?: { Rule: { name: string } & Record<string, unknown> }[];
}

export function notCompliant(result: GuardResult): ({ name: string } & Record<string, unknown>)[] {
  return (result.not_compliant ?? []).map((nc) => nc.Rule);
}

const RULE_TYPES = new Map<string, string[]>();
/** The resource types a control's Guard file names. */
export function typesOf(rule: ControlTowerRule): string[] {
  if (!RULE_TYPES.has(rule.file)) {
    RULE_TYPES.set(rule.file, [...new Set(fs.readFileSync(rule.file, 'utf8').match(/AWS::\w+::\w+/g) ?? [])]);
  }
  return RULE_TYPES.get(rule.file)!;
}

/** A template the plugin was given: its path, and what it holds, read once. */
export interface TemplateFile {
  readonly path: string;
  readonly content: { Resources?: Record<string, any> } & Record<string, unknown>;
}

/** The templates at `paths`, each parsed once for every batch and cut that reads it. */
export function readTemplates(paths: string[]): TemplateFile[] {
  return paths.map((file) => ({ path: file, content: JSON.parse(fs.readFileSync(file, 'utf8')) }));
}

/** Rules Guard runs together, on the resources of `types` (all of them when undefined). */
interface GuardBatch {
  readonly rules: ControlTowerRule[];
  readonly types?: Set<string>;
}

/**
 * Guard copies its data for every rule: a rule costs it about 1.5 ms plus 0.33 ms per kB of data,
 * and each run of Guard some 20 ms more. So rules naming the same types run together, and such
 * groups are merged, smallest data first, wherever one run costs less than two.
 */
function guardBatches(rules: ControlTowerRule[], templates: TemplateFile[]): GuardBatch[] {
  const bytes = new Map<string, number>();
  for (const template of templates) {
    for (const resource of Object.values<any>(template.content.Resources ?? {})) {
      bytes.set(resource.Type, (bytes.get(resource.Type) ?? 0) + JSON.stringify(resource).length);
    }
  }
  const size = (types?: Set<string>) => [...types ?? bytes.keys()].reduce((sum, type) => sum + (bytes.get(type) ?? 0), 0);
  const cost = (batch: GuardBatch) => 20 + batch.rules.length * (1.5 + 0.00033 * size(batch.types));
  const groups = new Map<string, GuardBatch>();
  for (const rule of rules) {
    const key = typesOf(rule).slice().sort().join(' ');
    groups.set(key, { rules: [...groups.get(key)?.rules ?? [], rule], types: key ? new Set(typesOf(rule)) : undefined });
  }
  const batches: GuardBatch[] = [];
  for (const group of [...groups.values()].sort((a, b) => size(a.types) - size(b.types))) {
    const last = batches[batches.length - 1];
    const both = last && { rules: [...last.rules, ...group.rules], types: last.types && group.types && new Set([...last.types, ...group.types]) };
    if (both && cost(both) <= cost(last) + cost(group)) {
      batches[batches.length - 1] = both;
    } else {
      batches.push(group);
    }
  }
  return batches;
}

/**
 * `template` with only the resources of `types` (all of them without types), written to `file`.
 * Some controls check that a reference names a resource of the template, so what those resources
 * refer to stays too, as its type alone: a control reads the properties of the types it names only.
 */
function cutDown({ content }: TemplateFile, types: Set<string> | undefined, file: string): string {
  const resources: Record<string, any> = content.Resources ?? {};
  const kept = new Set(Object.keys(resources).filter((id) => !types || types.has(resources[id].Type)));
  const named = new Set([...kept].flatMap((id) => referencesIn(resources[id])).filter((id) => resources[id] && !kept.has(id)));
  fs.writeFileSync(file, JSON.stringify({
    ...content,
    Resources: Object.fromEntries([...[...kept].map((id) => [id, resources[id]]), ...[...named].map((id) => [id, { Type: resources[id].Type }])]),
  }));
  return file;
}

/** The logical ids a resource names through Ref, Fn::GetAtt and Fn::Sub. */
function referencesIn(resource: unknown): string[] {
  const ids: string[] = [];
  walk(resource, (key, value) => {
    if (key === 'Ref' && typeof value === 'string') {
      ids.push(value);
    } else if (key === 'Fn::GetAtt') {
      ids.push(String(Array.isArray(value) ? value[0] : value).split('.')[0]);
    } else if (key === 'Fn::Sub') {
      const text = Array.isArray(value) ? value[0] : value;
      ids.push(...[...String(text).matchAll(/\$\{([^}.!]+)/g)].map((m) => m[1]));
    }
  });
  return ids;
}

/** cfn-guard's structured results for `rules` on `templates`, or why it could not give them. */
export function guard(rules: string[], templates: string[]): { results?: GuardResult[]; error?: string } {
  const run = spawnSync(GUARD, ['validate', ...rules.flatMap((r) => ['--rules', r]), ...templates.flatMap((t) => ['--data', t]),
    '--output-format', 'json', '--show-summary', 'none', '--structured'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // 0: compliant, 19: not compliant. A rule Guard cannot parse it only names on stderr, with status
  // 5 if nothing else failed (which the plugin takes for non-compliance) or 19 if something did.
  if (run.error || ![0, 19].includes(run.status ?? -1) || run.stderr.trim()) {
    return { error: String(run.error ?? (run.stderr.trim() || `exit ${run.status}`)) };
  }
  return { results: run.stdout.trim() ? JSON.parse(run.stdout) : [] };
}

/**
 * A failed rule's violation read straight from Guard's output: every `/Resources/<id>/...` path
 * its failed checks name, by resource, with the control's own message.
 */
function readFromGuard(rule: ControlTowerRule, results: GuardResult[]): PolicyViolation {
  const violatingResources = results.flatMap((result) => {
    const locations = new Map<string, Set<string>>();
    notCompliant(result).filter((nc) => nc.name === rule.ruleName).forEach((nc) => walk(nc, (key, value) => {
      if (key === 'path' && typeof value === 'string' && value.startsWith('/Resources/')) {
        const id = value.split('/')[2];
        locations.set(id, (locations.get(id) ?? new Set()).add(value));
      }
    }));
    return [...locations].map(([resourceLogicalId, paths]) => ({ resourceLogicalId, locations: [...paths], templatePath: result.name }));
  });
  let message = '';
  results.flatMap(notCompliant).filter((nc) => nc.name === rule.ruleName).forEach((nc) => walk(nc, (key, value) => {
    if (key === 'custom_message' && typeof value === 'string' && value.includes(`[${rule.control}]`)) {
      message = value;
    }
  }));
  const line = (marker: RegExp) => message.split('\n').map((l) => l.trim()).find((l) => marker.test(l));
  return {
    ruleName: rule.ruleName,
    description: line(/^\[CT\./) ?? `[${rule.control}]`,
    fix: line(/^\[FIX\]/)?.replace(/^\[FIX\]:\s*/, ''),
    violatingResources,
  };
}

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v) => walk(v, visit));
  } else if (value !== null && typeof value === 'object') {
    Object.entries(value).forEach(([k, v]) => {
      visit(k, v);
      walk(v, visit);
    });
  }
}
