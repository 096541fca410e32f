import { ArnFormat, CustomResource, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeResourceWildcard } from '../core/grants';
import { newDeadLetterQueue, newSmallFunction } from '../core/functions';
import { grantCreateGrantForAwsResources } from '../core/keys';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import { checkSageMakerInstanceType } from '../core/sagemaker-instance-type';
import { checkWholeNumber, NOTEBOOK_PROFILE_NAME, NotebookLimits } from './notebook-limits';
import { newNotebookExecutionRole } from './notebook-roles';
import { notebookStartScript, scriptDigest } from './notebook-start-script';

/** What a sandbox's notebook needs to know of the team's domain. Values may be tokens. */
export interface NotebookDomainAttributes {
  /** The domain's id, `d-...`. */
  readonly domainId: string;
  /** The instance types the notebook may start its JupyterLab on. */
  readonly allowedInstanceTypes: string[];
  /** The instance type its JupyterLab starts on. */
  readonly defaultInstanceType: string;
  /** Minutes an idle JupyterLab keeps running; the owner may shorten it, never lengthen it. */
  readonly idleTimeoutMinutes: number;
  /**
   * The key the domain encrypts its volumes with: the execution role lets SageMaker use it for
   * the space's volume.
   * @default - the domain encrypts with an AWS managed key
   */
  readonly encryptionKey?: kms.IKey;
}

export interface SandboxNotebookProps {
  /** The team's domain. */
  readonly domain: NotebookDomainAttributes;

  /**
   * The owner's user profile; the private space is named after it, with `-lab` added. 1 to 59
   * letters, digits and hyphens, starting and ending with a letter or digit, unique in the domain.
   */
  readonly userProfileName: string;

  /**
   * Environment variables every Python kernel and terminal of the space starts with.
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Metaflow's configuration, written to `~/.metaflowconfig/config.json` in the space.
   * @default - none
   */
  readonly metaflowConfig?: { [name: string]: string };

  /**
   * The GiB of the space's storage volume; the owner may grow it up to the domain's maximum.
   * @default 5
   */
  readonly volumeSizeGiB?: number;

  /** Encrypts the cleanup function's logs and dead letters. */
  readonly encryptionKey: kms.IKey;

  /**
   * Where failed invocations of the cleanup function go.
   * @default - a new queue, encrypted with `encryptionKey`
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * What happens to the cleanup function's logs when the notebook leaves the stack. The
   * profile, the space and its volume are deleted with the stack whatever the policy.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long the cleanup function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One person's notebook in a team's domain: a user profile and a private JupyterLab space,
 * running as a role that holds only what Studio needs to run that one space. Grant it the data
 * access its owner has (`executionRole`). The space starts with `environment` and
 * `metaflowConfig` at hand, on the domain's default instance, idle shutdown on. Deleting the
 * stack deletes the space's apps first, then the space and the profile.
 */
export class SandboxNotebook extends Construct {
  /** The role the space's apps run as: grant it the owner's data access. */
  public readonly executionRole: iam.Role;
  /** The owner's user profile in the team's domain. */
  public readonly userProfile: sagemaker.CfnUserProfile;
  /** The owner's private JupyterLab space. */
  public readonly space: sagemaker.CfnSpace;
  /** The user profile's name, `<project>-<owner>`. */
  public readonly userProfileName: string;
  /** The space's name, `<project>-<owner>-lab`. */
  public readonly spaceName: string;
  /** The id of the domain the profile and space belong to. */
  public readonly domainId: string;
  /** Deletes the space's apps, the space and the profile, before CloudFormation does. */
  public readonly cleanup: CustomResource;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `SandboxNotebookProps`
   */
  constructor(scope: Construct, id: string, props: SandboxNotebookProps) {
    super(scope, id);
    checkPropsStruct('SandboxNotebook', props, '{ domain, userProfileName: "churn-ana", encryptionKey }', { required: true });
    const volumeSizeGiB = props.volumeSizeGiB ?? NotebookLimits.DEFAULT_VOLUME_SIZE_GIB;
    validate(props, volumeSizeGiB);
    const { domain } = props;
    this.domainId = domain.domainId;
    this.userProfileName = props.userProfileName;
    this.spaceName = `${props.userProfileName}-lab`;

    this.executionRole = newNotebookExecutionRole(this, 'ExecutionRole', `Runs the notebook of ${props.userProfileName}`);
    const script = notebookStartScript(this, props.environment ?? {}, props.metaflowConfig ?? {});
    const startScript = new sagemaker.CfnStudioLifecycleConfig(this, 'StartScript', {
      // named by its content: a new script is a new configuration, created before the old one goes
      studioLifecycleConfigName: `${props.userProfileName.slice(0, 50)}-${scriptDigest(this, script)}`,
      studioLifecycleConfigAppType: 'JupyterLab',
      studioLifecycleConfigContent: Fn.base64(script),
    });
    const resourceSpec = { instanceType: domain.defaultInstanceType, lifecycleConfigArn: startScript.attrStudioLifecycleConfigArn };
    this.userProfile = new sagemaker.CfnUserProfile(this, 'UserProfile', {
      domainId: domain.domainId,
      userProfileName: props.userProfileName,
      userSettings: {
        executionRole: this.executionRole.roleArn,
        jupyterLabAppSettings: {
          // set here as well as on the domain: a profile's JupyterLab settings replace the domain's
          appLifecycleManagement: {
            idleSettings: {
              lifecycleManagement: 'ENABLED',
              idleTimeoutInMinutes: domain.idleTimeoutMinutes,
              minIdleTimeoutInMinutes: NotebookLimits.MIN_IDLE_TIMEOUT_MINUTES,
              maxIdleTimeoutInMinutes: domain.idleTimeoutMinutes,
            },
          },
          defaultResourceSpec: resourceSpec,
          lifecycleConfigArns: [startScript.attrStudioLifecycleConfigArn],
        },
      },
    });
    this.space = new sagemaker.CfnSpace(this, 'Space', {
      domainId: domain.domainId,
      spaceName: this.spaceName,
      // SageMaker takes 64 characters, and a profile's name 59 of them
      spaceDisplayName: `Notebook of ${props.userProfileName}`.slice(0, 64),
      ownershipSettings: { ownerUserProfileName: props.userProfileName },
      spaceSharingSettings: { sharingType: 'Private' },
      spaceSettings: {
        appType: 'JupyterLab',
        jupyterLabAppSettings: {
          defaultResourceSpec: resourceSpec,
          appLifecycleManagement: { idleSettings: { idleTimeoutInMinutes: domain.idleTimeoutMinutes } },
        },
        spaceStorageSettings: { ebsStorageSettings: { ebsVolumeSizeInGb: volumeSizeGiB } },
      },
    });
    this.space.node.addDependency(this.userProfile);
    for (const resource of [this.userProfile, this.space]) {
      Validations.of(resource).acknowledge({
        id: 'CloudFormation-Validate::F3002',
        reason: 'JupyterLabAppSettings.AppLifecycleManagement is a property of AWS::SageMaker::UserProfile and AWS::SageMaker::Space '
          + '(CloudFormation template reference, and aws-cdk-lib\'s L1 types); the schema the rule validation carries predates it.',
      });
    }
    this.grantStudio(domain, startScript.studioLifecycleConfigName);
    this.cleanup = this.addCleanup(props);
  }

