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
import { parseArgs } from 'util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Io, listRuns, listWorkflows, logs, run } from './dsi/commands';
import { asDsiError, DsiError, RETRY } from './dsi/errors';
import { metaflowConfig, writeMetaflowConfig } from './dsi/metaflow-config';
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

/** Runs one dsi command; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: 'string', default: process.env.DSI_STACK ?? 'data-science-dev' },
      outputs: { type: 'string' },
      input: { type: 'string' },
      wait: { type: 'boolean', default: false },
      max: { type: 'string' },
      workflow: { type: 'string' },
      out: { type: 'string' },
      studio: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, argument] = positionals;
  const stack = { stack: values.stack!, outputsFile: values.outputs };
  try {
    switch (command) {
      case 'workflows':
        await listWorkflows(io, stack);
        return 0;
      case 'run':
        return await run(io, { ...stack, workflow: required(argument, 'the workflow to run'), inputFile: values.input, wait: values.wait });
      case 'runs':
        await listRuns(io, { ...stack, workflow: required(argument, 'the workflow'), max: values.max ? Number(values.max) : undefined });
        return 0;
      case 'metaflow-config': {
        const outputs = await stackOutputs(io, stack);
        writeMetaflowConfig(metaflowConfig(outputs, stack.stack), io.print, values.out);
        return 0;
      }
      case 'notebook':
        await openNotebook({ ...io, sagemaker: new SageMakerClient(RETRY) }, { ...stack, studio: values.studio });
        return 0;
      case 'logs':
        await logs(io, { ...stack, run: required(argument, 'the run id'), workflow: required(values.workflow, '--workflow') });
        return 0;
      default:
        io.print(USAGE);
        return values.help ? 0 : 2;
    }
  } catch (error) {
    const known = asDsiError(error);
    if (known) {
      console.error(`dsi: ${known.message}`);
      return 1;
    }
    throw error;
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) {
    throw new DsiError(`give ${what}.\n${USAGE}`);
  }
  return value;
}

if (require.main === module) {
  const io: Io = {
    sfn: new SFNClient(RETRY),
    cloudformation: new CloudFormationClient(RETRY),
    print: (line) => console.log(line),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => new Date(),
  };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; }, (error) => {
    console.error(`dsi: ${error?.message ?? error}`);
    process.exitCode = 1;
  });
}
