import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allowServiceToUseKey, grantCreateGrantForAwsResources, newDataKey } from '../../../constructs/core/keys';
import { ACCOUNT, DEFAULT_KEY_POLICY, PolicySimulator, REGION } from '../../support/iam';
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

describe('a data key', () => {
  test('rotates yearly, waits 30 days before deletion, keeps the removal policy asked for, and denies other grants by its own statement', () => {
    const stack = new Stack(newTestApp(), 'Keys');
    newDataKey(stack, 'Key', 'Encrypts the test data', RemovalPolicy.DESTROY);
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(key.DeletionPolicy).toBe('Delete');
    expect(key.Properties).toEqual(expect.objectContaining({ Description: 'Encrypts the test data', EnableKeyRotation: true, PendingWindowInDays: 30 }));
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'GrantsForAwsServicesOnly', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });
});

describe('a role whose service creates grants', () => {
  test('may create them on a key for AWS resources only, a key the app does not own included', async () => {
    const stack = new Stack(newTestApp(), 'Keys');
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const role = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    grantCreateGrantForAwsResources(role, kms.Key.fromKeyArn(stack, 'Key', arn));
    const sim = new PolicySimulator(Template.fromStack(stack), {}, { [arn]: DEFAULT_KEY_POLICY });
    const id = sim.logicalId('AWS::IAM::Role', 'JobRole');
    expect(await sim.decide(id, 'kms:CreateGrant', arn, { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(await sim.decide(id, 'kms:CreateGrant', arn, { 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
    expect(await sim.decide(id, 'kms:CreateGrant', arn)).toBe('ImplicitlyDenied');
    expect(await sim.decide(id, 'kms:CreateGrant', `${arn.slice(0, -1)}c`, { 'kms:GrantIsForAWSResource': 'true' })).toBe('ImplicitlyDenied');
    expect(await sim.decide(id, 'kms:Decrypt', arn)).toBe('ImplicitlyDenied');
  });
});

describe('a service allowed to use a key', () => {
  test('gets one statement per service, for this account only, however often it is asked', () => {
    const stack = new Stack(newTestApp(), 'Keys');
    const key = newDataKey(stack, 'Key', 'test', RemovalPolicy.RETAIN);
    // the key's policy document, before the template merges statements alike but for their principal
    const statements = () => (key as unknown as { policy: iam.PolicyDocument }).policy.statementCount;
    const before = statements();
    allowServiceToUseKey(key, 'events.amazonaws.com');
    allowServiceToUseKey(key, 'events.amazonaws.com');
    allowServiceToUseKey(key, 'cloudwatch.amazonaws.com');
    allowServiceToUseKey(undefined, 'sns.amazonaws.com');
    expect(statements() - before).toBe(2);
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    // the two statements differ only in their principal, and are merged
    expect(resource.Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service)).toEqual([{
      Effect: 'Allow', Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }]);
  });
});
