import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { newLoggedStateMachine } from '../../../constructs/scheduler/logged-state-machine';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { newTestApp } from '../../support/synth';

describe('newLoggedStateMachine', () => {
  let template: Template;
  let machine: sfn.StateMachine;
  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Logged', { env: { account: '111122223333', region: 'eu-west-1' } });
    const { stateMachine } = newLoggedStateMachine(new Construct(stack, 'Flow'), {
      comment: 'A flow', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')),
      encryptionKey: new kms.Key(stack, 'Key'), logRetention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN,
      unscopedActions: ['EMR Serverless (emr-serverless:ListApplications)'],
    });
    machine = stateMachine;
    template = Template.fromStack(stack);
  });

  test('logs every execution with its data, under /aws/vendedlogs/, named after its construct', () => {
    const [name] = Object.values<any>(template.findResources('AWS::Logs::LogGroup')).map((r) => r.Properties.LogGroupName);
    expect(name).toMatch(/^\/aws\/vendedlogs\/states\/Logged-Flow-[A-F0-9]{8}$/);
    const [properties] = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine')).map((r) => r.Properties);
    expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expect(properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  test('lets Step Functions assume its role for this account\'s state machines only', () => {
    const [role] = Object.values<any>(template.findResources('AWS::IAM::Role')).map((r) => r.Properties);
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': 'arn:aws:states:eu-west-1:111122223333:stateMachine:*' },
      StringEquals: { 'aws:SourceAccount': '111122223333' },
    });
  });

  test('acknowledges the wildcard of its role\'s policy, naming every action without resource-level permissions', () => {
    const policy = machine.role.node.findChild('DefaultPolicy');
    expect(JSON.stringify(acknowledgementsOn(policy))).toContain('CloudWatch Logs delivery (logs:*LogDelivery*), X-Ray and EMR Serverless (emr-serverless:ListApplications) '
      + 'have no resource-level permissions; these statements carry only those actions.');
  });
});
