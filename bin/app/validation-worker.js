/**
 * The worker thread of bin/app/parallel-validation.ts: aws-cdk-lib's own CloudFormationValidatePlugin,
 * run on a second core. It compiles the rule engine while the app builds its stacks, and validates
 * the templates when the synth hands them over. Plain JavaScript, so the app runs it as it is,
 * whether from its TypeScript source or bundled.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { workerData } = require('worker_threads');

const { port, signal } = workerData;
let plugin;
try {
  plugin = new (require(workerData.awsCdkLib).CloudFormationValidatePlugin)();
  // its version loads the engine's WebAssembly, compiled now while the app builds its stacks
  void plugin.version;
} catch {
  // every request is answered without a report: the synth validates the templates itself
}

/** Answers one request, then wakes the main thread, which waits on `signal`. */
function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', (request) => {
  if (request.resourceTypes) {
    warm(request.resourceTypes);
    return;
  }
  let report;
  try {
    report = plugin && plugin.validate(request.context);
  } catch {
    // the same error is the synth's own when it validates the templates itself
  }
  answer({ report, version: plugin && plugin.version });
});

/**
 * Builds the engine for these resource types by validating a template of one resource of each: the
 * plugin keeps that engine for any later template whose types are among them. A failure here only
 * means the real validation builds its own engine.
 */
function warm(resourceTypes) {
  if (!plugin) {
    return;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-validation-warm-'));
  try {
    const templatePath = path.join(folder, 'warm.template.json');
    const resources = Object.fromEntries(resourceTypes.map((type, i) => [`R${i}`, { Type: type, Properties: {} }]));
    fs.writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
    plugin.validate({ templatePaths: [templatePath], stackTemplates: [{ stackConstructPath: 'Warm', templatePath }] });
  } catch {
    // the engine is built again for the real templates
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
