import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { EndpointHosting, ModelEndpoint, ModelSource } from '../../../constructs/modelops';
import { ArtifactStore } from '../../../constructs/versioning';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { newTestApp } from '../../support/synth';
import { problemLines, validationErrorOf } from '../../support/validation';

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

  test('refuses props of the wrong kind and variable names SageMaker refuses, each with its fix', () => {
    const stack = new Stack(newTestApp(), 'Serving');
    const store = new ArtifactStore(stack, 'Artifacts');
    const nameFix = 'give variable names of letters, digits and underscores, not starting with a digit';
    expect(problemLines(() => ModelSource.fromArtifact({
      artifactStore: store, modelDataKey: 'm.tar.gz', image: IMAGE, repository: 'serve' as any, environment: { '1A': 'x', 'A-B': 'y', OK_1: 'z' },
    }))).toEqual([
      'repository = "serve": give an ecr.IRepository, such as ecr.Repository.fromRepositoryName(this, "Serve", "serve")',
      `environment = "1A": ${nameFix}`,
      `environment = "A-B": ${nameFix}`,
    ]);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, 'x']));
    expect(problemLines(() => ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'm.tar.gz', image: IMAGE, environment: many })))
      .toEqual(['environment = 101: give at most 100 variables']);
    expect(validationErrorOf(() => ModelSource.fromArtifact({ artifactStore: 'artifacts' as any, modelDataKey: 'm.tar.gz', image: IMAGE })).message)
      .toBe('Invalid props for ModelSource.fromArtifact:\n  - artifactStore = "artifacts": give an ArtifactStore, such as new ArtifactStore(this, "Artifacts")');
    // a key is read as the store's own: no leading slash
    expect(problemLines(() => ModelSource.fromArtifact({ artifactStore: store, modelDataKey: '/models/m.tar.gz', image: IMAGE }))).toEqual([
      'modelDataKey = "/models/m.tar.gz": give the S3 key of the model file, 1 to 1024 characters, no leading "/" and no * or ?, for example "models/churn/<sha256>/model.tar.gz"',
    ]);
    expect(() => ModelSource.fromArtifact({ artifactStore: store, modelDataKey: 'models/churn/aaa/', image: IMAGE })).not.toThrow();
  });
});

describe('ModelSource.fromModelPackage', () => {
  const fix = 'give a model package ARN, for example "arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3"';
  const source = (modelPackageArn: unknown) => () => {
    const stack = new Stack(newTestApp(), 'Serving');
    return ModelSource.fromModelPackage({ artifactStore: new ArtifactStore(stack, 'Artifacts'), modelDataKey: 'm.tar.gz', modelPackageArn: modelPackageArn as string });
  };

  test('takes a model package ARN of any partition', () => {
    for (const arn of ['arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3', 'arn:aws-cn:sagemaker:cn-north-1:111122223333:model-package/churn/3',
      'arn:aws-us-gov:sagemaker:us-gov-west-1:111122223333:model-package/churn/3']) {
      expect(source(arn)).not.toThrow();
    }
  });

  test.each([
    ['text before it', 'x arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3'],
    ['text after it', 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3 x'],
    ['a list of one ARN', ['arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3']],
  ])('refuses an ARN with %s, under its name', (_, arn) => {
    const error = validationErrorOf(source(arn));
    expect(error.message).toBe(`Invalid props for ModelSource.fromModelPackage:\n  - modelPackageArn = ${JSON.stringify(arn)}: ${fix}`);
  });
});
