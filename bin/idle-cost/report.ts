import * as fs from 'fs';
import * as path from 'path';
import { PRICES } from './prices';

/** One thing in a template that bills while nothing runs. */
export interface IdleCostLine {
  readonly what: string;
  readonly count: number;
  /** USD a month; undefined when the price table has no price for it. */
  readonly monthly?: number;
}

/** What one stack bills while idle, line by line. */
export interface StackIdleCost {
  readonly stack: string;
  readonly lines: IdleCostLine[];
  /** USD a month of the priced lines. */
  readonly monthly: number;
}

type Resources = Record<string, { Type: string; Properties?: any }>;

const perMonth = (hourly: number) => hourly * PRICES.hoursPerMonth;

/**
 * The idle cost of one synthesized template, from the price table. The CloudWatch free tier
 * counts per account: a stack's alarms and dashboards are priced as if it were alone there.
 */
export function idleCostOf(stack: string, template: { Resources?: Resources }): StackIdleCost {
  const resources = Object.values(template.Resources ?? {});
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const zones = ofType('AWS::EC2::Subnet').length;
  const lines: IdleCostLine[] = [];
  const add = (what: string, count: number, monthly?: number) => {
    if (count > 0) {
      lines.push({ what, count, monthly });
    }
  };

  const natZones = ofType('AWS::EC2::NatGateway')
    .map((n) => n.Properties?.AvailabilityMode === 'regional' ? zones : 1)
    .reduce((a, b) => a + b, 0);
  add('NAT gateway zones served', natZones, natZones * perMonth(PRICES.natGatewayHour));
  // a regional gateway in automatic mode takes one Amazon-provided address per zone; a zonal one its Elastic IP
  const addresses = ofType('AWS::EC2::NatGateway').filter((n) => n.Properties?.AvailabilityMode === 'regional').length * zones
    + ofType('AWS::EC2::EIP').length;
  add('public IPv4 addresses', addresses, addresses * perMonth(PRICES.publicIpv4Hour));
  const endpointZones = ofType('AWS::EC2::VPCEndpoint')
    .filter((e) => e.Properties?.VpcEndpointType === 'Interface')
    .map((e) => (e.Properties?.SubnetIds ?? []).length)
    .reduce((a, b) => a + b, 0);
  add('interface endpoint zones', endpointZones, endpointZones * perMonth(PRICES.interfaceEndpointZoneHour));
  const keys = ofType('AWS::KMS::Key').length;
  add('KMS keys', keys, keys * PRICES.kmsKeyMonth);
  const alarms = ofType('AWS::CloudWatch::Alarm').length;
  add(`alarms (first ${PRICES.freeAlarms} of the account free)`, alarms, Math.max(0, alarms - PRICES.freeAlarms) * PRICES.alarmMonth);
  const dashboards = ofType('AWS::CloudWatch::Dashboard').length;
  add(`dashboards (first ${PRICES.freeDashboards} of the account free)`, dashboards,
    Math.max(0, dashboards - PRICES.freeDashboards) * PRICES.dashboardMonth);
  const instances = new Map<string, number>();
  for (const config of ofType('AWS::SageMaker::EndpointConfig')) {
    for (const variant of config.Properties?.ProductionVariants ?? []) {
      if (variant.InstanceType) {
        instances.set(variant.InstanceType, (instances.get(variant.InstanceType) ?? 0) + (variant.InitialInstanceCount ?? 1));
      }
    }
  }
  for (const [type, count] of instances) {
    const price = PRICES.sageMakerInstanceHour[type];
    add(`SageMaker endpoint instances (${type})`, count, price === undefined ? undefined : count * perMonth(price));
  }
  // a space that names no size starts at the domain's default, which is 5 GiB unless the domain says otherwise
  const spaceGiB = ofType('AWS::SageMaker::Space')
    .map((space) => space.Properties?.SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb ?? 5)
    .reduce((a, b) => a + b, 0);
  const spacePrice = PRICES.sageMakerSpaceVolumeGbMonth;
  add('notebook space volume GiB', spaceGiB, spacePrice === undefined ? undefined : spaceGiB * spacePrice);
  // pre-initialized Spark workers bill while their application is started: for good, once it never stops
  const warmVcpus = ofType('AWS::EMRServerless::Application')
    .filter((app) => app.Properties?.AutoStopConfiguration?.Enabled === false)
    .flatMap((app) => app.Properties?.InitialCapacity ?? [])
    .map((entry: any) => (entry.Value?.WorkerCount ?? 0) * Number.parseFloat(entry.Value?.WorkerConfiguration?.Cpu ?? '0'))
    .reduce((a: number, b: number) => a + b, 0);
  add('EMR Serverless pre-initialized vCPUs that never stop', warmVcpus, undefined);
  const monthly = lines.reduce((sum, line) => sum + (line.monthly ?? 0), 0);
  return { stack, lines, monthly };
}

/** US dollars to the cent. */
export function dollars(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** The report of several stacks, as `npm run cost` prints it. */
export function formatReport(costs: StackIdleCost[]): string {
  const out = [`Idle cost per month, ${PRICES.region} prices of ${PRICES.date} (${PRICES.hoursPerMonth} hours):`];
  for (const cost of costs) {
    out.push('', `${cost.stack}: ${dollars(cost.monthly)}`);
    for (const line of cost.lines) {
      out.push(`  ${String(line.count).padStart(4)}  ${line.what.padEnd(56)} ${line.monthly === undefined ? 'not priced' : dollars(line.monthly)}`);
    }
  }
  out.push('', 'Not counted: storage, requests, data processed and transfer, which grow with use rather than time.');
  return out.join('\n');
}

/** The templates of every stack of a cloud assembly, by stack name. */
export function templatesOf(assembly: string): [string, { Resources?: Resources }][] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  return Object.values<any>(manifest.artifacts)
    .filter((artifact) => artifact.type === 'aws:cloudformation:stack')
    .map((artifact) => [artifact.properties.stackName ?? artifact.displayName,
      JSON.parse(fs.readFileSync(path.join(assembly, artifact.properties.templateFile), 'utf8'))]);
}