  /** Lets `grantee` open this notebook: a presigned URL for the owner's profile (`dsi notebook`). */
  public grantOpen(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:CreatePresignedDomainUrl'], resourceArns: [this.userProfileArn] });
  }

  /** The owner's user profile's ARN. */
  public get userProfileArn(): string {
    return this.arn('user-profile', `${this.domainId}/${this.userProfileName}`);
  }

  /** The private space's ARN. */
  public get spaceArn(): string {
    return this.arn('space', `${this.domainId}/${this.spaceName}`);
  }

  /**
   * What Studio does as the execution role to run this one space: start and stop its JupyterLab
   * on an allowed instance type, read and resize the space, read the profile, the domain and the
   * start script, tag what it creates, and log.
   */
  private grantStudio(domain: NotebookDomainAttributes, startScriptName: string): void {
    const role = this.executionRole;
    const apps = this.arn('app', `${this.domainId}/${this.spaceName}/*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:CreateApp'],
      resources: [apps],
      conditions: { 'ForAllValues:StringEquals': { 'sagemaker:InstanceTypes': domain.allowedInstanceTypes } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DeleteApp', 'sagemaker:DescribeApp', 'sagemaker:AddTags', 'sagemaker:ListTags'],
      resources: [apps],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DescribeSpace', 'sagemaker:UpdateSpace', 'sagemaker:AddTags', 'sagemaker:ListTags'],
      resources: [this.spaceArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeUserProfile'], resources: [this.userProfileArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeDomain'], resources: [this.arn('domain', this.domainId)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DescribeStudioLifecycleConfig'], resources: [this.arn('studio-lifecycle-config', startScriptName)],
    }));
    // list calls take no resource: Studio's pages list the domain's spaces and apps by name
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:ListApps', 'sagemaker:ListSpaces', 'sagemaker:ListStudioLifecycleConfigs'], resources: ['*'],
    }));
    const logGroup = Stack.of(this).formatArn({
      service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/studio', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const streams = `${logGroup}:log-stream:${this.domainId}/${this.spaceName}/*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'], resources: [logGroup] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [streams] }));
    if (domain.encryptionKey) {
      // SageMaker creates the space's volume with the role's credentials, and a grant on the key for it
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: [domain.encryptionKey.keyArn] }));
      grantCreateGrantForAwsResources(role, domain.encryptionKey);
    }
    acknowledgeResourceWildcard(role, apps, 'The apps of this notebook\'s own space, whatever their type and name.');
    acknowledgeResourceWildcard(role, streams, 'The log streams of this notebook\'s own space in Studio\'s log group.');
    acknowledgeResourceWildcard(role, '*', 'ListApps, ListSpaces and ListStudioLifecycleConfigs take no resource; they return names only.');
  }

  private addCleanup(props: SandboxNotebookProps): CustomResource {
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const deadLetters = props.deadLetterQueue
      ?? newDeadLetterQueue(this, 'CleanupDeadLetters', props.encryptionKey, 'the notebook cleanup', removalPolicy);
    const { fn, role } = newSmallFunction(this, {
      handlerName: 'notebook-cleanup',
      description: `Deletes the apps, space and profile of ${props.userProfileName} when the sandbox is deleted`,
      roleDescription: `Deletes the notebook of ${props.userProfileName} when the sandbox is deleted`,
      environment: {},
      encryptionKey: props.encryptionKey,
      deadLetterQueue: deadLetters,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy,
      timeout: Duration.minutes(14),
      ids: { function: 'CleanupFunction', role: 'CleanupRole', logs: 'CleanupLogs' },
    });
    const apps = [this.arn('app', `${this.domainId}/${this.spaceName}/*`), this.arn('app', `${this.domainId}/${this.userProfileName}/*`)];
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListApps'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteApp'], resources: apps }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeSpace', 'sagemaker:DeleteSpace'], resources: [this.spaceArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DescribeUserProfile', 'sagemaker:DeleteUserProfile'], resources: [this.userProfileArn],
    }));
    apps.forEach((arn) => acknowledgeResourceWildcard(role, arn, 'The apps of this notebook\'s own space and profile, deleted with them.'));
    acknowledgeResourceWildcard(role, '*', 'ListApps takes no resource; the function lists the apps of its own space and profile.');
    const cleanup = new CustomResource(this, 'Cleanup', {
      resourceType: 'Custom::SandboxNotebookCleanup',
      serviceToken: fn.functionArn,
      serviceTimeout: Duration.minutes(15),
      properties: { DomainId: this.domainId, UserProfileName: this.userProfileName, SpaceName: this.spaceName },
    });
    // created after the profile and space and deleted before them; deleted before its function, which must run
    cleanup.node.addDependency(this.space, this.userProfile, role, fn);
    return cleanup;
  }

  private arn(resource: string, resourceName: string): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource, resourceName });
  }
}

/** A variable's name, as a shell and Metaflow's configuration read it. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_NAME_FIX = 'name variables with letters, digits and underscores, not starting with a digit';

function validate(props: SandboxNotebookProps, volumeSizeGiB: number): void {
  const check = new PropChecker('SandboxNotebook');
  check.known('userProfileName', props.userProfileName, 'give a plain string: the space\'s name is derived from it at synth time');
  check.matches('userProfileName', props.userProfileName, NOTEBOOK_PROFILE_NAME,
    'give 1 to 59 letters, digits and hyphens, starting and ending with a letter or digit', { required: true });
  checkWholeNumber(check, 'volumeSizeGiB', volumeSizeGiB, NotebookLimits.DEFAULT_VOLUME_SIZE_GIB, NotebookLimits.MAX_VOLUME_SIZE_GIB);
  check.variables('environment', props.environment, VARIABLE_NAME, VARIABLE_NAME_FIX);
  check.variables('metaflowConfig', props.metaflowConfig, VARIABLE_NAME, VARIABLE_NAME_FIX);
  const { domain } = props;
  if (check.struct('domain', domain, '{ domainId: "d-abc123", allowedInstanceTypes: ["ml.t3.medium"], defaultInstanceType: "ml.t3.medium", idleTimeoutMinutes: 60 }', { required: true })) {
    // a team stack's published values are tokens, not judged here: the team stack judged them
    check.matches('domain.domainId', domain.domainId, /^d-(-*[a-z0-9]){1,61}$/, 'give the domain\'s id, for example "d-abc123"', { required: true });
    const allowed = check.list('domain.allowedInstanceTypes', domain.allowedInstanceTypes, '["ml.t3.medium", "ml.g5.xlarge"]');
    // a list token (Fn.split of a team parameter) is known for one as a list only, not by its one element
    (Token.isUnresolved(allowed) ? [] : allowed).forEach((type, i) => {
      checkSageMakerInstanceType(check, `domain.allowedInstanceTypes[${i}]`, type, NotebookLimits.DEFAULT_INSTANCE_TYPE);
    });
    check.nonEmpty('domain.allowedInstanceTypes', domain.allowedInstanceTypes, 'give at least one instance type the notebook may start on');
    checkSageMakerInstanceType(check, 'domain.defaultInstanceType', domain.defaultInstanceType, NotebookLimits.DEFAULT_INSTANCE_TYPE, { required: true });
    checkWholeNumber(check, 'domain.idleTimeoutMinutes', domain.idleTimeoutMinutes, NotebookLimits.MIN_IDLE_TIMEOUT_MINUTES, NotebookLimits.MAX_IDLE_TIMEOUT_MINUTES);
    check.construct('domain.encryptionKey', domain.encryptionKey, 'the domain\'s kms.IKey, such as notebookDomain.encryptionKey');
  }
  check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })', { required: true });
  check.construct('deadLetterQueue', props.deadLetterQueue, 'an sqs.IQueue, such as new sqs.Queue(this, "DeadLetters")');
  check.removalPolicy('removalPolicy', props.removalPolicy);
  check.retentionDays('logRetention', props.logRetention);
  check.throwIfAny();
}
