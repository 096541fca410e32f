import { Annotations, Aws, CfnOutput, CustomResource, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledgeControlTower, acknowledgeRoleInlinePolicies } from '../constructs/core/compliance';
import { calendarDay } from '../constructs/core/dates';
import { acknowledgeResourceWildcard, grantObjectsRead, grantObjectsWrite } from '../constructs/core/grants';
import { placeFunctionsOfStack } from '../constructs/core/function-placement';
import { grantDeadLetters, newDeadLetterQueue, newSmallFunction } from '../constructs/core/functions';
import { newDataKey } from '../constructs/core/keys';
import { checkName, glueName } from '../constructs/core/naming';
import { minimizePolicies } from '../constructs/core/policies';
import { checkArguments, checkPropsStruct, PropChecker } from '../constructs/core/validation-error';
import { NOTEBOOK_PROFILE_NAME } from '../constructs/development/notebook-limits';
import { SandboxNotebook } from '../constructs/development/sandbox-notebook';
import { checkNetworkProfile, NetworkProfile } from '../constructs/network/network-profile';
import { Workflow, WorkflowProps } from '../constructs/scheduler/workflow';
import { ArtifactStore } from '../constructs/versioning/artifact-store';
import type { IQueryTarget } from '../constructs/warehouse/query-target';
import { GLUE_READ_ACTIONS, grantDatabases, grantWorkGroupQueries, newEnforcedWorkGroup } from '../constructs/warehouse/work-group';
import { checkStackProps } from './stack-props-check';
import { checkStage, DataScienceStage, DataScienceStages } from './stage';
import { readTeamParameter, TeamParameter } from './team-parameters';

export interface ProjectSandboxStackProps extends StackProps {
  /** The team whose stack the sandbox borrows from. */
  readonly teamName: string;
  /**
   * The team stack's stage. Never prod: sandboxes play next to dev or staging data.
   * @default DataScienceStage.DEV
   */
  readonly teamStage?: DataScienceStage;
  /** The project: 1 to 32 lowercase letters, digits and single hyphens. */
  readonly projectName: string;
  /**
   * The person the sandbox is for, when it is one person's.
   * @default - the whole project's
   */
  readonly owner?: string;
  /** The day the sandbox deletes itself, YYYY-MM-DD (UTC). Redeploy with a later day to extend it. */
  readonly expiresOn: string;
  /**
   * Monthly budget in USD; alerts at 80 % of actual and 100 % of forecast spend.
   * @default 100
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * Whether the project may read the team stage's curated zone (its Glue tables and objects)
   * and query it through the sandbox's workgroup. Never to write it.
   * @default false - the sandbox sees only its own data
   */
  readonly readTeamCuratedData?: boolean;

  /**
   * The network profile of the team stack. In `NAT` and `PRIVATE` the sandbox's functions (its
   * reaper and its prefix cleanup) run in the team's private subnets, which the team stack
   * publishes; in `PRIVATE` they reach CloudFormation and S3 through the team's endpoints.
   * @default NetworkProfile.PUBLIC - the functions run outside any VPC
   */
  readonly teamNetwork?: NetworkProfile;

  /**
   * Give the owner a notebook in the team stack's SageMaker AI Studio domain (a team stack with
   * `notebooks`): a user profile and a private JupyterLab space that runs as a role with this
   * sandbox's access and nothing more, with the sandbox's settings at hand, deleted with the
   * sandbox. Needs `owner`; the project role may open it (`dsi notebook`).
   * @default false
   */
  readonly notebook?: boolean;
}

const MAX_LIFETIME_DAYS = 90;

/** The team stack's subnets per tier: one in each of its two zones. */
const TEAM_SUBNETS = 2;

/** What a project does to its own tables as it works, beyond reading them. */
const GLUE_WRITE_ACTIONS = ['glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:BatchCreatePartition'];

/**
 * A project's sandbox beside a team stack. It borrows the team's artifact store, key, queues
 * and topic by reference (SSM parameters the team stack publishes; no lookup at synth) and owns
 * only its own pieces: a Glue database, a prefix of the team's artifact store with a role scoped
 * to it, an Athena workgroup whose results stay under that prefix, a budget, and an expiry after
 * which it deletes itself. Its data goes with it: the database and workgroup are destroyed and
 * the prefix is emptied when the stack is deleted.
 */
