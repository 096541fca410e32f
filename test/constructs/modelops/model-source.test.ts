import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { EndpointHosting, ModelEndpoint, ModelSource } from '../../../constructs/modelops';
import { ArtifactStore } from '../../../constructs/versioning';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/serve:1`;

describe('ModelSource.fromArtifact', () => {
  test('lets the variant\'s role pull its image from the repository given, and from no other', async () => {
    const stack = new Stack(newTestApp(), 'Serving', { env: { account: ACCOUNT, region: REGION } });
    const store = new ArtifactStore(stack, 'Artifacts');
    const repository = ecr.Repository.fromRepositoryName(stack, 'Serve', 'serve');
    const model = ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'models/churn/aaa/model.tar.gz', image: IMAGE, repository, environment: { WORKERS: '4' } });
    new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: 'current', model }] });
    const template = Template.fromStack(stack);
    const [sageMakerModel] = Object.values(template.findResources('AWS::SageMaker::Model'));
    expect(sageMakerModel.Properties.PrimaryContainer.Environment).toEqual({ WORKERS: '4' });
    const iam = new PolicySimulator(template);
    const role = iam.logicalId('AWS::IAM::Role', 'Churncurrent');
    const repositoryArn = (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
    expect(await iam.outcome(role, 'ecr:BatchGetImage', repositoryArn('serve'))).toBe('Allowed');
    expect(await iam.outcome(role, 'ecr:GetDownloadUrlForLayer', repositoryArn('serve'))).toBe('Allowed');
    expect(await iam.outcome(role, 'ecr:BatchGetImage', repositoryArn('other'))).toBe('NotAllowed');
  });

  test('takes variable values of text up to 1024 characters', () => {
    const stack = new Stack(newTestApp(), 'Serving');
    const store = new ArtifactStore(stack, 'Artifacts');
    const source = (value: string) => () => ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'm.tar.gz', image: IMAGE, environment: { OPTIONS: value } });
    expect(source('x'.repeat(1024))).not.toThrow();
    expect(problemLines(source('x'.repeat(1025)))).toEqual([`environment.OPTIONS = "${'x'.repeat(1025)}": give a value of at most 1024 characters`]);
    // a value that is no text has that problem alone
    expect(problemLines(source(42 as any))).toEqual(['environment.OPTIONS = 42: give the value as text, for example "3"']);
  });
});
