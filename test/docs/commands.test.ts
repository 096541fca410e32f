/**
 * Every command of the README and the tutorial, in order. What runs offline runs: `npx cdk synth`
 * (in-process, as bin/app.ts does), `npm run cost` on that assembly (its command, in-process),
 * and `dsi` against stack outputs recorded from the synthesized stack, with Step Functions
 * answering from its synthesized definition. What needs AWS, Docker or Python is read: the stacks
 * it deploys or destroys exist in its app, the outputs its `jq` reads exist in that stack, the
 * scripts and files it names exist.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { App, Stack } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { addStacksFromContext } from '../../bin/app/stacks-from-context';
import { main as dsi } from '../../bin/dsi';
import { idleCost } from '../../bin/idle-cost/command';
import { CompliancePacks } from '../../constructs/core/compliance';
import { servedModelStack } from '../../examples/served-model/served-model';
import { definitionOf } from '../../scripts/diagrams';
import { ROOT } from '../support/cli';
import { cdkCommand, readPage, shellCommands } from '../support/doc-commands';
import { cdkJsonContext } from '../support/synth';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const REGION = 'us-east-1';
const STATE_MACHINE = `arn:aws:states:${REGION}:111111111111:stateMachine:ExampleWorkflow`;
const PLACEHOLDERS = {
  '<run id>': 'manual-20261201-100000-0a1b',
  '<ModelPackageArn>': `arn:aws:sagemaker:${REGION}:111111111111:model-package/data-science-dev-example/1`,
};

interface Synthesized {
  readonly outdir: string;
  /** Each stack's template, by stack name. */
  readonly templates: Record<string, any>;
}

const made = new Map<string, Synthesized>();

/**
 * What `npx cdk synth` with these flags makes: bin/app.ts's stacks, cdk.json's feature flags, and with
 * `checked` the rule packs, which fail synthesis on a finding. Once per flags.
 */
function synthApp(context: Record<string, string>, checked: boolean): Synthesized {
  return once(`app ${checked} ${JSON.stringify(context)}`, () => {
    const app = newApp(context);
    addStacksFromContext(app);
    return assembled(app, checked);
  });
}

/** examples/served-model/app.ts, as the tutorial deploys it (examples.test.ts runs its rule packs). */
function synthServedModel(context: Record<string, string>): Synthesized {
  return once(`served ${JSON.stringify(context)}`, () => {
    const app = newApp(context);
    servedModelStack(app);
    return assembled(app, false);
  });
}

function once(key: string, synth: () => Synthesized): Synthesized {
  if (!made.has(key)) {
    made.set(key, synth());
  }
  return made.get(key)!;
}

const newApp = (context: Record<string, string>) =>
  new App({ context: { ...cdkJsonContext(), ...context }, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'docs-synth-')) });

function assembled(app: App, checked: boolean): Synthesized {
  if (checked) {
    CompliancePacks.addTo(app);
  }
  const assembly = app.synth();
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));
  return { outdir: assembly.directory, templates: Object.fromEntries(stacks.map((s) => [s.stackName, assembly.getStackByName(s.stackName).template])) };
}

/** A `cdk deploy --outputs-file` file as the stack would write it, one made-up value per output. */
function recordedOutputs(templates: Record<string, any>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docs-outputs-')), 'outputs.json');
  const recorded = Object.fromEntries(Object.entries(templates).map(([name, template]) => [name, Object.fromEntries(
    Object.keys(template.Outputs ?? {}).map((key) => [key, {
      Region: REGION,
      Workflows: JSON.stringify({ example: STATE_MACHINE }),
    }[key] ?? `recorded-${key}`]),
  )]));
  fs.writeFileSync(file, JSON.stringify(recorded));
  return file;
}

