import * as fs from 'fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DsiError } from './errors';

/** The outputs of a deployed team stack, by key. */
export type StackOutputs = Record<string, string>;

/** Where a command finds the stack: its name, and a `cdk deploy --outputs-file` file if any. */
export interface StackOptions {
  readonly stack: string;
  readonly outputsFile?: string;
}

/**
 * Reads a stack's outputs: offline from a `cdk deploy --outputs-file` file when given, else
 * from CloudFormation.
 */
export async function stackOutputs(
  io: { readonly cloudformation: CloudFormationClient },
  options: StackOptions,
): Promise<StackOutputs> {
  const stackName = options.stack;
  if (options.outputsFile) {
    let file: Record<string, StackOutputs>;
    try {
      file = JSON.parse(fs.readFileSync(options.outputsFile, 'utf8'));
    } catch (error) {
      throw new DsiError(`Cannot read ${options.outputsFile}: ${(error as Error).message}. Write it with \`npx cdk deploy --outputs-file ${options.outputsFile}\`.`);
    }
    const outputs = file[stackName];
    if (!outputs) {
      throw new DsiError(`${options.outputsFile} has no stack ${stackName}; it has ${Object.keys(file).join(', ') || 'none'}. Pass --stack.`);
    }
    return outputs;
  }
  const client = io.cloudformation;
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  } catch (error: any) {
    if (error?.name === 'ValidationError' && /does not exist/.test(error.message)) {
      throw new DsiError(`Stack ${stackName} is not deployed in ${await client.config.region()}: deploy it with \`npx cdk deploy ${stackName}\`, or name another with --stack.`);
    }
    throw error;
  }
}

/** The stack's workflows, by name. */
export function workflows(outputs: StackOutputs, stackName: string): Record<string, string> {
  if (!outputs.Workflows) {
    throw new DsiError(`Stack ${stackName} has no Workflows output: is it a data-science stack?`);
  }
  return JSON.parse(outputs.Workflows);
}

/** One workflow's state machine ARN; fails naming the workflows there are. */
export function workflowArn(outputs: StackOutputs, stackName: string, name: string): string {
  const all = workflows(outputs, stackName);
  if (!all[name]) {
    throw new DsiError(`No workflow "${name}" in stack ${stackName}; it has ${Object.keys(all).map((n) => `"${n}"`).join(', ') || 'none'}.`);
  }
  return all[name];
}
