import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newTestApp, synthFindings } from './synth';

describe('the synth harness', () => {
  test('reports cdk-nag findings with their rule and construct path', () => {
    const app = newTestApp();
    new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    const findings = synthFindings(app);
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
    expect(findings.find((f) => f.rule === 'AwsSolutions-S1')?.paths).toEqual(['Plain/Bucket/Resource']);
  });

  test('an acknowledgement on the construct removes exactly that finding', () => {
    const app = newTestApp();
    const bucket = new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' });
    const rules = synthFindings(app).map((f) => f.rule);
    expect(rules).not.toContain('AwsSolutions-S1');
    expect(rules).toContain('AwsSolutions-S10');
  });

  test('reports CloudFormation rule violations', () => {
    const app = newTestApp();
    const bucket = new s3.Bucket(new Stack(app, 'Broken'), 'Bucket');
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('NotAProperty', true);
    const finding = synthFindings(app).find((f) => f.plugin === 'CloudFormation Validate');
    expect(finding).toMatchObject({ severity: 'error', paths: ['Broken/Bucket/Resource'] });
  });

  test('runs the NIST 800-53 rev 5 and HIPAA packs when regulated', () => {
    const app = newTestApp();
    new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    const plugins = new Set(synthFindings(app, { regulated: true }).map((f) => f.plugin));
    expect([...plugins]).toEqual(expect.arrayContaining(['NIST.800.53.R5', 'HIPAA.Security']));
  });
});
