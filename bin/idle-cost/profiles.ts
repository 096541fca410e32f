import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { DataScienceStack, DataScienceStage, NetworkProfile, ProjectSandboxStack } from '../../lib';
import { daysFromToday } from '../../constructs/core/dates';
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
  const [plain, withNotebooks, sandbox] = costOf((app) => {
    const notebooks = new DataScienceStack(app, 'data-science-dev-notebooks', { teamName: 'data-science', notebooks: {} });
    const owner = new ProjectSandboxStack(app, 'sandbox', {
      teamName: 'data-science', projectName: 'churn', owner: 'ana.lima', notebook: true, expiresOn: daysFromToday(7),
    });
    return [new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' }), notebooks, owner];
  });
  const describe = (lines: { what: string; count: number; monthly?: number }[]) => lines
    .map((line) => `${line.what}: ${line.count}${line.monthly === undefined ? ' (not priced)' : ''}`).join('; ');
  return [
    `Idle cost per month of the default team stack, at ${PRICES.region} prices of ${PRICES.date} (\`npm run cost -- --profiles\`):`,
    '',
    '| network | what bills while nothing runs | per month |',
    '|---|---|---|',
    ...rows,
    '',
    `A replica stack (\`replicaRegion\`) adds ${replica.lines.map((line) => `${line.what}: ${line.count}`).join('; ')}, `
      + `${dollars(replica.monthly)} a month, before storage.`,
    '',
    `Notebooks (\`notebooks\`, \`-c notebooks=true\`) add ${dollars(withNotebooks.monthly - plain.monthly)} a month to the team stack: `
      + `the domain bills nothing, its home file system what it holds ($${PRICES.efsStandardGbMonth.toFixed(2)} per GB-month, EFS Standard). `
      + `A person's sandbox with a notebook bills ${describe(sandbox.lines)}: ${dollars(sandbox.monthly)} a month and the volume, `
      + 'the notebook adding only its space\'s volume, which bills while the space exists. Its JupyterLab bills by the hour while it runs '
      + 'and stops after the idle timeout.',
  ].join('\n');
}
