import { Aws, CfnOutput, Duration, Fn, Lazy, RemovalPolicy, Stack, StackProps, Tags, TimeZone } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BatchCompute } from '../constructs/compute/batch-compute';
import type { MultiNodeQueueOptions } from '../constructs/compute/multi-node-queue';
import { deliverAccessLogsByPolicy, newAccessLogsBucket } from '../constructs/core/buckets';
import { newDataKey } from '../constructs/core/keys';
import { allowServiceToPublish } from '../constructs/core/topics';
import { checkName } from '../constructs/core/naming';
import { minimizePolicies } from '../constructs/core/policies';
import { statefulRemovalPolicy } from '../constructs/core/removal';
import { checkPropsStruct, PropChecker, withPropsOf } from '../constructs/core/validation-error';
import { DataScienceNetwork } from '../constructs/network/data-science-network';
import { checkNetworkProfile, NetworkProfile } from '../constructs/network/network-profile';
import { Workflow } from '../constructs/scheduler/workflow';
import { checkCodeVersion } from '../constructs/scheduler/workflow-checks';
import { WorkflowStep } from '../constructs/scheduler/workflow-step';
import { ArtifactStore } from '../constructs/versioning/artifact-store';
import { DataQualityRuleset } from '../constructs/features/data-quality-ruleset';
import { DriftMonitor } from '../constructs/modelops/drift-monitor';
import type { DriftMonitorProps } from '../constructs/modelops/drift-monitor-props';
import { EndpointHosting, ModelEndpoint, ModelEndpointProps } from '../constructs/modelops/model-endpoint';
import { MetaflowProfile } from '../constructs/metaflow/metaflow-profile';
import { SparkRuntime } from '../constructs/features/spark-runtime';
import type { SparkRuntimeOptions } from '../constructs/features/spark-runtime-props';
import { METAFLOW_OUTPUTS, METAFLOW_PARALLEL_QUEUE_OUTPUT, MetaflowOutput } from '../constructs/metaflow/metaflow-settings';
import { StackMonitoring } from '../constructs/observability/stack-monitoring';
import { ModelRegistry } from '../constructs/versioning/model-registry';
import { RunRegistry } from '../constructs/versioning/run-registry';
import { NotebookDomain, NotebookDomainOptions } from '../constructs/development/notebook-domain';
import { DataWarehouse } from '../constructs/warehouse/data-warehouse';
import { LakeTable } from '../constructs/warehouse/lake-table';
import { PartitionProjection } from '../constructs/warehouse/partition-projection';
import { DataScienceReplicaStack } from './data-science-replica-stack';
import { DisasterRecovery } from './disaster-recovery';
import { checkReplicaRegion, ReplicaNames } from './replica-names';
import { checkStackProps } from './stack-props-check';
import { checkStage, DataScienceStage, DataScienceStages, StageSettings } from './stage';
import { publishTeamParameter, TeamParameter } from './team-parameters';

export interface DataScienceStackProps extends StackProps {
  /**
   * The team the stack serves; names its Glue databases and Athena workgroup and tags
   * every resource. 1 to 32 lowercase letters, digits and single hyphens.
   */
  readonly teamName: string;

  /**
   * The stage, which sets sizes, retention and termination protection.
   * @default DataScienceStage.DEV
   */
  readonly stage?: DataScienceStage;

  /**
   * A VPC you already have.
   * @default - a new VPC shaped by `network`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The shape of the new VPC. `PUBLIC` costs nothing while idle; `NAT` (a regional NAT
   * gateway) and `PRIVATE` (VPC endpoints, no route out) give hosts no public IP and run the
   * stack's functions in private subnets, for NIST 800-53, HIPAA and PCI DSS. Changing it on a
   * deployed stack replaces the VPC: `stateful-guard` refuses that before a deploy.
   * @default NetworkProfile.PUBLIC
   */
  readonly network?: NetworkProfile;

  /**
   * The version of the code the stack's workflows run, for example the git sha it was
   * deployed from; every run record and registered model carries it.
   * @default 'unknown'
   */
  readonly codeVersion?: string;