export class ProjectSandboxStack extends Stack implements IQueryTarget {
  /** The project the sandbox is for. */
  public readonly projectName: string;
  /** The role the project works as: its prefix, its database, the team's queues and workgroup. */
  public readonly projectRole: iam.Role;
  /** The sandbox's own Glue database. */
  public readonly databaseName: string;
  /**
   * The sandbox's prefix in the team's artifact store: `sandboxes/<project>/`, or
   * `sandboxes/<project>.<owner>/` for one person's sandbox. Emptied when the sandbox is deleted.
   */
  public readonly artifactPrefix: string;
  /** The team's artifact store bucket, which holds `artifactPrefix`. */
  public readonly artifactBucket: s3.IBucket;
  /** The sandbox's Athena workgroup, named like the sandbox; results go under `<artifactPrefix>query-results/`. */
  public readonly workGroupName: string;
  /** `<team>-<stage>-sandbox-<project>[-<owner>]`: the budget's name, unique in the account. */
  public readonly sandboxName: string;
  /**
   * `<sandbox name>_`: the project role may submit the job definitions whose names start with it,
   * for example `data-science-dev-sandbox-churn_train`. No sandbox name holds `_`, so no other
   * sandbox's prefix, such as project `churn-eu`'s or a person's sandbox of `churn`, starts with it.
   */
  public readonly jobDefinitionPrefix: string;
  /** The team's notification topic, where budgets and workflows report. */
  public readonly notificationTopic: sns.ITopic;
  /** The owner's notebook, with `notebook`. */
  public readonly notebook?: SandboxNotebook;

  private readonly teamName: string;
  private readonly teamStage: DataScienceStage;
  private readonly key: kms.Key;
  private readonly teamKey: kms.IKey;
  /** The team stage's curated bucket, when the sandbox may read it. */
  private readonly teamCurated?: s3.IBucket;
  private readonly prefixCleanup: CustomResource;

  /**
   * `<team>-<stage>-sandbox-<project>[-<owner>]`, dots of the owner made hyphens: stage and owner
   * in every name, since one project may have a sandbox per stage and per person.
   */
  public static nameOf(teamName: string, teamStage: DataScienceStage, projectName: string, owner?: string): string {
    checkArguments('ProjectSandboxStack.nameOf', (check) => {
      checkName(check, 'teamName', teamName);
      checkStage(check, 'teamStage', teamStage);
      checkName(check, 'projectName', projectName);
      checkOwner(check, owner);
    });
    return sandboxNameOf(teamName, teamStage, projectName, owner);
  }

