import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ArtifactStore } from '../../constructs/versioning';
import { DataScienceStack, NetworkProfile } from '../../lib';
import { statefulGuard } from '../../bin/stateful-guard/command';
import { networkProfileChange, statefulLosses } from '../../bin/stateful-guard/stateful-changes';
import { ROOT } from '../support/cli';
import { newTestApp } from '../support/synth';

const synthTeam = (network?: NetworkProfile) => Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', network })).toJSON();
const teams = new Map<NetworkProfile | undefined, any>();
/** The team stack's template with each profile, synthesized once in this file: the tests below only read it. */
const teamTemplate = (network?: NetworkProfile) => teams.get(network) ?? teams.set(network, synthTeam(network)).get(network);
const storeTemplate = (id: string, props = {}) => {
  const stack = new Stack(newTestApp(), 'Store');
  new ArtifactStore(stack, id, props);
  return Template.fromStack(stack).toJSON();
};

describe('the stateful guard', () => {
  test('passes a deploy of the same code', () => {
    expect(statefulLosses(teamTemplate(), synthTeam())).toEqual([]);
  });

  test('passes a deploy that only adds stateful resources or changes them in place', () => {
    const before = storeTemplate('Artifacts');
    const after = storeTemplate('Artifacts', { noncurrentVersionRetentionDays: 365, intelligentTieringAfterDays: 90 });
    expect(statefulLosses(before, after)).toEqual([]);
    expect(statefulLosses(before, { Resources: { ...before.Resources, ...storeTemplate('More').Resources } })).toEqual([]);
  });

  test('catches a renamed construct: the old bucket and key would leave the stack', () => {
    const losses = statefulLosses(storeTemplate('Artifacts'), storeTemplate('Store'));
    expect(losses.map((l) => l.type).sort()).toEqual(['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::S3::Bucket']);
    expect(losses.every((l) => l.impact === 'WILL_ORPHAN')).toBe(true); // retained: orphaned, not deleted, still out of the stack
  });

  test('catches turning Object Lock on for a deployed store, which CloudFormation does by replacing the bucket', () => {
    const losses = statefulLosses(storeTemplate('Artifacts'), storeTemplate('Artifacts', { objectLockRetentionDays: 30 }));
    expect(losses).toEqual([{ logicalId: expect.stringMatching(/^ArtifactsBucket/), type: 'AWS::S3::Bucket', impact: 'WILL_REPLACE' }]);
  });

  test('catches a change that replaces a stateful resource', () => {
    const before = teamTemplate();
    const after = JSON.parse(JSON.stringify(before));
    const tableId = Object.keys(after.Resources).find((id) => after.Resources[id].Type === 'AWS::DynamoDB::Table')!;
    after.Resources[tableId].Properties.KeySchema[0].AttributeName = 'project';
    expect(statefulLosses(before, after)).toEqual([{ logicalId: tableId, type: 'AWS::DynamoDB::Table', impact: 'WILL_REPLACE' }]);
  });

  test('catches a deleted resource whose policy lets it be destroyed', () => {
    const before = storeTemplate('Artifacts', { removalPolicy: 'destroy' as any });
    const after = { Resources: {} };
    expect(statefulLosses(before, after).filter((l) => l.type === 'AWS::S3::Bucket').map((l) => l.impact)).toContain('WILL_DESTROY');
  });

  test('refuses a change of network profile, in either direction, and passes the same profile', () => {
    const [open, nat, closed] = [teamTemplate(), teamTemplate(NetworkProfile.NAT), teamTemplate(NetworkProfile.PRIVATE)];
    expect(networkProfileChange(open, closed)).toEqual({ vpcLogicalId: expect.stringMatching(/^NetworkVpc/), from: 'public', to: 'private' });
    expect(networkProfileChange(closed, nat)).toMatchObject({ from: 'private', to: 'nat' });
    expect(networkProfileChange(nat, teamTemplate(NetworkProfile.NAT))).toBeUndefined();
    expect(networkProfileChange(open, teamTemplate())).toBeUndefined();
    // the data itself would stay: no profile replaces a stateful resource
    expect(statefulLosses(open, closed)).toEqual([]);
  });

  test('counts a DynamoDB global table as stateful, as it counts a table', () => {
    const table = (name: string) => ({ Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: name }, DeletionPolicy: 'Delete' });
    expect(statefulLosses({ Resources: { Runs: table('runs') } }, { Resources: {} }))
      .toEqual([{ logicalId: 'Runs', type: 'AWS::DynamoDB::GlobalTable', impact: 'WILL_DESTROY' }]);
  });

  test('sees no profile change where the VPC leaves the stack, or where a VPC has no properties (the untagged public profile)', () => {
    const open = teamTemplate();
    const vpcId = Object.keys(open.Resources).find((id) => open.Resources[id].Type === 'AWS::EC2::VPC')!;
    // a VPC removed is a deletion, which the losses report, not a change of profile
    expect(networkProfileChange(open, { Resources: {} })).toBeUndefined();
    const bare = { Resources: { [vpcId]: { Type: 'AWS::EC2::VPC' } } };
    expect(networkProfileChange(bare, open)).toBeUndefined();
    expect(networkProfileChange(bare, teamTemplate(NetworkProfile.PRIVATE))).toMatchObject({ from: 'public', to: 'private' });
  });

  test('as a command, exits 1 and names each loss, 2 without two readable templates, or 0', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    const write = (name: string, template: object) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify(template));
      return file;
    };
    const deployed = write('deployed.json', storeTemplate('Artifacts'));
    const renamed = write('renamed.json', storeTemplate('Store'));
    const bad = statefulGuard([deployed, renamed]);
    expect(bad).toMatchObject({ status: 1, stdout: '' });
    expect(bad.stderr).toContain('would lose 3 stateful resource(s):');
    expect(bad.stderr).toMatch(/\n {2}ArtifactsBucket\w+ \(AWS::S3::Bucket\): WILL_ORPHAN\n/);
    expect(bad.stderr).toMatch(/\nKeep their construct ids and replace-only properties, or migrate the data first\.\n$/);
    expect(statefulGuard([deployed, write('same.json', storeTemplate('Artifacts'))]))
      .toEqual({ status: 0, stdout: 'stateful-guard: no stateful resource would be replaced or deleted\n', stderr: '' });
    expect(statefulGuard([deployed, path.join(dir, 'missing.json')]))
      .toEqual({ status: 2, stdout: '', stderr: expect.stringMatching(/^stateful-guard: cannot read a JSON template from .*missing\.json: ENOENT/) });
    expect(statefulGuard([deployed])).toEqual({ status: 2, stdout: '', stderr: 'usage: stateful-guard <deployed template.json> <new template.json>\n' });
    const switched = statefulGuard([write('team.json', teamTemplate()), write('nat.json', teamTemplate(NetworkProfile.NAT))]);
    expect(switched.status).toBe(1);
    expect(switched.stderr).toContain('from "public" to "nat"');
    expect(switched.stderr).toContain('Deploy with the deployed profile (-c network=public), or deploy the new profile as a new stack '
      + 'and move the data (docs/network.md).\n');
    // the command line passes on what it says and its exit code
    const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/stateful-guard.ts', deployed, renamed], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual(bad);
  });
});
