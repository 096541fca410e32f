import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { ParallelCloudFormationValidation, ParallelCloudFormationValidationOptions } from '../../bin/app/parallel-validation';
import { ROOT } from '../support/cli';
import { keepOneRuleEngine } from '../support/one-rule-engine';

// what validates here, when the worker cannot, is aws-cdk-lib's own plugin: one engine for the whole worker
keepOneRuleEngine();

const WORKER = path.join(ROOT, 'bin', 'app', 'validation-worker.js');

// the flags the plugin gives V8 are the whole process's: recorded here, not set
jest.mock('v8', () => ({ ...jest.requireActual('v8'), setFlagsFromString: jest.fn() }));

/**
 * An app as the CLI makes it, version reporting on (every stack gets AWS::CDK::Metadata at synth),
 * with a queue and, unless `bucket` is false, a bucket with two CloudFormation rule findings.
 */
function appWithFindings(options: { bucket?: boolean; ruleErrors?: boolean } = {}): { app: App; stack: Stack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-validation-'));
  const app = new App({
    outdir,
    context: { 'aws:cdk:version-reporting': true, ...(options.ruleErrors ?? true ? { '@aws-cdk/core:validateAgainstDefaultRules': true } : {}) },
  });
  const stack = new Stack(app, 'Checked');
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: {} });
  if (options.bucket ?? true) {
    addBadBucket(stack);
  }
  return { app, stack };
}

function addBadBucket(stack: Stack): void {
  new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { BucketName: 'Not_Valid', Unknown: 1 } });
}

/** A worker script in a folder of its own, of these lines. */
function workerOf(...lines: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validation-worker-')), 'worker.js');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/**
 * The worker as it is, with `lines` run first: they may patch aws-cdk-lib's plugin (`CloudFormationValidatePlugin`)
 * and call `log(entry)`, whose entries `logged()` reads back in order.
 */
function recordingWorker(...lines: string[]): { file: string; logged: () => any[] } {
  const requests = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'requests-')), 'requests.json');
  const file = workerOf(
    'const fs = require(\'fs\');',
    'const { workerData } = require(\'worker_threads\');',
    `const log = (entry) => fs.appendFileSync(${JSON.stringify(requests)}, JSON.stringify(entry) + '\\n');`,
    'const { CloudFormationValidatePlugin } = require(workerData.awsCdkLib);',
    ...lines,
    `require(${JSON.stringify(WORKER)});`,
  );
  return { file, logged: () => fs.readFileSync(requests, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) };
}