  /**
   * @param scope the app or stage that holds the stack
   * @param id the stack's id in `scope`
   * @param props the stack's settings, see `ProjectSandboxStackProps`
   */
  constructor(scope: Construct, id: string, props: ProjectSandboxStackProps) {
    checkPropsStruct('ProjectSandboxStack', props, '{ teamName: "fraud-models", projectName: "churn", expiresOn: "2027-01-31" }', { required: true });
    const teamStage = props.teamStage ?? DataScienceStage.DEV;
    const budgetUsd = props.monthlyBudgetUsd ?? 100;
    validate(scope, id, props, teamStage, budgetUsd);
    super(scope, id, {
      description: `Sandbox of project ${props.projectName} on ${props.teamName} ${teamStage}`,
      ...props,
      // stack tags, which CloudFormation puts on every resource: the reaper reads expires-on, budgets filter on project
      tags: {
        ...props.tags,
        'team': props.teamName,
        'project': props.projectName,
        'expires-on': props.expiresOn,
        ...(props.owner ? { owner: props.owner } : {}),
      },
    });
    this.projectName = props.projectName;
    this.teamName = props.teamName;
    this.teamStage = teamStage;
    minimizePolicies(this);
    acknowledgeRoleInlinePolicies(this);
    const team = (parameter: TeamParameter) => this.teamParameter(parameter);

    const owner = props.owner ? [props.owner.replace(/\./g, '-')] : [];
    this.sandboxName = sandboxNameOf(props.teamName, teamStage, props.projectName, props.owner);
    this.jobDefinitionPrefix = `${this.sandboxName}_`;
    this.databaseName = glueName(props.teamName, teamStage, 'sbx', props.projectName, ...owner);
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: `Sandbox of project ${props.projectName}` },
    });
    database.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.artifactPrefix = `${ArtifactStore.SANDBOXES_PREFIX}${[props.projectName, ...props.owner ? [props.owner] : []].join('.')}/`;
    const artifacts = s3.Bucket.fromBucketName(this, 'TeamArtifacts', team(TeamParameter.ARTIFACT_BUCKET_NAME));
    const teamKey = kms.Key.fromKeyArn(this, 'TeamKey', team(TeamParameter.DATA_KEY_ARN));
    this.artifactBucket = artifacts;
    this.teamKey = teamKey;
    this.teamCurated = props.readTeamCuratedData
      ? s3.Bucket.fromBucketName(this, 'TeamCurated', team(TeamParameter.CURATED_BUCKET_NAME))
      : undefined;
    this.workGroupName = this.sandboxName;
    const workGroup = newEnforcedWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: `Queries of the sandbox of project ${props.projectName}; results under its own prefix`,
      bytesScannedCutoffPerQueryGiB: DataScienceStages.settingsOf(teamStage).bytesScannedCutoffPerQueryGiB,
      outputLocation: artifacts.s3UrlForObject(`${this.artifactPrefix}query-results/`),
      encryptionKey: teamKey,
    });
    workGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);
    acknowledgeControlTower(workGroup, 'CT.ATHENA.PR.2', 'Results are encrypted with SSE_KMS under the team\'s data key, enforced by '
      + 'the workgroup; the key\'s ARN comes from the team stack\'s SSM parameter at deploy, which the control cannot read as a key.');
    this.projectRole = new iam.Role(this, 'ProjectRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Works in the sandbox of project ${props.projectName}`,
      maxSessionDuration: Duration.hours(12),
    });
    this.grantSandboxAccess(this.projectRole);

    // with its key, so workflows here get to use it when they publish
    this.notificationTopic = sns.Topic.fromTopicAttributes(this, 'TeamTopic', {
      topicArn: team(TeamParameter.NOTIFICATION_TOPIC_ARN), keyArn: teamKey.keyArn,
    });
    this.key = newDataKey(this, 'Key', 'Encrypts the sandbox\'s logs and dead letters', RemovalPolicy.DESTROY);
    if ((props.teamNetwork ?? NetworkProfile.PUBLIC) !== NetworkProfile.PUBLIC) {
      this.placeFunctionsInTeamNetwork();
    }
    this.addBudget(props, budgetUsd, this.notificationTopic.topicArn);
    const deadLetters = newDeadLetterQueue(this, 'ReaperDeadLetters', this.key, 'the reaper, its schedule and the prefix cleanup', RemovalPolicy.DESTROY);
    this.addExpiry(props.expiresOn, deadLetters);
    this.prefixCleanup = this.addPrefixCleanup(artifacts, deadLetters);
    // whatever writes under the prefix goes first, so nothing lands there once it is emptied
    this.projectRole.node.addDependency(this.prefixCleanup);
    workGroup.node.addDependency(this.prefixCleanup);
    if (props.notebook) {
      this.notebook = this.addNotebook(props.owner!, deadLetters);
    }
  }

  /** What the project works with: its queries (`grantQuery`) and jobs on the team's queues, of its own job definitions. */
  private grantSandboxAccess(role: iam.Role): void {
    this.grantQuery(role);
    // Batch authorizes the queue and the job definition: the sandbox's own, by their names' prefix
    const projectDefinitions = this.formatArn({ service: 'batch', resource: 'job-definition', resourceName: `${this.jobDefinitionPrefix}*` });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['batch:SubmitJob'],
      resources: [this.teamParameter(TeamParameter.CPU_QUEUE_ARN), this.teamParameter(TeamParameter.GPU_QUEUE_ARN), projectDefinitions],
    }));
    acknowledgeResourceWildcard(role, projectDefinitions, 'The sandbox\'s own job definitions, which the project registers '
      + 'and names as it works, any revision: their names start with the sandbox\'s name and `_`, which no other sandbox\'s name holds.');
  }

  /**
   * The owner's notebook in the team's domain, whose role has the project role's access. Its
   * space starts with the sandbox's settings in every kernel's environment and Metaflow's
   * configuration (datastore under the sandbox's prefix, metadata kept beside it).
   */
  private addNotebook(owner: string, deadLetters: sqs.IQueue): SandboxNotebook {
    const team = (parameter: TeamParameter) => this.teamParameter(parameter);
    const under = (path: string) => this.artifactBucket.s3UrlForObject(`${this.artifactPrefix}${path}`);
    const notebook = new SandboxNotebook(this, 'Notebook', {
      domain: {
        domainId: team(TeamParameter.NOTEBOOK_DOMAIN_ID),
        allowedInstanceTypes: Fn.split(',', team(TeamParameter.NOTEBOOK_INSTANCE_TYPES)),
        defaultInstanceType: team(TeamParameter.NOTEBOOK_DEFAULT_INSTANCE_TYPE),
        idleTimeoutMinutes: Token.asNumber(team(TeamParameter.NOTEBOOK_IDLE_TIMEOUT_MINUTES)),
        // the team stack's domain encrypts with its data key
        encryptionKey: this.teamKey,
      },
      userProfileName: notebookProfileName(this.projectName, owner),
      environment: {
        AWS_DEFAULT_REGION: Aws.REGION,
        DSI_SANDBOX: this.sandboxName,
        DSI_BUCKET: this.artifactBucket.bucketName,
        DSI_PREFIX: this.artifactPrefix,
        DSI_ATHENA_WORKGROUP: this.workGroupName,
        DSI_DATABASE: this.databaseName,
        DSI_CPU_QUEUE: team(TeamParameter.CPU_QUEUE_ARN),
        DSI_GPU_QUEUE: team(TeamParameter.GPU_QUEUE_ARN),
        ...(this.teamCurated ? {
          DSI_CURATED_BUCKET: this.teamCurated.bucketName,
          DSI_CURATED_DATABASE: team(TeamParameter.CURATED_DATABASE_NAME),
        } : {}),
      },
      metaflowConfig: {
        METAFLOW_DEFAULT_DATASTORE: 's3',
        METAFLOW_DEFAULT_METADATA: 'local',
        METAFLOW_DATASTORE_SYSROOT_S3: under('metaflow'),
        METAFLOW_DATATOOLS_S3ROOT: under('metaflow-data'),
        AWS_DEFAULT_REGION: Aws.REGION,
      },
      encryptionKey: this.key,
      deadLetterQueue: deadLetters,
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.grantSandboxAccess(notebook.executionRole);
    notebook.grantOpen(this.projectRole);
    // its apps write under the prefix: gone before the prefix is emptied
    notebook.node.addDependency(this.prefixCleanup);
    new CfnOutput(this, 'NotebookDomainId', { value: notebook.domainId, description: 'The team\'s notebook domain' });
    new CfnOutput(this, 'NotebookUserProfileName', { value: notebook.userProfileName, description: 'The owner\'s notebook profile' });
    new CfnOutput(this, 'NotebookSpaceName', { value: notebook.spaceName, description: 'The owner\'s private JupyterLab space' });
    new CfnOutput(this, 'ProjectRoleArn', { value: this.projectRole.roleArn, description: 'The role that may open the notebook' });
    return notebook;
  }

  /** A team queue the sandbox's jobs may run on, by name: `cpu` or `gpu`. */
  public teamQueue(name: string): batch.IJobQueue {
    const check = new PropChecker('ProjectSandboxStack.teamQueue');
    check.known('name', name, 'give "cpu" or "gpu" as a plain string');
    check.oneOf('name', name, ['cpu', 'gpu'], 'use "cpu" or "gpu": the team stack publishes those two queues for sandboxes', { required: true });
    check.throwIfAny();
    const existing = this.node.tryFindChild(`${name}Queue`) as batch.IJobQueue | undefined;
    const parameter = name === 'gpu' ? TeamParameter.GPU_QUEUE_ARN : TeamParameter.CPU_QUEUE_ARN;
    return existing ?? batch.JobQueue.fromJobQueueArn(this, `${name}Queue`, this.teamParameter(parameter));
  }

  /** A value the team stack published, read at deploy time. */
  private teamParameter(parameter: TeamParameter): string {
    return readTeamParameter(this, this.teamName, this.teamStage, parameter);
  }

  /**
   * Adds one of the project's workflows: its logs go with the sandbox, failures notify the
   * team topic, the project role may start and watch it, and it is deleted before the
   * sandbox's prefix is emptied.
   */
  public addWorkflow(id: string, props: WorkflowProps): Workflow {
    const check = new PropChecker(`ProjectSandboxStack.addWorkflow('${id}')`);
    check.newId('id', this, id, 'give the workflow an id no other part of the sandbox has');
    check.struct('props', props, '{ workflowName: "train", steps: [...] }', { required: true });
    check.throwIfAny();
    const workflow = new Workflow(this, id, {
      notificationTopic: this.notificationTopic,
      ...props,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const role of [this.projectRole, ...this.notebook ? [this.notebook.executionRole] : []]) {
      workflow.grantStartExecution(role);
      workflow.grantRead(role);
    }
    workflow.node.addDependency(this.prefixCleanup);
    return workflow;
  }

  /** The sandbox's own database, where its queries run unless they name another. */
  public get defaultDatabaseName(): string {
    return this.databaseName;
  }

  /**
   * Lets `grantee` query through the sandbox's workgroup: over its own database and prefix,
   * which it may also write (CTAS and UNLOAD land there), and the team's curated zone,
   * read-only, when the sandbox reads it. The project role has this; so does a workflow's
   * role for each of its Athena steps.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const scope = { bucket: this.artifactBucket, keyPrefix: this.artifactPrefix, encryptionKey: this.teamKey };
    const grant = grantWorkGroupQueries(this, grantee, this.workGroupName)
      .combine(grantObjectsRead(grantee, scope))
      .combine(grantObjectsWrite(grantee, scope))
      .combine(grantDatabases(this, grantee, [this.databaseName], [...GLUE_READ_ACTIONS, ...GLUE_WRITE_ACTIONS],
        'The tables of this sandbox\'s own database, which the project creates as it works.'));
    if (!this.teamCurated) {
      return grant;
    }
    return grant
      .combine(grantDatabases(this, grantee, [this.teamParameter(TeamParameter.CURATED_DATABASE_NAME)], GLUE_READ_ACTIONS,
        'The schema of every table of the team\'s curated zone, read-only.'))
      .combine(grantObjectsRead(grantee, { bucket: this.teamCurated, encryptionKey: this.teamKey }));
  }

  private addBudget(props: ProjectSandboxStackProps, amount: number, topicArn: string): void {
    const notify = (threshold: number, notificationType: string) => ({
      notification: { comparisonOperator: 'GREATER_THAN', notificationType, threshold, thresholdType: 'PERCENTAGE' },
      subscribers: [{ subscriptionType: 'SNS', address: topicArn }],
    });
    new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: this.sandboxName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount, unit: 'USD' },
        // the project tag must be activated as a cost allocation tag in Billing
        costFilters: { TagKeyValue: [`user:project$${props.projectName}`] },
      },
      notificationsWithSubscribers: [notify(80, 'ACTUAL'), notify(100, 'FORECASTED')],
    });
  }

  /** On the expiry day a schedule invokes a function that deletes this stack, unless it was extended. */
  private addExpiry(expiresOn: string, deadLetters: sqs.IQueue): void {
    const key = this.key;
    const { fn: reaper, role } = newSmallFunction(this, {
      handlerName: 'sandbox-reaper',
      description: 'Deletes this sandbox when it expires, unless it was extended',
      roleDescription: 'Deletes this sandbox when it expires',
      environment: { STACK_NAME: this.stackName },
      encryptionKey: key,
      deadLetterQueue: deadLetters,
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      ids: { function: 'Reaper', role: 'ReaperRole', logs: 'ReaperLogs' },
    });
    const schedulerRole = new iam.Role(this, 'ExpiryRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'), description: 'Invokes the reaper on the expiry day' });
    grantDeadLetters(schedulerRole, deadLetters, key);
    const thisStack = this.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${this.stackName}/*` });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks', 'cloudformation:DeleteStack'], resources: [thisStack] }));
    // the deletion runs as the role CloudFormation deployed the stack with: the CDK bootstrap's,
    // named exactly when the stack uses the default synthesizer
    const synthesizer = this.synthesizer;
    const bootstrapRole = synthesizer instanceof DefaultStackSynthesizer ? synthesizer.cloudFormationExecutionRole : undefined;
    const deployRoles = bootstrapRole ? Fn.sub(bootstrapRole)
      : this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'cdk-*-cfn-exec-role-*' });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'], resources: [deployRoles],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }));
    acknowledgeResourceWildcard(role, thisStack, 'This one stack, under any of the ids CloudFormation gives it.');
    if (!bootstrapRole) {
      acknowledgeResourceWildcard(role, deployRoles, 'The CDK bootstrap\'s deploy roles, whose qualifier this stack\'s synthesizer does not say, '
        + 'passed to CloudFormation only, which deletes the stack as it created it.');
    }

    new scheduler.Schedule(this, 'Expiry', {
      description: `Deletes this sandbox on ${expiresOn}`,
      schedule: scheduler.ScheduleExpression.at(new Date(`${expiresOn}T00:00:00Z`)),
      target: new schedulerTargets.LambdaInvoke(reaper, { role: schedulerRole, deadLetterQueue: deadLetters, retryAttempts: 10, maxEventAge: Duration.hours(24) }),
    });
    acknowledgeResourceWildcard(schedulerRole, `${reaper.functionArn}:*`, 'lambda:InvokeFunction on the reaper and its versions only.');
  }

  /** The team's function subnets and security group, as the team stack publishes them. */
  private placeFunctionsInTeamNetwork(): void {
    const subnetIds = Fn.split(',', this.teamParameter(TeamParameter.FUNCTION_SUBNET_IDS), TEAM_SUBNETS);
    const subnets = subnetIds.map((id, i) => {
      const subnet = ec2.Subnet.fromSubnetId(this, `TeamSubnet${i}`, id);
      Annotations.of(subnet).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'Functions need only the subnet; its routes are the team stack\'s.');
      return subnet;
    });
    placeFunctionsOfStack(this, {
      // Lambda's VpcConfig names subnets and security groups only: the VPC is a label here
      vpc: ec2.Vpc.fromVpcAttributes(this, 'TeamVpc', { vpcId: 'team-vpc', availabilityZones: this.availabilityZones.slice(0, TEAM_SUBNETS) }),
      subnets: { subnets },
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(this, 'TeamFunctionSecurityGroup',
        this.teamParameter(TeamParameter.FUNCTION_SECURITY_GROUP_ID), { allowAllOutbound: true, mutable: false }),
    });
  }

  /**
   * When the stack is deleted, a custom resource empties the sandbox's prefix of the team
   * store, every version of every object. Its function may list and delete under that prefix only.
   */
  private addPrefixCleanup(artifacts: s3.IBucket, deadLetters: sqs.IQueue): CustomResource {
    const { fn, role } = newSmallFunction(this, {
      handlerName: 'sandbox-cleanup',
      description: `Empties ${this.artifactPrefix} of the team's artifact store when this sandbox is deleted`,
      roleDescription: 'Empties the sandbox\'s prefix when the sandbox is deleted',
      environment: {},
      encryptionKey: this.key,
      deadLetterQueue: deadLetters,
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      timeout: Duration.minutes(10),
      ids: { function: 'PrefixCleanupFunction', role: 'PrefixCleanupRole', logs: 'PrefixCleanupLogs' },
    });
    const objects = artifacts.arnForObjects(`${this.artifactPrefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucketVersions'], resources: [artifacts.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.artifactPrefix}*`] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], resources: [objects] }));
    acknowledgeResourceWildcard(role, objects, 'Every object under this sandbox\'s own prefix, deleted with the sandbox.');
    const cleanup = new CustomResource(this, 'PrefixCleanup', {
      resourceType: 'Custom::SandboxPrefixCleanup',
      serviceToken: fn.functionArn,
      serviceTimeout: Duration.minutes(15),
      properties: { Bucket: artifacts.bucketName, Prefix: this.artifactPrefix },
    });
    // deleted before its function, while that can still run with its permissions and logs
    cleanup.node.addDependency(role, fn);
    return cleanup;
  }
}