  /**
   * Delete buckets (emptied first), tables, keys and logs with the stack. Only a dev stack may:
   * staging and prod always retain their data.
   * @default false
   */
  readonly destroyDataOnDelete?: boolean;

  /**
   * Email addresses that receive alarms, failed runs and failed jobs, once they confirm.
   * @default - none; subscribe to the NotificationTopicArn output
   */
  readonly alarmEmails?: string[];

  /**
   * A second region for disaster recovery, for example "us-west-2": a replica stack there
   * (`<id>-replica`) holds a versioned, encrypted copy of the lake zones and the artifact store,
   * replicated by S3, and a vault that daily backups of the run registry and Metaflow's table
   * are copied to. Deploy the replica stack first; see README, "Disaster recovery".
   * @default - no replica, no backup plan
   */
  readonly replicaRegion?: string;

  /**
   * Add the example workflow (features, training, batch predictions on the `cpu` queue).
   * @default true
   */
  readonly exampleWorkflow?: boolean;

  /**
   * A SageMaker AI Studio domain for the team's notebooks, in the stack's network and encrypted
   * with its key. A person's sandbox with `notebook: true` then gets a JupyterLab space of its
   * own in it. While no notebook runs, nothing bills but storage.
   * @default - no notebook domain
   */
  readonly notebooks?: NotebookDomainOptions;

  /**
   * Add a queue for distributed training across GPU hosts (`compute.addMultiNodeJobDefinition`,
   * `WorkflowStep.multiNodeJob`, Metaflow's `@parallel`): on-demand hosts from 0 vCPUs in one
   * subnet and a cluster placement group, optionally with EFA. Nothing of it bills while idle.
   * @default - no multi-node queue; `{}` adds one of g5.xlarge hosts up to the stage's GPU vCPUs
   */
  readonly multiNode?: MultiNodeQueueOptions;
}

/**
 * A data-science team's whole stack: network, lake and Athena, Batch compute, workflows
 * and the artifact store. Stateful resources are retained whatever the stage.
 */
export class DataScienceStack extends Stack {
  /** The team the stack is for, in every resource name. */
  public readonly teamName: string;
  /** Where the stack sits on the way to production. */
  public readonly stage: DataScienceStage;
  /** What the stage sets for every layer. */
  public readonly settings: StageSettings;
  /** What happens to the stack's data when the stack is deleted. */
  public readonly removalPolicy: RemovalPolicy;
  /** The network layer: the VPC and where compute runs. */
  public readonly network: DataScienceNetwork;
  /** The lake: raw and curated zones and the Athena workgroup. */
  public readonly warehouse: DataWarehouse;
  /** The Batch queues, job definitions and image repository. */
  public readonly compute: BatchCompute;
  /** Where runs write and models are kept. */
  public readonly artifacts: ArtifactStore;
  /** One record per workflow run. */
  public readonly runs: RunRegistry;
  /** Versions of the team's models, pending approval until approved. */
  public readonly models: ModelRegistry;
  /** Roles and the foreach table Metaflow's @batch and step-functions need. */
  public readonly metaflow: MetaflowProfile;
  /** The stack's dashboard and alarms; monitor your own workflows and endpoints with it too. */
  public readonly monitoring: StackMonitoring;
  /** The stack's one customer-managed key: buckets, logs and query results. */
  public readonly dataKey: kms.IKey;
  /** Where failed runs (and later alarms) are reported; subscribe to it. */
  public readonly notificationTopic: sns.Topic;
  /** The example workflow, unless `exampleWorkflow` is false. */
  public readonly exampleWorkflow?: Workflow;
  /** The team's notebook domain, when `notebooks` is given. */
  public readonly notebookDomain?: NotebookDomain;
  /** The replica stack in `replicaRegion`, when given. */
  public readonly replica?: DataScienceReplicaStack;
  /** Replication and backups to `replicaRegion`, when given. */
  public readonly disasterRecovery?: DisasterRecovery;

