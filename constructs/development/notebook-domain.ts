import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { newDataKey } from '../core/keys';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import { checkSageMakerInstanceType } from '../core/sagemaker-instance-type';
import { checkSelectsSubnets, checkVpc } from '../network/compute-subnets';
import { checkWholeNumber, NotebookLimits, NotebookNetworkAccess } from './notebook-limits';
import { newNotebookExecutionRole } from './notebook-roles';

/** What a team chooses of its notebook domain. */
export interface NotebookDomainOptions {
  /**
   * Minutes an idle JupyterLab app keeps running before SageMaker shuts it down, from 60 (the
   * least SageMaker accepts) to 720. Owners may shorten it in their space, never lengthen it.
   * @default 60
   */
  readonly idleTimeoutMinutes?: number;

  /**
   * The instance type a new space starts on.
   * @default NotebookLimits.DEFAULT_INSTANCE_TYPE (ml.t3.medium)
   */
  readonly defaultInstanceType?: string;

  /**
   * The instance types a space may run on, at most 10. The execution roles of sandbox notebooks
   * may start apps on these alone.
   * @default NotebookLimits.DEFAULT_ALLOWED_INSTANCE_TYPES (t3 and m5 types up to 8 vCPUs, and ml.g5.xlarge)
   */
  readonly allowedInstanceTypes?: string[];

  /**
   * The most GiB an owner may grow a space's storage volume to, from 5 to 500.
   * @default 20
   */
  readonly maxSpaceVolumeSizeGiB?: number;
}

export interface NotebookDomainProps extends NotebookDomainOptions {
  /** The VPC that holds the domain's home file system and, with `VPC_ONLY`, every app's traffic. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of `vpc` the domain uses.
   * @default - the VPC's private subnets with egress, else its isolated subnets, else its public subnets
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * How apps reach what is outside the VPC. `VPC_ONLY` needs a NAT gateway or VPC endpoints for
   * the SageMaker API and runtime, STS and whatever the notebooks call.
   * @default - `VPC_ONLY` when the subnets are private, `PUBLIC_INTERNET_ONLY` when they are public
   */
  readonly networkAccess?: NotebookNetworkAccess;

  /**
   * The domain's name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.
   * @default - a name unique in the app, from the construct's path
   */
  readonly domainName?: string;