/** Step Functions, answering for the example workflow as the synthesized stack defines it: every run succeeds. */
function stepFunctions(template: any): SFNClient {
  const client = new SFNClient({ region: REGION });
  const mock = mockClient(client);
  const machine = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine'
    && JSON.stringify(r.Properties.DefinitionString).includes('Workflow example'));
  mock.on(DescribeStateMachineCommand).resolves({ definition: JSON.stringify(definitionOf(machine)) });
  mock.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE.replace('stateMachine', 'execution')}:manual-001`, startDate: new Date() });
  mock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
  mock.on(GetExecutionHistoryCommand).resolves({ events: [] });
  mock.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: 'x', stateMachineArn: STATE_MACHINE, name: 'manual-001', status: 'SUCCEEDED', startDate: new Date(0), stopDate: new Date(60_000) }] });
  return client;
}

/** The words of a command, quotes removed. */
const words = (line: string) => (line.match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^['"]|['"]$/g, ''));

/** What a page's commands ran or read: one line each, so a test can show a command that was not checked. */
async function checkCommands(page: string): Promise<string[]> {
  const checked: string[] = [];
  let synthesized: Synthesized | undefined;
  let deployed: Synthesized | undefined;
  let outputsFile: string | undefined;
  // a placeholder the reader fills in from an earlier command's answer stands for such an answer
  const lines = shellCommands(readPage(page)).map((l) => Object.entries(PLACEHOLDERS).reduce((text, [from, to]) => text.split(from).join(to), l));
  for (const line of lines) {
    const [tool, verb, ...rest] = words(line);
    if (line === 'npm ci') {
      const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages[''];
      expect({ devDependencies: lock.devDependencies, peerDependencies: lock.peerDependencies })
        .toEqual({ devDependencies: pkg.devDependencies, peerDependencies: pkg.peerDependencies });
      checked.push(`${line}: the lock file installs package.json's dependencies`);
    } else if (line === 'npm test') {
      expect(pkg.scripts.test).toBe('tsx scripts/test.ts');
      const script = fs.readFileSync(path.join(ROOT, 'scripts', 'test.ts'), 'utf8');
      expect(script).toContain("spawn(bin('tsgo'), ['--noEmit', '--singleThreaded', '-p', 'tsconfig.json']");
      expect(script).toContain("bin('jest'), ...process.argv.slice(2)]");
      checked.push(`${line}: type-checks beside these tests`);
    } else if (tool === 'npx' && verb === 'cdk') {
      const command = cdkCommand(line);
      if (command.verb === 'synth') {
        synthesized = synthApp(command.context, true);
        checked.push(`${line}: synthesized ${Object.keys(synthesized.templates).join(', ')}`);
      } else if (command.verb === 'bootstrap') {
        expect(command.stacks).toEqual([]);
        checked.push(`${line}: needs an account`);
      } else {
        const app = command.app === 'npx tsx examples/served-model/app.ts' ? synthServedModel(command.context)
          : command.app === undefined ? synthApp(command.context, false) : undefined;
        expect({ line, app: app ? 'known' : command.app }).toEqual({ line, app: 'known' });
        const stacks = command.stacks.length ? command.stacks : Object.keys(app!.templates);
        expect({ line, stacks: Object.keys(app!.templates) }).toEqual({ line, stacks: expect.arrayContaining(stacks) });
        if (command.verb === 'deploy') {
          deployed = app;
          outputsFile = line.includes('--outputs-file') ? recordedOutputs(app!.templates) : outputsFile;
        }
        checked.push(`${line}: ${command.verb} ${stacks.join(', ')} of its app`);
      }
    } else if (tool === 'npm' && verb === 'run') {
      const [script, dashes, ...args] = rest;
      expect({ line, script: pkg.scripts[script] === undefined ? 'missing' : 'exists' }).toEqual({ line, script: 'exists' });
      expect(dashes === undefined || dashes === '--').toBe(true);
      if (script === 'cost') {
        const report = idleCost(['--assembly', synthesized!.outdir, ...args]);
        expect(report.status).toBe(0);
        // the page says what the report prints, for each stack
        for (const [, stack, cost] of report.stdout.matchAll(/^(\S+): (\$[\d.]+)/gm)) {
          expect(readPage(page)).toContain(`${stack}: ${cost}`);
        }
        checked.push(`${line}: ran on the synthesized assembly`);
      } else if (script === 'dsi') {
        const argv = args.map((a) => a === 'outputs.json' ? outputsFile! : a);
        const printed: string[] = [];
        const status = await dsi(argv, {
          sfn: stepFunctions(Object.values(deployed!.templates)[0]),
          cloudformation: new CloudFormationClient({ region: REGION }),
          print: (l) => printed.push(l),
          sleep: async () => undefined,
          now: () => new Date('2026-12-01T10:00:00Z'),
        });
        expect({ line, status, printed: printed.length > 0 }).toEqual({ line, status: 0, printed: true });
        checked.push(`${line}: ran against the recorded outputs`);
      } else {
        checked.push(`${line}: a script of package.json`);
      }
    } else if (['aws', 'docker', 'python3', 'cat', 'export'].includes(tool) || /^[A-Z_]+=/.test(tool)) {
      // needs AWS, Docker or Python: each output it reads from outputs.json is one the deployed stack has
      for (const [, stack, output] of line.matchAll(/jq -r '\."([^"]+)"\.(\w+)' outputs\.json/g)) {
        expect({ line, output: deployed?.templates[stack]?.Outputs?.[output] ? 'exists' : 'missing' }).toEqual({ line, output: 'exists' });
      }
      checked.push(`${line}: needs AWS, Docker or Python; its outputs exist`);
    } else {
      checked.push(`UNCHECKED ${line}`);
    }
  }
  return checked;
}

describe.each(['README.md', 'docs/tutorial.md'])('the commands of %s', (page) => {
  test('run offline where they can, and name what exists where they cannot; none is left unchecked', async () => {
    const checked = await checkCommands(page);
    expect(checked.length).toBeGreaterThan(1);
    expect(checked.filter((c) => c.startsWith('UNCHECKED'))).toEqual([]);
  });
});

test('the tutorial deploys, runs, watches, approves, serves and tears down, in that order', () => {
  const commands = shellCommands(readPage('docs/tutorial.md'));
  const order = ['npx cdk synth', 'npx cdk bootstrap', 'npx cdk deploy', 'docker push', 'aws s3 cp events.parquet', 'npm run dsi -- run example',
    'npm run dsi -- runs example', 'update-model-package', 'invoke-endpoint', 'npx cdk destroy'];
  const at = order.map((start) => commands.findIndex((c) => c.includes(start)));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
});

test('the tutorial says what stays after the teardown: every stateful resource the stack retains', () => {
  const retained = new Set(Object.values<string>(JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'stateful-ids.json'), 'utf8'))));
  const words = { 'AWS::S3::Bucket': 'buckets', 'AWS::KMS::Key': 'key', 'AWS::Glue::Database': 'Glue databases', 'AWS::Glue::Table': 'table',
    'AWS::ECR::Repository': 'image repository', 'AWS::DynamoDB::Table': 'run registry', 'AWS::SageMaker::ModelPackageGroup': 'model package group',
    'AWS::Logs::LogGroup': 'log groups' } as Record<string, string>;
  const teardown = readPage('docs/tutorial.md').split('## 10.')[1];
  expect([...retained].filter((type) => !words[type] || !teardown.includes(words[type]))).toEqual([]);
});
