import { Aws } from 'aws-cdk-lib';

/*
 * Amazon States Language written as JSON. The workflow writes its definition itself rather
 * than through a construct per state: a 500-step workflow would otherwise be thousands of
 * constructs and a definition string of thousands of tokens, slow to synthesize; written
 * here, the definition holds a handful of tokens.
 */

/** One state, as its JSON. */
export type AslState = { readonly [field: string]: unknown };

/** The states of one scope (the machine, a Parallel branch, a Map's item processor), by name. */
export class AslStates {
  private readonly states = new Map<string, AslState>();

  /** Adds a state; a name can be taken once. */
  public add(name: string, state: AslState): void {
    if (this.states.has(name)) {
      throw new Error(`two states are named "${name}"`);
    }
    this.states.set(name, state);
  }

  /** Adds a state unless one of that name is there already, which must then be the same. */
  public addOnce(name: string, state: AslState): string {
    const existing = this.states.get(name);
    if (existing === undefined) {
      this.states.set(name, state);
    } else if (JSON.stringify(existing) !== JSON.stringify(state)) {
      throw new Error(`two different states are named "${name}"`);
    }
    return name;
  }

  public has(name: string): boolean {
    return this.states.has(name);
  }

  /** The scope as `{ StartAt, States }`; own properties only, whatever the names. */
  public scope(startAt: string): { StartAt: string; States: { [name: string]: AslState } } {
    return { StartAt: startAt, States: Object.fromEntries(this.states) };
  }
}

/** A Task state calling `integration`, for example `dynamodb:putItem` or `aws-sdk:sfn:sendTaskSuccess`. */
export function task(integration: string, parameters: object, fields: AslState = {}): AslState {
  return { Type: 'Task', Resource: `arn:${Aws.PARTITION}:states:::${integration}`, Parameters: parameters, ResultPath: null, ...fields };
}

/** Service errors that pass: retried quickly with exponential backoff and full jitter. */
export function transientRetry(errors: string[]): AslState {
  return { ErrorEquals: errors, IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 60, JitterStrategy: 'FULL' };
}

/** The retries a user asked for, on any failure; placed after the transient ones. */
export function userRetries(retries: number): AslState[] {
  return retries > 0 ? [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: retries, JitterStrategy: 'FULL' }] : [];
}

/** Catches every error a Catch can, keeps it at `resultPath`, and goes on to `next`. */
export function catchAll(next: string, resultPath: string | null = '$.caught'): AslState {
  return { ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next };
}

/** Service errors of the DynamoDB integrations that pass. */
export const DYNAMODB_TRANSIENT_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException', 'DynamoDB.InternalServerErrorException',
  'DynamoDB.RequestLimitExceeded',
];