  /**
   * Encrypts the home file system and every space's storage volume.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the domain when it leaves the stack. Its home file system outlives the
   * domain whatever the policy: SageMaker keeps it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A SageMaker AI Studio domain for a team's notebooks: IAM authentication, encrypted with the
 * team's key, JupyterLab as the app that shuts itself down when idle, a small default instance
 * and a bounded list of allowed ones, bounded storage per space. It holds no user: each person
 * gets a profile and a private space in their sandbox (`SandboxNotebook`), whose role is the
 * sandbox's own. Its default execution role may do nothing.
 */
export class NotebookDomain extends Construct {
  /** The SageMaker AI Studio domain. */
  public readonly domain: sagemaker.CfnDomain;
  /** The domain's id, `d-...`: what profiles and spaces name. */
  public readonly domainId: string;
  /** The domain's ARN. */
  public readonly domainArn: string;
  /** How the domain's apps reach the network. */
  public readonly networkAccess: NotebookNetworkAccess;
  /** The security group of every app, with `VPC_ONLY`. */
  public readonly securityGroup?: ec2.ISecurityGroup;
  /** The role of a profile that names none: it may do nothing. */
  public readonly defaultExecutionRole: iam.Role;
  /** Encrypts the home file system and every space's volume. */
  public readonly encryptionKey: kms.IKey;
  /** Minutes an idle JupyterLab keeps running before it shuts down. */
  public readonly idleTimeoutMinutes: number;
  /** The instance a new space starts on. */
  public readonly defaultInstanceType: string;
  /** The instance types a space may run on. */
  public readonly allowedInstanceTypes: string[];

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `NotebookDomainProps`
   */
  constructor(scope: Construct, id: string, props: NotebookDomainProps) {
    super(scope, id);
    checkPropsStruct('NotebookDomain', props, '{ vpc, encryptionKey }', { required: true });
    this.idleTimeoutMinutes = props.idleTimeoutMinutes ?? NotebookLimits.DEFAULT_IDLE_TIMEOUT_MINUTES;
    this.defaultInstanceType = props.defaultInstanceType ?? NotebookLimits.DEFAULT_INSTANCE_TYPE;
    this.allowedInstanceTypes = props.allowedInstanceTypes ?? NotebookLimits.DEFAULT_ALLOWED_INSTANCE_TYPES;
    const maxVolume = props.maxSpaceVolumeSizeGiB ?? NotebookLimits.DEFAULT_MAX_VOLUME_SIZE_GIB;
    const { subnets, networkAccess } = validate(props, this.idleTimeoutMinutes, this.defaultInstanceType, this.allowedInstanceTypes, maxVolume);
    this.networkAccess = networkAccess;
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the notebooks\' file system and volumes', removalPolicy);
    this.defaultExecutionRole = newNotebookExecutionRole(this, 'DefaultExecutionRole', 'Runs apps of a profile that names no role: it may do nothing');
    if (this.networkAccess === NotebookNetworkAccess.VPC_ONLY) {
      const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'Notebook apps: out through the VPC endpoints or NAT gateway, in only from each other',
        allowAllOutbound: true,
      });
      // Studio's apps talk to each other on these ports (SageMaker adds the file system's NFS rules itself)
      securityGroup.addIngressRule(securityGroup, ec2.Port.tcpRange(8192, 65535), 'Studio apps of this domain');
      this.securityGroup = securityGroup;
    }
    const idleSettings = {
      lifecycleManagement: 'ENABLED',
      idleTimeoutInMinutes: this.idleTimeoutMinutes,
      minIdleTimeoutInMinutes: NotebookLimits.MIN_IDLE_TIMEOUT_MINUTES,
      maxIdleTimeoutInMinutes: this.idleTimeoutMinutes,
    };
    this.domain = new sagemaker.CfnDomain(this, 'Domain', {
      domainName: props.domainName ?? uniqueDomainName(this),
      authMode: 'IAM',
      appNetworkAccessType: this.networkAccess,
      vpcId: props.vpc.vpcId,
      subnetIds: subnets.subnetIds,
      kmsKeyId: this.encryptionKey.keyArn,
      // tags of profiles and spaces reach the apps and volumes SageMaker creates in them: budgets see them
      tagPropagation: 'ENABLED',
      // CloudTrail names the profile behind every call an execution role makes
      domainSettings: { executionRoleIdentityConfig: 'USER_PROFILE_NAME' },
      defaultUserSettings: {
        executionRole: this.defaultExecutionRole.roleArn,
        securityGroups: this.securityGroup ? [this.securityGroup.securityGroupId] : undefined,
        studioWebPortal: 'ENABLED',
        defaultLandingUri: 'studio::',
        // JupyterLab alone: the other apps' spaces are not the sandbox's to create
        studioWebPortalSettings: { hiddenAppTypes: ['JupyterServer', 'CodeEditor', 'RStudioServerPro', 'Canvas'] },
        jupyterLabAppSettings: {
          appLifecycleManagement: { idleSettings },
          defaultResourceSpec: { instanceType: this.defaultInstanceType },
        },
        spaceStorageSettings: {
          defaultEbsStorageSettings: { defaultEbsVolumeSizeInGb: NotebookLimits.DEFAULT_VOLUME_SIZE_GIB, maximumEbsVolumeSizeInGb: maxVolume },
        },
      },
    });
    this.domain.applyRemovalPolicy(removalPolicy);
    this.domainId = this.domain.attrDomainId;
    this.domainArn = this.domain.attrDomainArn;
  }
}

