import { Duration, RemovalPolicy, Token, Tokenization } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';

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
 * check.check(isValidName(props.teamName), 'teamName', props.teamName, 'use lowercase letters');
 * check.integer('maxvCpus', props.maxvCpus, 1, MAX_INT32);
 * check.throwIfAny();
 */
export class PropChecker {
  private readonly problems: PropProblem[] = [];

  constructor(private readonly constructName: string) {}

  /** Records a problem unless `ok`; unresolved tokens are never judged. */
  public check(ok: boolean, prop: string, value: unknown, fix: string): void {
    if (!ok && !isUnresolved(value)) {
      this.problems.push({ prop, value, fix });
    }
  }

  /** Records a problem if `value` is an unresolved token: names derive other names, so they must be known at synth time. */
  public known(prop: string, value: unknown, fix: string): void {
    if (isUnresolved(value)) {
      // a number token as its token text: as a number it reads as a huge negative one
      this.problems.push({ prop, value: typeof value === 'number' ? Tokenization.stringifyNumber(value) : String(value), fix });
    }
  }

  /**
   * A whole number from `min` to `max` (CloudFormation's integers are 32-bit: at most `MAX_INT32`),
   * unless undefined and not `required`.
   */
  public integer(prop: string, value: number | undefined, min: number, max: number, fix?: string, options: { required?: boolean } = {}): void {
    this.check(value === undefined ? !options.required : Number.isInteger(value) && value >= min && value <= max, prop, value,
      fix ?? `give a whole number from ${min} to ${max}`);
  }