const OWNER = /^[a-z][a-z0-9]*([.-][a-z0-9]+)*$/;
const DAY_MS = 86_400_000;
/** AWS Budgets' longest budget name; the Athena workgroup, named alike, may have 128. */
const MAX_BUDGET_NAME = 100;

function validate(scope: Construct, id: string, props: ProjectSandboxStackProps, teamStage: DataScienceStage, budgetUsd: number): void {
  const check = new PropChecker('ProjectSandboxStack');
  checkName(check, 'projectName', props.projectName);
  checkName(check, 'teamName', props.teamName);
  checkStage(check, 'teamStage', teamStage);
  check.check(teamStage !== DataScienceStage.PROD, 'teamStage', teamStage,
    'point sandboxes at dev or staging: prod data and queues are not for experiments');
  check.boolean('readTeamCuratedData', props.readTeamCuratedData);
  check.boolean('notebook', props.notebook);
  if (props.teamNetwork !== undefined) {
    checkNetworkProfile(check, 'teamNetwork', props.teamNetwork);
  }
  checkOwner(check, props.owner);
  check.number('monthlyBudgetUsd', budgetUsd, 0.01, 1e9, 'give an amount from 0.01 to 1000000000 USD');
  check.known('expiresOn', props.expiresOn, 'give a plain date: the expiry schedule is made at synth time');
  checkExpiry(check, props.expiresOn, Date.now());
  check.check(!props.notebook || props.owner !== undefined, 'notebook', props.notebook, 'give an owner too: a notebook is one person\'s');
  check.check(!props.notebook || props.owner === undefined || typeof props.owner !== 'string' || NOTEBOOK_PROFILE_NAME.test(notebookProfileName(props.projectName, props.owner)),
    'owner', props.owner, 'give a shorter owner, ending with a letter or digit: the notebook profile "<project>-<owner>" takes at most 59 characters');
  checkStackProps(check, scope, id, props);
  const parts = [props.teamName, teamStage, props.projectName, ...(props.owner === undefined ? [] : [props.owner])];
  if (parts.every((part) => typeof part === 'string' && !Token.isUnresolved(part))) {
    const name = sandboxNameOf(props.teamName, teamStage, props.projectName, props.owner);
    const prop = props.owner === undefined ? 'projectName' : 'owner';
    check.derivedName(prop, props.owner ?? props.projectName, 'its budget name', name, MAX_BUDGET_NAME, 'shorten the team, project or owner name');
    checkNameIsFree(check, scope, name, prop, props);
  }
  check.throwIfAny();
}

