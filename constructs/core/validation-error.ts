import { Duration, Token } from 'aws-cdk-lib';

/** One problem with one prop: what was given and how to fix it. */
export interface PropProblem {
  /** The prop's path, for example `teamName` or `queues[0].maxvCpus`. */
  readonly prop: string;
  /** The value given, as the user wrote it. */
  readonly value: any;
  /** What is wrong and what to do instead. */
  readonly fix: string;
}

/** Marks this library's validation errors, whichever copy of the library threw them. */
const VALIDATION_ERROR = Symbol.for('cdk-data-science.ValidationError');

/**
 * Thrown at synth time when props are invalid. Lists every problem found,
 * each naming the prop, the value and the fix.
 *
 * TypeScript and JavaScript catch it by type and read its `problems`; in other languages it
 * arrives as the runtime's error, whose message names every prop, value and fix.
 *
 * @jsii ignore jsii has no counterpart of a subclass of Error
 */
export class ValidationError extends Error {
  public readonly problems: PropProblem[];

  constructor(construct: string, problems: PropProblem[]) {
    const lines = problems.map((p) => `  - ${p.prop} = ${show(p.value)}: ${p.fix}`);
    super(`Invalid props for ${construct}:\n${lines.join('\n')}`);
    this.name = 'ValidationError';
    this.problems = problems;
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
  }
}

/** Tells this library's validation errors from other errors by a mark they carry, not by their class. */
export class ValidationErrors {
  /** Whether `x` is a `ValidationError` this library threw, even one from another copy of the library. */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR in x;
  }

  private constructor() {}
}

/**
 * Collects problems so a construct reports them all at once. Internal: not part of the package API.
 *
 * @example
 * const check = new PropChecker('DataWarehouse');
 * check.that(props.teamName, 'teamName', isValidName, 'use lowercase letters');
 * check.throwIfAny();
 */
export class PropChecker {
  private readonly problems: PropProblem[] = [];

  constructor(private readonly construct: string) {}

  /** Records a problem unless `ok`; unresolved tokens are never judged. */
  public check(ok: boolean, prop: string, value: unknown, fix: string): void {
    if (!ok && !isUnresolved(value)) {
      this.problems.push({ prop, value, fix });
    }
  }

  /** Records a problem if `value` is an unresolved token: names derive other names, so they must be known at synth time. */
  public known(prop: string, value: unknown, fix: string): void {
    if (isUnresolved(value)) {
      this.problems.push({ prop, value: String(value), fix });
    }
  }

  /** Throws one ValidationError listing every recorded problem. */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new ValidationError(this.construct, this.problems);
    }
  }
}

function isUnresolved(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Lifecycle rules (S3, ECR) count in whole days, 1 or more. */
export function isWholeDays(duration: Duration): boolean {
  const days = duration.toDays({ integral: false });
  return Number.isInteger(days) && days >= 1;
}
