import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { newDataKey } from '../../../constructs/core/keys';
import { PolicySimulator } from '../../support/iam';
import { newTestApp } from '../../support/synth';

describe('a data key', () => {
  test('lets grants be made only by AWS services acting for a principal (CT.KMS.PR.3)', async () => {
    const stack = new Stack(newTestApp(), 'Keys');
    const key = newDataKey(stack, 'Key', 'test', RemovalPolicy.RETAIN);
    const user = new iam.Role(stack, 'KeyUser', { assumedBy: new iam.AccountRootPrincipal() });
    key.grant(user, 'kms:CreateGrant', 'kms:Decrypt');
    const sim = new PolicySimulator(Template.fromStack(stack));
    const role = sim.logicalId('AWS::IAM::Role', 'KeyUser');
    const arn = sim.arn(sim.logicalId('AWS::KMS::Key', 'Key'));
    // DynamoDB, SageMaker or EBS creating a grant for this role, as they do on its behalf
    expect(await sim.decide(role, 'kms:CreateGrant', arn, { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(await sim.decide(role, 'kms:CreateGrant', arn, { 'kms:GrantIsForAWSResource': 'false' })).toBe('ExplicitlyDenied');
    expect(await sim.decide(role, 'kms:Decrypt', arn)).toBe('Allowed');
  });
});