function sandboxNameOf(teamName: string, teamStage: DataScienceStage, projectName: string, owner?: string): string {
  return [teamName, teamStage, 'sandbox', projectName, ...(owner ? [owner.replace(/\./g, '-')] : [])].join('-');
}

/** A sandbox owner's user name, unless undefined: the sandbox's names and prefix are made from it. */
function checkOwner(check: PropChecker, owner: unknown): void {
  check.known('owner', owner, 'give a plain string: the sandbox\'s names and prefix are made from it');
  check.check(owner === undefined || (typeof owner === 'string' && OWNER.test(owner) && owner.length <= 63), 'owner', owner,
    'use a lowercase user name of up to 63 letters and digits, words joined by single dots or hyphens, for example "ana.lima"');
}

/** A real calendar day, YYYY-MM-DD, after today and at most MAX_LIFETIME_DAYS ahead (UTC). */
function checkExpiry(check: PropChecker, expiresOn: string, now: number): void {
  const day = calendarDay(expiresOn);
  check.check(day !== undefined, 'expiresOn', expiresOn, 'give a calendar day that exists, as YYYY-MM-DD, for example "2027-01-31"');
  if (day === undefined) {
    return;
  }
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  check.check(day > today, 'expiresOn', expiresOn,
    `give a day after today (${new Date(today).toISOString().slice(0, 10)}, UTC): the sandbox deletes itself as that day begins`);
  check.check(day - today <= MAX_LIFETIME_DAYS * DAY_MS, 'expiresOn', expiresOn,
    `give a day at most ${MAX_LIFETIME_DAYS} days ahead; extend a sandbox by redeploying it with a later day`);
}

/** Two sandboxes of one app must not share a name: "ana.lima" and "ana-lima" would share a budget and a workgroup. */
function checkNameIsFree(check: PropChecker, scope: Construct, name: string, prop: string, props: ProjectSandboxStackProps): void {
  const other = scope.node.root.node.findAll()
    .find((c): c is ProjectSandboxStack => c instanceof ProjectSandboxStack && c.sandboxName === name);
  check.check(other === undefined, prop, props.owner ?? props.projectName,
    `the sandbox ${other?.node.path} already has the name "${name}", which its budget and Athena workgroup carry: pick another name`);
}

/** The owner's notebook profile in the team's domain: `<project>-<owner>`, dots of the owner made hyphens. */
function notebookProfileName(projectName: string, owner: string): string {
  return `${projectName}-${owner.replace(/\./g, '-')}`;
}
