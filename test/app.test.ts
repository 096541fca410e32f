import * as fs from 'fs';
import * as path from 'path';
import { cdk } from './support/cli';

describe('bin/app.ts through the CDK CLI', () => {
  test('`cdk synth` prints the template of the default DataScienceStack, environment-agnostic', () => {
    const result = cdk('synth');
    expect(result.stderr).not.toMatch(/ERROR|WARNING/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Description: Data-science stack of team data-science (dev)');
    expect(result.stdout).toContain('AWS::Batch::JobQueue');
    const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['data-science-dev'].environment).toBe('aws://unknown-account/unknown-region');
  });

  test('team and stage come from context', () => {
    const result = cdk('synth', '-c', 'team=fraud-models', '-c', 'stage=prod', '--quiet');
    expect(result.status).toBe(0);
    const template = fs.readFileSync(path.join(result.outdir, 'fraud-models-prod.template.json'), 'utf8');
    expect(template).toContain('fraud_models_prod_raw');
  });

  test.each([
    ['stage=qa', '-c stage = "qa": use one of "dev", "staging", "prod"'],
    ['team=Fraud_Models', '-c team = "Fraud_Models": use lowercase letters, digits and single hyphens'],
  ])('-c %s fails with one clear error and no stack trace', (context, message) => {
    const result = cdk('synth', '-c', context, '--quiet');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
