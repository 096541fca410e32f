import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { Workflow, WorkflowProps, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore } from '../../../constructs/versioning';
import { DataWarehouse } from '../../../constructs/warehouse';
import { PolicySimulator } from '../../support/iam';
import { stepNamesOf } from '../../../constructs/scheduler/run-states';
import { batchWorkflowDefinition } from '../../support/dags';
import { aslErrors, definitionOf, laneStates, runLocally, stateMachineDefinitions, taskError } from '../../support/state-machines';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

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

function definitionBuilt(build: (s: ReturnType<typeof setup>) => void): any {
  const s = setup();
  build(s);
  return workflowDefinition(Template.fromStack(s.stack));
}

const workflowDefinition = (template: Template) => definitionOf(template, 'FlowStateMachine');
const steps = (calls: Array<{ step: string }>) => calls.map((c) => c.step);

describe('Workflow definitions', () => {
  let template: Template;
  let definition: any;
  /** The task train's job runs in: shared with the steps of its shape, with resources and a timeout. */
  let trainTask: string;
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
    definition = workflowDefinition(template);
    trainTask = laneStates(definition).train.Next;
  });

  test('pass asl-validator', () => {
    for (const machine of Object.values(stateMachineDefinitions(template))) {
      expect(aslErrors(machine)).toEqual([]);
    }
  });

  test('run the steps in lanes: a chain in one lane, each branch beside it waiting for its dependency', async () => {
    expect(definition.States['Plan steps'].Parameters.groups).toEqual([[
      { count: 4, steps: [{ name: 'features' }, { name: 'train', tells: [{ name: 'explain', waits: 1 }] }, { name: 'evaluate' }, { name: 'publish', waits: 1 }] },
      { count: 1, steps: [{ name: 'explain', waits: 1, tells: [{ name: 'publish', waits: 1 }] }] },
    ]]);
    const run = await runLocally(definition);
    expect(run.error).toBeUndefined();
    // the one query is the features step's
    const order = steps(run.calls).map((step) => (step === 'Athena query' ? 'features' : step))
      .filter((step) => ['features', 'train', 'evaluate', 'explain', 'publish'].includes(step));
    expect([...order].sort()).toEqual(['evaluate', 'explain', 'features', 'publish', 'train']);
    const at = (name: string) => order.indexOf(name);
    expect(at('features')).toBeLessThan(at('train'));
    expect(at('train')).toBeLessThan(Math.min(at('evaluate'), at('explain')));
    expect(Math.max(at('evaluate'), at('explain'))).toBeLessThan(at('publish'));
    // each waiting step deleted its dependency record as it went on
    expect(run.records.keys).toEqual([]);
  });

  test('name each step\'s first state after the step, the state the console and dsi show', () => {
    const states = laneStates(definition);
    for (const step of ['features', 'train', 'evaluate', 'explain', 'publish']) {
      expect(states[step]).toBeDefined();
    }
    expect(states['Start step'].Choices.map((c: any) => c.Next)).toEqual(['features', 'train', 'evaluate', 'publish', 'explain']);
  });

  test('let dsi read the steps from the definition, in every Map of lanes', () => {
    expect(stepNamesOf(definition).sort()).toEqual(['evaluate', 'explain', 'features', 'publish', 'train']);
    const wide = Array.from({ length: 45 }, (_, i) => ({ name: `w${i}`, dependsOn: [] }));
    const twoMaps = batchWorkflowDefinition(wide);
    expect(twoMaps.States['Run steps'].Branches).toHaveLength(2);
    expect(stepNamesOf(twoMaps).sort()).toEqual(wide.map((w) => w.name).sort());
  });

  test('pass the run id to every Batch job and into the query', async () => {
    const run = await runLocally(definition, {}, 'nightly-2026-11-27');
    for (const call of run.calls.filter((c) => c.state.startsWith('Batch job'))) {
      expect(call.input.ContainerOverrides.Environment).toEqual(expect.arrayContaining([
        { Name: 'DSI_RUN_ID', Value: 'nightly-2026-11-27' },
        { Name: 'DSI_WORKFLOW', Value: 'training' },
        { Name: 'DSI_STEP', Value: call.step },
      ]));
    }
    const query = run.calls.find((c) => c.state === 'Athena query')!.input;
    expect(query.QueryString).toBe("UNLOAD (SELECT 1) TO 's3://bucket/features/run_id=nightly-2026-11-27/' WITH (format = 'PARQUET')");
    expect(query.WorkGroup).toBe('team');
  });

  test('override vCPUs, memory, GPUs and timeout per step', async () => {
    const run = await runLocally(definition);
    const train = run.calls.find((c) => c.step === 'train')!;
    expect(train.state).toBe('Batch job with resources and timeout');
    expect(train.input.ContainerOverrides.ResourceRequirements).toEqual([
      { Type: 'VCPU', Value: '8' }, { Type: 'MEMORY', Value: '30000' }, { Type: 'GPU', Value: '1' },
    ]);
    expect(train.input.Timeout).toEqual({ AttemptDurationSeconds: 7200 });
    // the job's whole environment, in order: the run's, the workflow's, the step's
    expect(train.input.ContainerOverrides.Environment).toEqual([
      { Name: 'DSI_RUN_ID', Value: 'run-0001' }, { Name: 'DSI_WORKFLOW', Value: 'training' }, { Name: 'DSI_STEP', Value: 'train' },
    ]);
    expect(train.input.JobQueue).toMatch(/^arn:aws:batch:eu-west-1:111122223333:job-queue\//);
    expect(train.input.JobDefinition).toMatch(/^arn:aws:batch:eu-west-1:111122223333:job-definition\//);
    expect(run.calls.find((c) => c.step === 'evaluate')!.input.Timeout).toBeUndefined();
    expect(laneStates(definition)[trainTask].Resource).toMatch(/:states:::batch:submitJob\.sync$/);
  });

  test('retry a throttled Batch call with backoff and jitter, and succeed', async () => {
    const run = await runLocally(definition, {
      [trainTask]: (_, attempt) => {
        if (attempt < 3) {
          throw taskError('Batch.AWSBatchException', 'Rate exceeded');
        }
        return {};
      },
    });
    expect(run.error).toBeUndefined();
    expect(steps(run.calls).filter((s) => s === 'train')).toHaveLength(3);
    expect(laneStates(definition)[trainTask].Retry[0]).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
  });

  test('leave a failed job (spot reclamation included) to Batch\'s retry: no second retry here', async () => {
    const run = await runLocally(definition, { [trainTask]: () => { throw taskError('States.TaskFailed', 'Host EC2 terminated'); } });
    expect(steps(run.calls).filter((s) => s === 'train')).toHaveLength(1);
    expect(run.error?.name).toBe('States.TaskFailed');
  });

  test('publish the failing step and run id, then fail the run with the step\'s error', async () => {
    const run = await runLocally(definition, { [trainTask]: () => { throw taskError('States.TaskFailed', 'exit code 1'); } }, 'run-42');
    const notice = run.calls.find((c) => c.state === 'Notify failure');
    expect(notice?.input.Message).toEqual({ workflow: 'training', runId: 'run-42', status: 'FAILED', step: 'train', error: 'States.TaskFailed', cause: 'exit code 1' });
    expect(steps(run.calls)).not.toContain('evaluate');
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: 'exit code 1' });
    expect(run.endedIn).toBe('Run failed');
  });

  test('report a step that fails in a lane beside others by its own name, and stop the others', async () => {
    const run = await runLocally(definition, {
      'Batch job': (input) => {
        if (input.JobName === 'explain') {
          throw taskError('States.TaskFailed', 'OOM');
        }
        // evaluate, in the other lane, never ends on its own: the failure must stop it
        return input.JobName === 'evaluate' ? new Promise(() => undefined) : {};
      },
    }, 'run-43');
    expect(run.calls.find((c) => c.state === 'Notify failure')?.input.Message).toMatchObject({ step: 'explain', runId: 'run-43', error: 'States.TaskFailed', cause: 'OOM' });
    expect(steps(run.calls)).not.toContain('publish');
    expect(run.error?.name).toBe('States.TaskFailed');
  });

  test('report a dependency record that cannot be written as the failure of the step that waits', async () => {
    const run = await runLocally(definition, {
      'Wait for dependencies': () => { throw taskError('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:UpdateItem'); },
    }, 'run-44');
    const notice = run.calls.find((c) => c.state === 'Notify failure');
    expect(notice?.input.Message).toMatchObject({ runId: 'run-44', error: 'DynamoDB.AmazonDynamoDBException' });
    expect(['explain', 'publish']).toContain(notice?.input.Message.step);
    expect(run.error?.name).toBe('DynamoDB.AmazonDynamoDBException');
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
    expect(definition.TimeoutSeconds).toBe(24 * 3600);
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
    expect(actions.filter((a: string) => !/^(logs:[A-Za-z]*(LogDelivery|LogDeliveries|LogGroups|ResourcePolicies|ResourcePolicy)|xray:|batch:DescribeJobs$|states:SendTaskSuccess$)/.test(a))).toEqual([]);
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
    const definition = definitionBuilt((s) => s.workflow([
      s.batch('split'),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split'], itemsFrom: 'split', maxConcurrency: 8, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } }),
    ]));
    expect(aslErrors(definition)).toEqual([]);
    // the step reads its list, then maps over it
    expect(laneStates(definition).score).toMatchObject({ Type: 'Task', Next: 'score items' });
    expect(laneStates(definition)['score items']).toMatchObject({ Type: 'Map', MaxConcurrency: 8 });
    const run = await runLocally(definition, {
      score: (input) => {
        expect(input.Key).toBe('runs/training/run-7/split/items.json');
        return { Body: JSON.stringify(['2026-11-25', '2026-11-26', { shard: 3 }]) };
      },
    }, 'run-7');
    expect(run.error).toBeUndefined();
    const itemCalls = run.calls.filter((c) => c.state === 'score item');
    const items = itemCalls.map((c) => c.input.ContainerOverrides.Environment.find((e: any) => e.Name === 'DSI_ITEM').Value);
    for (const call of itemCalls) {
      // the run's variables and the item, nothing else: the workflow records no snapshots
      expect(call.input.ContainerOverrides.Environment.filter((e: any) => e.Name !== 'DSI_ITEM')).toEqual([
        { Name: 'DSI_RUN_ID', Value: 'run-7' }, { Name: 'DSI_WORKFLOW', Value: 'training' }, { Name: 'DSI_STEP', Value: 'score' },
      ]);
    }
    expect(items.sort()).toEqual(['"2026-11-25"', '"2026-11-26"', '{"shard":3}'].sort());
    expect(steps(run.calls).indexOf('split')).toBeLessThan(steps(run.calls).indexOf('score'));
  });

  test('runs a Distributed Map reading the list from the artifact store beyond 40 at once', async () => {
    const s = setup();
    const fanOut = (name: string, maxConcurrency: number) => WorkflowStep.forEach({
      name, dependsOn: ['split'], itemsFrom: 'split', maxConcurrency, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job },
    });
    // two of them in one workflow share the grants their child executions need
    s.workflow([s.batch('split'), fanOut('score', 500), fanOut('rank', 100)]);
    const template = checkedTemplate(s.stack);
    const definition = workflowDefinition(template);
    expect(aslErrors(definition)).toEqual([]);
    const score = laneStates(definition).score;
    expect(score).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 500,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Key.$': "States.Format('runs/training/{}/split/items.json', $$.Execution.Name)" },
      },
      // child executions have names of their own: the run id travels with each item
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'runId.$': '$$.Execution.Name' },
    });
    // a list that could not be read for a moment is read again, as the inline fan-out's task reads it
    expect(score.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.ItemReaderFailed'], MaxAttempts: 6 })]);
    const env = score.ItemProcessor.States['score item'].Parameters.ContainerOverrides.Environment;
    expect(env).toContainEqual({ 'Name': 'DSI_RUN_ID', 'Value.$': '$.runId' });
    // its child executions are executions of this state machine, which it may start, watch and stop
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('DistributedMapPolicy') } }));
    expect(policies).toHaveLength(1);
    const actions = policies[0].Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution']));
    // it may redrive its own child executions (named <state machine>/<map run>:<id>), no other state machine's
    const sim = new PolicySimulator(template);
    const role = sim.logicalId('AWS::IAM::Role', 'FlowStateMachineRole');
    const ownName = sim.arn(sim.logicalId('AWS::StepFunctions::StateMachine', 'FlowStateMachine')).split(':').pop();
    const child = (stateMachineName: string) => `arn:aws:states:eu-west-1:111122223333:execution:${stateMachineName}/score:5f0c2a`;
    expect(await sim.outcome(role, 'states:RedriveExecution', child(ownName!))).toBe('Allowed');
    expect(await sim.outcome(role, 'states:RedriveExecution', child('other'))).toBe('NotAllowed');
  });

  test('runs inline at 40 at once, the most an inline Map takes, with no grants to start executions of its own', async () => {
    const s = setup();
    const fanOut = (id: string, maxConcurrency: number) => new Workflow(s.stack, id, {
      workflowName: id.toLowerCase(), artifactStore: s.artifactStore, steps: [s.batch('split'), WorkflowStep.forEach({
        name: 'score', dependsOn: ['split'], itemsFrom: 'split', maxConcurrency, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job },
      })],
    });
    fanOut('Inline', 40);
    fanOut('Distributed', 41);
    const template = Template.fromStack(s.stack);
    expect(laneStates(definitionOf(template, 'InlineStateMachine')).score).toMatchObject({ Type: 'Task', Next: 'score items' });
    expect(laneStates(definitionOf(template, 'DistributedStateMachine')).score).toMatchObject({ Type: 'Map', MaxConcurrency: 41 });
    const sim = new PolicySimulator(template);
    const mayStartItself = (id: string) => sim.outcome(sim.logicalId('AWS::IAM::Role', `${id}StateMachineRole`), 'states:StartExecution',
      sim.arn(sim.logicalId('AWS::StepFunctions::StateMachine', `${id}StateMachine`)));
    expect(await mayStartItself('Inline')).toBe('NotAllowed');
    expect(await mayStartItself('Distributed')).toBe('Allowed');
  });

  test.each(['S3.S3Exception', 'S3.SdkClientException'])('reads the list again when S3 fails with %s, then runs each item', async (error) => {
    const definition = definitionBuilt((s) => s.workflow([
      s.batch('split'),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split'], itemsFrom: 'split', job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } }),
    ]));
    const run = await runLocally(definition, {
      score: (_, attempt) => {
        if (attempt <= 2) {
          throw taskError(error, 'Service unavailable');
        }
        return { Body: '["a","b"]' };
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.state === 'score')).toHaveLength(3);
    expect(run.calls.filter((c) => c.state === 'score item')).toHaveLength(2);
  });

  test('retries a failed item when asked, and reports the fan-out step when it still fails', async () => {
    const definition = definitionBuilt((s) => s.workflow([
      s.batch('split'),
      WorkflowStep.forEach({ name: 'score', dependsOn: ['split'], itemsFrom: 'split', retries: 1, job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } }),
    ]));
    const run = await runLocally(definition, {
      'score': () => ({ Body: '["a","b"]' }),
      'score item': (input) => {
        if (input.ContainerOverrides.Environment.some((e: any) => e.Value === '"b"')) {
          throw taskError('States.TaskFailed', 'bad shard');
        }
        return {};
      },
    });
    // the Map is tried once more, and each try ran the failing item
    expect(run.calls.filter((c) => c.state === 'score item' && c.input.ContainerOverrides.Environment.some((e: any) => e.Value === '"b"'))).toHaveLength(2);
    expect(run.calls.find((c) => c.state === 'Notify failure')?.input.Message).toMatchObject({ step: 'score', error: 'States.TaskFailed' });
    expect(run.error?.name).toBe('States.TaskFailed');
  });
});

