import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore, RunRegistry } from '../../../constructs/versioning';
import { PolicySimulator } from '../../support/iam';
import { batchRetryAction } from '../../support/batch-retries';
import { aslErrors, definitionOf, laneStates, runLocally, taskError } from '../../support/state-machines';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemsOf } from '../../support/validation';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');

/** A stack with a multi-node queue, a 2-node job on it, and a single-node job on the cpu queue. */
function setup() {
  const stack = new Stack(newTestApp(), 'Flow', { env: { account: '111122223333', region: 'eu-west-1' } });
  const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, multiNode: {} });
  const ddp = compute.addMultiNodeJobDefinition('Ddp', { numNodes: 2, gpuCount: 1, image });
  const prepare = compute.addJobDefinition('Prepare', { image });
  const single = (name: string, dependsOn: string[] = []) =>
    WorkflowStep.batchJob({ name, dependsOn, jobQueue: compute.queue('cpu').jobQueue, jobDefinition: prepare });
  return { stack, compute, ddp, prepare, single, multiNodeQueue: compute.multiNodeQueue!.jobQueue };
}

/** What a workflow of these steps refuses, as `prop: value`. */
function refused(steps: (s: ReturnType<typeof setup>) => WorkflowStep[]): string[] {
  const s = setup();
  return problemsOf(() => new Workflow(s.stack, 'Flow', { workflowName: 'training', steps: steps(s), artifactStore: new ArtifactStore(s.stack, 'Artifacts') }))
    .map((p) => `${p.prop}: ${p.fix}`);
}

