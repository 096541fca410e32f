import * as fs from 'fs';
import { CommandOutcome } from '../command-outcome';
import { networkProfileChange, statefulLosses } from './stateful-changes';

/** What the command prints and its exit code: 0 nothing stateful is lost, 1 something would be, 2 bad arguments. */
export interface GuardOutcome extends CommandOutcome {
  readonly status: 0 | 1 | 2;
}

/** `stateful-guard <deployed template.json> <new template.json>`, with its arguments. */
export function statefulGuard(args: string[]): GuardOutcome {
  const [deployedFile, nextFile] = args;
  if (!deployedFile || !nextFile) {
    return { status: 2, stdout: '', stderr: 'usage: stateful-guard <deployed template.json> <new template.json>\n' };
  }
  let deployed: object;
  let next: object;
  try {
    [deployed, next] = [readTemplate(deployedFile), readTemplate(nextFile)];
  } catch (error) {
    return { status: 2, stdout: '', stderr: `${(error as Error).message}\n` };
  }
  const errors: string[] = [];
  const profileChange = networkProfileChange(deployed, next);
  if (profileChange) {
    errors.push(`stateful-guard: this deploy would change the network profile of ${profileChange.vpcLogicalId} from `
      + `"${profileChange.from}" to "${profileChange.to}". The new subnets take the old ones' address ranges, so CloudFormation `
      + 'would fail to create them. Deploy with the deployed profile (-c network=' + profileChange.from + '), or deploy the new '
      + 'profile as a new stack and move the data (docs/network.md).');
  }
  const losses = statefulLosses(deployed, next);
  if (losses.length > 0) {
    errors.push(`stateful-guard: this deploy would lose ${losses.length} stateful resource(s):`,
      ...losses.map((loss) => `  ${loss.logicalId} (${loss.type}): ${loss.impact}`),
      'Keep their construct ids and replace-only properties, or migrate the data first.');
  }
  return {
    status: errors.length > 0 ? 1 : 0,
    stdout: losses.length === 0 ? 'stateful-guard: no stateful resource would be replaced or deleted\n' : '',
    stderr: errors.map((line) => `${line}\n`).join(''),
  };
}

function readTemplate(file: string): object {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`stateful-guard: cannot read a JSON template from ${file}: ${(error as Error).message}`);
  }
}
