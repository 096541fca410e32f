import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { checkedTemplate, newTestApp } from '../../support/synth';

function setup() {
  const stack = new Stack(newTestApp(), 'Flow');
  const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');
  const job = compute.addJobDefinition('Job', { image });
  const step = (name: string, timeout?: Duration) => WorkflowStep.batchJob({
    name, jobQueue: compute.queue('cpu').jobQueue, jobDefinition: job, timeout,
  });
  return { stack, step };
}

function definitionOf(template: Template): any {
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  // tokens (ARNs) become placeholders; the shape is what matters here
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}

describe('Workflow', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, step } = setup();
    new Workflow(stack, 'Training', {
      workflowName: 'training',
      steps: [step('features'), step('train', Duration.hours(2)), step('predict')],
    });
    template = checkedTemplate(stack, { regulated: true });
  });

  test('runs the steps one after the other, in order, each waiting for its Batch job', () => {
    const definition = definitionOf(template);
    expect(definition.StartAt).toBe('features');
    expect(definition.States.features.Next).toBe('train');
    expect(definition.States.train.Next).toBe('predict');
    expect(definition.States.predict.End).toBe(true);
    expect(definition.States.train.Resource).toMatch(/:states:::batch:submitJob\.sync$/);
    expect(definition.States.train.Parameters.Timeout).toEqual({ AttemptDurationSeconds: 7200 });
  });

  test('passes the run id and workflow name to every job', () => {
    const definition = definitionOf(template);
    for (const name of ['features', 'train', 'predict']) {
      expect(definition.States[name].Parameters.ContainerOverrides.Environment).toEqual([
        { 'Name': 'DSI_RUN_ID', 'Value.$': '$$.Execution.Name' },
        { Name: 'DSI_WORKFLOW', Value: 'training' },
      ]);
    }
  });

  test('logs every execution at level ALL, traces it, and times out', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
    expect(definitionOf(template).TimeoutSeconds).toBe(24 * 3600);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90, LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/') }, DeletionPolicy: 'Retain',
    });
  });

  test('may submit only to its own queue', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: 'batch:SubmitJob',
        Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ComputeCpuQueue'), 'JobQueueArn'] }]),
      })]) },
    });
  });

  test('uses Resource "*" only for log delivery and X-Ray, which have no resource-level permissions', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Resource === '*');
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a: string) => !/^(logs:[A-Za-z]*(LogDelivery|LogDeliveries|LogGroups|ResourcePolicies|ResourcePolicy)|xray:)/.test(a))).toEqual([]);
  });

  test.each([
    ['no steps', () => [], 'steps = []: give at least one step'],
    ['a duplicate step name', (s: any) => [s('a'), s('a')], 'steps[1].name = "a": give each step its own name'],
    ['a step name with spaces', (s: any) => [s('build features')], 'steps[0].name = "build features"'],
    ['a step name starting with a hyphen', (s: any) => [s('-train')], 'steps[0].name = "-train": use 1 to 64'],
  ])('rejects %s', (_, steps, message) => {
    const { stack, step } = setup();
    expect(() => new Workflow(stack, 'Bad', { workflowName: 'bad', steps: steps(step) })).toThrow(message);
  });

  test('rejects a step timeout under Batch\'s one minute', () => {
    const { step } = setup();
    expect(() => step('quick', Duration.seconds(30))).toThrow('timeout = "30 seconds": give at least one minute');
  });

  test('rejects a workflow name that is not a name', () => {
    const { stack, step } = setup();
    expect(() => new Workflow(stack, 'Bad', { workflowName: 'my flow!', steps: [step('a')] }))
      .toThrow('workflowName = "my flow!": use 1 to 64 letters');
  });
});
