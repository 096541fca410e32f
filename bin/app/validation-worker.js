/**
 * The worker thread of bin/app/parallel-validation.ts: aws-cdk-lib's own CloudFormationValidatePlugin,
 * run on a second core. It compiles the rule engine while the app builds its stacks, validates each
 * template as soon as the stack synthesizer has written it, while the synth goes on to cdk-nag's
 * packs, and answers the synth with that report when it asks for exactly those templates. Plain JavaScript, so the app runs it as it is,
 * whether from its TypeScript source or bundled.
 *
 * The synth waits on `signal`: 1 when an answer is on the port, 2 when this worker is gone.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { workerData } = require('worker_threads');

const { port, signal } = workerData;
const ANSWERED = 1;
const GONE = 2;

function wake(state) {
  Atomics.store(signal, 0, state);
  Atomics.notify(signal, 0);
}

// however the worker ends, a synth waiting on it goes on at once
process.on('exit', () => wake(GONE));

let plugin;
try {
  plugin = new (require(workerData.awsCdkLib).CloudFormationValidatePlugin)();
  // its version loads the engine's WebAssembly, compiled now while the app builds its stacks
  void plugin.version;
} catch {
  // every request is answered without a report: the synth validates the templates itself
  plugin = undefined;
}

/** The templates written so far, and the report on them, made before the synth asks for it. */
const written = [];
let early;

port.on('message', (request) => {
  if (request.resourceTypes) {
    warm(request.resourceTypes);
  } else if (request.written) {
    written.push(request.written);
    const context = { templatePaths: written.map((stack) => stack.templatePath), stackTemplates: [...written] };
    early = { context, report: validate(context) };
  } else {
    const same = early && JSON.stringify(early.context.stackTemplates) === JSON.stringify(request.context.stackTemplates);
    port.postMessage({ report: same ? early.report : validate(request.context), version: plugin && plugin.version });
    wake(ANSWERED);
  }
});

/** The plugin's report on these templates; none if it fails, and then the synth validates them itself. */
function validate(context) {
  try {
    return plugin && plugin.validate(context);
  } catch {
    return undefined;
  }
}

/**
 * Builds the engine for these resource types by validating a template of one resource of each: the
 * plugin keeps that engine for any later template whose types are among them. A failure here only
 * means the real validation builds its own engine.
 */
function warm(resourceTypes) {
  if (!plugin) {
    return;
  }
  let folder;
  try {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-validation-warm-'));
    const templatePath = path.join(folder, 'warm.template.json');
    const resources = Object.fromEntries(resourceTypes.map((type, i) => [`R${i}`, { Type: type, Properties: {} }]));
    fs.writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
    plugin.validate({ templatePaths: [templatePath], stackTemplates: [{ stackConstructPath: 'Warm', templatePath }] });
  } catch {
    // the engine is built again for the real templates
  } finally {
    if (folder) {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
}
