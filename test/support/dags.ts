import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import { Workflow, WorkflowProps, WorkflowStep } from '../../constructs/scheduler';
import { definitionOf } from './state-machines';
import { newTestApp } from './synth';
import { randomDag, TimedStep } from './timed-runs';

/** The DAGs of issue #20's table, with the durations that give its figures, and random ones. */
export const TIMED_DAGS: Array<[string, TimedStep[]]> = [
  ['two independent chains, 1→5 and 5→1', [
    { name: 'a1', dependsOn: [], duration: 1 }, { name: 'a2', dependsOn: ['a1'], duration: 5 },
    { name: 'b1', dependsOn: [], duration: 5 }, { name: 'b2', dependsOn: ['b1'], duration: 1 },
  ]],
  ['fan-out and fan-in (split/join)', [
    { name: 'split', dependsOn: [], duration: 1 },
    { name: 'w1', dependsOn: ['split'], duration: 3 }, { name: 'w2', dependsOn: ['split'], duration: 1 }, { name: 'w3', dependsOn: ['split'], duration: 2 },
    { name: 'join', dependsOn: ['w1', 'w2', 'w3'], duration: 1 },
  ]],
  ['N shape: c after a; d after a and b', [
    { name: 'a', dependsOn: [], duration: 1 }, { name: 'b', dependsOn: [], duration: 4 },
    { name: 'c', dependsOn: ['a'], duration: 4 }, { name: 'd', dependsOn: ['a', 'b'], duration: 1 },
  ]],
  ['a diamond with a long side branch', [
    { name: 'top', dependsOn: [], duration: 1 },
    { name: 'left', dependsOn: ['top'], duration: 3 }, { name: 'right', dependsOn: ['top'], duration: 1 },
    { name: 'bottom', dependsOn: ['left', 'right'], duration: 1 },
    { name: 'side1', dependsOn: ['top'], duration: 1 }, { name: 'side2', dependsOn: ['side1'], duration: 6 },
  ]],
  ...[1, 2, 3, 4, 5].map((seed): [string, TimedStep[]] => [`random DAG of 20 steps, seed ${seed}`, randomDag(20, seed)]),
];

/** The state machine definition of a workflow of Batch steps over `steps`, on an imported queue. */
export function batchWorkflowDefinition(steps: Array<{ name: string; dependsOn: string[] }>, props: Partial<WorkflowProps> = {}, environment?: { [name: string]: string }): any {
  const stack = new Stack(newTestApp(), 'Dag');
  const jobQueue = batch.JobQueue.fromJobQueueArn(stack, 'Queue', 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu');
  const jobDefinition = batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:1');
  new Workflow(stack, 'Flow', {
    workflowName: 'dag',
    steps: steps.map((s) => WorkflowStep.batchJob({ name: s.name, dependsOn: s.dependsOn, jobQueue, jobDefinition, environment })),
    ...props,
  });
  return definitionOf(Template.fromStack(stack), 'FlowStateMachine');
}
