import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledgePolicyWildcards, acknowledgeResourceWildcard, checkKeyPrefix, grantObjectsWrite } from '../../../constructs/core/grants';
import { PropChecker } from '../../../constructs/core/validation-error';
import { ArtifactStore } from '../../../constructs/versioning';
import { DataWarehouse } from '../../../constructs/warehouse';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { problemsOf } from '../../support/validation';

/** The ids of the findings acknowledged on `scope` itself. */
const acknowledged = (scope: IConstruct) => acknowledgementsOn(scope).map(([id]) => id);

const nagRule = (id: string) => `Annotation::${id}`;

function setup() {
  const stack = new Stack(new App(), 'Grants');
  const bucket = new s3.Bucket(stack, 'Bucket');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('batch.amazonaws.com') });
  return { stack, bucket, role };
}

/** The resources of the role's statements that allow `action`. */
function resourcesOf(stack: Stack, action: string): unknown[] {
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  return policy.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes(action)).map((s: any) => s.Resource);
}

const objectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Bucket/), 'Arn'] }, `/${prefix}*`]] });


describe('object grants', () => {
  test('write every object of the bucket without a prefix, and those under it with one', () => {
    const { stack, bucket, role } = setup();
    grantObjectsWrite(role, { bucket });
    grantObjectsWrite(role, { bucket, keyPrefix: 'runs/' });
    expect(resourcesOf(stack, 's3:PutObject')).toEqual([objectsUnder(''), objectsUnder('runs/')]);
  });

  test.each([
    ['runs/*', 'without * or ?'],
    ['runs/?/', 'without * or ?'],
    ['/runs/', 'without a leading "/"'],
  ])('refuse the key prefix %j a caller gives, as the grant method\'s own, for reading and for writing', (keyPrefix, fix) => {
    const check = new PropChecker('Test');
    checkKeyPrefix(check, keyPrefix);
    const problem = { prop: 'keyPrefix', value: keyPrefix, fix: expect.stringContaining(fix) };
    expect(problemsOf(() => check.throwIfAny())).toEqual([expect.objectContaining(problem)]);
    const stack = new Stack(new App(), 'Grants');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('batch.amazonaws.com') });
    const store = new ArtifactStore(stack, 'Artifacts');
    const zone = new DataWarehouse(stack, 'Warehouse').raw;
    for (const [method, grant] of [
      ['ArtifactStore.grantRead', () => store.grantRead(role, keyPrefix)], ['ArtifactStore.grantWrite', () => store.grantWrite(role, keyPrefix)],
      ['LakeZone.grantRead', () => zone.grantRead(role, keyPrefix)], ['LakeZone.grantWrite', () => zone.grantWrite(role, keyPrefix)],
    ] as const) {
      expect(() => grant()).toThrow(`Invalid props for ${method}:\n  - keyPrefix = ${JSON.stringify(keyPrefix)}: `);
    }
  });

  test('take a literal prefix as it is, or none', () => {
    for (const keyPrefix of ['runs/2026-12-01_a.b(c)/', undefined]) {
      const check = new PropChecker('Test');
      checkKeyPrefix(check, keyPrefix);
      expect(problemsOf(() => check.throwIfAny())).toEqual([]);
    }
  });
});

describe('acknowledgeResourceWildcard', () => {
  const arn = 'arn:aws:s3:::bucket/runs/*';

  test('acknowledges the resource on a role, user or group of this app', () => {
    const { stack, role } = setup();
    const principals = [role, new iam.User(stack, 'User'), new iam.Group(stack, 'Group')];
    principals.forEach((principal) => acknowledgeResourceWildcard(principal, arn, 'Every object under one prefix.'));
    principals.forEach((principal) => expect(acknowledged(principal)).toEqual([nagRule(`AwsSolutions-IAM5[Resource::${arn}]`)]));
  });

  test('leaves a principal it did not make as it is: an imported role, a service', () => {
    const { stack } = setup();
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/other');
    acknowledgeResourceWildcard(imported, arn, 'Every object under one prefix.');
    expect(() => acknowledgeResourceWildcard(new iam.ServicePrincipal('glue.amazonaws.com'), arn, 'Every object under one prefix.')).not.toThrow();
    expect(stack.node.findAll().flatMap(acknowledged)).toEqual([]);
  });
});

describe('acknowledgePolicyWildcards', () => {
  test('acknowledges each wildcard resource of the policy once, and no exact one', () => {
    const { stack } = setup();
    const policy = new iam.Policy(stack, 'Policy', {
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket'] }),
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::bucket/*'] }),
        new iam.PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: ['*'] }),
      ],
    });
    acknowledgePolicyWildcards(policy, 'Objects of one bucket, log groups the service names.');
    expect(acknowledged(policy)).toEqual([nagRule('AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]'), nagRule('AwsSolutions-IAM5[Resource::*]')]);
  });

  test('a policy without statements has none to acknowledge', () => {
    const policy = new iam.Policy(setup().stack, 'Empty');
    expect(() => acknowledgePolicyWildcards(policy, 'Nothing yet.')).not.toThrow();
    expect(acknowledged(policy)).toEqual([]);
  });
});
