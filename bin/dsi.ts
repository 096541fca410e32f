#!/usr/bin/env node
/**
 * dsi: run and watch the team stack's workflows.
 *
 *   dsi workflows
 *   dsi run <workflow> [--input FILE] [--wait]
 *   dsi runs <workflow> [--max N]
 *   dsi logs <run> --workflow <workflow>
 *   dsi metaflow-config [--out FILE]
 *   dsi notebook --stack <sandbox stack> [--studio]
 *
 * Every command takes --stack NAME (default: $DSI_STACK, else data-science-dev) and
 * --outputs FILE (a `cdk deploy --outputs-file` file, to read the stack offline).
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Io, listRuns, listWorkflows, logs, run } from './dsi/commands';
import { asDsiError, DsiError, RETRY } from './dsi/errors';
import { metaflowConfig, parallelQueueNote, writeMetaflowConfig } from './dsi/metaflow-config';
import { openNotebook } from './dsi/notebook';
import { stackOutputs } from './dsi/stack-outputs';

const USAGE = `usage:
  dsi workflows
  dsi run <workflow> [--input FILE] [--wait]
  dsi runs <workflow> [--max N]
  dsi logs <run> --workflow <workflow>
  dsi metaflow-config [--out FILE]
  dsi notebook --stack <sandbox stack> [--studio]
options: --stack NAME (default $DSI_STACK or data-science-dev), --outputs FILE (cdk deploy --outputs-file)`;

/** Each command, and what it takes as its one argument, if anything. */
const COMMANDS: Record<string, string | undefined> = {
  'workflows': undefined, 'run': 'the workflow to run', 'runs': 'the workflow', 'logs': 'the run id', 'metaflow-config': undefined,
  'notebook': undefined,
};

const OPTIONS = {
  stack: { type: 'string' },
  outputs: { type: 'string' },
  input: { type: 'string' },
  wait: { type: 'boolean', default: false },
  max: { type: 'string' },
  workflow: { type: 'string' },
  out: { type: 'string' },
  studio: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** Runs one dsi command; returns the exit code. Each mistake is one line on stderr, starting `dsi: `. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    const [command, argument, ...extra] = positionals;
    if (command === undefined || values.help) {
      io.print(USAGE);
      return values.help ? 0 : 2;
    }
    if (!(command in COMMANDS)) {
      throw new DsiError(`unknown command "${command}": the commands are ${Object.keys(COMMANDS).join(', ')} (dsi --help shows how to call them)`, true);
    }
    const takes = COMMANDS[command];
    if ((takes === undefined && argument !== undefined) || extra.length > 0) {
      throw new DsiError(`${command} takes ${takes ? `one argument, ${takes}` : 'no argument'}; remove ${[...(takes ? [] : [argument]), ...extra].map((a) => `"${a}"`).join(' ')}`, true);
    }
    const stack = { stack: values.stack ?? defaultStack(), outputsFile: values.outputs };
    switch (command) {
      case 'workflows':
        await listWorkflows(io, stack);
        return 0;
      case 'run':
        return await run(io, { ...stack, workflow: required(argument, takes!), inputFile: values.input, wait: values.wait });
      case 'runs':
        await listRuns(io, { ...stack, workflow: required(argument, takes!), max: values.max === undefined ? undefined : count(values.max) });
        return 0;
      case 'metaflow-config': {
        const outputs = await stackOutputs(io, stack);
        writeMetaflowConfig(metaflowConfig(outputs, stack.stack), io.print, values.out, parallelQueueNote(outputs));
        return 0;
      }
      case 'notebook':
        // in the region the other clients use, --outputs' included
        await openNotebook({ ...io, sagemaker: new SageMakerClient({ ...RETRY, region: io.sfn.config.region }) }, { ...stack, studio: values.studio });
        return 0;
      default:
        await logs(io, { ...stack, run: required(argument, takes!), workflow: required(values.workflow, '--workflow <workflow>') });
        return 0;
    }
  } catch (error) {
    const known = asDsiError(error);
    if (known) {
      console.error(`dsi: ${known.message}`);
      return known.usage ? 2 : 1;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new DsiError(`unknown option ${/'([^']+)'/.exec(message)?.[1] ?? ''}: the options are ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`, true);
    }
    throw new DsiError(message.replace(/^Option/, 'option'), true);
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) {
    throw new DsiError(`give ${what}; dsi --help shows how`, true);
  }
  return value;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) {
    throw new DsiError(`--max ${value} is not a number of runs: give a whole number from 1 to 1000`, true);
  }
  return n;
}

function defaultStack(): string {
  return process.env.DSI_STACK ?? 'data-science-dev';
}

/**
 * The region of the stack an `--outputs` file describes (its `Region` output), so that a user
 * with no region configured can still reach it; undefined when there is no such file or output.
 */
export function regionFromOutputs(argv: string[]): string | undefined {
  try {
    const { values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS });
    const file = JSON.parse(fs.readFileSync(String(values.outputs), 'utf8'));
    const region = file[typeof values.stack === 'string' ? values.stack : defaultStack()]?.Region;
    return typeof region === 'string' ? region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The clients dsi talks to AWS with, in `region` when given (else the SDK's own: AWS_REGION,
 * then the profile's). The SDK's Node.js support notice, printed on every call, is turned off
 * by its documented switch unless the user set it: dsi prints its own output only.
 */
export function newIo(region?: string): Io {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = { ...RETRY, ...(region ? { region } : {}) };
  return {
    sfn: new SFNClient(config),
    cloudformation: new CloudFormationClient(config),
    print: (line) => console.log(line),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => new Date(),
  };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  main(argv, newIo(regionFromOutputs(argv))).then((code) => { process.exitCode = code; }, (error) => {
    console.error(`dsi: ${error?.message ?? error}`);
    process.exitCode = 1;
  });
}