  /** One of `values`, unless undefined: enum-like props reach us unchecked from JavaScript and from context. */
  public oneOf(prop: string, value: unknown, values: readonly unknown[], fix?: string, options: { required?: boolean } = {}): void {
    this.check((value === undefined && !options.required) || values.includes(value), prop, value,
      fix ?? `use one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }

  /**
   * One of `values` that chooses what is built, such as a stage, a network profile or a removal
   * policy, unless undefined and not `required`: a token, known only at deploy, would choose
   * nothing, and is refused as unknown.
   */
  public choice(prop: string, value: unknown, values: readonly unknown[], fix: string, options: { required?: boolean } = {}): void {
    this.known(prop, value, fix);
    this.oneOf(prop, value, values, fix, options);
  }

  /**
   * `value` as a list, or none: from JavaScript a string or an object may come where a list goes,
   * which is refused here rather than failing as it is read; none at all only when not `required`.
   * An element left out (undefined or null) is refused, and its list checked no further, so the
   * checks of the elements neither read it nor name the others by shifted indexes.
   */
  public list<T>(prop: string, value: readonly T[] | undefined, example: string, options: { required?: boolean } = {}): T[] {
    this.check((value === undefined && !options.required) || Array.isArray(value), prop, value, `give a list, for example ${example}`);
    if (!Array.isArray(value)) {
      return [];
    }
    const holes = value.flatMap((item, i) => (leftOut(item) ? [i] : []));
    holes.forEach((i) => this.check(false, `${prop}[${i}]`, value[i], 'give the element a value, or take it out of the list'));
    return holes.length > 0 ? [] : [...value];
  }

  /**
   * At least one item in a list that `list` read, and so none when it was left out; a value that
   * is no list has its problem from `list` already.
   */
  public nonEmpty(prop: string, value: readonly unknown[] | undefined, fix: string): void {
    this.check(value !== undefined && (!Array.isArray(value) || value.length > 0), prop, 0, fix);
  }

  /**
   * Variables for a process, unless undefined: an object of names that `name` matches to text.
   * From JavaScript a string would pass as an object of its characters, and a number value
   * would reach the service, which takes text only. Returns the variables, none when refused.
   */
  public variables(prop: string, value: { readonly [name: string]: string } | undefined, name: RegExp, nameFix: string): [string, string][] {
    const variables = this.entries(prop, value, 'an object of names to values, for example { EPOCHS: "3" }');
    for (const [key, text] of variables) {
      this.matches(prop, key, name, nameFix);
      this.check(typeof text === 'string', `${prop}.${key}`, text, 'give the value as text, for example "3"');
    }
    return variables;
  }

  /**
   * The entries of an object of names to values, unless undefined: from JavaScript a string would
   * read as one of entries named 0, 1 and so on. `what` says which object; none when refused.
   */
  public entries<T>(prop: string, value: { readonly [name: string]: T } | undefined, what: string): [string, T][] {
    if (value === undefined) {
      return [];
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.check(false, prop, value, `give ${what}`);
      return [];
    }
    const entries = Object.entries(value);
    entries.forEach(([key, item]) => this.check(!leftOut(item), `${prop}.${key}`, item, `give ${key} a value, or leave it out`));
    return entries.filter(([, item]) => !leftOut(item));
  }

  /**
   * A construct, unless undefined and not `required`: from JavaScript a number or a plain object
   * may come where a VPC, a key or a queue goes, and would fail deep inside aws-cdk-lib as it is
   * used. `what` says which, for example "an ec2.IVpc, such as new ec2.Vpc(this, 'Vpc')". Returns
   * whether it is one, so the checks that read it can follow.
   */
  public construct(prop: string, value: unknown, what: string, options: { required?: boolean } = {}): value is IConstruct {
    // constructs' own test answers undefined, not false, for what is no construct
    const isConstruct = Construct.isConstruct(value) === true;
    this.check((value === undefined && !options.required) || isConstruct, prop, value, `give ${what}`);
    return isConstruct;
  }

  /**
   * An instance of a class, known by a `method` it has (one of another copy of the library is no
   * `instanceof` this one's), unless undefined and not `required`. `what` says which. Returns
   * whether it is one.
   */
  public instance(prop: string, value: unknown, method: string, what: string, options: { required?: boolean } = {}): value is object {
    const has = typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';
    this.check((value === undefined && !options.required) || has, prop, value, `give ${what}`);
    return has;
  }

  /**
   * An object of props, unless undefined and not `required`: a number or a string would read as
   * one with none set. Returns whether it is one, so the checks of its props can follow.
   */
  public struct(prop: string, value: unknown, example: string, options: { required?: boolean } = {}): boolean {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    this.check((value === undefined && !options.required) || isObject, prop, value, `give an object of props, for example ${example}`);
    return isObject;
  }

  /**
   * Numbers, each under its prop: from JavaScript text may come where a number goes. Only their
   * kind is judged here, for arguments whose ranges are judged where they are used.
   */
  public numbers(values: { readonly [prop: string]: unknown }, fix: string): void {
    for (const [prop, value] of Object.entries(values)) {
      this.check(typeof value === 'number', prop, value, fix);
    }
  }

  /** `true` or `false`, unless undefined: from JavaScript or context `'no'` would read as true. */
  public boolean(prop: string, value: unknown): void {
    this.oneOf(prop, value, [true, false], 'give true or false');
  }

  /** A finite number from `min` to `max`, unless undefined and not `required`. */
  public number(prop: string, value: number | undefined, min: number, max: number, fix?: string, options: { required?: boolean } = {}): void {
    this.check(value === undefined ? !options.required : Number.isFinite(value) && value >= min && value <= max, prop, value,
      fix ?? `give a number from ${min} to ${max}`);
  }

  /**
   * Text that `pattern` matches, unless undefined and not `required`: from JavaScript a number or
   * a list of one string would pass `RegExp.test`, which reads them as their text.
   */
  public matches(prop: string, value: unknown, pattern: RegExp, fix: string, options: { required?: boolean } = {}): void {
    this.check((value === undefined && !options.required) || (typeof value === 'string' && pattern.test(value)), prop, value, fix);
  }

  /** Text a service stores: 1 to `maxLength` characters, unless undefined and not `required`. */
  public text(prop: string, value: string | undefined, maxLength: number, fix?: string, options: { required?: boolean } = {}): void {
    this.check((value === undefined && !options.required) || (typeof value === 'string' && value.length >= 1 && value.length <= maxLength), prop, value,
      fix ?? `give 1 to ${maxLength} characters${options.required ? '' : ', or leave it unset'}`);
  }

  /**
   * A duration of whole `unit`s from `min` to `max`, unless undefined and not `required`;
   * unresolved durations are not judged, and what is no Duration is refused as such (see `isDuration`).
   */
  public duration(prop: string, value: Duration | undefined, unit: 'seconds' | 'days', min: number, max: number, options: { required?: boolean } = {}): void {
    const example = unit === 'days' ? `Duration.days(${Math.max(min, 1)})` : `Duration.seconds(${Math.max(min, 1)})`;
    if ((value !== undefined || options.required) && !isDuration(value)) {
      this.check(false, prop, value, `give a Duration, for example ${example}`);
      return;
    }
    if (value === undefined || !this.convertible(prop, value, unit)) {
      return;
    }
    const amount = unit === 'days' ? value.toDays({ integral: false }) : value.toSeconds({ integral: false });
    this.check(Number.isInteger(amount) && amount >= min && amount <= max, prop, value.toHumanString(),
      `give a whole number of ${unit} from ${min} to ${max}, for example ${example}`);
  }

  /**
   * A Duration as a number of `unit`s, fractions kept, for a check of its range with a fix of the
   * prop's own; undefined when it is unset or known only at deploy (not judged), or no Duration,
   * which is refused here by name. `example` is a Duration in the range, for that fix.
   */
  public durationIn(prop: string, value: Duration | undefined, unit: 'seconds' | 'minutes', example: string): number | undefined {
    if (value === undefined) {
      return undefined;
    }
    if (!isDuration(value)) {
      this.check(false, prop, value, `give a Duration, for example ${example}`);
      return undefined;
    }
    if (!this.convertible(prop, value, unit)) {
      return undefined;
    }
    return unit === 'minutes' ? value.toMinutes({ integral: false }) : value.toSeconds({ integral: false });
  }

  /**
   * Whether `value` is known at synth, to be judged. One known only at deploy is left to the
   * service if it converts to `unit`, which a token does only from that unit itself (aws-cdk-lib
   * cannot scale it); else it is refused here, rather than where the construct converts it.
   */
  private convertible(prop: string, value: Duration, unit: 'seconds' | 'minutes' | 'days'): boolean {
    if (!value.isUnresolved()) {
      return true;
    }
    try {
      unit === 'days' ? value.toDays() : unit === 'minutes' ? value.toMinutes() : value.toSeconds();
    } catch {
      this.problems.push({ prop, value: value.toString(), fix: `give a Duration known at synth, or Duration.${unit}(token): a token converts to no other unit` });
    }
    return false;
  }

  /**
   * One of `logs.RetentionDays`, unless undefined. INFINITE is refused: the Serverless rule
   * pack every stack runs asks each log group for an explicit retention.
   */
  public retentionDays(prop: string, value: logs.RetentionDays | undefined): void {
    if (value === undefined || isUnresolved(value)) {
      return;
    }
    this.check(value !== logs.RetentionDays.INFINITE, prop, 'RetentionDays.INFINITE',
      'give a retention such as logs.RetentionDays.TEN_YEARS: the rule packs require every log group to expire its logs');
    // INFINITE has its problem above, and is among RETENTION_DAYS
    this.check(RETENTION_DAYS.includes(value), prop, value,
      'use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods');
  }

  /**
   * A removal policy this library's stateful resources take, unless undefined and not `required`:
   * none of them (buckets, keys, tables, log groups, repositories) has a snapshot.
   */
  public removalPolicy(prop: string, value: RemovalPolicy | undefined, options: { required?: boolean } = {}): void {
    this.choice(prop, value, REMOVAL_POLICIES, 'use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
      options);
  }

  /** A name this construct derives for a service, which the service allows up to `maxLength` characters. */
  public derivedName(prop: string, value: unknown, what: string, name: string, maxLength: number, fix: string): void {
    this.check(name.length <= maxLength, prop, value, `${what} "${name}" would be ${name.length} characters, over the ${maxLength} allowed: ${fix}`);
  }

  /** An id for a construct about to be added to `scope`: not empty and not taken by another child. */
  public newId(prop: string, scope: IConstruct, id: string, fix = 'give an id of its own'): void {
    // an id known only at deploy is refused here; check() below leaves unresolved values alone
    this.known(prop, id, 'give a plain string: construct ids are fixed at synth time');
    // constructs keeps children in a plain object, where `constructor` or `toString` always seem taken
    const inherited = typeof id === 'string' && id in Object.prototype;
    const taken = typeof id === 'string' && !inherited ? scope.node.tryFindChild(id.replace(/\//g, '--')) : undefined;
    this.check(typeof id === 'string' && id.length > 0 && !inherited && taken === undefined, prop, id,
      taken ? `${scope.node.path} already has a child "${taken.node.id}": ${fix}`
        : inherited ? `every JavaScript object has a "${id}" already, which construct ids cannot take: ${fix}` : fix);
  }

  /** Throws one ValidationError listing every recorded problem. */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new ValidationError(this.constructName, this.problems);
    }
  }
}

/**
 * Checks the arguments of a method as `checks` says, and throws one ValidationError naming
 * `method` for every problem: from JavaScript any value may come where a name, a number or
 * an object of options goes.
 */
export function checkArguments(method: string, checks: (check: PropChecker) => void): void {
  const check = new PropChecker(method);
  checks(check);
  check.throwIfAny();
}

/**
 * Refuses, as `construct`'s (or a method's), props that are no object: from JavaScript a number or
 * a string would read as props with none set, and props left out would fail as the first is read.
 */
export function checkPropsStruct(construct: string, props: unknown, example: string, options: { required?: boolean } = {}): void {
  checkArguments(construct, (check) => check.struct('props', props, example, options));
}

/**
 * Builds a part from a struct of the construct's own props, naming the struct's problems as the
 * construct's: `notebooks.idleTimeoutMinutes` of a stack, not the domain's `idleTimeoutMinutes`.
 */
export function withPropsOf<T>(construct: string, prop: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!ValidationErrors.isValidationError(error)) {
      throw error;
    }
    throw new ValidationError(construct, (error as ValidationError).problems.map((p) => ({ ...p, prop: `${prop}.${p.prop}` })));
  }
}

/** An element of a list, or a value of an object, left out: from JavaScript, `[a, , b]` or `{ KEY: undefined }`. */
function leftOut(item: unknown): boolean {
  return item === undefined || item === null;
}

/**
 * Whether `value` is a Duration, known by its methods: one of another copy of aws-cdk-lib is no
 * `instanceof` this one's, and from JavaScript a number may come where a Duration goes.
 */
export function isDuration(value: unknown): value is Duration {
  return typeof (value as Partial<Duration> | undefined)?.toSeconds === 'function';
}

/**
 * A duration as its user gave it, for a problem's value: `toHumanString` drops the milliseconds of
 * some; what is no Duration is shown as it came, and one known at deploy only as its token (which
 * no unit converts).
 */
export function shownDuration(value: unknown): unknown {
  if (!isDuration(value)) {
    return value;
  }
  if (value.isUnresolved()) {
    return value.toString();
  }
  const seconds = value.toSeconds({ integral: false });
  return Number.isInteger(seconds) ? value.toHumanString() : `${seconds} seconds`;
}

function isUnresolved(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

function show(value: unknown): string {
  // JSON would print NaN and the infinities as null
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  try {
    // a construct by its path: its JSON would be huge, or circular
    return JSON.stringify(value, (_, v) => (Construct.isConstruct(v) ? `<${v.node.path}>` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The largest integer a CloudFormation Integer property holds. */
export const MAX_INT32 = 2 ** 31 - 1;

const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
const REMOVAL_POLICIES = [RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.DESTROY];
