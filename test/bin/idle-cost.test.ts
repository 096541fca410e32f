import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { idleCost } from '../../bin/idle-cost/command';
import { PRICES } from '../../bin/idle-cost/prices';
import { formatReport, idleCostOf, templatesOf } from '../../bin/idle-cost/report';
import { DataScienceStack } from '../../lib';
import { ROOT } from '../support/cli';
import { newTestApp, synthDefaultApp, synthExample } from '../support/synth';

const subnets = (n: number) => Object.fromEntries([...Array(n).keys()].map((i) => [`Subnet${i}`, { Type: 'AWS::EC2::Subnet' }]));
const many = (type: string, n: number, properties = {}) => Object.fromEntries([...Array(n).keys()].map((i) => [`${type}${i}`, { Type: type, Properties: properties }]));

describe('idle cost of a template', () => {
  test('prices a regional NAT gateway, and its addresses, in every zone of the VPC', () => {
    const cost = idleCostOf('s', { Resources: { ...subnets(3), Nat: { Type: 'AWS::EC2::NatGateway', Properties: { AvailabilityMode: 'regional' } } } });
    expect(cost.lines).toEqual([
      { what: 'NAT gateway zones served', count: 3, monthly: 3 * 0.045 * 730 },
      { what: 'public IPv4 addresses', count: 3, monthly: 3 * 0.005 * 730 },
    ]);
  });

  test('prices a zonal NAT gateway once, with its Elastic IP', () => {
    const cost = idleCostOf('s', { Resources: { ...subnets(4), Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} }, Ip: { Type: 'AWS::EC2::EIP' } } });
    expect(cost.monthly).toBeCloseTo(0.045 * 730 + 0.005 * 730, 10);
    // a gateway that names no properties at all is zonal too
    expect(idleCostOf('s', { Resources: { ...subnets(4), Nat: { Type: 'AWS::EC2::NatGateway' } } }).lines).toEqual([
      { what: 'NAT gateway zones served', count: 1, monthly: 0.045 * 730 },
    ]);
  });

  test('prices each interface endpoint in each of its subnets, and no gateway endpoint', () => {
    const cost = idleCostOf('s', { Resources: {
      Logs: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b', 'c'] } },
      Kms: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'] } },
      S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } },
    } });
    expect(cost.lines).toEqual([{ what: 'interface endpoint zones', count: 5, monthly: 5 * 0.01 * 730 }]);
  });

  test('counts keys, and alarms and dashboards beyond the free tier', () => {
    const cost = idleCostOf('s', { Resources: { ...many('AWS::KMS::Key', 2), ...many('AWS::CloudWatch::Alarm', 12), ...many('AWS::CloudWatch::Dashboard', 4) } });
    expect(cost.lines).toEqual([
      { what: 'KMS keys', count: 2, monthly: 2 },
      { what: `alarms (first ${PRICES.freeAlarms} of the account free)`, count: 12, monthly: 2 * 0.1 },
      { what: `dashboards (first ${PRICES.freeDashboards} of the account free)`, count: 4, monthly: 3 },
    ]);
    expect([PRICES.freeAlarms, PRICES.freeDashboards]).toEqual([10, 3]);
    expect(cost.monthly).toBeCloseTo(5.2, 10);
  });

  test('counts endpoint instances by type and names those the table cannot price', () => {
    const config = { ProductionVariants: [{ InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }, { ServerlessConfig: { MemorySizeInMB: 2048 } }] };
    const cost = idleCostOf('s', { Resources: many('AWS::SageMaker::EndpointConfig', 1, config) });
    expect(cost.lines).toEqual([{ what: 'SageMaker endpoint instances (ml.m5.large)', count: 2, monthly: undefined }]);
    expect(formatReport([cost])).toMatch(/2 {2}SageMaker endpoint instances \(ml\.m5\.large\) +not priced/);
  });

  test('prices what the table lists a price for: endpoint instances and space volumes', () => {
    const prices = PRICES as { sageMakerInstanceHour: Record<string, number>; sageMakerSpaceVolumeGbMonth?: number };
    prices.sageMakerInstanceHour['ml.m5.large'] = 0.115;
    prices.sageMakerSpaceVolumeGbMonth = 0.112;
    try {
      const cost = idleCostOf('s', { Resources: {
        ...many('AWS::SageMaker::EndpointConfig', 1, { ProductionVariants: [{ InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }] }),
        Space: { Type: 'AWS::SageMaker::Space', Properties: { SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 10 } } } } },
      } });
      expect(cost.lines).toEqual([
        { what: 'SageMaker endpoint instances (ml.m5.large)', count: 2, monthly: 2 * 0.115 * 730 },
        { what: 'notebook space volume GiB', count: 10, monthly: 10 * 0.112 },
      ]);
    } finally {
      delete prices.sageMakerInstanceHour['ml.m5.large'];
      prices.sageMakerSpaceVolumeGbMonth = undefined;
    }
  });

  test('reads resources that name none of their properties as the services default them', () => {
    const bare = (type: string) => ({ Type: type });
    const cost = idleCostOf('s', { Resources: {
      Config: bare('AWS::SageMaker::EndpointConfig'), Variant: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ InstanceType: 'ml.c5.xlarge' }] } },
      Space: bare('AWS::SageMaker::Space'), Spark: bare('AWS::EMRServerless::Application'), Endpoint: bare('AWS::EC2::VPCEndpoint'),
      Settled: { Type: 'AWS::SageMaker::Space', Properties: {} },
      Stored: { Type: 'AWS::SageMaker::Space', Properties: { SpaceSettings: { SpaceStorageSettings: {} } } },
      Warm: { Type: 'AWS::EMRServerless::Application', Properties: { AutoStopConfiguration: { Enabled: false }, InitialCapacity: [{ Key: 'Driver' }, { Key: 'Executor', Value: { WorkerCount: 2 } }] } },
    } });
    expect(cost.lines).toEqual([
      // a variant names one instance unless it says how many; a space's volume is 5 GiB unless it says
      { what: 'SageMaker endpoint instances (ml.c5.xlarge)', count: 1, monthly: undefined },
      { what: 'notebook space volume GiB', count: 15, monthly: undefined },
    ]);
  });

  test('counts the GiB of notebook space volumes, which bill while the space exists, and names them unpriced', () => {
    const space = (size?: number) => ({ Type: 'AWS::SageMaker::Space', Properties: { SpaceSettings: size ? { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: size } } } : {} } });
    const cost = idleCostOf('s', { Resources: { Ana: space(5), Bo: space(20), Default: space(), Domain: { Type: 'AWS::SageMaker::Domain' } } });
    expect(cost.lines).toEqual([{ what: 'notebook space volume GiB', count: 30, monthly: undefined }]);
    expect(cost.monthly).toBe(0);
  });

  test('counts the pre-initialized vCPUs of Spark applications that never stop, and none of one that stops when idle', () => {
    const application = (autoStop: boolean) => ({
      Type: 'AWS::EMRServerless::Application',
      Properties: {
        AutoStopConfiguration: { Enabled: autoStop },
        InitialCapacity: [
          { Key: 'Driver', Value: { WorkerCount: 1, WorkerConfiguration: { Cpu: '2 vCPU', Memory: '8 GB' } } },
          { Key: 'Executor', Value: { WorkerCount: 3, WorkerConfiguration: { Cpu: '4 vCPU', Memory: '16 GB' } } },
        ],
      },
    });
    expect(idleCostOf('s', { Resources: { Warm: application(false) } }).lines)
      .toEqual([{ what: 'EMR Serverless pre-initialized vCPUs that never stop', count: 14, monthly: undefined }]);
    expect(idleCostOf('s', { Resources: { Stops: application(true), Plain: { Type: 'AWS::EMRServerless::Application', Properties: {} } } }).lines).toEqual([]);
  });

  test('the report names the region and date of its prices, each stack\'s lines, and what it leaves out', () => {
    const report = formatReport([idleCostOf('team', { Resources: many('AWS::KMS::Key', 1) }), idleCostOf('empty', { Resources: {} })]);
    expect(report.split('\n')).toEqual([
      `Idle cost per month, ${PRICES.region} prices of ${PRICES.date} (${PRICES.hoursPerMonth} hours):`,
      '',
      'team: $1.00',
      `     1  ${'KMS keys'.padEnd(56)} $1.00`,
      '',
      'empty: $0.00',
      '',
      'Not counted: storage, requests, data processed and transfer, which grow with use rather than time.',
    ]);
  });
});

