import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgementsOn } from './acknowledgements';

/**
 * The folder, made by the global setup for one `npm test`, where validation reports are kept by
 * what they were computed from, so that suites synthesizing the same stacks check them once.
 */
export const VALIDATION_CACHE_ENV = 'CDK_DS_VALIDATION_CACHE';

const UNCACHED = Symbol.for('cdk-data-science.uncachedValidate');

/** What a plugin's report depends on, beside its own identity: every input it reads, as text. */
type InputsOf = (plugin: any, context: IPolicyValidationContext) => string[];

/** A plugin's `validate`, answered from the cache when the same plugin already checked the same inputs. */
export function cacheReports(prototype: { validate(context: IPolicyValidationContext): PolicyValidationPluginReport }, identity: (plugin: any) => unknown, inputsOf: InputsOf): void {
  // the plugins of aws-cdk-lib and cdk-nag are the worker's, shared by its files (see
  // environment.js): each file wraps the plugin's own validate, in place of the last file's wrapper
  const validate = (prototype as any)[UNCACHED] ??= prototype.validate;
  const cached = function (this: any, context: IPolicyValidationContext): PolicyValidationPluginReport {
    const dir = process.env[VALIDATION_CACHE_ENV];
    if (!dir) {
      return validate.call(this, context);
    }
    const hash = crypto.createHash('sha256').update(JSON.stringify([this.constructor.name, identity(this)]));
    inputsOf(this, context).forEach((input) => hash.update('\0').update(input));
    const file = path.join(dir, `${hash.digest('hex')}.json`);
    // the report names this synth's template files: kept as placeholders, given back as this synth's
    const templates = context.templatePaths.map((t, i) => [JSON.stringify(t).slice(1, -1), `<<template ${i}>>`])
      .sort(([a], [b]) => b.length - a.length);
    if (fs.existsSync(file)) {
      let text = fs.readFileSync(file, 'utf8');
      templates.forEach(([t, placeholder]) => { text = text.split(placeholder).join(t); });
      return JSON.parse(text);
    }
    const report = validate.call(this, context);
    let text = JSON.stringify(report);
    templates.forEach(([t, placeholder]) => { text = text.split(t).join(placeholder); });
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
    return report;
  };
  prototype.validate = cached;
}

/** The templates a plugin is given, with the stack, account and region of each. */
export function templateInputs(context: IPolicyValidationContext): string[] {
  return (context.stackTemplates ?? context.templatePaths.map((templatePath) => ({ templatePath })))
    .map((s: any) => JSON.stringify([path.basename(s.templatePath), s.stackConstructPath, s.accountId, s.region, fs.readFileSync(s.templatePath, 'utf8')]));
}

/**
 * What a cdk-nag pack reads: the whole construct tree of the app (every construct's path and type,
 * each resource's logical id, and the rules acknowledged on the way up with their reasons, which the
 * report repeats) and every template of the assembly.
 */
function appInputs(context: IPolicyValidationContext): string[] {
  const app = (context as any).appConstruct as App;
  const constructs = app.node.findAll().map((c: IConstruct) => JSON.stringify([
    c.node.path,
    c.constructor.name,
    c instanceof CfnElement ? Stack.of(c).resolve(c.logicalId) : undefined,
    acknowledgementsOn(c),
  ]));
  return [...constructs, ...templatesUnder(app.outdir).map((file) => `${path.relative(app.outdir, file)}\n${fs.readFileSync(file, 'utf8')}`)];
}

function templatesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return e.name.startsWith('asset.') ? [] : templatesUnder(full);
    }
    return e.name.endsWith('.template.json') ? [full] : [];
  });
}

/** Caches the reports of aws-cdk-lib's CloudFormation rule validation and of the cdk-nag packs. */
export function cacheLibraryReports(): void {
  cacheReports(CloudFormationValidatePlugin.prototype, (p) => [p.version, p.props], (_p, context) => templateInputs(context));
  cacheReports(NagPack.prototype, (p) => [p.readPackName, p.verbose], (_p, context) => appInputs(context));
}
