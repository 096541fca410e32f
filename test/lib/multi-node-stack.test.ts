import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { addStacksFromContext } from '../../bin/app/stacks-from-context';
import { main } from '../../bin/dsi';
import { METAFLOW_SETTINGS } from '../../bin/dsi/metaflow-config';
import { idleCostOf } from '../../bin/idle-cost/report';
import { DataScienceStack, DataScienceStage, NetworkProfile, ValidationError } from '../../lib';
import { checkedTemplate, newTestApp } from '../support/synth';
import { testIo } from '../support/dsi-io';

/** Resource counts by type. */
function countsOf(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values<any>(template.toJSON().Resources)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

describe('DataScienceStack with a multi-node queue', () => {
  let plain: Template;
  let template: Template;
  beforeAll(() => {
    plain = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models' }));
    template = checkedTemplate(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', multiNode: {} }), { regulated: true, controlTower: true });
  });

  test('adds the queue, its environment and what places its hosts, and nothing else', () => {
    const before = countsOf(plain);
    const added = Object.fromEntries(Object.entries(countsOf(template))
      .map(([type, n]) => [type, n - (before[type] ?? 0)]).filter(([, n]) => n !== 0));
    expect(added).toEqual({
      'AWS::Batch::JobQueue': 1,
      'AWS::Batch::ComputeEnvironment': 1,
      'AWS::EC2::LaunchTemplate': 1,
      'AWS::EC2::PlacementGroup': 1,
      'AWS::EC2::SecurityGroup': 1,
      'AWS::EC2::SecurityGroupIngress': 1,
      'AWS::IAM::Role': 1,
      'AWS::IAM::InstanceProfile': 1,
    });
  });

  test('bills nothing more while idle: every environment from 0 vCPUs, the same idle cost', () => {
    for (const env of Object.values<any>(template.findResources('AWS::Batch::ComputeEnvironment'))) {
      expect(env.Properties.ComputeResources.MinvCpus ?? 0).toBe(0);
    }
    expect(idleCostOf('Team', template.toJSON())).toEqual(idleCostOf('Team', plain.toJSON()));
  });

  test('sizes the queue by the stage\'s GPU vCPUs', () => {
    const maxvCpus = (stage: DataScienceStage) => {
      const stack = new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', stage, multiNode: {} });
      return [stack.compute.multiNodeQueue!.maxvCpus, stack.compute.multiNodeQueue!.maxNodes];
    };
    expect(maxvCpus(DataScienceStage.DEV)).toEqual([32, 8]);
    expect(maxvCpus(DataScienceStage.PROD)).toEqual([256, 64]);
  });

  test('names the queue in its outputs, Metaflow\'s included, and watches its failed jobs', () => {
    const queue = { 'Fn::GetAtt': [expect.stringMatching(/^ComputeMultiNodeQueueJobQueue/), 'JobQueueArn'] };
    const outputs = template.toJSON().Outputs;
    expect(outputs.MultiNodeJobQueueArn.Value).toEqual(queue);
    expect(outputs.MetaflowParallelJobQueue.Value).toEqual(queue);
    expect([outputs.MultiNodeJobQueueArn.Description, outputs.MetaflowParallelJobQueue.Description]).toEqual(['Batch job queue "multi-node"', 'The queue of @parallel steps: @batch(queue=...)']);
    expect(outputs.MetaflowBatchJobQueue.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ComputeCpuQueueJobQueue/), 'JobQueueArn'] });
    const [failed] = Object.values<any>(template.findResources('AWS::Events::Rule'))
      .filter((r) => r.Properties.EventPattern?.detail?.status?.[0] === 'FAILED' && r.Properties.EventPattern.source?.[0] === 'aws.batch');
    expect(failed.Properties.EventPattern.detail.jobQueue).toContainEqual(queue);
    expect(plain.toJSON().Outputs.MultiNodeJobQueueArn).toBeUndefined();
  });

  test('passes the regulated packs in a private network too, with EFA', () => {
    const stack = new DataScienceStack(newTestApp(), 'Team', {
      teamName: 'fraud-models', stage: DataScienceStage.PROD, network: NetworkProfile.PRIVATE,
      multiNode: { efa: true, instanceType: new ec2.InstanceType('p4d.24xlarge'), maxvCpus: 192 },
    });
    const template = checkedTemplate(stack, { regulated: true, controlTower: true });
    const env = Object.values<any>(template.findResources('AWS::Batch::ComputeEnvironment'))
      .find((e) => e.Properties.ComputeResources.InstanceTypes?.[0] === 'p4d.24xlarge');
    expect(env.Properties.ComputeResources.Subnets).toEqual([{ Ref: expect.stringMatching(/^NetworkVpcisolatedSubnet1/) }]);
    // no public IP in a subnet with no route out
    const launchTemplate = Object.entries<any>(template.findResources('AWS::EC2::LaunchTemplate')).find(([id]) => id.startsWith('ComputeMultiNodeQueue'))![1];
    expect(launchTemplate.Properties.LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress).toBe(false);
  });

  test('refuses a queue the stage\'s GPU vCPUs cannot hold 2 nodes of, naming the prop and the fix', () => {
    expect(() => new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', multiNode: { efa: true } }))
      .toThrow(new ValidationError('BatchCompute', [{
        prop: 'multiNode.maxvCpus', value: 32,
        fix: 'it holds 1 node of g5.8xlarge (32 vCPUs each), and a multi-node job has 2 or more: give at least 64',
      }]));
  });
});

