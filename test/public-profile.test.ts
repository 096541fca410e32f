import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack } from '../lib';
import { newTestApp } from './support/synth';

/**
 * Every logical id and type of the default (`public`) stack, reviewed. The network profiles
 * were added without changing it; a change that adds or renames a resource of the default
 * stack on purpose regenerates it with `PIN_DEFAULT_IDS=1 npx jest test/public-profile.test.ts`
 * and reviews the diff.
 */
const PIN_FILE = path.join(__dirname, 'default-resource-ids.json');

describe('the default (public) stack', () => {
  let current: Record<string, string>;
  beforeAll(() => {
    const resources = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science' })).toJSON().Resources;
    current = Object.fromEntries(Object.entries<{ Type: string }>(resources)
      .map(([id, r]) => [id, r.Type] as [string, string])
      .sort(([a], [b]) => a.localeCompare(b)));
    if (process.env.PIN_DEFAULT_IDS === '1') {
      if (process.env.CI) {
        throw new Error('PIN_DEFAULT_IDS rewrites the reviewed list; run it by hand, never in CI');
      }
      fs.writeFileSync(PIN_FILE, `${JSON.stringify(current, null, 2)}\n`);
    }
  });

  test('keeps every resource, logical id and type of the reviewed list, and adds none', () => {
    expect(current).toEqual(JSON.parse(fs.readFileSync(PIN_FILE, 'utf8')));
  });
});