describe('WorkflowStep.multiNodeJob', () => {
  let template: Template;
  let definition: any;
  let trainTask: string;
  beforeAll(() => {
    const s = setup();
    new Workflow(s.stack, 'Flow', {
      workflowName: 'training',
      steps: [
        s.single('prepare'),
        WorkflowStep.multiNodeJob({
          name: 'train', dependsOn: ['prepare'], jobQueue: s.multiNodeQueue, jobDefinition: s.ddp,
          environment: { EPOCHS: '20' }, timeout: Duration.hours(6), retries: 1,
        }),
        s.single('report', ['train']),
      ],
      artifactStore: new ArtifactStore(s.stack, 'Artifacts'),
      runRegistry: new RunRegistry(s.stack, 'Runs'),
    });
    template = checkedTemplate(s.stack, { regulated: true, controlTower: true });
    definition = definitionOf(template, 'FlowStateMachine');
    trainTask = laneStates(definition).train.Next;
  });

  test('passes asl-validator, with a submitJob.sync task of its own shape', () => {
    expect(aslErrors(definition)).toEqual([]);
    expect(trainTask).toBe('Multi-node job with timeout, 1 variable, 1 retry');
    expect(laneStates(definition)[trainTask].Resource).toMatch(/:states:::batch:submitJob\.sync$/);
  });

  test('runs after its dependency and before its dependent, with the run id on every node', async () => {
    const run = await runLocally(definition, {}, 'nightly-2026-11-27');
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.state.startsWith('Batch job') || c.state.startsWith('Multi-node')).map((c) => c.step)).toEqual(['prepare', 'train', 'report']);
    const train = run.calls.find((c) => c.step === 'train')!.input;
    expect(train.ContainerOverrides).toBeUndefined();
    expect(train.NodeOverrides).toEqual({
      NodePropertyOverrides: [{
        TargetNodes: '0:1',
        ContainerOverrides: {
          Environment: [
            { Name: 'DSI_RUN_ID', Value: 'nightly-2026-11-27' }, { Name: 'DSI_WORKFLOW', Value: 'training' },
            { Name: 'DSI_STEP', Value: 'train' }, { Name: 'EPOCHS', Value: '20' },
          ],
        },
      }],
    });
    expect(train.Timeout).toEqual({ AttemptDurationSeconds: 6 * 3600 });
    expect(train.JobQueue).toMatch(/^arn:aws:batch:eu-west-1:111122223333:job-queue\//);
    expect(train.JobDefinition).toMatch(/^arn:aws:batch:eu-west-1:111122223333:job-definition\//);
  });

  test('retries a throttled submission with backoff, and any failure as often as asked', async () => {
    const run = await runLocally(definition, {
      [trainTask]: (_, attempt) => {
        if (attempt < 3) {
          throw taskError('Batch.TooManyRequestsException', 'Rate exceeded');
        }
        return {};
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.step === 'train')).toHaveLength(3);
    const failing = await runLocally(definition, { [trainTask]: () => { throw taskError('States.TaskFailed', 'NCCL timeout'); } });
    expect(failing.calls.filter((c) => c.step === 'train')).toHaveLength(2);
  });

  test('a lost main node is tried again by Batch, within the one job the step waits for; a container error is not', () => {
    // Batch judges a multi-node job by its main node: the job's status reason is the main node's
    const strategy = Object.entries(template.findResources('AWS::Batch::JobDefinition'))
      .find(([id]) => id.startsWith('ComputeDdp'))![1].Properties.RetryStrategy;
    const hostLost = 'Host EC2 (instance i-0123456789abcdef0) terminated.';
    expect(batchRetryAction(strategy, { attempt: 1, statusReason: hostLost })).toBe('RETRY');
    expect(batchRetryAction(strategy, { attempt: 2, statusReason: hostLost })).toBe('RETRY');
    expect(batchRetryAction(strategy, { attempt: 3, statusReason: hostLost })).toBe('EXIT');
    expect(batchRetryAction(strategy, { attempt: 1, statusReason: 'Essential container in task exited', exitCode: 1 })).toBe('EXIT');
    expect(batchRetryAction(strategy, { attempt: 1, statusReason: 'Task failed to start', reason: 'CannotPullContainerError: not found' })).toBe('EXIT');
  });

  test('a lost child node fails the job (Batch retries no child), and the step\'s retry runs it again: the run goes on and is recorded', async () => {
    // torchrun on the main node exits when a peer vanishes: a container error, which Batch does not retry
    const childLost = JSON.stringify({ Status: 'FAILED', StatusReason: 'Essential container in task exited', Attempts: [{ Container: { ExitCode: 1 } }] });
    const run = await runLocally(definition, {
      [trainTask]: (_, attempt) => {
        if (attempt === 1) {
          throw taskError('States.TaskFailed', childLost);
        }
        return { Status: 'SUCCEEDED' };
      },
    }, 'run-7');
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.step === 'train')).toHaveLength(2);
    expect(run.calls.map((c) => c.step)).toContain('report');
    expect(run.calls.map((c) => c.state)).not.toContain('Record failure');
    expect(run.calls.find((c) => c.state === 'Record success')!.input.Key).toEqual({ workflow: { S: 'training' }, runId: { S: 'run-7' } });
    // lost again on the retry: the step fails, recorded and reported. The cause is plain text here:
    // aws-local-stepfunctions strips the backslashes out of States.JsonToString's result, so a JSON
    // cause, which Batch gives, breaks the lanes' failure read in the emulator (and not in Step Functions)
    const twice = await runLocally(definition, { [trainTask]: () => { throw taskError('States.TaskFailed', 'Essential container in task exited'); } }, 'run-8');
    expect(twice.calls.filter((c) => c.step === 'train')).toHaveLength(2);
    expect(twice.calls.find((c) => c.state === 'Record failure')!.input.ExpressionAttributeValues[':step']).toEqual({ S: 'train' });
    expect(twice.calls.find((c) => c.state === 'Notify failure')!.input.Message).toMatchObject({ runId: 'run-8', step: 'train', cause: 'Essential container in task exited' });
    expect(twice.endedIn).toBe('Run failed');
  });

  test('a failed job records and reports the step, stops the run there, and fails it with the job\'s error', async () => {
    const run = await runLocally(definition, { [trainTask]: () => { throw taskError('States.TaskFailed', 'Essential container in task exited'); } }, 'run-42');
    expect(run.calls.find((c) => c.state === 'Record failure')!.input.ExpressionAttributeValues).toMatchObject({
      ':step': { S: 'train' }, ':error': { S: 'States.TaskFailed' },
    });
    expect(run.calls.find((c) => c.state === 'Notify failure')!.input.Message).toEqual({
      workflow: 'training', runId: 'run-42', status: 'FAILED', step: 'train', error: 'States.TaskFailed', cause: 'Essential container in task exited',
    });
    expect(run.calls.map((c) => c.step)).not.toContain('report');
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: 'Essential container in task exited' });
    expect(run.endedIn).toBe('Run failed');
  });

  test('the state machine may submit the job to the multi-node queue, and that job nowhere else', async () => {
    const sim = new PolicySimulator(template);
    const role = sim.logicalId('AWS::IAM::Role', 'FlowStateMachineRole');
    const queue = (id: string) => sim.arn(sim.logicalId('AWS::Batch::JobQueue', id));
    const definitionArn = (id: string) => sim.arn(sim.logicalId('AWS::Batch::JobDefinition', id));
    expect(await sim.outcome(role, 'batch:SubmitJob', queue('ComputeMultiNodeQueue'))).toBe('Allowed');
    expect(await sim.outcome(role, 'batch:SubmitJob', definitionArn('ComputeDdp'))).toBe('Allowed');
    // any revision, so runs under way survive a deploy
    expect(await sim.outcome(role, 'batch:SubmitJob', definitionArn('ComputeDdp').replace(/:1$/, ':7'))).toBe('Allowed');
    expect(await sim.outcome(role, 'batch:SubmitJob', 'arn:aws:batch:eu-west-1:111122223333:job-definition/other:1')).toBe('NotAllowed');
    expect(await sim.outcome(role, 'batch:SubmitJob', queue('ComputeGpuQueue'))).toBe('NotAllowed');
  });
});