describe('npm run cost', () => {
  test('reads a cloud assembly and prints each stack, as a command line', () => {
    const app = newTestApp();
    new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' });
    const assembly = app.synth().directory;
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/idle-cost.ts', '--assembly', assembly], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('data-science-dev: $1.00');
    expect(idleCost(['--assembly', assembly])).toEqual({ status: 0, stdout: result.stdout, stderr: '' });
  });

  test('says where it found no cloud assembly, exit 2; a failed synth exits with the synth\'s code', () => {
    expect(idleCost(['--assembly', '/nowhere'])).toEqual({ status: 2, stdout: '', stderr: 'idle-cost: no cloud assembly at /nowhere\n' });
    // a folder without a cloud assembly's manifest
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-assembly-'));
    expect(idleCost(['--assembly', empty])).toEqual({ status: 2, stdout: '', stderr: `idle-cost: no cloud assembly at ${empty}\n` });
    expect(idleCost(['--assembly'])).toEqual({ status: 2, stdout: '', stderr: 'idle-cost: give --assembly the folder of a cloud assembly, for example cdk.out\n' });
    const synthesized: string[][] = [];
    expect(idleCost(['-c', 'network=private'], (args) => {
      synthesized.push(args);
      return 3;
    })).toEqual({ status: 3, stdout: '', stderr: '' });
    expect(synthesized).toEqual([['-c', 'network=private']]);
  });

  test('the feature-engineering example (Spark, an Iceberg table, two workflows) bills no more while idle than the default stack', () => {
    // the same report as `npm run cost -- --assembly <dir>`, line by line, with the stack names left out
    const costOf = (assembly: string) => formatReport(templatesOf(assembly).map(([stack, template]) => idleCostOf(stack, template)))
      .split('\n').filter((line) => /^\S+: \$|^ +\d+ /.test(line)).map((line) => line.replace(/^\S+: /, 'stack: '));
    const features = costOf(synthExample('feature-engineering').app.outdir);
    expect(features).toEqual(costOf(synthDefaultApp().app.outdir));
    expect(features[0]).toBe('stack: $1.00');
  });

  test('the idle cost table and sentences of docs/network.md are what `npm run cost -- --profiles` prints', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'network.md'), 'utf8');
    const block = page.match(/<!-- idle-cost:begin -->\n([\s\S]*?)\n<!-- idle-cost:end -->/);
    expect(block).not.toBeNull();
    expect(idleCost(['--profiles'])).toEqual({ status: 0, stdout: `${block![1]}\n`, stderr: '' });
  });
});
