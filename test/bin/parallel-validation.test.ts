import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import { ParallelCloudFormationValidation } from '../../bin/app/parallel-validation';
import { ROOT } from '../support/cli';

/** An app with two CloudFormation rule findings on one bucket, and a queue without any. */
function appWithFindings(): { app: App; stack: Stack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-validation-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'Checked');
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: {} });
  return { app, stack };
}

function addBadBucket(stack: Stack): void {
  new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { BucketName: 'Not_Valid', Unknown: 1 } });
}

/** The errors the synth failed with, and what the CloudFormation rule validation reported, as the report file has it. */
function synthFindings(app: App): { failed: string[]; violations: unknown[] } {
  let failed: string[] = [];
  try {
    app.synth();
  } catch (error) {
    failed = (error as Error).message.split('\n').filter((line) => line.startsWith('ERROR'));
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.filter((r: any) => r.pluginName === CloudFormationValidatePlugin.PLUGIN_NAME)
    .flatMap((r: any) => r.violations.map((v: any) => ({
      rule: v.ruleName, description: v.description, severity: v.severity,
      constructs: v.violatingConstructs.map((c: any) => c.constructPath),
    })));
  return { failed, violations };
}

describe('ParallelCloudFormationValidation, aws-cdk-lib\'s rule validation on a second core', () => {
  let expected: { failed: string[]; violations: unknown[] };

  beforeAll(() => {
    const { app, stack } = appWithFindings();
    addBadBucket(stack);
    expected = synthFindings(app);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('the default plugin finds the bucket\'s two errors and fails the synth', () => {
    expect(expected.failed).toEqual([
      'ERROR Unknown: Additional properties are not allowed (\'Unknown\' was unexpected) (CloudFormation Validate)',
      'ERROR BucketName: \'Not_Valid\' does not match pattern \'^([a-z0-9][a-z0-9.-]*[a-z0-9])?$\' (CloudFormation Validate)',
    ]);
    expect(expected.violations).toEqual([
      expect.objectContaining({ rule: 'F3002', severity: 'error', constructs: ['Checked/Bucket'] }),
      expect.objectContaining({ rule: 'F3031', severity: 'error', constructs: ['Checked/Bucket'] }),
    ]);
  });

  test('the worker reports what aws-cdk-lib\'s own plugin reports, and the synth fails alike; nothing is validated here', () => {
    const validation = ParallelCloudFormationValidation.start()!;
    const { app, stack } = appWithFindings();
    addBadBucket(stack);
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    expect(synthFindings(app)).toEqual(expected);
    expect(here).not.toHaveBeenCalled();
  });

  test('the report names the version of the engine the worker ran, the same as the plugin here, without loading the engine here', () => {
    const validation = ParallelCloudFormationValidation.start()!;
    const { app, stack } = appWithFindings();
    addBadBucket(stack);
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'version', 'get');
    synthFindings(app);
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    expect(here).not.toHaveBeenCalled();
    here.mockRestore();
    expect(report.pluginReports.map((r: any) => r.pluginVersion)).toEqual([new CloudFormationValidatePlugin().version]);
    expect(validation.ruleIds).toEqual([new CloudFormationValidatePlugin().version]);
  });

  test('keeps the resource types of each synth in its types file, and hands the worker those of earlier synths first', () => {
    const typesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validation-types-')), 'cache', 'types.json');
    const first = appWithFindings();
    ParallelCloudFormationValidation.start({ typesFile })!.addTo(first.app);
    expect(JSON.parse(fs.readFileSync(typesFile, 'utf8'))).toEqual(['AWS::SQS::Queue']);

    // a later synth with one more type: its engine starts with the queue, the bucket joins it when built
    const later = appWithFindings();
    addBadBucket(later.stack);
    const validation = ParallelCloudFormationValidation.start({ typesFile })!;
    validation.addTo(later.app);
    expect(JSON.parse(fs.readFileSync(typesFile, 'utf8'))).toEqual(['AWS::S3::Bucket', 'AWS::SQS::Queue']);
    expect(synthFindings(later.app)).toEqual(expected);

    // a file that is no list of types is no list at all
    fs.writeFileSync(typesFile, '{"not": "a list"}');
    const third = appWithFindings();
    ParallelCloudFormationValidation.start({ typesFile })!.addTo(third.app);
    expect(JSON.parse(fs.readFileSync(typesFile, 'utf8'))).toEqual(['AWS::SQS::Queue']);
  });

  test('a resource type added after the worker compiled its engine is validated all the same', () => {
    const validation = ParallelCloudFormationValidation.start()!;
    const { app, stack } = appWithFindings();
    validation.addTo(app); // the worker knows of the queue alone
    addBadBucket(stack);
    expect(synthFindings(app)).toEqual(expected);
  });

  test('a worker that does not answer in time is given up, and the templates are validated here', () => {
    const silent = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'silent-worker-')), 'worker.js');
    fs.writeFileSync(silent, 'require(\'worker_threads\').workerData.port.on(\'message\', () => {});\n');
    const validation = ParallelCloudFormationValidation.start({ workerFile: silent, waitMs: 200 })!;
    const { app, stack } = appWithFindings();
    addBadBucket(stack);
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    expect(synthFindings(app)).toEqual(expected);
    expect(here).toHaveBeenCalledTimes(1);
  });

  test('a worker that cannot load aws-cdk-lib answers without a report, and the templates are validated here', () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'broken-worker-')), 'worker.js');
    fs.writeFileSync(broken, [
      'require(\'worker_threads\').workerData.awsCdkLib = \'/no/such/aws-cdk-lib\';',
      `require(${JSON.stringify(path.join(ROOT, 'bin', 'app', 'validation-worker.js'))});`,
    ].join('\n'));
    const validation = ParallelCloudFormationValidation.start({ workerFile: broken, waitMs: 60_000 })!;
    const { app, stack } = appWithFindings();
    addBadBucket(stack);
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    expect(synthFindings(app)).toEqual(expected);
    expect(here).toHaveBeenCalledTimes(1);
  });

  test('a missing worker script leaves the validation here', () => {
    const validation = ParallelCloudFormationValidation.start({ workerFile: path.join(os.tmpdir(), 'no-such-worker.js') })!;
    const { app, stack } = appWithFindings();
    addBadBucket(stack);
    validation.addTo(app);
    const here = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    expect(synthFindings(app)).toEqual(expected);
    expect(here).toHaveBeenCalledTimes(1);
  });

  test('CDK_VALIDATION=false, which turns off aws-cdk-lib\'s validation, starts no worker', () => {
    process.env.CDK_VALIDATION = 'false';
    try {
      expect(ParallelCloudFormationValidation.start()).toBeUndefined();
    } finally {
      delete process.env.CDK_VALIDATION;
    }
  });
});
