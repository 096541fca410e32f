/**
 * The worker thread of bin/app/parallel-validation.ts: aws-cdk-lib's own CloudFormationValidatePlugin,
 * run on a second core. It compiles the rule engine while the app builds its stacks, and validates
 * the templates when the synth hands them over. Plain JavaScript, so the app runs it as it is,
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
  port.postMessage({ report, version: plugin && plugin.version });
  wake(ANSWERED);
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
