import * as fs from 'fs';
import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ValidationError } from '../../constructs/core/validation-error';
import { serviceLimitProblems } from './service-limits';
import { expectNoFindings, newTestApp } from './synth';

/**
 * Runs of each property. The defaults keep the fuzz tests near 30 s of `npm test` on two cores,
 * since each accepted case synthesizes with every rule pack; FUZZ_RUNS=n asks for n of each.
 */
export function fuzzRuns(defaultRuns: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : defaultRuns;
}

/** The two outcomes a set of props may have. */
export type Outcome = 'valid' | 'invalid';

/**
 * Builds one case in a new app and tells which outcome it had: `invalid` when building threw our
 * ValidationError, each problem naming a prop and a fix; `valid` when the app synthesizes with no
 * finding of any rule pack (the regulated ones included) and every template keeps the limits
 * services hold to. Anything else (a TypeError, an error from aws-cdk-lib, a finding, a template a
 * service would refuse) fails the test.
 */
export function outcomeOf(build: (app: App) => void, refused: (props: string[]) => void = () => undefined): Outcome {
  const app = newTestApp();
  try {
    build(app);
  } catch (error) {
    if (!(error instanceof ValidationError)) {
      throw error;
    }
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.prop).toMatch(/\S/);
      expect(problem.fix).toMatch(/\S/);
    }
    refused(error.problems.map((p) => p.prop));
    return 'invalid';
  }
  try {
    expectNoFindings(app, { regulated: true });
    const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    const problems = stacks.flatMap((stack) => serviceLimitProblems(app.synth().getStackArtifact(stack.artifactId).template)
      .map((p) => `${stack.stackName}: ${p}`));
    if (problems.length > 0) {
      throw new Error(`a service would refuse the template:\n${problems.join('\n')}`);
    }
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
  return 'valid';
}

/**
 * Counts one construct's outcomes; with FUZZ_REPORT=<file>, appends them there as a JSON line
 * when its tests end, for the closing count of a thorough run.
 */
export class FuzzTally {
  public cases = 0;
  public readonly outcomes: Record<Outcome, number> = { valid: 0, invalid: 0 };
  /** How often each prop was refused, list indexes left out. */
  private readonly refusedProps: Record<string, number> = {};

  constructor(private readonly construct: string) {
    afterAll(() => {
      if (process.env.FUZZ_REPORT) {
        const refused = Object.fromEntries(Object.entries(this.refusedProps).sort(([, a], [, b]) => b - a));
        fs.appendFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ construct: this.construct, cases: this.cases, ...this.outcomes, refused })}\n`);
      }
    });
  }

  /** Builds a case with `outcomeOf` and counts its outcome. */
  public run(build: (app: App) => void): Outcome {
    const outcome = outcomeOf(build, (props) => new Set(props.map((p) => p.replace(/\[\d+\]/g, '[]')))
      .forEach((p) => { this.refusedProps[p] = (this.refusedProps[p] ?? 0) + 1; }));
    this.cases++;
    this.outcomes[outcome]++;
    return outcome;
  }
}

/** Strings a user might pass: `likely` ones, empty, blank, long, odd characters, unicode, a token. */
export const wildString = (...likely: string[]): fc.Arbitrary<string> => fc.oneof(
  { weight: 24, arbitrary: likely.length > 0 ? fc.constantFrom(...likely) : fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '-', 'a-', 'A', 'a--b', 'a.b', 'a/b', 'a*', 'ü', 'a\nb', 'x'.repeat(300), 'constructor', '__proto__') },
  { weight: 1, arbitrary: fc.string({ maxLength: 140 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  // a token that resolves, at synth, to a likely value: where tokens are taken, they must give a valid template
  { weight: 1, arbitrary: fc.constant(Lazy.string({ produce: () => likely[0] ?? 'lazy' })) },
);

/** Numbers a user might pass: likely ones, bounds, zero, negative, fractional, huge, NaN, the infinities, a token. */
export const wildNumber = (...likely: number[]): fc.Arbitrary<number> => fc.oneof(
  { weight: 24, arbitrary: likely.length > 0 ? fc.constantFrom(...likely) : fc.integer({ min: 1, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 0.5, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e21, -0, NaN, Infinity, -Infinity) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constant(Lazy.number({ produce: () => likely[0] ?? 1 })) },
);

/** A value of `arbitrary`, or the prop left out. */
export const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined, freq: 2 });

/** Durations in any unit, whole or not, from none to centuries. */
export const wildDuration = (...likely: Duration[]): fc.Arbitrary<Duration> => fc.oneof(
  { weight: 12, arbitrary: likely.length > 0 ? fc.constantFrom(...likely) : fc.integer({ min: 1, max: 400 }).map(Duration.days) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0, 0.5, 1, 1.5, 29, 30, 59, 60, 3600, 3601, 2 ** 31, 1e12), fc.constantFrom('millis', 'seconds', 'minutes', 'hours', 'days') as fc.Arbitrary<'millis' | 'seconds' | 'minutes' | 'hours' | 'days'>)
    .map(([amount, unit]) => Duration[unit](amount)) },
);

/** Every value of logs.RetentionDays, and numbers that are none. */
export const wildRetention = (): fc.Arbitrary<logs.RetentionDays> => fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number')) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2, 1.5, 2 ** 31, NaN) as fc.Arbitrary<logs.RetentionDays> },
);

/** Every removal policy, SNAPSHOT (which nothing here takes) less often. */
export const anyRemovalPolicy = (): fc.Arbitrary<RemovalPolicy> => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) },
  { weight: 1, arbitrary: fc.constant(RemovalPolicy.SNAPSHOT) },
);

/** `usual` mostly, `unusual` now and then. */
export const mostly = <T>(usual: fc.Arbitrary<T>, unusual: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof(
  { weight: 5, arbitrary: usual }, { weight: 1, arbitrary: unusual },
);

/** A value of `arbitrary` one time in five, the prop left out otherwise. */
export const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary },
);

/** The VPCs a user brings, imported (so they add no resource of their own): by which subnets they have. */
export type VpcKind = 'public' | 'private' | 'isolated';

/** A VPC of `kind`, imported into `scope`. */
export function importedVpc(scope: Construct, kind: VpcKind): ec2.IVpc {
  const ids = (prefix: string) => [1, 2].map((i) => `${prefix}-0a1b2c3d4e5f6000${i}`);
  return ec2.Vpc.fromVpcAttributes(scope, `Imported${kind}Vpc`, {
    vpcId: 'vpc-0a1b2c3d4e5f60000', availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    [`${kind}SubnetIds`]: ids('subnet'),
    [`${kind}SubnetRouteTableIds`]: ids('rtb'),
  });
}

export const anyVpcKind = (): fc.Arbitrary<VpcKind> => mostly(fc.constantFrom('public', 'private'), fc.constant('isolated'));
