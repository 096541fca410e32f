import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { DataScienceStack, DataScienceStage, NetworkProfile } from '../../lib';
import { PRICES } from './prices';
import { dollars, idleCostOf, StackIdleCost } from './report';

/** The idle cost of a stack built in a fresh app with the repository's cdk.json context. */
function costOf(build: (app: App) => Stack[]): StackIdleCost[] {
  const cdkJson = path.join(__dirname, '..', '..', 'cdk.json');
  const context = fs.existsSync(cdkJson) ? JSON.parse(fs.readFileSync(cdkJson, 'utf8')).context : {};
  const app = new App({ context });
  const stacks = build(app);
  const assembly = app.synth();
  return stacks.map((stack) => idleCostOf(stack.stackName, assembly.getStackByName(stack.stackName).template));
}

/**
 * The README's table: the default team stack in each network profile, and what a replica
 * region adds, as the report prices them.
 */
export function profileTable(): string {
  const rows = Object.values(NetworkProfile).map((network) => {
    const [cost] = costOf((app) => [new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science', network })]);
    const what = cost.lines.map((line) => `${line.what}: ${line.count}`).join('; ');
    return `| \`${network}\` | ${what} | ${dollars(cost.monthly)} |`;
  });
  const replica = costOf((app) => {
    const team = new DataScienceStack(app, 'data-science-prod', { teamName: 'data-science', stage: DataScienceStage.PROD, replicaRegion: 'us-west-2' });
    return [team.replica!];
  })[0];
  return [
    `Idle cost per month of the default team stack, at ${PRICES.region} prices of ${PRICES.date} (\`npm run cost -- --profiles\`):`,
    '',
    '| network | what bills while nothing runs | per month |',
    '|---|---|---|',
    ...rows,
    '',
    `A replica stack (\`replicaRegion\`) adds ${replica.lines.map((line) => `${line.what}: ${line.count}`).join('; ')}, `
      + `${dollars(replica.monthly)} a month, before storage.`,
  ].join('\n');
}
