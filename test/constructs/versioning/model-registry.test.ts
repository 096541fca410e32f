import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ValidationError } from '../../../constructs/core';
import { ModelRegistry } from '../../../constructs/versioning';
import { checkedTemplate, newTestApp } from '../../support/synth';

describe('ModelRegistry', () => {
  test('makes a retained model package group per model, named after the team', () => {
    const stack = new Stack(newTestApp(), 'Models');
    const models = new ModelRegistry(stack, 'Models', { namePrefix: 'fraud-prod', modelNames: ['churn'] });
    models.addModel('ltv');
    const template = checkedTemplate(stack, { regulated: true });
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 2);
    template.hasResource('AWS::SageMaker::ModelPackageGroup', { Properties: Match.objectLike({ ModelPackageGroupName: 'fraud-prod-churn' }), DeletionPolicy: 'Retain' });
    expect(models.modelNames).toEqual(['churn', 'ltv']);
  });

  test('lets a role register versions of one model only, and not approve them', () => {
    const stack = new Stack(newTestApp(), 'Models');
    const models = new ModelRegistry(stack, 'Models', { namePrefix: 'fraud-prod', modelNames: ['churn', 'ltv'] });
    const role = new iam.Role(stack, 'Trainer', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    models.grantRegister(role, 'churn');
    const statement = Object.values(checkedTemplate(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement[0];
    expect(statement.Action).toEqual(['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackageGroup']);
    expect(JSON.stringify(statement.Resource)).toContain(':model-package-group/fraud-prod-churn');
    expect(JSON.stringify(statement.Resource)).toContain(':model-package/fraud-prod-churn/*');
    expect(JSON.stringify(statement.Resource)).not.toContain('ltv');
  });

  test.each([
    ['a model name with capitals', (m: ModelRegistry) => m.addModel('Churn'), 'modelName = "Churn"'],
    ['a model twice', (m: ModelRegistry) => m.addModel('churn'), 'modelName = "churn": give each model its own name'],
    ['a model it does not have', (m: ModelRegistry) => m.groupName('ltv'), 'ModelRegistry has no model "ltv"; it has "churn"'],
    ['a grant on a model it does not have', (m: ModelRegistry) => m.grantRegister(new iam.AccountRootPrincipal(), 'unknown'),
      'modelName = "unknown": ModelRegistry has no model "unknown"; it has "churn": add it with addModel first'],
    ['a description SageMaker refuses', (m: ModelRegistry) => m.addModel('ltv', 'x'.repeat(1025)), 'description = "xxx'],
  ])('rejects %s', (_, act, message) => {
    const models = new ModelRegistry(new Stack(), 'Models', { namePrefix: 'fraud', modelNames: ['churn'] });
    expect(() => act(models)).toThrow(ValidationError);
    expect(() => act(models)).toThrow(message);
  });
});
