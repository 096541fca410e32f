import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack, EndpointHosting, ModelSource } from '../../lib';
import { newTestApp } from '../support/synth';
import { validationErrorOf } from '../support/validation';

describe('DataScienceStack.addDriftMonitor', () => {
  function team() {
    const stack = new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', exampleWorkflow: false });
    const endpoint = stack.addModelEndpoint('Churn', {
      hosting: EndpointHosting.REAL_TIME,
      variants: [{ variantName: 'current', model: ModelSource.fromArtifact({ artifactStore: stack.artifacts, modelDataKey: 'models/churn/aaa/model.tar.gz', image: 'serve:1' }) }],
      dataCapture: { artifactStore: stack.artifacts },
    });
    return { stack, endpoint };
  }

  test('sends each of the monitor\'s alarms to the stack\'s topic once, and shows them on its dashboard', () => {
    const { stack, endpoint } = team();
    const monitor = stack.addDriftMonitor('ChurnDrift', { endpoint, modelName: 'churn', driftAlarmFeatures: ['amount'] });
    const template = Template.fromStack(stack);
    const topic = stack.resolve(stack.notificationTopic.topicArn);
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith('ChurnDrift'));
    expect(alarms).toHaveLength(monitor.alarms.length);
    expect(alarms).toHaveLength(3);
    alarms.forEach(([, alarm]) => expect(alarm.Properties.AlarmActions).toEqual([topic]));
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'))).toContain('Model churn: monitoring alarms');
  });

  test('refuses an id the stack already has', () => {
    const { stack, endpoint } = team();
    expect(validationErrorOf(() => stack.addDriftMonitor('Churn', { endpoint, modelName: 'churn' })).message).toBe('Invalid props for DataScienceStack.addDriftMonitor(\'Churn\'):\n'
      + '  - id = "Churn": Team already has a child "Churn": give the monitor an id no other part of the stack has');
  });
});
