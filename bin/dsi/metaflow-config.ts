import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { METAFLOW_OUTPUTS, METAFLOW_PARALLEL_QUEUE_OUTPUT } from '../../constructs/metaflow/metaflow-settings';
import { DsiError } from './errors';
import type { StackOutputs } from './stack-outputs';

/** Each Metaflow setting, and the team stack output that holds its value. */
export const METAFLOW_SETTINGS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(METAFLOW_OUTPUTS).map(([output, setting]) => [setting, output])),
  AWS_DEFAULT_REGION: 'Region',
};

/**
 * A complete Metaflow configuration for the team stack: datastore in S3, metadata kept
 * locally beside it (no metadata service to pay for), Batch and Step Functions wired.
 */
export function metaflowConfig(outputs: StackOutputs, stackName: string): Record<string, string> {
  const missing = Object.values(METAFLOW_SETTINGS).filter((key) => outputs[key] === undefined);
  if (missing.length > 0) {
    throw new DsiError(`Stack ${stackName} lacks the Metaflow outputs ${missing.join(', ')}: deploy a current data-science stack.`);
  }
  return {
    METAFLOW_DEFAULT_DATASTORE: 's3',
    METAFLOW_DEFAULT_METADATA: 'local',
    ...Object.fromEntries(Object.entries(METAFLOW_SETTINGS).map(([setting, key]) => [setting, outputs[key]])),
  };
}

/**
 * What a flow's `@parallel` steps must name, when the stack has a multi-node queue: Metaflow
 * submits them to their `@batch(queue=...)`, whose default is METAFLOW_BATCH_JOB_QUEUE.
 */
export function parallelQueueNote(outputs: StackOutputs): string | undefined {
  const queue = outputs[METAFLOW_PARALLEL_QUEUE_OUTPUT];
  return queue === undefined ? undefined : `@parallel steps run on the multi-node queue: give them @batch(queue="${queue}")`;
}

/** Writes the configuration to `file`, and then `note`; or prints the configuration alone, so it can be piped. */
export function writeMetaflowConfig(config: Record<string, string>, print: (line: string) => void, file?: string, note?: string): void {
  const text = JSON.stringify(config, null, 2);
  if (file) {
    // a quoted ~ reaches us unexpanded, to be read as the shell would; and ~/.metaflowconfig need not exist yet
    const target = file.replace(/^~(?=$|\/)/, process.env.HOME || os.homedir());
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, `${text}\n`);
    } catch (error) {
      throw new DsiError(`cannot write --out ${file}: ${(error as Error).message}`);
    }
    print(`wrote ${target}: point Metaflow at it with METAFLOW_HOME, or copy it to ~/.metaflowconfig/config.json`);
    if (note) {
      print(note);
    }
  } else {
    print(text);
  }
}
