import * as fs from 'fs';
import * as path from 'path';

/*
 * The props of the package's structs as the API reference (docs/API.md, which jsii-docgen makes and
 * test/docs/api-reference.test.ts keeps in step with the declarations) lists them, each with the
 * kind of value it takes, and values of every other kind a JavaScript caller or CDK context could give.
 */

/** What kind of value a prop takes. */
export type PropKind =
  | 'string' | 'number' | 'boolean' | 'any' | 'duration'
  | 'enum' | 'construct' | 'class' | 'interface' | 'struct' | 'list' | 'map';

/** A prop's type, as API.md writes it and as the tests read it. */
export interface PropType {
  /** The type as API.md writes it, links taken out: `string[]`, `aws-cdk-lib.Duration`, `ComputeQueueOptions`. */
  readonly text: string;
  readonly kind: PropKind;
  /** Whether the type is this package's own (a struct, class, construct, protocol or enum of API.md). */
  readonly own: boolean;
  /** For a list, its elements' type; for a map, its values'. */
  readonly of?: PropType;
  /** For an enum: whether its members are numbers (`logs.RetentionDays`), not strings. */
  readonly numeric?: boolean;
}

/** One prop of a struct. */
export interface StructProp {
  readonly name: string;
  readonly required: boolean;
  readonly type: PropType;
}

/** The package's types by the section of API.md that lists them. */
export interface ApiSections {
  readonly constructs: Set<string>;
  readonly structs: Set<string>;
  readonly classes: Set<string>;
  readonly protocols: Set<string>;
  readonly enums: Set<string>;
}

export const API_MD = path.join(__dirname, '..', '..', 'docs', 'API.md');

/** The props `aws-cdk-lib.StackProps` brings to a struct that extends it: aws-cdk-lib's Stack owns them. */
export const STACK_PROPS = [
  'env', 'stackName', 'description', 'synthesizer', 'tags', 'terminationProtection', 'analyticsReporting',
  'crossRegionReferences', 'notificationArns', 'permissionsBoundary', 'propertyInjectors', 'suppressTemplateIndentation',
];

/**
 * The aws-cdk-lib types the props take, by kind. An enum's entry says whether its members are
 * numbers. Any other aws-cdk-lib type fails `propType`, so that a prop of a new type is classified here.
 */
const CDK_TYPES: { [text: string]: { kind: PropKind; numeric?: boolean } } = {
  'aws-cdk-lib.Duration': { kind: 'duration' },
  'aws-cdk-lib.RemovalPolicy': { kind: 'enum', numeric: false },
  'aws-cdk-lib.aws_logs.RetentionDays': { kind: 'enum', numeric: true },
  'aws-cdk-lib.aws_ec2.FlowLogTrafficType': { kind: 'enum', numeric: false },
  'aws-cdk-lib.aws_ec2.InstanceClass': { kind: 'enum', numeric: false },
  'aws-cdk-lib.aws_ec2.InstanceType': { kind: 'class' },
  'aws-cdk-lib.aws_scheduler.ScheduleExpression': { kind: 'class' },
  'aws-cdk-lib.aws_ecs.ContainerImage': { kind: 'class' },
  'aws-cdk-lib.aws_batch.Secret': { kind: 'class' },
  'aws-cdk-lib.PermissionsBoundary': { kind: 'class' },
  'aws-cdk-lib.aws_s3.Bucket': { kind: 'construct' },
  'aws-cdk-lib.aws_cloudwatch.Alarm': { kind: 'construct' },
  'aws-cdk-lib.aws_sagemaker.CfnMonitoringSchedule': { kind: 'construct' },
  'aws-cdk-lib.aws_ec2.SubnetSelection': { kind: 'struct' },
  'aws-cdk-lib.aws_s3.Transition': { kind: 'struct' },
  'aws-cdk-lib.aws_s3.LifecycleRule': { kind: 'struct' },
  'aws-cdk-lib.aws_sagemaker.CfnModel.VpcConfigProperty': { kind: 'struct' },
  'aws-cdk-lib.Environment': { kind: 'struct' },
  'aws-cdk-lib.aws_cloudwatch.MetricOptions': { kind: 'struct' },
  'aws-cdk-lib.Stack': { kind: 'construct' },
  'constructs.IConstruct': { kind: 'interface' },
  'constructs.Construct': { kind: 'construct' },
};

let cached: { sections: ApiSections; structs: Map<string, { name: string; required: boolean; text: string }[]> } | undefined;

