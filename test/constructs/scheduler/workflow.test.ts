import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { Workflow, WorkflowProps, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore } from '../../../constructs/versioning';
import { DataWarehouse } from '../../../constructs/warehouse';
import { PolicySimulator } from '../../support/iam';
import { aslErrors, onlyDefinition, runLocally, taskError } from '../../support/state-machines';
import { checkedTemplate, newTestApp } from '../../support/synth';

/** A stack with every layer a workflow uses, and step makers over them. */
function setup() {
  const stack = new Stack(newTestApp(), 'Flow');
  const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc });
  const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
  const artifactStore = new ArtifactStore(stack, 'Artifacts');
  const job = compute.addJobDefinition('Job', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim') });
  const batch = (name: string, dependsOn: string[] = [], more: object = {}) => WorkflowStep.batchJob({
    name, dependsOn, jobQueue: compute.queue('cpu').jobQueue, jobDefinition: job, ...more,
  });
  const workflow = (steps: WorkflowStep[], props: Partial<WorkflowProps> = {}) =>
    new Workflow(stack, 'Flow', { workflowName: 'training', steps, artifactStore, ...props });
  return { stack, compute, warehouse, artifactStore, job, batch, workflow };
}

function definitionOf(build: (s: ReturnType<typeof setup>) => void): any {
  const s = setup();
  build(s);
  return onlyDefinition(Template.fromStack(s.stack));
}

const order = (calls: Array<{ state: string }>) => calls.map((c) => c.state);

