import * as fs from 'fs';
import * as path from 'path';
import { DataScienceStack, DataScienceStage, NetworkProfile } from '../lib';
import { STATEFUL_RESOURCE_TYPES } from '../bin/stateful-guard/stateful-changes';
import { statefulResources } from './support/stateful';
import { newTestApp } from './support/synth';

/**
 * The reviewed list of stateful logical ids of the default stack. A refactor that changes
 * one would make CloudFormation replace the resource and lose its data, so it fails here.
 * After adding a stateful resource on purpose, regenerate the list with
 * `PIN_STATEFUL_IDS=1 npx jest test/stateful-ids.test.ts` and review its diff.
 */
const PIN_FILE = path.join(__dirname, 'stateful-ids.json');

function defaultStack(stage: DataScienceStage, network?: NetworkProfile): Record<string, string> {
  return statefulResources(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', stage, network }));
}

describe('stateful logical ids', () => {
  let current: Record<string, string>;
  let pinned: Record<string, string>;
  beforeAll(() => {
    current = defaultStack(DataScienceStage.DEV);
    if (process.env.PIN_STATEFUL_IDS === '1') {
      if (process.env.CI) {
        throw new Error('PIN_STATEFUL_IDS rewrites the reviewed list; run it by hand, never in CI');
      }
      fs.writeFileSync(PIN_FILE, `${JSON.stringify(current, null, 2)}\n`);
    }
    // read after a PIN_STATEFUL_IDS rewrite
    pinned = JSON.parse(fs.readFileSync(PIN_FILE, 'utf8'));
  });

  test('the reviewed list holds only stateful resources, of every stateful kind the stack has', () => {
    expect(Object.values(pinned).every((type) => STATEFUL_RESOURCE_TYPES.includes(type))).toBe(true);
    expect(new Set(Object.values(pinned))).toEqual(new Set([
      'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::ECR::Repository',
      'AWS::DynamoDB::Table', 'AWS::SageMaker::ModelPackageGroup',
    ]));
  });

  test('no pinned resource disappears or changes type (that would replace it)', () => {
    const lost = Object.entries(pinned)
      .filter(([id, type]) => current[id] !== type)
      .map(([id, type]) => `${id} (${type})`);
    expect(lost).toEqual([]);
  });

  test('every stateful resource of the stack is in the reviewed list', () => {
    const unpinned = Object.keys(current).filter((id) => !(id in pinned));
    expect(unpinned).toEqual([]);
  });

  test.each([DataScienceStage.STAGING, DataScienceStage.PROD])('%s has the same stateful ids as dev', (stage) => {
    expect(defaultStack(stage)).toEqual(current);
  });

  test.each([NetworkProfile.NAT, NetworkProfile.PRIVATE])('network %s has the same stateful ids as public', (network) => {
    expect(defaultStack(DataScienceStage.DEV, network)).toEqual(current);
  });
});