  /**
   * @param scope the app or stage that holds the stack
   * @param id the stack's id in `scope`
   * @param props the stack's settings, see `DataScienceStackProps`
   */
  constructor(scope: Construct, id: string, props: DataScienceStackProps) {
    checkPropsStruct('DataScienceStack', props, '{ teamName: "fraud-models" }', { required: true });
    const stage = props.stage ?? DataScienceStage.DEV;
    const check = new PropChecker('DataScienceStack');
    checkName(check, 'teamName', props.teamName);
    checkStage(check, 'stage', stage);
    checkStackProps(check, scope, id, props);
    check.boolean('destroyDataOnDelete', props.destroyDataOnDelete);
    check.boolean('exampleWorkflow', props.exampleWorkflow);
    check.check(!(props.destroyDataOnDelete && stage !== DataScienceStage.DEV), 'destroyDataOnDelete', props.destroyDataOnDelete,
      'only a dev stack may destroy its data with it; staging and prod always retain it');
    check.construct('vpc', props.vpc, 'an ec2.IVpc, such as new ec2.Vpc(this, "Vpc"), or leave it unset for a new one');
    check.struct('multiNode', props.multiNode, '{ efa: true }');
    check.struct('notebooks', props.notebooks, '{ idleTimeoutMinutes: 120 }');
    if (props.network !== undefined) {
      checkNetworkProfile(check, 'network', props.network);
      check.check(props.vpc === undefined, 'network', props.network, 'leave network unset when you bring your own vpc');
    }
    if (props.replicaRegion !== undefined) {
      checkReplicaRegion(check, props.teamName, stage, props.replicaRegion, props.env?.region ?? '');
    }
    checkStackCodeVersion(check, props.codeVersion, props.exampleWorkflow ?? true);
    check.throwIfAny();
    const settings = DataScienceStages.settingsOf(stage);

    super(scope, id, {
      description: `Data-science stack of team ${props.teamName} (${stage})`,
      ...props,
      terminationProtection: props.terminationProtection ?? settings.terminationProtection,
    });
    deliverAccessLogsByPolicy(this);
    minimizePolicies(this);
    this.teamName = props.teamName;
    this.stage = stage;
    this.settings = settings;
    Tags.of(this).add('team', props.teamName);
    Tags.of(this).add('stage', stage);

    const removalPolicy = statefulRemovalPolicy(props.destroyDataOnDelete ? RemovalPolicy.DESTROY : undefined);
    this.removalPolicy = removalPolicy;
    this.dataKey = newDataKey(this, 'DataKey', `Encrypts the data of team ${props.teamName} (${stage})`, removalPolicy);
    const accessLogs = newAccessLogsBucket(this, 'AccessLogs', removalPolicy);
    this.notificationTopic = new sns.Topic(this, 'Notifications', { masterKey: this.dataKey, enforceSSL: true });

    this.network = new DataScienceNetwork(this, 'Network', {
      vpc: props.vpc, profile: props.network, flowLogsRetention: props.vpc ? undefined : settings.logRetention, encryptionKey: this.dataKey, removalPolicy,
    });
    this.warehouse = new DataWarehouse(this, 'Warehouse', {
      namePrefix: `${props.teamName}-${stage}`,
      encryptionKey: this.dataKey,
      serverAccessLogsBucket: accessLogs,
      bytesScannedCutoffPerQueryGiB: settings.bytesScannedCutoffPerQueryGiB,
      removalPolicy,
    });
    const events = this.addExampleTables();
    this.compute = new BatchCompute(this, 'Compute', {
      vpc: this.network.vpc,
      subnets: this.network.computeSubnets,
      cpu: { maxvCpus: settings.maxvCpus },
      cpuOnDemand: { maxvCpus: settings.maxvCpus },
      gpu: { maxvCpus: settings.gpuMaxvCpus },
      fargate: { maxvCpus: settings.maxvCpus },
      multiNode: props.multiNode && { ...props.multiNode, maxvCpus: props.multiNode.maxvCpus ?? settings.gpuMaxvCpus },
      logRetention: settings.logRetention,
      encryptionKey: this.dataKey,
      removalPolicy,
    });
    this.artifacts = new ArtifactStore(this, 'Artifacts', {
      encryptionKey: this.dataKey,
      serverAccessLogsBucket: accessLogs,
      noncurrentVersionRetentionDays: settings.noncurrentVersionRetentionDays,
      removalPolicy,
    });
    this.runs = new RunRegistry(this, 'Runs', { encryptionKey: this.dataKey, removalPolicy });
    if (props.notebooks) {
      const notebooks = props.notebooks;
      this.notebookDomain = withPropsOf('DataScienceStack', 'notebooks', () => new NotebookDomain(this, 'Notebooks', {
        ...notebooks,
        vpc: this.network.vpc,
        subnets: this.network.computeSubnets,
        domainName: `${props.teamName}-${stage}`,
        encryptionKey: this.dataKey,
        removalPolicy,
      }));
      this.output('NotebookDomainId', this.notebookDomain.domainId, 'SageMaker AI Studio domain of the team\'s notebooks');
    }
    this.models = new ModelRegistry(this, 'Models', { namePrefix: `${props.teamName}-${stage}`, removalPolicy });
    if (props.exampleWorkflow ?? true) {
      this.exampleWorkflow = this.addExampleWorkflow(settings.logRetention, events, props.codeVersion);
    }

    this.output('RawBucketName', this.warehouse.raw.bucket.bucketName, 'Raw zone of the lake');
    this.output('CuratedBucketName', this.warehouse.curated.bucket.bucketName, 'Curated (features) zone of the lake');
    this.output('RawDatabaseName', this.warehouse.raw.databaseName, 'Glue database of the raw zone');
    this.output('CuratedDatabaseName', this.warehouse.curated.databaseName, 'Glue database of the curated zone');
    this.output('AthenaWorkGroup', this.warehouse.workGroupName, 'Athena workgroup for lake queries');
    for (const name of this.compute.queueNames) {
      const queue = this.compute.queue(name);
      this.output(`${queue.node.id.replace(/Queue$/, '')}JobQueueArn`, queue.jobQueue.jobQueueArn, `Batch job queue "${name}"`);
    }
    const multiNodeQueue = this.compute.multiNodeQueue;
    if (multiNodeQueue) {
      this.output('MultiNodeJobQueueArn', multiNodeQueue.jobQueue.jobQueueArn, `Batch job queue "${multiNodeQueue.queueName}"`);
    }
    this.output('ImageRepositoryUri', this.compute.repository.repositoryUri, 'ECR repository for job images');
    this.metaflow = new MetaflowProfile(this, 'Metaflow', {
      artifactStore: this.artifacts, jobQueue: this.compute.queue('cpu').jobQueue, encryptionKey: this.dataKey, removalPolicy,
      parallelJobQueue: multiNodeQueue?.jobQueue,
    });
    const metaflowValues: Record<MetaflowOutput, string> = {
      MetaflowDatastoreRoot: this.metaflow.datastoreRoot,
      MetaflowDataToolsRoot: this.metaflow.dataToolsRoot,
      MetaflowBatchJobQueue: this.compute.queue('cpu').jobQueue.jobQueueArn,
      MetaflowTaskRoleArn: this.metaflow.taskRole.roleArn,
      MetaflowFargateExecutionRoleArn: this.metaflow.fargateExecutionRole.roleArn,
      MetaflowStepFunctionsRoleArn: this.metaflow.stepFunctionsRole.roleArn,
      MetaflowEventBridgeRoleArn: this.metaflow.eventBridgeRole.roleArn,
      MetaflowForeachTableName: this.metaflow.foreachTable.tableName,
      MetaflowStateMachinePrefix: this.metaflow.stateMachinePrefix,
    };
    for (const [key, setting] of Object.entries(METAFLOW_OUTPUTS)) {
      this.output(key, metaflowValues[key as MetaflowOutput], setting);
    }
    if (this.metaflow.parallelJobQueue) {
      this.output(METAFLOW_PARALLEL_QUEUE_OUTPUT, this.metaflow.parallelJobQueue.jobQueueArn, 'The queue of @parallel steps: @batch(queue=...)');
    }
    this.output('Region', Aws.REGION, 'The stack\'s region');

    this.monitoring = new StackMonitoring(this, 'Monitoring', {
      notificationTopic: this.notificationTopic, alarmEmails: props.alarmEmails, encryptionKey: this.dataKey,
      logRetention: settings.logRetention, removalPolicy,
    });
    this.monitoring.monitorWarehouse(this.warehouse);
    this.monitoring.monitorBatchCompute(this.compute);
    if (this.exampleWorkflow) {
      this.monitoring.monitorWorkflow(this.exampleWorkflow);
    }
    this.output('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the stack');
    this.output('JobLogGroupName', this.compute.logGroup.logGroupName, 'Where every Batch job logs');
    // every workflow of the stack, yours included, by name: what `dsi workflows` lists
    this.output('Workflows', Lazy.string({
      produce: () => this.toJsonString(Object.fromEntries(this.node.findAll()
        .filter((c): c is Workflow => c instanceof Workflow)
        .map((w) => [w.workflowName, w.stateMachine.stateMachineArn]))),
    }), 'Workflows by name, as JSON');
    this.output('ArtifactBucketName', this.artifacts.bucket.bucketName, 'Artifact store');
    this.publishForSandboxes();
    this.output('NotificationTopicArn', this.notificationTopic.topicArn, 'Failed runs and alarms');
    this.output('RunRegistryTableName', this.runs.table.tableName, 'One record per workflow run');
    if (props.replicaRegion !== undefined) {
      [this.replica, this.disasterRecovery] = this.addDisasterRecovery(scope, id, props.replicaRegion, props.env?.account);
    }
  }

