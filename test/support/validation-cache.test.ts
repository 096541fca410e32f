import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newTestApp, synthValidation, Validation } from './synth';
import { VALIDATION_CACHE_ENV } from './validation-cache';

describe('the validation cache', () => {
  const given = process.env[VALIDATION_CACHE_ENV];
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-cache-test-'));
    process.env[VALIDATION_CACHE_ENV] = dir;
  });
  afterEach(() => {
    process.env[VALIDATION_CACHE_ENV] = given;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function bucketApp(acknowledge = false): Validation {
    const app = newTestApp();
    const bucket = new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    if (acknowledge) {
      Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'the cache must tell this app apart' });
    }
    return synthValidation(app);
  }

  test('a second app with the same templates gets the same report, from the cache', () => {
    const first = bucketApp();
    const reports = fs.readdirSync(dir);
    expect(reports.length).toBeGreaterThanOrEqual(3); // CloudFormation rules, AwsSolutions, Serverless
    const second = bucketApp();
    expect(fs.readdirSync(dir)).toEqual(reports);
    expect(second).toEqual(first);
    expect(second.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  test('an acknowledgement makes another report, not the cached one', () => {
    expect(bucketApp().findings.map((f) => f.rule)).toContain('AwsSolutions-S1');
    const reports = fs.readdirSync(dir).length;
    const acknowledged = bucketApp(true);
    expect(acknowledged.findings.map((f) => f.rule)).not.toContain('AwsSolutions-S1');
    expect(acknowledged.findings.map((f) => f.rule)).toContain('AwsSolutions-S10');
    // a new report of each cdk-nag pack; the CloudFormation rules read the same template
    expect(fs.readdirSync(dir).length).toBe(reports + 2);
  });
});