describe('a multi-node job step\'s task', () => {
  /** The task of a lone multi-node step, built without checks: its name and its node overrides. */
  function task(options: { timeout?: Duration; ranges?: number }) {
    const s = setup();
    for (let range = 1; range < (options.ranges ?? 1); range++) {
      s.ddp.addContainer({ startNode: 2 * range, endNode: 2 * range + 1, container: s.ddp.containers[0].container });
    }
    new Workflow(s.stack, 'Flow', {
      workflowName: 'training',
      steps: [WorkflowStep.multiNodeJob({ name: 'train', jobQueue: s.multiNodeQueue, jobDefinition: s.ddp, timeout: options.timeout })],
      artifactStore: new ArtifactStore(s.stack, 'Artifacts'),
    });
    const states = laneStates(definitionOf(Template.fromStack(s.stack), 'FlowStateMachine'));
    return { name: states.train.Next, targets: states[states.train.Next].Parameters.NodeOverrides.NodePropertyOverrides.map((o: any) => o['TargetNodes.$']) };
  }

  test.each([
    ['one node range', {}, 'Multi-node job'],
    ['a timeout', { timeout: Duration.hours(1) }, 'Multi-node job with timeout'],
    ['two node ranges', { ranges: 2 }, 'Multi-node job with 2 node ranges'],
    ['three node ranges and a timeout', { ranges: 3, timeout: Duration.hours(1) }, 'Multi-node job with 3 node ranges and timeout'],
  ])('is named for its shape: %s', (_shape, options, name) => {
    expect(task(options).name).toBe(name);
  });

  test('gives every node range the run\'s environment', () => {
    expect(task({ ranges: 3 }).targets).toEqual(['$.job.nodes[0]', '$.job.nodes[1]', '$.job.nodes[2]']);
  });
});