describe('Workflow props', () => {
  test('user retries retry any failure that many more times, in a task only steps with as many retries share', async () => {
    const definition = definitionBuilt((s) => s.workflow([s.batch('flaky', [], { retries: 2 }), s.batch('steady')]));
    expect(laneStates(definition).flaky.Next).toBe('Batch job, 2 retries');
    expect(laneStates(definition).steady.Next).toBe('Batch job');
    const run = await runLocally(definition, {
      'Batch job, 2 retries': (_, attempt) => {
        if (attempt <= 2) {
          throw taskError('States.TaskFailed');
        }
        return {};
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.step === 'flaky')).toHaveLength(3);
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
    ['a step name with spaces', (s: any) => [s.batch('build features')], 'steps[0].name = "build features": use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit'],
    ['a step name starting with a hyphen', (s: any) => [s.batch('-train')], 'steps[0].name = "-train": use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit'],
    ['an unknown dependency', (s: any) => [s.batch('a', ['ghost'])], 'steps[0].dependsOn = "ghost": name a step of this workflow: a'],
    ['a step depending on itself', (s: any) => [s.batch('a', ['a'])], 'steps[0].dependsOn = "a": a step cannot depend on itself'],
    ['a cycle', (s: any) => [s.batch('a', ['c']), s.batch('b', ['a']), s.batch('c', ['b'])], 'steps = ["a","c","b","a"]: remove a dependency from this cycle: a workflow is a DAG'],
    ['a cycle behind a step that waits on it, named without that step', (s: any) => [s.batch('x', ['a']), s.batch('a', ['b']), s.batch('b', ['a'])],
      'steps = ["a","b","a"]: remove a dependency from this cycle: a workflow is a DAG'],
    ['a short step timeout', (s: any) => [s.batch('quick', [], { timeout: Duration.seconds(30) })], 'steps[0].timeout = "30 seconds": give whole seconds, at least one minute (the shortest job timeout Batch accepts)'],
    ['a fan-out over a step it does not depend on', (s: any) => [s.batch('split'),
      WorkflowStep.forEach({ name: 'each', itemsFrom: 'split', job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } })],
    'steps[1].itemsFrom = "split": name a step this one depends on (add it to dependsOn), so the list exists before the fan-out starts'],
    ['a query in a zone of another warehouse, which its grants would not cover', (s: any) => [WorkflowStep.athenaQuery({
      name: 'q', warehouse: s.warehouse, zone: new DataWarehouse(s.stack, 'Other', { namePrefix: 'other' }).raw, queryString: 'SELECT 1',
    })], 'steps[0].zone = "other_raw": give a zone of the step\'s warehouse, or none: a sandbox\'s queries run in its own database'],
    ['an UNLOAD with no output, whose role could not write', (s: any) => [WorkflowStep.athenaQuery({
      name: 'q', warehouse: s.warehouse, queryString: "  -- features\n UNLOAD (SELECT 1) TO 's3://bucket/features/'",
    })], 'steps[0].output = undefined: the query starts with UNLOAD, which writes: give output: { zone, prefix } where it writes, so the step may write there'],
    ['a CTAS with no output', (s: any) => [WorkflowStep.athenaQuery({ name: 'q', warehouse: s.warehouse, queryString: 'create table f with (format = \'PARQUET\') as select 1' })],
      'steps[0].output = undefined: the query starts with CREATE, which writes: give output: { zone, prefix } where it writes, so the step may write there'],
    ['a variable the workflow sets itself', (s: any) => [s.batch('a', [], { environment: { DSI_STEP: 'other' } })], 'steps[0].environment = "DSI_STEP": give a variable name that is not empty and starts neither with DSI_ (the workflow sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_ITEM) nor with AWS_BATCH (Batch\'s)'],
    ['a job timeout of part of a second', (s: any) => [s.batch('a', [], { timeout: Duration.millis(90500) })], 'steps[0].timeout = "90.5 seconds": give whole seconds, at least one minute (the shortest job timeout Batch accepts)'],
  ])('rejects %s', (_, steps, message) => {
    const s = setup();
    expect(problemLines(() => s.workflow(steps(s)))).toEqual([message]);
  });

  test('rejects steps given as one step, by name', () => {
    const s = setup();
    expect(problemLines(() => new Workflow(s.stack, 'One', { workflowName: 'one', steps: s.batch('a') as any }))).toEqual([
      expect.stringMatching(/^steps = .*: give a list, for example \[WorkflowStep\.batchJob\(\{ name: "train", jobQueue, jobDefinition \}\)\]$/),
    ]);
  });

  test('rejects a fan-out without an artifact store to read the list from', () => {
    const s = setup();
    const steps = [s.batch('split'), WorkflowStep.forEach({ name: 'each', dependsOn: ['split'], itemsFrom: 'split', job: { jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.job } })];
    expect(problemLines(() => s.workflow(steps, { artifactStore: undefined }))).toEqual(['steps[1].itemsFrom = "split": give the workflow an artifactStore: the list is read from it']);
  });

  test.each([
    ['input locations as one string', { inputLocations: 's3://raw/a/' as any }, 'inputLocations = "s3://raw/a/": give a list, for example ["s3://bucket/events/"]'],
    ['a code version that is a number', { codeVersion: 42 as any }, 'codeVersion = 42: give 1 to 256 letters, digits, spaces and _.:/=+-@, for example a git sha'],
    ['a run timeout over a year', { timeout: Duration.days(400) }, 'timeout = "400 days": give whole seconds, from 1 second to 365 days (the longest a standard execution runs)'],
    ['a run timeout of part of a second', { timeout: Duration.millis(1500) }, 'timeout = "1.5 seconds": give whole seconds, from 1 second to 365 days (the longest a standard execution runs)'],
    ['input locations that are not S3 URLs, or that repeat', { inputLocations: ['https://x', 's3://raw/a/', 's3://raw/a/'] },
      ['inputLocations[0] = "https://x": give an S3 URL such as "s3://bucket/events/"', 'inputLocations = ["https://x","s3://raw/a/","s3://raw/a/"]: name each location once']],
    ['a log retention that is no RetentionDays', { logRetention: 42 as any }, 'logRetention = 42: use one of logs.RetentionDays, for example logs.RetentionDays.ONE_MONTH: CloudWatch Logs keeps logs only for those periods'],
    ['a removal policy a key cannot take', { removalPolicy: RemovalPolicy.SNAPSHOT }, 'removalPolicy = "snapshot": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted'],
  ])('rejects %s', (_, props, message) => {
    const s = setup();
    expect(problemLines(() => s.workflow([s.batch('a')], props))).toEqual([message].flat());
  });

  test('runs steps named like object members as any other', async () => {
    const definition = definitionBuilt((s) => s.workflow([
      s.batch('constructor'), s.batch('toString', ['constructor']), s.batch('valueOf', ['constructor']), s.batch('hasOwnProperty', ['toString', 'valueOf']),
    ]));
    expect(aslErrors(definition)).toEqual([]);
    const run = await runLocally(definition);
    expect(run.error).toBeUndefined();
    const order = steps(run.calls).filter((step) => !/ /.test(step));
    expect(order[0]).toBe('constructor');
    expect(order[3]).toBe('hasOwnProperty');
  });

  test('rejects a workflow name that is not a name', () => {
    const s = setup();
    expect(problemLines(() => s.workflow([s.batch('a')], { workflowName: 'my flow!' }))).toEqual(['workflowName = "my flow!": use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit, for example "nightly-training"']);
  });
});

