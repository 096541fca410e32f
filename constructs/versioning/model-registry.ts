import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledgeResourceWildcard } from '../core/grants';
import { checkName } from '../core/naming';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';

export interface ModelRegistryProps {
  /**
   * Prefix of the model package group names (`<prefix>-<model>`), unique in the account and
   * region: SageMaker names groups, CloudFormation cannot.
   */
  readonly namePrefix: string;

  /**
   * The models to register versions of, each a model package group.
   * @default - none; add them with `addModel`
   */
  readonly modelNames?: string[];

  /**
   * What happens to the groups, and so the versions they list, when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const MODEL_NAME = /^[a-z0-9](-?[a-z0-9])*$/;
/** What SageMaker takes as a model package group's description. */
const DESCRIPTION = /^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]{0,1024}$/u;

/**
 * A SageMaker model package group per model: each version a workflow registers is a model
 * package, pending manual approval, that names its artifact, image, metrics and the run that
 * made it. Approved packages are what model endpoints deploy.
 */
export class ModelRegistry extends Construct {
  private readonly namePrefix: string;
  private readonly removalPolicy: RemovalPolicy;
  private readonly groups = new Map<string, sagemaker.CfnModelPackageGroup>();

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `ModelRegistryProps`
   */
  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    checkPropsStruct('ModelRegistry', props, '{ namePrefix: "fraud-dev" }', { required: true });
    const check = new PropChecker('ModelRegistry');
    checkName(check, 'namePrefix', props.namePrefix, 40);
    check.removalPolicy('removalPolicy', props.removalPolicy);
    const modelNames = check.list('modelNames', props.modelNames, '["churn"]');
    // addModel judges each name as its modelName; one that is no text is refused here, by its place in the list
    modelNames.forEach((name, i) => check.check(typeof name === 'string', `modelNames[${i}]`, name, 'give the model\'s name as text, for example "churn"'));
    check.throwIfAny();
    this.namePrefix = props.namePrefix;
    this.removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    modelNames.forEach((name) => this.addModel(name));
  }

  /** The models registered here. */
  public get modelNames(): string[] {
    return [...this.groups.keys()];
  }

  /** Adds a model: a model package group named `<prefix>-<model>`. */
  public addModel(modelName: string, description?: string): sagemaker.CfnModelPackageGroup {
    const check = new PropChecker('ModelRegistry.addModel');
    check.known('modelName', modelName, 'give a plain string: the group\'s name and construct id are made from it');
    check.check(typeof modelName === 'string' && MODEL_NAME.test(modelName) && `${this.namePrefix}-${modelName}`.length <= 63, 'modelName', modelName,
      `use lowercase letters, digits and single hyphens, at most ${62 - this.namePrefix.length} characters`);
    // this construct adds no child but the groups, each under its model's name: a new name is a new id
    check.check(!this.groups.has(modelName), 'modelName', modelName, 'give each model its own name');
    check.matches('description', description, DESCRIPTION,
      'give up to 1024 letters, digits, spaces and punctuation, or leave it unset');
    check.throwIfAny();
    const group = new sagemaker.CfnModelPackageGroup(this, `${modelName}Group`, {
      modelPackageGroupName: `${this.namePrefix}-${modelName}`,
      modelPackageGroupDescription: description ?? `Versions of model ${modelName}`,
    });
    group.applyRemovalPolicy(this.removalPolicy);
    this.groups.set(modelName, group);
    return group;
  }

  /** The name of a model's package group; fails naming the models there are. */
  public groupName(modelName: string): string {
    return this.groupOf('ModelRegistry.groupName', modelName);
  }

  /** Lets `grantee` register versions of one model, pending approval; not approve them. */
  public grantRegister(grantee: iam.IGrantable, modelName: string): iam.Grant {
    const groupName = this.groupOf('ModelRegistry.grantRegister', modelName);
    const stack = Stack.of(this);
    const versions = stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${groupName}/*` });
    acknowledgeResourceWildcard(grantee, versions, 'The versions of this one model, numbered by SageMaker as they are registered.');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackageGroup'],
      resourceArns: [stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: groupName }), versions],
    });
  }

  /** The package group of a model `method` was asked for; fails, as the method's, naming the models there are. */
  private groupOf(method: string, modelName: string): string {
    const check = new PropChecker(method);
    check.known('modelName', modelName, 'give the model\'s name as a plain string');
    check.check(this.groups.has(modelName), 'modelName', modelName,
      `ModelRegistry has no model "${modelName}"; it has ${this.modelNames.map((n) => `"${n}"`).join(', ') || 'none'}: add it with addModel first`);
    check.throwIfAny();
    return this.groups.get(modelName)!.modelPackageGroupName;
  }
}