describe('Workflow definitions', () => {
  let template: Template;
  beforeAll(() => {
    const s = setup();
    s.workflow([
      WorkflowStep.athenaQuery({
        name: 'features', warehouse: s.warehouse, zone: s.warehouse.raw,
        queryString: "UNLOAD (SELECT 1) TO 's3://bucket/features/run_id={run_id}/' WITH (format = 'PARQUET')",
        output: { zone: s.warehouse.curated, prefix: 'features/' },
      }),
      s.batch('train', ['features'], { vcpus: 8, memoryMiB: 30000, gpuCount: 1, timeout: Duration.hours(2) }),
      s.batch('evaluate', ['train']),
      s.batch('explain', ['train']),
      s.batch('publish', ['evaluate', 'explain']),
    ]);
    template = checkedTemplate(s.stack, { regulated: true });
  });

  test('pass asl-validator', () => {
    expect(aslErrors(onlyDefinition(template))).toEqual([]);
  });

  test('run independent steps side by side and the rest in dependency order', async () => {
    const definition = onlyDefinition(template);
    expect(definition.StartAt).toBe('features');
    expect(definition.States['Level 3'].Type).toBe('Parallel');
    expect(definition.States['Level 3'].Branches.map((b: any) => b.StartAt).sort()).toEqual(['evaluate', 'explain']);

    const run = await runLocally(definition);
    expect(run.error).toBeUndefined();
    const steps = order(run.calls);
    expect(steps.sort()).toEqual(['evaluate', 'explain', 'features', 'publish', 'train']);
    const at = (name: string) => order(run.calls).indexOf(name);
    expect(at('features')).toBeLessThan(at('train'));
    expect(at('train')).toBeLessThan(Math.min(at('evaluate'), at('explain')));
    expect(Math.max(at('evaluate'), at('explain'))).toBeLessThan(at('publish'));
  });

  test('pass the run id to every Batch job and into the query', async () => {
    const run = await runLocally(onlyDefinition(template), {}, 'nightly-2026-11-27');
    for (const call of run.calls.filter((c) => c.state !== 'features')) {
      expect(call.input.ContainerOverrides.Environment).toEqual(expect.arrayContaining([
        { Name: 'DSI_RUN_ID', Value: 'nightly-2026-11-27' },
        { Name: 'DSI_WORKFLOW', Value: 'training' },
        { Name: 'DSI_STEP', Value: call.state },
      ]));
    }
    const query = run.calls.find((c) => c.state === 'features')!.input;
    expect(query.QueryString).toBe("UNLOAD (SELECT 1) TO 's3://bucket/features/run_id=nightly-2026-11-27/' WITH (format = 'PARQUET')");
    expect(query.WorkGroup).toBe('team');
  });

  test('override vCPUs, memory, GPUs and timeout per step', async () => {
    const train = onlyDefinition(template).States.train;
    expect(train.Parameters.ContainerOverrides.ResourceRequirements).toEqual([
      { Type: 'VCPU', Value: '8' }, { Type: 'MEMORY', Value: '30000' }, { Type: 'GPU', Value: '1' },
    ]);
    expect(train.Parameters.Timeout).toEqual({ AttemptDurationSeconds: 7200 });
    expect(train.Resource).toMatch(/:states:::batch:submitJob\.sync$/);
  });

  test('retry a throttled Batch call with backoff and jitter, and succeed', async () => {
    const run = await runLocally(onlyDefinition(template), {
      train: (_, attempt) => {
        if (attempt < 3) {
          throw taskError('Batch.AWSBatchException', 'Rate exceeded');
        }
        return {};
      },
    });
    expect(run.error).toBeUndefined();
    expect(order(run.calls).filter((s) => s === 'train')).toHaveLength(3);
    expect(onlyDefinition(template).States.train.Retry[0]).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
  });

  test('leave a failed job (spot reclamation included) to Batch\'s retry: no second retry here', async () => {
    const run = await runLocally(onlyDefinition(template), { train: () => { throw taskError('States.TaskFailed', 'Host EC2 terminated'); } });
    expect(order(run.calls).filter((s) => s === 'train')).toHaveLength(1);
    expect(run.error?.name).toBe('States.TaskFailed');
  });

  test('publish the failing step and run id, then fail the run', async () => {
    const run = await runLocally(onlyDefinition(template), { train: () => { throw taskError('States.TaskFailed', 'exit code 1'); } }, 'run-42');
    const notice = run.calls.find((c) => c.state === 'Notify failure');
    expect(notice?.input.Message).toEqual({ workflow: 'training', runId: 'run-42', step: 'train', error: 'States.TaskFailed', cause: 'exit code 1' });
    expect(order(run.calls)).not.toContain('evaluate');
    expect(run.error?.name).toBe('States.TaskFailed');
  });

  test('report a step that fails inside a parallel level by its own name', async () => {
    const run = await runLocally(onlyDefinition(template), { explain: () => { throw taskError('States.TaskFailed', 'OOM'); } }, 'run-43');
    expect(run.calls.find((c) => c.state === 'Notify failure')?.input.Message).toMatchObject({ step: 'explain', runId: 'run-43', error: 'States.TaskFailed' });
    expect(order(run.calls)).not.toContain('publish');
    expect(run.error).toBeDefined();
  });

  test('report a level that fails for another reason than a step, raw, rather than fail in the failure path', async () => {
    const definition = JSON.parse(JSON.stringify(onlyDefinition(template)));
    // an error that leaves a branch without going through the step's own stop, as a service limit would
    const branch = definition.States['Level 3'].Branches.find((b: any) => b.StartAt === 'evaluate');
    branch.States.evaluate.Catch[0].ErrorEquals = ['Batch.ClientException'];
    const run = await runLocally(definition, { evaluate: () => { throw taskError('States.DataLimitExceeded', 'too big'); } }, 'run-44');
    const notice = run.calls.find((c) => c.state === 'Notify failure');
    expect(notice?.input.Message).toMatchObject({ step: 'level 3', runId: 'run-44', error: 'States.DataLimitExceeded' });
    expect(run.error).toBeDefined();
  });

  test('log every run at level ALL to an encrypted log group, trace it, and time it out', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90, KmsKeyId: Match.anyValue(), LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/') },
      DeletionPolicy: 'Retain',
    });
    expect(onlyDefinition(template).TimeoutSeconds).toBe(24 * 3600);
  });

  test('notify through an encrypted topic that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('use Resource "*" only where the API has no resource-level permissions', () => {
    const actions = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Resource === '*')
      .flatMap((s: any) => [s.Action].flat());
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a: string) => !/^(logs:[A-Za-z]*(LogDelivery|LogDeliveries|LogGroups|ResourcePolicies|ResourcePolicy)|xray:|batch:DescribeJobs$)/.test(a))).toEqual([]);
  });

  describe('the state machine role, simulated', () => {
    let sim: PolicySimulator;
    let role: string;
    beforeAll(() => {
      sim = new PolicySimulator(template);
      role = sim.logicalId('AWS::IAM::Role', 'FlowStateMachineRole');
    });
    const queue = (prefix: string) => sim.arn(sim.logicalId('AWS::Batch::JobQueue', prefix));

    test.each([
      ['may submit to its queue with its job definition, any revision', 'batch:SubmitJob', () => queue('ComputeCpuQueue'), 'Allowed'],
      ['may submit its job definition, any revision', 'batch:SubmitJob', () => `${sim.arn(sim.logicalId('AWS::Batch::JobDefinition', 'ComputeJob')).replace(/:1$/, '')}:7`, 'Allowed'],
      ['may not submit another job definition', 'batch:SubmitJob', () => 'arn:aws:batch:eu-west-1:111122223333:job-definition/other:1', 'NotAllowed'],
      ['may not submit to another queue', 'batch:SubmitJob', () => queue('ComputeGpuQueue'), 'NotAllowed'],
      ['may query through its workgroup', 'athena:StartQueryExecution', () => 'arn:aws:athena:eu-west-1:111122223333:workgroup/team', 'Allowed'],
      ['may not query through another workgroup', 'athena:StartQueryExecution', () => 'arn:aws:athena:eu-west-1:111122223333:workgroup/primary', 'NotAllowed'],
      ['may write the query output prefix', 's3:PutObject', () => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseCuratedZoneBucket'))}/features/run_id=1/x.parquet`, 'Allowed'],
      ['may not write elsewhere in the zone', 's3:PutObject', () => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseCuratedZoneBucket'))}/models/x`, 'NotAllowed'],
      ['may not delete', 's3:DeleteObject', () => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'WarehouseCuratedZoneBucket'))}/features/run_id=1/x.parquet`, 'NotAllowed'],
    ])('%s', async (_, action, resource, expected) => {
      expect(await sim.outcome(role, action, resource())).toBe(expected);
    });
  });
});

describe('Workflow fan-out', () => {
  test('runs a job once per item of the list an earlier step wrote, inline within 40 at once', async () => {
    const definition = definitionOf((s) => s.workflow([
      s.batch('split'),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split'], itemsFrom: 'split', maxConcurrency: 8, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } }),
    ]));
    expect(aslErrors(definition)).toEqual([]);
    expect(definition.States.score).toMatchObject({ Type: 'Map', MaxConcurrency: 8 });
    const run = await runLocally(definition, {
      'score items': (input) => {
        expect(input.Key).toBe('runs/training/run-7/split/items.json');
        return { Body: JSON.stringify(['2026-11-25', '2026-11-26', { shard: 3 }]) };
      },
    }, 'run-7');
    expect(run.error).toBeUndefined();
    const itemCalls = run.calls.filter((c) => c.state === 'score item');
    const items = itemCalls.map((c) => c.input.ContainerOverrides.Environment.find((e: any) => e.Name === 'DSI_ITEM').Value);
    for (const call of itemCalls) {
      expect(call.input.ContainerOverrides.Environment).toContainEqual({ Name: 'DSI_RUN_ID', Value: 'run-7' });
    }
    expect(items.sort()).toEqual(['"2026-11-25"', '"2026-11-26"', '{"shard":3}'].sort());
    expect(order(run.calls).indexOf('split')).toBeLessThan(order(run.calls).indexOf('score items'));
  });

  test('runs a Distributed Map reading the list from the artifact store beyond 40 at once', () => {
    const s = setup();
    s.workflow([
      s.batch('split'),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split'], itemsFrom: 'split', maxConcurrency: 500, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } }),
    ]);
    const template = checkedTemplate(s.stack);
    const definition = onlyDefinition(template);
    expect(aslErrors(definition)).toEqual([]);
    expect(definition.States.score).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 500,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ItemReader: { ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Key.$': "States.Format('runs/training/{}/split/items.json', $$.Execution.Name)" } },
      // child executions have names of their own: the run id travels with each item
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'runId.$': '$$.Execution.Name' },
    });
    const env = definition.States.score.ItemProcessor.States['score item'].Parameters.ContainerOverrides.Environment;
    expect(env).toContainEqual({ 'Name': 'DSI_RUN_ID', 'Value.$': '$.runId' });
  });

  test('retries a failed item when asked, and reports the fan-out step when it still fails', async () => {
    const definition = definitionOf((s) => s.workflow([
      s.batch('split'),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split'], itemsFrom: 'split', retries: 1, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } }),
    ]));
    const run = await runLocally(definition, {
      'score items': () => ({ Body: '["a","b"]' }),
      'score item': (input) => {
        if (input.ContainerOverrides.Environment.some((e: any) => e.Value === '"b"')) {
          throw taskError('States.TaskFailed', 'bad shard');
        }
        return {};
      },
    });
    expect(run.calls.find((c) => c.state === 'Notify failure')?.input.Message).toMatchObject({ step: 'score' });
    expect(run.error).toBeDefined();
  });
});

describe('Workflow props', () => {
  test('user retries retry any failure that many more times', async () => {
    const definition = definitionOf((s) => s.workflow([s.batch('flaky', [], { retries: 2 })]));
    const run = await runLocally(definition, {
      flaky: (_, attempt) => {
        if (attempt <= 2) {
          throw taskError('States.TaskFailed');
        }
        return {};
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.state === 'flaky')).toHaveLength(3);
  });

  test('exposes run metrics', () => {
    const s = setup();
    const flow = s.workflow([s.batch('a')]);
    expect(flow.metricFailed().metricName).toBe('ExecutionsFailed');
    expect(flow.metricSucceeded().metricName).toBe('ExecutionsSucceeded');
    expect(flow.metricTime().metricName).toBe('ExecutionTime');
  });

  test.each([
    ['no steps', () => [], 'steps = []: give at least one step'],
    ['a duplicate step name', (s: any) => [s.batch('a'), s.batch('a')], 'steps[1].name = "a": give each step its own name'],
    ['a step name with spaces', (s: any) => [s.batch('build features')], 'steps[0].name = "build features"'],
    ['a step name starting with a hyphen', (s: any) => [s.batch('-train')], 'steps[0].name = "-train": use 1 to 64'],
    ['an unknown dependency', (s: any) => [s.batch('a', ['ghost'])], 'steps[0].dependsOn = "ghost": name a step of this workflow: a'],
    ['a step depending on itself', (s: any) => [s.batch('a', ['a'])], 'steps[0].dependsOn = "a": a step cannot depend on itself'],
    ['a cycle', (s: any) => [s.batch('a', ['c']), s.batch('b', ['a']), s.batch('c', ['b'])], 'steps = ["a","c","b","a"]: remove a dependency from this cycle'],
    ['a short step timeout', (s: any) => [s.batch('quick', [], { timeout: Duration.seconds(30) })], 'steps[0].timeout = "30 seconds": give at least one minute'],
    ['a fan-out over a step it does not depend on', (s: any) => [s.batch('split'),
      WorkflowStep.forEach({ name: 'each', itemsFrom: 'split', job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } })],
    'steps[1].itemsFrom = "split": name a step this one depends on'],
    ['a query in a zone of another warehouse, which its grants would not cover', (s: any) => [WorkflowStep.athenaQuery({
      name: 'q', warehouse: s.warehouse, zone: new DataWarehouse(s.stack, 'Other', { namePrefix: 'other' }).raw, queryString: 'SELECT 1',
    })], 'steps[0].zone = "other_raw": give a zone of the step\'s warehouse, or none'],
  ])('rejects %s', (_, steps, message) => {
    const s = setup();
    expect(() => s.workflow(steps(s))).toThrow(message);
  });

  test('rejects a fan-out without an artifact store to read the list from', () => {
    const s = setup();
    const steps = [s.batch('split'), WorkflowStep.forEach({ name: 'each', dependsOn: ['split'], itemsFrom: 'split', job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } })];
    expect(() => s.workflow(steps, { artifactStore: undefined })).toThrow('give the workflow an artifactStore');
  });

  test('rejects a workflow name that is not a name', () => {
    const s = setup();
    expect(() => s.workflow([s.batch('a')], { workflowName: 'my flow!' })).toThrow('workflowName = "my flow!": use 1 to 64 letters');
  });
});