describe('Workflow grants', () => {
  test('grantRead lets a role read this workflow and its runs, no other workflow\'s and no run started', async () => {
    const s = setup();
    const workflow = s.workflow([s.batch('a')]);
    new Workflow(s.stack, 'Other', { workflowName: 'other', steps: [s.batch('b')], artifactStore: s.artifactStore });
    const reader = new iam.Role(s.stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    workflow.grantRead(reader);
    const sim = new PolicySimulator(Template.fromStack(s.stack));
    const role = sim.logicalId('AWS::IAM::Role', 'Reader');
    const machine = (id: string) => sim.arn(sim.logicalId('AWS::StepFunctions::StateMachine', `${id}StateMachine`));
    const run = (id: string) => `${machine(id).replace(':stateMachine:', ':execution:')}:2026-12-03T10-00-00-5f0c2a`;
    for (const action of ['states:DescribeStateMachine', 'states:ListExecutions']) {
      expect(await sim.outcome(role, action, machine('Flow'))).toBe('Allowed');
      expect(await sim.outcome(role, action, machine('Other'))).toBe('NotAllowed');
    }
    for (const action of ['states:DescribeExecution', 'states:GetExecutionHistory']) {
      expect(await sim.outcome(role, action, run('Flow'))).toBe('Allowed');
      expect(await sim.outcome(role, action, run('Other'))).toBe('NotAllowed');
    }
    expect(await sim.outcome(role, 'states:StartExecution', machine('Flow'))).toBe('NotAllowed');
    expect(await sim.outcome(role, 'states:StopExecution', run('Flow'))).toBe('NotAllowed');
  });
});
