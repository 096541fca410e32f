import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { BatchCompute, DataScienceNetwork, Workflow, WorkflowStep } from '../../../lib';
import { FuzzTally, fuzzRuns, importedVpc, mostly, optional, rarely, wildDuration, wildNumber, wildString } from '../../support/fuzz';

/**
 * A multi-node queue, its jobs and their steps built from wild props end in a template every
 * rule pack passes and every service would take, or a ValidationError; nothing else.
 */
describe('BatchCompute multi-node queue, its jobs and their steps', () => {
  const tally = new FuzzTally('MultiNodeQueue');
  const types = ['g5.xlarge', 'g5.8xlarge', 'g6e.12xlarge', 'p4d.24xlarge', 'p5.48xlarge', 'p3.2xlarge', 'c6i.xlarge', 'g6f.large'];
  const job = fc.record({
    id: wildString('Ddp', 'Train'),
    numNodes: wildNumber(2, 4, 1, 16),
    mainNode: optional(wildNumber(0, 1, 3)),
    vcpus: optional(wildNumber(4, 32, 96)),
    memoryMiB: optional(wildNumber(14000, 16384, 120000)),
    gpuCount: optional(wildNumber(0, 1, 4, 8)),
    sharedMemoryMiB: optional(wildNumber(1024, 65536)),
    attempts: optional(wildNumber(1, 3)),
    timeout: optional(wildDuration(Duration.hours(8))),
    environment: optional(fc.dictionary(wildString('NCCL_DEBUG', 'AWS_BATCH_X'), fc.constant('1'), { maxKeys: 2, noNullPrototype: true })),
  }, { requiredKeys: ['id', 'numNodes'] });

  const cases = fc.record({
    vpc: mostly(fc.constantFrom('new', 'public', 'private'), fc.constant('isolated')) as fc.Arbitrary<'new' | 'public' | 'private' | 'isolated'>,
    instanceType: optional(fc.constantFrom(...types)),
    maxvCpus: optional(wildNumber(8, 64, 192, 384)),
    efa: optional(fc.boolean()),
    rootVolumeSizeGiB: rarely(wildNumber(100, 200, 30)),
    jobs: fc.array(job, { maxLength: 2 }),
    step: fc.record({ queue: fc.constantFrom('multi-node', 'cpu', 'gpu', 'fargate'), timeout: optional(wildDuration(Duration.hours(2))) }),
  });
  /** The queue options an example leaves unset. */
  const NONE = { instanceType: undefined, maxvCpus: undefined, efa: undefined, rootVolumeSizeGiB: undefined };

  test('wild props give a checked template or a ValidationError', () => {
    fc.assert(fc.property(cases, ({ vpc, instanceType, jobs, step, ...options }) => {
      tally.run((app) => {
        const stack = new Stack(app, 'Fuzz');
        const network = vpc === 'new' ? new DataScienceNetwork(stack, 'Network').vpc : importedVpc(stack, vpc);
        const compute = new BatchCompute(stack, 'Compute', { vpc: network, multiNode: { ...options, instanceType: instanceType === undefined ? undefined : new ec2.InstanceType(instanceType) } });
        const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');
        const definitions = jobs.map(({ id, ...props }) => compute.addMultiNodeJobDefinition(id, { ...props, image }));
        if (definitions.length > 0) {
          const jobQueue = step.queue === 'multi-node' ? compute.multiNodeQueue!.jobQueue : compute.queue(step.queue).jobQueue;
          new Workflow(stack, 'Flow', {
            workflowName: 'training',
            steps: [WorkflowStep.multiNodeJob({ name: 'train', jobQueue, jobDefinition: definitions[0], timeout: step.timeout })],
          });
        }
      });
    }), {
      numRuns: fuzzRuns(6),
      examples: [
        [{ ...NONE, vpc: 'new', jobs: [{ id: 'Ddp', numNodes: 2 }], step: { queue: 'multi-node', timeout: undefined } }],
        [{ ...NONE, vpc: 'new', efa: true, instanceType: 'g5.xlarge', jobs: [], step: { queue: 'multi-node', timeout: undefined } }],
      ],
    });
    expect(tally.outcomes.valid).toBeGreaterThan(0);
    expect(tally.outcomes.invalid).toBeGreaterThan(0);
  });
});
