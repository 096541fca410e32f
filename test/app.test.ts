import * as fs from 'fs';
import * as path from 'path';
import { cdk } from './support/cli';
import { synthDefaultApp } from './support/synth';
import { daysFromToday } from '../constructs/core/dates';

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

  // the same code in this process: each `-c key=value` as the CLI passes it, a string
  test('team and stage come from context', () => {
    const { app, validation } = synthDefaultApp({ team: 'fraud-models', stage: 'prod' });
    expect(validation.findings).toEqual([]);
    const template = fs.readFileSync(path.join(app.outdir, 'fraud-models-prod.template.json'), 'utf8');
    expect(template).toContain('fraud_models_prod_raw');
  });

  test('-c stages=all puts dev, staging and prod in one assembly, each in its own account and region when given, with no lookup', () => {
    const accounts = Object.fromEntries(['dev', 'staging', 'prod'].flatMap((s, i) => [[`${s}.account`, `${i + 1}${i + 1}${i + 1}${i + 1}11111111`], [`${s}.region`, `eu-west-${i + 1}`]]));
    const { app, validation } = synthDefaultApp({ stages: 'all', promotion: 'true', ...accounts });
    expect(validation.findings).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['data-science-dev'].environment).toBe('aws://111111111111/eu-west-1');
    expect(manifest.artifacts['data-science-prod'].environment).toBe('aws://333311111111/eu-west-3');
    expect(manifest.missing ?? []).toEqual([]); // nothing to look up in AWS
  });

  test('-c sandbox adds that project\'s sandbox beside the team stack, expiring in 14 days', () => {
    const { app, validation } = synthDefaultApp({ 'sandbox': 'churn', 'owner': 'ana.lima', 'sandboxReadsCurated': 'true' });
    expect(validation.findings).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    const sandbox = manifest.artifacts['data-science-dev-sandbox-churn-ana-lima'];
    expect(sandbox.type).toBe('aws:cloudformation:stack');
    const expires = daysFromToday(14);
    expect(sandbox.properties.tags).toMatchObject({ 'project': 'churn', 'owner': 'ana.lima', 'expires-on': expires });
    // -c sandboxReadsCurated=true: the project role reads the team's curated zone
    const template = fs.readFileSync(path.join(app.outdir, sandbox.properties.templateFile), 'utf8');
    expect(template).toContain('/cdk-data-science/data-science/dev/curated-database-name');
  });

  test('-c network=private gives the team stack isolated subnets and interface endpoints', () => {
    const { app, validation } = synthDefaultApp({ network: 'private' });
    expect(validation.findings).toEqual([]);
    const template = JSON.parse(fs.readFileSync(path.join(app.outdir, 'data-science-dev.template.json'), 'utf8'));
    const types = Object.values<{ Type: string; Properties: any }>(template.Resources);
    expect(types.filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties.VpcEndpointType === 'Interface')).toHaveLength(22);
    expect(types.filter((r) => r.Type === 'AWS::EC2::InternetGateway')).toHaveLength(0);
  });

  test('-c replicaRegion adds the replica stack in that region, which the team stack deploys after', () => {
    const { app, validation } = synthDefaultApp({ stage: 'prod', replicaRegion: 'us-west-2' });
    expect(validation.findings).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['data-science-prod-replica'].environment).toBe('aws://unknown-account/us-west-2');
    expect(manifest.artifacts['data-science-prod'].dependencies).toContain('data-science-prod-replica');
    expect(manifest.missing ?? []).toEqual([]);
  });

  // each message is asserted in-process by test/bin/app-context.test.ts; this proves the command line prints them
  test('mistaken -c flags fail the synth with every mistake named, one per line, and no stack trace', () => {
    const result = cdk('synth', '-c', 'stages=all', '-c', 'promotion=true', '-c', 'dev.account=111111111111',
      '-c', 'team=Fraud_Models', '-c', 'network=isolated', '--quiet');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('-c dev.region = undefined: promotion deploys each stage to its own account and region');
    expect(result.stderr).toContain('-c prod.account = undefined');
    expect(result.stderr).toContain('-c team = "Fraud_Models": use lowercase letters, digits and single hyphens');
    expect(result.stderr).toContain('-c network = "isolated": use one of "public", "nat", "private"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