/** The errors the synth failed with, the CloudFormation rule validation's whole report, and the templates. */
function synth(app: App): { failed: string[]; report: unknown; templates: string[] } {
  let failed: string[] = [];
  try {
    app.synth();
  } catch (error) {
    failed = (error as Error).message.split('\n').filter((line) => line.startsWith('ERROR'));
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8')).pluginReports
    .filter((r: { pluginName: string }) => r.pluginName === CloudFormationValidatePlugin.PLUGIN_NAME);
  const templates = fs.readdirSync(app.outdir).filter((f) => f.endsWith('.template.json')).map((f) => fs.readFileSync(path.join(app.outdir, f), 'utf8'));
  return { failed, report, templates };
}

describe('ParallelCloudFormationValidation, aws-cdk-lib\'s rule validation on a second core', () => {
  let expected: ReturnType<typeof synth>;
  const started: ParallelCloudFormationValidation[] = [];
  /** Starts a plugin, stopped and taken back from aws-cdk-lib after the test. */
  const start = (options: ParallelCloudFormationValidationOptions = {}) => {
    const validation = ParallelCloudFormationValidation.start(options)!;
    started.push(validation);
    return validation;
  };

  beforeAll(() => {
    expected = synth(appWithFindings().app);
  });

  afterEach(() => {
    started.splice(0).reverse().forEach((validation) => validation.dispose());
    jest.restoreAllMocks();
  });

  test('aws-cdk-lib\'s own plugin finds the bucket\'s two errors and fails the synth', () => {
    expect(expected.failed).toEqual([
      'ERROR Unknown: Additional properties are not allowed (\'Unknown\' was unexpected) (CloudFormation Validate)',
      'ERROR BucketName: \'Not_Valid\' does not match pattern \'^([a-z0-9][a-z0-9.-]*[a-z0-9])?$\' (CloudFormation Validate)',
    ]);
    expect(expected.templates[0]).toContain('AWS::CDK::Metadata');
  });

  describe('with one worker for several synths', () => {
    let shared: ParallelCloudFormationValidation;

    beforeAll(() => {
      shared = ParallelCloudFormationValidation.start()!;
    });

    afterAll(() => {
      shared.dispose();
    });

    test('the worker reports what aws-cdk-lib\'s own plugin reports, the synth fails alike and writes the same templates; '
      + 'nothing is validated here and the engine is never loaded here', () => {
      const { app } = appWithFindings();
      shared.addTo(app);
      const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
      const version = jest.spyOn(CloudFormationValidatePlugin.prototype, 'version', 'get');
      expect(synth(app)).toEqual(expected);
      expect(here).not.toHaveBeenCalled();
      expect(version).not.toHaveBeenCalled();
    });

    test('without validateAgainstDefaultRules, the worker\'s errors are warnings, as aws-cdk-lib\'s own would be', () => {
      const own = synth(appWithFindings({ ruleErrors: false }).app);
      expect(own.failed).toEqual([]);
      const { app } = appWithFindings({ ruleErrors: false });
      shared.addTo(app);
      expect(synth(app)).toEqual(own);
    });

    test('a finding acknowledged on its construct is acknowledged in the worker\'s report too', () => {
      const { app, stack } = appWithFindings();
      Validations.of(stack.node.findChild('Bucket')).acknowledge({ id: 'CloudFormation-Validate::F3002', reason: 'The property is there on purpose for this test' });
      shared.addTo(app);
      const { failed } = synth(app);
      expect(failed).toEqual([expected.failed[1]]);
    });
  });

  test('hands the worker the types of the last synth as it starts, then those of the stacks and of the metadata the synth adds, so it builds no engine when it validates', () => {
    // each request, and each engine the plugin builds
    const recording = recordingWorker(
      'const build = CloudFormationValidatePlugin.prototype.initializeEngine;',
      'CloudFormationValidatePlugin.prototype.initializeEngine = function (types) {',
      '  if (!(this.engine && [...types].every((t) => this.engineResourceTypes.has(t)))) log({ engine: [...types].sort() });',
      '  return build.call(this, types);',
      '};',
      'workerData.port.on(\'message\', (request) => log(request.resourceTypes ? { warm: request.resourceTypes } : { validate: true }));',
    );
    // the last synth had a queue: the worker hears of it as it starts, before any stack is built
    const typesFile = path.join(path.dirname(recording.file), 'types.json');
    fs.writeFileSync(typesFile, JSON.stringify(['AWS::SQS::Queue']));
    const validation = start({ workerFile: recording.file, typesFile });
    const { app } = appWithFindings();
    validation.addTo(app);
    expect(synth(app)).toEqual(expected);
    const log = recording.logged();
    // the metadata the synth adds is among the types the engine is built for, before the worker validates
    const types = ['AWS::CDK::Metadata', 'AWS::S3::Bucket', 'AWS::SQS::Queue'];
    expect(log).toEqual([
      { warm: ['AWS::SQS::Queue'] }, { engine: ['AWS::SQS::Queue'] },
      { warm: types }, { engine: types },
      { validate: true },
    ]);
  });

  test('with its stack synthesizer, validates each template as soon as it is written, and answers the synth with that report', () => {
    // each template handed over, each validation of real templates, each time the synth asks
    const recording = recordingWorker(
      'const validate = CloudFormationValidatePlugin.prototype.validate;',
      'CloudFormationValidatePlugin.prototype.validate = function (context) {',
      '  if (context.stackTemplates[0].stackConstructPath !== \'Warm\') log({ validated: context.stackTemplates.map((s) => s.stackConstructPath) });',
      '  return validate.call(this, context);',
      '};',
      'workerData.port.on(\'message\', (request) => log(request.written ? { written: request.written.stackConstructPath } : request.context ? { asked: true } : { warm: true }));',
    );
    const validation = start({ workerFile: recording.file });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-validation-'));
    const app = new App({
      outdir, defaultStackSynthesizer: validation.stackSynthesizer(),
      context: { 'aws:cdk:version-reporting': true, '@aws-cdk/core:validateAgainstDefaultRules': true },
    });
    const stack = new Stack(app, 'Checked');
    new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: {} });
    addBadBucket(stack);
    validation.addTo(app);
    expect(synth(app)).toEqual(expected);
    const log = recording.logged().filter((entry) => !entry.warm);
    expect(log).toEqual([{ written: 'Checked' }, { validated: ['Checked'] }, { asked: true }]);
  });

  test('keeps the resource types of the last synth\'s stacks in its types file', () => {
    const typesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validation-types-')), 'cache', 'types.json');
    // no worker: the file is written all the same, once the stacks are built
    const noWorker = { typesFile, workerFile: path.join(os.tmpdir(), 'no-such-worker.js') };
    const first = appWithFindings();
    start(noWorker).addTo(first.app);
    synth(first.app);
    expect(JSON.parse(fs.readFileSync(typesFile, 'utf8'))).toEqual(['AWS::CDK::Metadata', 'AWS::S3::Bucket', 'AWS::SQS::Queue']);

    // the next synth has no bucket: the file follows its stacks, not every type ever seen
    const later = appWithFindings({ bucket: false });
    start(noWorker).addTo(later.app);
    synth(later.app);
    expect(JSON.parse(fs.readFileSync(typesFile, 'utf8'))).toEqual(['AWS::CDK::Metadata', 'AWS::SQS::Queue']);

    // a file that is no list of types is no list at all
    fs.writeFileSync(typesFile, '{"not": "a list"}');
    const third = appWithFindings();
    start(noWorker).addTo(third.app);
    expect(synth(third.app)).toEqual(expected);
    expect(JSON.parse(fs.readFileSync(typesFile, 'utf8'))).toHaveLength(3);
  });

  test('a worker that does not answer in time is given up, and the templates are validated here', () => {
    const validation = start({ workerFile: workerOf('require(\'worker_threads\').workerData.port.on(\'message\', () => {});'), waitMs: 200 });
    const { app } = appWithFindings();
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    expect(synth(app)).toEqual(expected);
    expect(here).toHaveBeenCalledTimes(1);
  });

  test.each([
    ['cannot load aws-cdk-lib', ['require(\'worker_threads\').workerData.awsCdkLib = \'/no/such/aws-cdk-lib\';', `require(${JSON.stringify(WORKER)});`]],
    // it ends on the first request, before it answers: its own exit wakes the synth
    ['dies', [
      'const { workerData } = require(\'worker_threads\');',
      'workerData.port.on(\'message\', () => process.exit(3));',
      'workerData.awsCdkLib = \'/no/such/aws-cdk-lib\';',
      `require(${JSON.stringify(WORKER)});`,
    ]],
  ])('a worker that %s wakes the synth at once, and the templates are validated here', (_, lines) => {
    const validation = start({ workerFile: workerOf(...lines), waitMs: 60_000 });
    const { app } = appWithFindings();
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    const wait = jest.spyOn(Atomics, 'wait');
    expect(synth(app)).toEqual(expected);
    expect(here).toHaveBeenCalledTimes(1);
    expect(wait.mock.results.map((result) => result.value)).not.toContain('timed-out');
  });

  test('compiles WebAssembly with V8\'s baseline compiler alone once its worker starts, so that no optimizing job of the '
    + 'worker\'s holds the synth, which starts when the main thread\'s jobs and every other thread\'s are done', () => {
    const setFlags = jest.mocked(v8.setFlagsFromString);
    setFlags.mockClear();
    start();
    expect(setFlags.mock.calls).toEqual([['--liftoff-only']]);
  });

  test('a missing worker script leaves the validation here, and V8\'s compilers as they were', () => {
    jest.mocked(v8.setFlagsFromString).mockClear();
    const validation = start({ workerFile: path.join(os.tmpdir(), 'no-such-worker.js') });
    expect(v8.setFlagsFromString).not.toHaveBeenCalled();
    const { app } = appWithFindings();
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    expect(synth(app)).toEqual(expected);
    expect(here).toHaveBeenCalledTimes(1);
  });

  test('runs only where aws-cdk-lib\'s own would: not in an app built without it', () => {
    const validation = start();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-validation-'));
    const app = new App({ outdir, builtinCloudFormationValidation: false, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    addBadBucket(new Stack(app, 'Checked'));
    validation.addTo(app);
    const validate = jest.spyOn(validation, 'validate');
    app.synth();
    expect(validate).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(app.outdir, 'validation-report.json'))).toBe(false);
  });

  test('CDK_VALIDATION=false, which turns off aws-cdk-lib\'s validation, starts no worker', () => {
    process.env.CDK_VALIDATION = 'false';
    try {
      expect(ParallelCloudFormationValidation.start()).toBeUndefined();
    } finally {
      delete process.env.CDK_VALIDATION;
    }
  });

  test('disposed, it gives aws-cdk-lib back its own default plugin', () => {
    const own = (CloudFormationValidatePlugin as any)._singletonInstance();
    const validation = ParallelCloudFormationValidation.start()!;
    validation.addTo(appWithFindings().app);
    expect((CloudFormationValidatePlugin as any)._singletonInstance()).toBe(validation);
    validation.dispose();
    expect((CloudFormationValidatePlugin as any)._singletonInstance()).toBe(own);
  });
});
