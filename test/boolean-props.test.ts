import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import {
  ArtifactStore, BatchCompute, CompliancePacks, DataScienceNetwork, DataScienceStack, EndpointHosting, ModelEndpoint, ModelSource, ProjectSandboxStack, RunRegistry, Workflow, WorkflowStep,
} from '../lib';
import { daysFromToday } from '../constructs/core/dates';
import { newTestApp } from './support/synth';
import { problemLines } from './support/validation';

/*
 * A switch given as anything but true or false: from JavaScript, or from context as text, `'no'` is
 * truthy and would turn the switch on without a word.
 */
const NO = 'no' as any;
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest');

function compute(props: object = {}) {
  const stack = new Stack(newTestApp(), 'Switches');
  const { vpc } = new DataScienceNetwork(stack, 'Network');
  return { stack, build: () => new BatchCompute(stack, 'Compute', { vpc, ...props }) };
}

function workflow(props: object = {}) {
  const { stack, build } = compute({ standardQueues: false });
  const batch = build();
  const queue = batch.addQueue('cpu').jobQueue;
  const jobDefinition = batch.addJobDefinition('Job', { image });
  return new Workflow(stack, 'Flow', { workflowName: 'flow', steps: [WorkflowStep.batchJob({ name: 'run', jobQueue: queue, jobDefinition })], ...props });
}

const SWITCHES: [string, () => unknown][] = [
  ['standardQueues', () => compute({ standardQueues: NO }).build()],
  ['mutableImageTags', () => compute({ mutableImageTags: NO }).build()],
  ['cpu.spot', () => compute({ cpu: { spot: NO } }).build()],
  ['multiNode.efa', () => compute({ multiNode: { efa: NO } }).build()],
  ['options.gpu', () => compute({ standardQueues: false }).build().addQueue('training', { gpu: NO })],
  ['options.containerInstanceMetadata', () => compute({ standardQueues: false }).build().addQueue('training', { containerInstanceMetadata: NO })],
  ['fargate', () => compute({ standardQueues: false }).build().addJobDefinition('Job', { image, fargate: NO })],
  ['allowConcurrentRuns', () => workflow({ allowConcurrentRuns: NO })],
  ['enabled', () => workflow().addSchedule('Nightly', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), enabled: NO })],
  ['deletionProtection', () => new RunRegistry(new Stack(newTestApp(), 'Runs'), 'Runs', { deletionProtection: NO })],
  ['networkIsolation', () => {
    const stack = new Stack(newTestApp(), 'Serving');
    const model = ModelSource.fromArtifact({ artifactStore: new ArtifactStore(stack, 'Artifacts'), modelDataKey: 'models/m/1/model.tar.gz', image: 'img:1' });
    return new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'v1', model }], networkIsolation: NO });
  }],
  ['destroyDataOnDelete', () => new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', destroyDataOnDelete: NO })],
  ['exampleWorkflow', () => new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', exampleWorkflow: NO })],
  ['readTeamCuratedData', () => new ProjectSandboxStack(newTestApp(), 'Sandbox', {
    teamName: 'data-science', projectName: 'churn', expiresOn: daysFromToday(14), readTeamCuratedData: NO,
  })],
  ['notebook', () => new ProjectSandboxStack(newTestApp(), 'Sandbox', {
    teamName: 'data-science', projectName: 'churn', owner: 'ana.lima', expiresOn: daysFromToday(14), notebook: NO,
  })],
  ['regulated', () => CompliancePacks.addTo(newTestApp(), { regulated: NO })],
];

test.each(SWITCHES)('%s given as "no" is refused by name', (prop, build) => {
  expect(problemLines(build)).toContain(`${prop} = "no": give true or false`);
});

/** Switches of the parser's own rule table, which no caller gives. */
const NOT_PROPS = ['varArg', 'where', 'threshold'];

test('every switch of the library\'s props is among those tested', () => {
  const declared = new Set(['constructs', 'lib'].flatMap((folder) => fs.readdirSync(path.join(__dirname, '..', folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...fs.readFileSync(path.join(__dirname, '..', folder, file), 'utf8').matchAll(/readonly (\w+)\?: boolean;/g)].map((m) => m[1]))));
  const tested = new Set(SWITCHES.map(([prop]) => prop.split('.').pop()));
  expect([...declared].filter((name) => !tested.has(name) && !NOT_PROPS.includes(name))).toEqual([]);
});