  /** The replica stack in `region`, deployed first, and what replicates and backs up into it. */
  private addDisasterRecovery(scope: Construct, id: string, region: string, account?: string): [DataScienceReplicaStack, DisasterRecovery] {
    const names = new ReplicaNames(this.teamName, this.stage, region);
    // the stack creates its zones' buckets, so they are Buckets, whose replication it can set
    const buckets = { raw: this.warehouse.raw.bucket as s3.Bucket, curated: this.warehouse.curated.bucket as s3.Bucket, artifacts: this.artifacts.bucket };
    const replica = new DataScienceReplicaStack(scope, `${id}-replica`, {
      env: { account, region },
      description: `Disaster-recovery replica of the data-science stack of team ${this.teamName} (${this.stage})`,
      terminationProtection: this.terminationProtection,
      names,
      sources: buckets,
      removalPolicy: this.removalPolicy,
    });
    // S3 replication and backup copies need the replica's buckets, key and vault (a construct
    // dependency between stacks orders the stacks, on every aws-cdk-lib this package admits)
    this.node.addDependency(replica);
    const recovery = new DisasterRecovery(this, 'DisasterRecovery', {
      names,
      buckets,
      sourceKey: this.dataKey,
      tables: [this.runs.table, this.metaflow.foreachTable],
      backupRetention: Duration.days(this.settings.noncurrentVersionRetentionDays),
      removalPolicy: this.removalPolicy,
    });
    this.output('ReplicaRegion', region, 'Region of the disaster-recovery replica');
    this.output('BackupRoleArn', recovery.backupRole.roleArn, 'Role AWS Backup backs up and restores the tables as');
    return [replica, recovery];
  }

