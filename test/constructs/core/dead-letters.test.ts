import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { newDeadLetterQueue } from '../../../constructs/core/functions';
import { newTestApp } from '../../support/synth';

describe('a dead-letter queue', () => {
  test('declares that no SQS queue may redrive into it: only Lambda, EventBridge and Scheduler send to it (CT.SQS.PR.1)', () => {
    const stack = new Stack(newTestApp(), 'Queues');
    newDeadLetterQueue(stack, 'DeadLetters', new kms.Key(stack, 'Key'), 'a test');
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { RedriveAllowPolicy: { redrivePermission: 'denyAll' } });
  });
});