/** API.md read once: the names in each section, and each struct's props as written. */
function readApi() {
  if (cached) {
    return cached;
  }
  const text = fs.readFileSync(API_MD, 'utf8');
  const sections: ApiSections = { constructs: new Set(), structs: new Set(), classes: new Set(), protocols: new Set(), enums: new Set() };
  const bySection: { [heading: string]: Set<string> } = {
    Constructs: sections.constructs, Structs: sections.structs, Classes: sections.classes, Protocols: sections.protocols, Enums: sections.enums,
  };
  const structs = new Map<string, { name: string; required: boolean; text: string }[]>();
  let section: Set<string> | undefined;
  let struct: string | undefined;
  let rows: { name: string; text: string }[] = [];
  let required = new Map<string, boolean>();
  const close = () => {
    if (struct !== undefined) {
      structs.set(struct, rows.map((row) => {
        const isRequired = required.get(row.name);
        if (isRequired === undefined) {
          throw new Error(`API.md: ${struct}.${row.name} is in the Properties table but has no \`${row.name}\` heading saying Required or Optional`);
        }
        return { ...row, required: isRequired };
      }));
    }
    struct = undefined;
    rows = [];
    required = new Map();
  };
  for (const line of text.split('\n')) {
    const top = /^## (\w+) <a name=/.exec(line);
    if (top) {
      close();
      section = bySection[top[1]];
      continue;
    }
    const type = /^### (\w+) <a name=/.exec(line);
    if (type) {
      close();
      section?.add(type[1]);
      struct = section === sections.structs ? type[1] : undefined;
      continue;
    }
    if (struct === undefined) {
      continue;
    }
    const row = new RegExp(`^\\| <code><a href="#cdk-data-science\\.${struct}\\.property\\.(\\w+)">\\w+</a></code> \\| <code>(.*?)</code> \\|`).exec(line);
    if (row) {
      rows.push({ name: row[1], text: row[2].replace(/<a href="[^"]*">([^<]*)<\/a>/g, '$1') });
      continue;
    }
    const heading = /^##### `(\w+)`<sup>(Required|Optional)<\/sup>/.exec(line);
    if (heading) {
      required.set(heading[1], heading[2] === 'Required');
    }
  }
  close();
  cached = { sections, structs };
  return cached;
}

/** The package's types by the section of API.md that lists them. */
export function apiSections(): ApiSections {
  return readApi().sections;
}

/** Every struct API.md lists. */
export function structNames(): string[] {
  return [...readApi().structs.keys()];
}

/**
 * The props of `struct` as API.md lists them, each with its kind; those a struct extending
 * aws-cdk-lib's StackProps takes from it are left out. Fails for a struct API.md does not list.
 */
export function structProps(struct: string): StructProp[] {
  const props = readApi().structs.get(struct);
  if (!props) {
    throw new Error(`API.md lists no struct ${struct}`);
  }
  const fromStack = props.some((p) => p.name === 'synthesizer' && p.text === 'aws-cdk-lib.IStackSynthesizer');
  return props
    .filter((p) => !(fromStack && STACK_PROPS.includes(p.name)))
    .map((p) => ({ name: p.name, required: p.required, type: propType(p.text) }));
}

/**
 * The parameters of a method, a static function or an initializer as API.md lists them, in order,
 * each with its kind: `BatchCompute.addQueue`, `PartitionProjection.integer`, `Workflow.Initializer`.
 * Fails for one API.md does not list.
 */
export function methodParameters(method: string): StructProp[] {
  const text = fs.readFileSync(API_MD, 'utf8');
  const id = `cdk-data-science.${method}`.replace(/\./g, '\\.');
  if (!new RegExp(` id="${id}"></a>`).test(text)) {
    throw new Error(`API.md lists no method ${method}`);
  }
  const heading = new RegExp(`^#{5,6} \`(\\w+)\`<sup>(Required|Optional)</sup> <a name="\\w+" id="${id}\\.parameter\\.\\w+"></a>\n\n- \\*Type:\\* (.+)$`, 'gm');
  return [...text.matchAll(heading)].map((m) => ({
    name: m[1], required: m[2] === 'Required', type: propType(m[3].replace(/<a href="[^"]*">([^<]*)<\/a>/g, '$1')),
  }));
}

/** The kind of a type as API.md writes it; fails for an aws-cdk-lib type the table above does not know. */
export function propType(text: string): PropType {
  const list = /^(.*)\[\]$/.exec(text);
  if (list) {
    const of = propType(list[1]);
    return { text, kind: 'list', own: of.own, of };
  }
  const map = /^\{\[ key: string \]: (.*)\}$/.exec(text);
  if (map) {
    const of = propType(map[1]);
    return { text, kind: 'map', own: of.own, of };
  }
  if (['string', 'number', 'boolean', 'any'].includes(text)) {
    return { text, kind: text as PropKind, own: false };
  }
  const own = apiSections();
  if (own.structs.has(text)) {
    return { text, kind: 'struct', own: true };
  }
  if (own.constructs.has(text)) {
    return { text, kind: 'construct', own: true };
  }
  if (own.classes.has(text)) {
    return { text, kind: 'class', own: true };
  }
  if (own.protocols.has(text)) {
    return { text, kind: 'interface', own: true };
  }
  if (own.enums.has(text)) {
    return { text, kind: 'enum', own: true, numeric: ownEnumIsNumeric(text) };
  }
  const cdk = CDK_TYPES[text];
  if (cdk) {
    return { text, kind: cdk.kind, own: false, ...(cdk.kind === 'enum' ? { numeric: cdk.numeric } : {}) };
  }
  // aws-cdk-lib's interfaces: IKey, IVpc, IBucket, IJobQueue, ...
  if (/^aws-cdk-lib\.(\w+\.)*I[A-Z]\w*$/.test(text)) {
    return { text, kind: 'interface', own: false };
  }
  throw new Error(`no kind for the type "${text}": add it to CDK_TYPES in test/support/prop-kinds.ts`);
}

/** Whether an enum of the package has numbers for members, by its members' values. */
function ownEnumIsNumeric(name: string): boolean {
  // required here, not imported: reading API.md needs none of the library
  const values = Object.values(require('../../lib')[name] ?? {});
  if (values.length === 0) {
    throw new Error(`lib exports no enum ${name}`);
  }
  return values.some((v) => typeof v === 'number');
}

/** A value of the wrong kind, and how the tests show it. */
export interface WrongValue {
  readonly label: string;
  readonly value: unknown;
}

const wrong = (label: string, value: unknown): WrongValue => ({ label, value });

/**
 * Values of other kinds than `type` takes, as a JavaScript caller or CDK context (where every value
 * is text) could give them; with `required`, also none at all.
 */
export function wrongKindValues(type: PropType, required: boolean): WrongValue[] {
  const values = wrongFor(type);
  return required ? [...values, wrong('undefined', undefined)] : values;
}

function wrongFor(type: PropType): WrongValue[] {
  switch (type.kind) {
    case 'string':
      return [wrong('42', 42), wrong('["text"]', ['text'])];
    case 'number':
      return [wrong('"8"', '8'), wrong('[8]', [8])];
    case 'boolean':
      return [wrong('"no"', 'no'), wrong('1', 1)];
    case 'duration':
      return [wrong('300', 300)];
    case 'enum':
      return [wrong('"NO_SUCH_MEMBER"', 'NO_SUCH_MEMBER'), ...(type.numeric ? [wrong('42', 42)] : [])];
    case 'construct':
    case 'class':
    case 'interface':
      return [wrong('42', 42), wrong('{}', {})];
    case 'struct':
      return [wrong('42', 42), wrong('"text"', 'text')];
    case 'list': {
      const element = wrongFor(type.of!)[0];
      // and a list with an element left out, as a JavaScript caller's list can have
      return [wrong('"text"', 'text'), wrong('{}', {}), ...(element ? [wrong(`[${element.label}]`, [element.value])] : []), wrong('[undefined]', [undefined])];
    }
    case 'map': {
      const value = wrongFor(type.of!)[0];
      return [wrong('"text"', 'text'), ...(value ? [wrong(`{ KEY: ${value.label} }`, { KEY: value.value })] : []), wrong('{ KEY: undefined }', { KEY: undefined })];
    }
    case 'any':
      return [];
  }
}

/** Whether a refusal's fix says what to give: some words, and an example wherever it offers one. */
export function saysWhatToGive(fix: unknown): boolean {
  return typeof fix === 'string' && fix.length >= 10 && !/for example\s*([,;:.)]|$|(["'`])\2)/.test(fix);
}

/**
 * Who a ValidationError's message says refused, as a caller wrote it: `BatchCompute`,
 * `LakeZone.grantRead`, or `BatchCompute.addQueue` for `BatchCompute.addQueue('gpu')`, whose
 * refusals name the part they would make.
 */
export function refuserIn(message: string): string | undefined {
  return /^Invalid props for ([^:(\n]+)(?:\('[^'\n]*'\))?:\n/.exec(message)?.[1];
}