  /** SSM parameters that sandboxes and tools read this stack's resources from, without lookups. */
  private publishForSandboxes(): void {
    const publish = (parameter: TeamParameter, value: string) => publishTeamParameter(this, this.teamName, this.stage, parameter, value);
    publish(TeamParameter.ARTIFACT_BUCKET_NAME, this.artifacts.bucket.bucketName);
    publish(TeamParameter.DATA_KEY_ARN, this.dataKey.keyArn);
    publish(TeamParameter.CURATED_BUCKET_NAME, this.warehouse.curated.bucket.bucketName);
    publish(TeamParameter.CURATED_DATABASE_NAME, this.warehouse.curated.databaseName);
    publish(TeamParameter.ATHENA_WORKGROUP, this.warehouse.workGroupName);
    publish(TeamParameter.CPU_QUEUE_ARN, this.compute.queue('cpu').jobQueue.jobQueueArn);
    publish(TeamParameter.GPU_QUEUE_ARN, this.compute.queue('gpu').jobQueue.jobQueueArn);
    publish(TeamParameter.NOTIFICATION_TOPIC_ARN, this.notificationTopic.topicArn);
    const functionSecurityGroup = this.network.functionSecurityGroup;
    if (functionSecurityGroup) {
      // sandboxes run their functions where the team's run
      publish(TeamParameter.FUNCTION_SUBNET_IDS, Fn.join(',', this.network.vpc.selectSubnets(this.network.computeSubnets).subnetIds));
      publish(TeamParameter.FUNCTION_SECURITY_GROUP_ID, functionSecurityGroup.securityGroupId);
    }
    const notebooks = this.notebookDomain;
    if (notebooks) {
      // what each person's notebook is held to
      publish(TeamParameter.NOTEBOOK_DOMAIN_ID, notebooks.domainId);
      publish(TeamParameter.NOTEBOOK_INSTANCE_TYPES, notebooks.allowedInstanceTypes.join(','));
      publish(TeamParameter.NOTEBOOK_DEFAULT_INSTANCE_TYPE, notebooks.defaultInstanceType);
      publish(TeamParameter.NOTEBOOK_IDLE_TIMEOUT_MINUTES, String(notebooks.idleTimeoutMinutes));
    }
    // sandbox budgets alert through the team's topic
    allowServiceToPublish(this.notificationTopic, 'budgets.amazonaws.com');
  }

