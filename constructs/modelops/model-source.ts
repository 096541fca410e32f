import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { PropChecker } from '../core/validation-error';
import type { ArtifactStore } from '../versioning/artifact-store';
import { checkImageUri } from './image-uri';

/** A model artifact in the artifact store and the image that serves it. */
export interface ArtifactModelProps {
  /** The store that holds the model file. */
  readonly artifactStore: ArtifactStore;
  /** The key of the model file, for example `models/churn/<sha256>/model.tar.gz`. */
  readonly modelDataKey: string;
  /** The inference container image URI. */
  readonly image: string;
  /**
   * The private ECR repository `image` is in, which the execution role may then pull from.
   * @default - a public image, or one the role can already pull
   */
  readonly repository?: ecr.IRepository;
  /**
   * Environment variables of the inference container.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
}

/** An approved model package and where its artifact lies. */
export interface PackageModelProps {
  /** The ARN of the approved model package version. */
  readonly modelPackageArn: string;
  /** The store that holds the package's model file, which the execution role may read. */
  readonly artifactStore: ArtifactStore;
  /** The key of the package's model file in the artifact store. */
  readonly modelDataKey: string;
}

/** Where a served model comes from: built into a SageMaker model with its own execution role. */
export abstract class ModelSource {
  /** A model file in the artifact store, served by an image. */
  public static fromArtifact(props: ArtifactModelProps): ModelSource {
    const check = new PropChecker('ModelSource.fromArtifact');
    check.struct('props', props, '{ artifactStore, modelDataKey: "models/churn/1/model.tar.gz", image }', { required: true });
    check.throwIfAny();
    checkModelFile(check, props.artifactStore, props.modelDataKey);
    checkImageUri(check, 'image', props.image, '<account>.dkr.ecr.<region>.amazonaws.com/serve:1.4', { required: true });
    check.construct('repository', props.repository, 'an ecr.IRepository, such as ecr.Repository.fromRepositoryName(this, "Serve", "serve")');
    const variables = check.variables('environment', props.environment, /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/,
      'give variable names of letters, digits and underscores, not starting with a digit');
    check.check(variables.length <= 100, 'environment', variables.length, 'give at most 100 variables');
    variables.forEach(([name, value]) => {
      check.check(typeof value !== 'string' || value.length <= 1024, `environment.${name}`, value, 'give a value of at most 1024 characters');
    });
    check.throwIfAny();
    return new ArtifactModel(props);
  }

  /**
   * An approved version from the model registry, by its model package ARN; the package names
   * its image and artifact, which the execution role may read (`modelDataKey`, as the package's
   * ModelDataUrl has it), and nothing else.
   */
  public static fromModelPackage(props: PackageModelProps): ModelSource {
    const check = new PropChecker('ModelSource.fromModelPackage');
    check.struct('props', props, '{ artifactStore, modelDataKey, modelPackageArn }', { required: true });
    check.throwIfAny();
    checkModelFile(check, props.artifactStore, props.modelDataKey);
    check.check(typeof props.modelPackageArn === 'string' && /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/\S+$/.test(props.modelPackageArn),
      'modelPackageArn', props.modelPackageArn, 'give a model package ARN, for example "arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/3"');
    check.throwIfAny();
    return new PackageModel(props);
  }

  /**
   * Builds the SageMaker model in `scope`, with `role` as its execution role.
   * @internal
   */
  public abstract _bind(scope: Construct, id: string, role: iam.Role, options: ModelBindOptions): sagemaker.CfnModel;
}

/** The store of the model file, and its S3 key, which the execution role may read: the model file itself. */
function checkModelFile(check: PropChecker, store: ArtifactStore, key: string): void {
  check.construct('artifactStore', store, 'an ArtifactStore, such as new ArtifactStore(this, "Artifacts")', { required: true });
  check.check(typeof key === 'string' && key.length >= 1 && key.length <= 1024 && !key.startsWith('/') && !/[*?]/.test(key), 'modelDataKey', key,
    'give the S3 key of the model file, 1 to 1024 characters, no leading "/" and no * or ?, for example "models/churn/<sha256>/model.tar.gz"');
}

/** How the endpoint runs its models. */
export interface ModelBindOptions {
  /** Cut the model containers off from the network. */
  readonly networkIsolation: boolean;
  /** The subnets and security groups the model runs in. */
  readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
}

class ArtifactModel extends ModelSource {
  constructor(private readonly props: ArtifactModelProps) {
    super();
  }

  public _bind(scope: Construct, id: string, role: iam.Role, options: ModelBindOptions): sagemaker.CfnModel {
    const store = this.props.artifactStore;
    // exactly this file: the role reads no other model
    store.grantRead(role, this.props.modelDataKey);
    if (this.props.repository) {
      this.props.repository.grantPull(role);
    }
    return new sagemaker.CfnModel(scope, id, {
      executionRoleArn: role.roleArn,
      primaryContainer: {
        image: this.props.image,
        modelDataUrl: store.bucket.s3UrlForObject(this.props.modelDataKey),
        environment: this.props.environment,
      },
      enableNetworkIsolation: options.networkIsolation,
      vpcConfig: options.vpcConfig,
    });
  }
}

class PackageModel extends ModelSource {
  constructor(private readonly props: PackageModelProps) {
    super();
  }

  public _bind(scope: Construct, id: string, role: iam.Role, options: ModelBindOptions): sagemaker.CfnModel {
    const store = this.props.artifactStore;
    store.grantRead(role, this.props.modelDataKey);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeModelPackage'], resources: [this.props.modelPackageArn] }));
    return new sagemaker.CfnModel(scope, id, {
      executionRoleArn: role.roleArn,
      containers: [{ modelPackageName: this.props.modelPackageArn }],
      enableNetworkIsolation: options.networkIsolation,
      vpcConfig: options.vpcConfig,
    });
  }
}
