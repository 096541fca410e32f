import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ModelRegistry } from '../../../constructs/versioning';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { validationErrorOf } from '../../support/validation';

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

  test('describes each group by its model unless given a description', () => {
    const stack = new Stack(newTestApp(), 'Models');
    const models = new ModelRegistry(stack, 'Models', { namePrefix: 'fraud-prod', modelNames: ['churn'] });
    models.addModel('ltv', 'Lifetime value, in euros, by customer');
    const descriptions = Object.values(checkedTemplate(stack).findResources('AWS::SageMaker::ModelPackageGroup'))
      .map((group) => [group.Properties.ModelPackageGroupName, group.Properties.ModelPackageGroupDescription]);
    expect(descriptions).toEqual([['fraud-prod-churn', 'Versions of model churn'], ['fraud-prod-ltv', 'Lifetime value, in euros, by customer']]);
  });

  /** The whole message `act` fails with. */
  const failure = (act: () => unknown): string => validationErrorOf(act).message;
  const addModel = 'Invalid props for ModelRegistry.addModel:\n  - ';
  const lookup = (method: string) => `Invalid props for ModelRegistry.${method}:\n  - `;

  test.each([
    ['a model name with capitals', (m: ModelRegistry) => m.addModel('Churn'), `${addModel}modelName = "Churn": use lowercase letters, digits and single hyphens, at most 57 characters`],
    ['a model name ending in a character it may not hold', (m: ModelRegistry) => m.addModel('churn_'),
      `${addModel}modelName = "churn_": use lowercase letters, digits and single hyphens, at most 57 characters`],
    ['a model twice', (m: ModelRegistry) => m.addModel('churn'), `${addModel}modelName = "churn": give each model its own name`],
    ['a model it does not have', (m: ModelRegistry) => m.groupName('ltv'), `${lookup('groupName')}modelName = "ltv": ModelRegistry has no model "ltv"; it has "churn": add it with addModel first`],
    ['a grant on a model it does not have', (m: ModelRegistry) => m.grantRegister(new iam.AccountRootPrincipal(), 'unknown'),
      `${lookup('grantRegister')}modelName = "unknown": ModelRegistry has no model "unknown"; it has "churn": add it with addModel first`],
    ['a description SageMaker refuses', (m: ModelRegistry) => m.addModel('ltv', 'x'.repeat(1025)),
      `${addModel}description = "${'x'.repeat(1025)}": give up to 1024 letters, digits, spaces and punctuation, or leave it unset`],
    ['a description with a control character', (m: ModelRegistry) => m.addModel('ltv', 'tab\there'),
      `${addModel}description = "tab\\there": give up to 1024 letters, digits, spaces and punctuation, or leave it unset`],
  ])('rejects %s, saying what to change', (_, act, message) => {
    const models = new ModelRegistry(new Stack(), 'Models', { namePrefix: 'fraud', modelNames: ['churn'] });
    expect(failure(() => act(models))).toBe(message);
  });

  test('rejects a model name that is not known at synth, and says a registry with no model has none', () => {
    const models = new ModelRegistry(new Stack(), 'Models', { namePrefix: 'fraud' });
    const token = Token.asString({ Ref: 'Name' });
    expect(failure(() => models.addModel(token))).toMatch(new RegExp(`^${escapeRegExp(addModel)}modelName = "\\$\\{Token\\[TOKEN\\.\\d+\\]\\}": `
      + 'give a plain string: the group\'s name and construct id are made from it$'));
    expect(failure(() => models.groupName(token))).toMatch(new RegExp(`^${escapeRegExp(lookup('groupName'))}modelName = "\\$\\{Token\\[TOKEN\\.\\d+\\]\\}": `
      + 'give the model\'s name as a plain string$'));
    expect(failure(() => models.groupName('churn'))).toBe(`${lookup('groupName')}modelName = "churn": ModelRegistry has no model "churn"; it has none: add it with addModel first`);
    expect(failure(() => new ModelRegistry(new Stack(), 'Bad', { namePrefix: 'Fraud' }))).toMatch(/^Invalid props for ModelRegistry:\n {2}- namePrefix = "Fraud": /);
  });

  test('names the models it has when asked for another, refuses a name that is not text, and names a removal policy it cannot take', () => {
    const models = new ModelRegistry(new Stack(), 'Models', { namePrefix: 'fraud', modelNames: ['churn', 'ltv'] });
    expect(failure(() => models.groupName('fraud'))).toBe(`${lookup('groupName')}modelName = "fraud": ModelRegistry has no model "fraud"; it has "churn", "ltv": add it with addModel first`);
    expect(failure(() => models.addModel(42 as unknown as string))).toMatch(new RegExp(`^${escapeRegExp(addModel)}modelName = 42: use lowercase letters`));
    expect(failure(() => new ModelRegistry(new Stack(), 'Kept', { namePrefix: 'fraud', removalPolicy: RemovalPolicy.SNAPSHOT })))
      .toMatch(/^Invalid props for ModelRegistry:\n {2}- removalPolicy = /);
    expect(failure(() => new ModelRegistry(new Stack(), 'One', { namePrefix: 'fraud', modelNames: 'churn' as any })))
      .toBe('Invalid props for ModelRegistry:\n  - modelNames = "churn": give a list, for example ["churn"]');
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