  /**
   * Two availability zones as Fn::GetAZs picks them at deploy time, even when the stack has an
   * account and region: no context lookup, so synth needs no AWS credentials.
   */
  public get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }

  /**
   * Adds a model endpoint with the stack's defaults: the stage's instance count for real-time
   * endpoints (2 in prod) and latency alarm threshold, the stack's key and notification topic, and (real-time) the stack's private
   * subnets when it has them. Endpoints are opt-in: the default stack has none.
   */
  public addModelEndpoint(id: string, props: ModelEndpointProps): ModelEndpoint {
    const check = new PropChecker(`DataScienceStack.addModelEndpoint('${id}')`);
    check.newId('id', this, id, 'give the endpoint an id no other part of the stack has');
    check.struct('props', props, '{ hosting: EndpointHosting.REAL_TIME, variants: [{ variantName: "current", model }] }', { required: true });
    check.throwIfAny();
    const realTime = props.hosting === EndpointHosting.REAL_TIME;
    const privateNetwork = !this.network.publicCompute;
    const endpoint = new ModelEndpoint(this, id, {
      instanceCount: realTime ? this.settings.endpointInstanceCount : undefined,
      latencyAlarmThresholdMillis: this.settings.endpointLatencyAlarmMillis,
      encryptionKey: this.dataKey,
      notificationTopic: this.notificationTopic,
      ...(privateNetwork && realTime ? { vpc: this.network.vpc, subnets: this.network.computeSubnets } : {}),
      ...props,
    });
    this.monitoring.monitorEndpoint(endpoint);
    return endpoint;
  }

  /**
   * Adds Spark on EMR Serverless with the stack's defaults: the stage's maximum capacity and log
   * retention, the stack's key and artifact store, Iceberg tables created without a location in the
   * curated zone, and (in a `nat` or `private` network) the compute subnets. In the `public`
   * network the workers run in EMR Serverless's own network, since they get no public IP. Opt-in,
   * and billed only while jobs run: the default stack has none.
   */
  public addSparkRuntime(id: string, props: SparkRuntimeOptions = {}): SparkRuntime {
    const check = new PropChecker(`DataScienceStack.addSparkRuntime('${id}')`);
    check.newId('id', this, id, 'give the runtime an id no other part of the stack has');
    check.struct('props', props, '{ idleTimeout: Duration.minutes(15) }');
    check.throwIfAny();
    return new SparkRuntime(this, id, {
      maximumVcpus: this.settings.sparkMaxvCpus,
      icebergWarehouse: this.warehouse.curated.bucket.s3UrlForObject(),
      logRetention: this.settings.logRetention,
      encryptionKey: this.dataKey,
      removalPolicy: this.removalPolicy,
      ...(this.network.publicCompute ? {} : { vpc: this.network.vpc, subnets: this.network.computeSubnets }),
      ...props,
      artifactStore: this.artifacts,
    });
  }

  /**
   * Drift monitoring of a real-time endpoint that captures its data (SageMaker Model Monitor):
   * its alarms notify the stack's topic and show on its dashboard. Each run bills a processing
   * job's instance time: see `DriftMonitor`.
   */
  public addDriftMonitor(id: string, props: DriftMonitorProps): DriftMonitor {
    const check = new PropChecker(`DataScienceStack.addDriftMonitor('${id}')`);
    check.newId('id', this, id, 'give the monitor an id no other part of the stack has');
    check.struct('props', props, '{ endpoint, modelName: "churn" }', { required: true });
    check.throwIfAny();
    const monitor = new DriftMonitor(this, id, props);
    this.monitoring.monitorDrift(monitor);
    return monitor;
  }

  /**
   * Features from raw events into the curated zone (Athena), a model trained on them into the
   * artifact store, predictions back into the curated zone (Batch): each step may touch only
   * its own inputs and outputs. Training waits for the events of the features' week to pass
   * their data-quality rules (Glue Data Quality), checked beside the features query.
   */
  private addExampleWorkflow(logRetention: logs.RetentionDays, events: LakeTable, codeVersion?: string): Workflow {
    // a private network reaches no public registry: there the image comes from the team's repository
    const image = this.network.profile === NetworkProfile.PRIVATE
      ? undefined
      : ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim');
    const { raw, curated } = this.warehouse;
    const job = (name: string, message: string, dependsOn: string[]) => {
      const jobDefinition = this.compute.addJobDefinition(`Example-${name}`, {
        image,
        imageTag: image ? undefined : 'python-3.12-slim',
        command: ['python', '-c', `import os; print("${message} for run", os.environ["DSI_RUN_ID"])`],
        environment: {
          DSI_RAW_BUCKET: raw.bucket.bucketName,
          DSI_CURATED_BUCKET: curated.bucket.bucketName,
          DSI_ARTIFACT_BUCKET: this.artifacts.bucket.bucketName,
        },
      });
      const step = WorkflowStep.batchJob({ name, dependsOn, jobQueue: this.compute.queue('cpu').jobQueue, jobDefinition });
      return { role: jobDefinition.container.jobRole!, step };
    };
    const features = WorkflowStep.athenaQuery({
      name: 'features',
      // its grant covers what it reads, the events table, and none of the rest of the lake
      warehouse: this.warehouse.queryTargetFor([events]),
      queryString: [
        'UNLOAD (',
        '  SELECT user_id, count(*) AS events_7d, sum(amount) AS amount_7d',
        `  FROM ${events.tableName}`,
        "  WHERE dt >= date_format(current_date - interval '7' day, '%Y-%m-%d')",
        '  GROUP BY user_id',
        `) TO '${curated.bucket.s3UrlForObject('features/run_id={run_id}/')}'`,
        "WITH (format = 'PARQUET')",
      ].join('\n'),
      output: { zone: curated, prefix: 'features/' },
    });
    const checks = new DataQualityRuleset(this, 'EventsChecks', {
      table: events,
      description: 'Example: what training expects of the raw events',
      rules: [
        'Rules = [',
        '  RowCount > 0,',
        '  IsComplete "event_id",',
        '  IsUnique "event_id",',
        '  IsComplete "user_id",',
        '  ColumnValues "amount" >= 0,',
        '  ColumnValues "event_type" matches "[a-z_]+"',
        ']',
      ].join('\n'),
    });
    const validate = WorkflowStep.dataQuality({
      name: 'validate',
      ruleset: checks,
      // the week the features read
      partitionPredicate: "dt >= date_format(date_sub(current_date(), 7), 'yyyy-MM-dd')",
    });
    const train = job('train', 'training', ['features', 'validate']);
    curated.grantRead(train.role, 'features/');
    this.artifacts.grantWriteRun(train.role, 'example');
    const predict = job('predict', 'scoring', ['train']);
    curated.grantRead(predict.role, 'features/');
    this.artifacts.grantReadRun(predict.role, 'example');
    curated.grantWrite(predict.role, 'predictions/');

    this.models.addModel('example', 'Example model of the example workflow');
    const register = WorkflowStep.registerModel({
      name: 'register',
      dependsOn: ['train'],
      registry: this.models,
      modelName: 'example',
      image: this.compute.repository.repositoryUriForTag('serve'),
      modelDataKey: `${ArtifactStore.runsPrefix('example')}{run_id}/train/model.tar.gz`,
      metricsKey: `${ArtifactStore.runsPrefix('example')}{run_id}/train/metrics.json`,
    });

    const workflow = new Workflow(this, 'ExampleWorkflow', {
      workflowName: 'example',
      steps: [validate, features, train.step, predict.step, register],
      artifactStore: this.artifacts,
      runRegistry: this.runs,
      codeVersion,
      inputLocations: [events.location],
      notificationTopic: this.notificationTopic,
      logRetention,
      encryptionKey: this.dataKey,
      removalPolicy: this.removalPolicy,
    });
    // nightly once enabled; shipped off, so the stack bills nothing until a team asks for runs
    workflow.addSchedule('Nightly', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0', timeZone: TimeZone.ETC_UTC }),
      flexibleWindow: Duration.minutes(15),
      enabled: false,
    });
    this.output('ExampleWorkflowArn', workflow.stateMachine.stateMachineArn, 'State machine of the example workflow');
    return workflow;
  }

  /** Daily partitioned events in the raw zone, found by partition projection, and a query over them. */
  private addExampleTables(): LakeTable {
    const events = this.warehouse.raw.addTable('EventsTable', {
      tableName: 'events',
      description: 'Example: raw events, one Parquet folder a day under events/dt=YYYY-MM-DD/',
      columns: [
        { name: 'event_id', type: 'string' },
        { name: 'user_id', type: 'string' },
        { name: 'event_type', type: 'string' },
        { name: 'amount', type: 'decimal(12,2)' },
        { name: 'occurred_at', type: 'timestamp' },
      ],
      partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date({ rangeStart: '2024-01-01' }) }],
      removalPolicy: this.removalPolicy,
    });
    this.warehouse.addNamedQuery('DailyEventsQuery', {
      queryName: 'daily-events',
      description: 'Events and amounts by type over the last 7 days',
      zone: this.warehouse.raw,
      queryString: [
        'SELECT dt, event_type, count(*) AS events, sum(amount) AS amount',
        `FROM ${events.tableName}`,
        "WHERE dt >= date_format(current_date - interval '7' day, '%Y-%m-%d')",
        'GROUP BY dt, event_type ORDER BY dt, event_type',
      ].join('\n'),
    });
    return events;
  }

  private output(id: string, value: string, description: string): void {
    new CfnOutput(this, id, { value, description });
  }
}

function checkStackCodeVersion(check: PropChecker, codeVersion: string | undefined, exampleWorkflow: boolean): void {
  checkCodeVersion(check, codeVersion);
  check.check(codeVersion === undefined || exampleWorkflow, 'codeVersion', codeVersion,
    'only the example workflow takes the stack\'s codeVersion, and exampleWorkflow is false: give it to your own workflows instead');
}