/** Where the domain's apps run: the subnets selected, whether all are public, and how the apps reach the network. */
interface Placement {
  readonly subnets: ec2.SelectedSubnets;
  readonly publicSubnets: boolean;
  readonly networkAccess: NotebookNetworkAccess;
}

function placementOf(props: NotebookDomainProps): Placement {
  // none given: aws-cdk-lib's default, the most private tier the VPC has
  const subnets = props.vpc.selectSubnets(props.subnets);
  const publicSubnets = subnets.subnets.every((s) => props.vpc.publicSubnets.includes(s));
  return { subnets, publicSubnets, networkAccess: props.networkAccess ?? (publicSubnets ? NotebookNetworkAccess.PUBLIC_INTERNET_ONLY : NotebookNetworkAccess.VPC_ONLY) };
}

/** The construct's path as a domain name: letters, digits and single hyphens, at most 63. */
function uniqueDomainName(scope: Construct): string {
  // each run of other characters is one hyphen by the first replace
  return scope.node.path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(-63).replace(/^-/, '');
}

function validate(props: NotebookDomainProps, idle: number, defaultType: string, allowed: string[], maxVolume: number): Placement {
  const check = new PropChecker('NotebookDomain');
  const isVpc = checkVpc(check, props.vpc);
  // none given: aws-cdk-lib's default selection, which a VPC without subnets does not have either
  const selects = isVpc && checkSelectsSubnets(check, 'subnets', props.vpc, props.subnets ?? {});
  check.oneOf('networkAccess', props.networkAccess, Object.values(NotebookNetworkAccess), 'use NotebookNetworkAccess.VPC_ONLY or NotebookNetworkAccess.PUBLIC_INTERNET_ONLY');
  // what is no VPC, or selects no subnet, has no placement to judge
  const placement = selects ? placementOf(props) : undefined;
  check.check(!(placement?.publicSubnets && placement.networkAccess === NotebookNetworkAccess.VPC_ONLY), 'networkAccess', placement?.networkAccess,
    'give private subnets (SageMaker takes no public subnet for VPC_ONLY), or use PUBLIC_INTERNET_ONLY');
  checkWholeNumber(check, 'idleTimeoutMinutes', idle, NotebookLimits.MIN_IDLE_TIMEOUT_MINUTES, NotebookLimits.MAX_IDLE_TIMEOUT_MINUTES);
  checkWholeNumber(check, 'maxSpaceVolumeSizeGiB', maxVolume, NotebookLimits.DEFAULT_VOLUME_SIZE_GIB, NotebookLimits.MAX_VOLUME_SIZE_GIB);
  checkSageMakerInstanceType(check, 'defaultInstanceType', defaultType, NotebookLimits.DEFAULT_INSTANCE_TYPE);
  check.check(Array.isArray(allowed) && allowed.length >= 1 && allowed.length <= NotebookLimits.MAX_ALLOWED_INSTANCE_TYPES, 'allowedInstanceTypes', allowed,
    `give 1 to ${NotebookLimits.MAX_ALLOWED_INSTANCE_TYPES} instance types`);
  (Array.isArray(allowed) ? allowed : []).forEach((type, i) => checkSageMakerInstanceType(check, `allowedInstanceTypes[${i}]`, type, NotebookLimits.DEFAULT_INSTANCE_TYPE, { required: true }));
  check.check(!Array.isArray(allowed) || Token.isUnresolved(defaultType) || allowed.includes(defaultType), 'defaultInstanceType', defaultType,
    'give one of allowedInstanceTypes, or add it to them');
  // SageMaker's pattern, and its 63 characters with the hyphens counted
  check.matches('domainName', props.domainName, /^(?=.{1,63}$)[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, 'give 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit');
  check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
  check.removalPolicy('removalPolicy', props.removalPolicy);
  check.throwIfAny();
  return placement!;
}