describe('-c multiNode', () => {
  const stackFor = (context: Record<string, string>) => {
    const app = new App({ context });
    addStacksFromContext(app);
    return app.node.children.find((c): c is DataScienceStack => Stack.isStack(c))!;
  };

  test('true adds the multi-node queue, false and its absence do not', () => {
    expect(stackFor({ multiNode: 'true' }).compute.multiNodeQueue?.instanceType).toBe('g5.xlarge');
    expect(stackFor({ multiNode: 'false' }).compute.multiNodeQueue).toBeUndefined();
    expect(stackFor({}).compute.multiNodeQueue).toBeUndefined();
  });

  test.each(['yes', '1', 'TRUE'])('%s is refused naming the flag', (value) => {
    expect(() => stackFor({ multiNode: value })).toThrow(`-c multiNode = "${value}": use one of "true", "false"`);
  });

  test('a near miss is named', () => {
    expect(() => stackFor({ multinode: 'true' })).toThrow('-c multinode = "true": the app has no such flag: did you mean -c multiNode?');
  });
});

describe('dsi metaflow-config with a multi-node queue', () => {
  const io = testIo;
  const outputs = (extra: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-'));
    const values = Object.fromEntries(Object.values(METAFLOW_SETTINGS).map((key) => [key, `value-of-${key}`]));
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify({ 'data-science-dev': { ...values, ...extra } }));
    return dir;
  };

  test('tells what @parallel steps must name, and keeps the configuration Metaflow\'s own', async () => {
    const dir = outputs({ MetaflowParallelJobQueue: 'arn:aws:batch:eu-west-1:111122223333:job-queue/multi' });
    const printed: string[] = [];
    expect(await main(['metaflow-config', '--outputs', path.join(dir, 'outputs.json'), '--out', path.join(dir, 'config.json')], io(printed))).toBe(0);
    expect(printed[1]).toBe('@parallel steps run on the multi-node queue: give them @batch(queue="arn:aws:batch:eu-west-1:111122223333:job-queue/multi")');
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config.METAFLOW_BATCH_JOB_QUEUE).toBe('value-of-MetaflowBatchJobQueue');
    expect(Object.values(config)).not.toContain('arn:aws:batch:eu-west-1:111122223333:job-queue/multi');
  });

  test('prints the configuration alone, to pipe, and says nothing of a queue the stack lacks', async () => {
    const printed: string[] = [];
    const piped = outputs({ MetaflowParallelJobQueue: 'arn:aws:batch:eu-west-1:111122223333:job-queue/multi' });
    expect(await main(['metaflow-config', '--outputs', path.join(piped, 'outputs.json')], io(printed))).toBe(0);
    expect(printed).toHaveLength(1);
    expect(() => JSON.parse(printed[0])).not.toThrow();
    const without: string[] = [];
    const dir = outputs({});
    expect(await main(['metaflow-config', '--outputs', path.join(dir, 'outputs.json'), '--out', path.join(dir, 'config.json')], io(without))).toBe(0);
    expect(without).toHaveLength(1);
  });
});