describe('multi-node jobs in a workflow, refused', () => {
  test('a queue on spot, with the fix', () => {
    expect(refused((s) => [WorkflowStep.multiNodeJob({ name: 'spot', jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.ddp })])).toEqual([
      'steps[0].jobQueue: it runs on spot (compute environment Flow/Compute/CpuQueue/Spot), where Batch runs no multi-node job: '
      + 'give an on-demand EC2 queue, such as compute.multiNodeQueue.jobQueue',
    ]);
  });

  test('not a queue that cannot say what it runs on: imported, or on an imported or unmanaged compute environment', () => {
    expect(refused((s) => {
      const imported = batch.ManagedEc2EcsComputeEnvironment.fromManagedEc2EcsComputeEnvironmentArn(s.stack, 'ImportedEnvironment',
        'arn:aws:batch:eu-west-1:111122223333:compute-environment/gpu');
      const queue = (id: string, computeEnvironment: batch.IComputeEnvironment) => new batch.JobQueue(s.stack, id, { computeEnvironments: [{ computeEnvironment, order: 1 }] });
      return [
        WorkflowStep.multiNodeJob({ name: 'imported', jobQueue: batch.JobQueue.fromJobQueueArn(s.stack, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/gpu'), jobDefinition: s.ddp }),
        WorkflowStep.multiNodeJob({ name: 'importedEnvironment', jobQueue: queue('OnImported', imported), jobDefinition: s.ddp }),
        WorkflowStep.multiNodeJob({ name: 'unmanaged', jobQueue: queue('OnUnmanaged', new batch.UnmanagedComputeEnvironment(s.stack, 'Unmanaged')), jobDefinition: s.ddp }),
      ];
    })).toEqual([]);
  });


  test('a forEach or batchJob over a multi-node job definition', () => {
    const problems = refused((s) => [
      s.single('split'),
      WorkflowStep.forEach({ name: 'sweep', dependsOn: ['split'], itemsFrom: 'split', job: { jobQueue: s.multiNodeQueue, jobDefinition: s.ddp } }),
      WorkflowStep.batchJob({ name: 'once', jobQueue: s.multiNodeQueue, jobDefinition: s.ddp }),
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^steps\[1\]\.job\.jobDefinition: it is a multi-node job: run it as its own step, WorkflowStep\.multiNodeJob/),
      expect.stringMatching(/^steps\[2\]\.jobDefinition: it is a multi-node job/),
    ]);
  });

  test('a single-node or imported job definition, and a queue on spot or Fargate', () => {
    const problems = refused((s) => [
      WorkflowStep.multiNodeJob({ name: 'single', jobQueue: s.multiNodeQueue, jobDefinition: s.prepare }),
      WorkflowStep.multiNodeJob({
        name: 'imported', jobQueue: s.multiNodeQueue,
        jobDefinition: batch.MultiNodeJobDefinition.fromJobDefinitionArn(s.stack, 'Imported', 'arn:aws:batch:eu-west-1:111122223333:job-definition/ddp:1'),
      }),
      WorkflowStep.multiNodeJob({ name: 'spot', jobQueue: s.compute.queue('cpu').jobQueue, jobDefinition: s.ddp }),
      WorkflowStep.multiNodeJob({ name: 'fargate', jobQueue: s.compute.queue('fargate').jobQueue, jobDefinition: s.ddp, environment: { AWS_BATCH_X: '1' } }),
      WorkflowStep.multiNodeJob({ name: 'fargate-spot', jobQueue: s.compute.addFargateQueue('cheap', { spot: true }).jobQueue, jobDefinition: s.ddp }),
    ]);
    expect(problems).toEqual([
      'steps[0].jobDefinition: give a batch.MultiNodeJobDefinition, as BatchCompute.addMultiNodeJobDefinition makes: the step sets each node range\'s '
      + 'environment and must know them (an imported job definition does not say); a single-node job runs as WorkflowStep.batchJob',
      expect.stringMatching(/^steps\[1\]\.jobDefinition: give a batch\.MultiNodeJobDefinition/),
      expect.stringMatching(/^steps\[2\]\.jobQueue: it runs on spot \(compute environment Flow\/Compute\/CpuQueue\/Spot\), where Batch runs no multi-node job/),
      expect.stringMatching(/^steps\[3\]\.jobQueue: it runs on Fargate \(compute environment Flow\/Compute\/FargateQueue\/Fargate\)/),
      expect.stringMatching(/^steps\[3\]\.environment: give a variable name/),
      expect.stringMatching(/^steps\[4\]\.jobQueue: it runs on Fargate Spot \(compute environment Flow\/Compute\/CheapQueue\/FargateSpot\)/),
    ]);
  });
});
