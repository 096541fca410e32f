import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RunRegistry, RunRegistryProps } from '../../../constructs/versioning';
import { checkedTemplate, newTestApp } from '../../support/synth';

describe('RunRegistry', () => {
  test('is an on-demand, KMS-encrypted table with point-in-time recovery, deletion protection and a by-time index', () => {
    const stack = new Stack(newTestApp(), 'Runs');
    new RunRegistry(stack, 'Runs');
    const template = checkedTemplate(stack, { regulated: true });
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'workflow', KeyType: 'HASH' }, { AttributeName: 'runId', KeyType: 'RANGE' }],
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() }),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [Match.objectLike({
          IndexName: 'byStartTime',
          KeySchema: [{ AttributeName: 'workflow', KeyType: 'HASH' }, { AttributeName: 'startedAt', KeyType: 'RANGE' }],
        })],
      }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the run registry', EnableKeyRotation: true });
  });

  test('turns deletion protection off when asked, and when the table is to be destroyed with its stack', () => {
    const protectionOf = (props: RunRegistryProps) => {
      const stack = new Stack(newTestApp(), 'Runs');
      new RunRegistry(stack, 'Runs', props);
      return Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0].Properties.DeletionProtectionEnabled;
    };
    expect(protectionOf({ deletionProtection: false })).toBe(false);
    expect(protectionOf({ removalPolicy: RemovalPolicy.DESTROY })).toBe(false);
    expect(protectionOf({ removalPolicy: RemovalPolicy.RETAIN })).toBe(true);
    expect(protectionOf({ deletionProtection: true })).toBe(true);
    // a protected table would stop the deletion of the stack that is to destroy it
    expect(() => protectionOf({ removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true }))
      .toThrow('deletionProtection = true: a protected table cannot be deleted, so it cannot be destroyed with its stack');
  });

  test('grants recording and reading separately, each with named actions', () => {
    const stack = new Stack(newTestApp(), 'Runs');
    const runs = new RunRegistry(stack, 'Runs');
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    runs.grantRecord(writer);
    runs.grantRead(reader);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const actionsOf = (prefix: string) => Object.entries(policies).filter(([id]) => id.startsWith(prefix))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat())).sort();
    expect(actionsOf('Writer')).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'kms:Decrypt', 'kms:GenerateDataKey']);
    expect(actionsOf('Reader')).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']);
  });
});
