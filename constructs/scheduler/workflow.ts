import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { acknowledgeResourceWildcard } from '../core/grants';
import { newDataKey } from '../core/keys';
import { checkMetricOptionsOf } from '../core/metric-arguments';
import { checkWorkflowName } from '../core/naming';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import type { ArtifactStore } from '../versioning/artifact-store';
import type { RunRegistry } from '../versioning/run-registry';
import { grantDependencyRecords, newDependencyTable } from './dependency-table';
import { grantPublish } from './grant-publish';
import { planLanes } from './lanes';
import { newLoggedStateMachine } from './logged-state-machine';
import { RunCloser } from './run-closer';
import type { RunRecordContext } from './run-records';
import { RunStarter } from './run-starter';
import { checkTableSnapshots, grantSnapshotReads, SNAPSHOT_HISTORY_EVENTS, snapshotsAttribute } from './table-snapshots';
import { checkCodeVersion, checkDefinitionSize, checkHistory, checkRunProps } from './workflow-checks';
import { dagOrder } from './workflow-dag';
import type { DataTriggerProps, WorkflowScheduleProps } from './workflow-trigger-props';
import { checkSchedule, checkTriggerId, dataTriggerKey } from './workflow-triggers';
import { workflowDefinition } from './workflow-definition';
import type { TableSnapshotsProps } from './workflow-snapshot-props';
import { WorkflowStep } from './workflow-step';

export interface WorkflowProps {
  /** The workflow's name, as data scientists call it: letters, digits, hyphens and underscores. */
  readonly workflowName: string;

  /**
   * The steps. Each starts once the steps it `dependsOn` have succeeded; steps that do not
   * depend on each other run side by side.
   */
  readonly steps: WorkflowStep[];

  /**
   * Where runs keep artifacts; `forEach` steps read their item lists from it.
   * @default - none: `forEach` steps are refused
   */
  readonly artifactStore?: ArtifactStore;

  /**
   * Where every run records itself as it starts and ends (failures included), through the
   * Step Functions DynamoDB integration.
   * @default - runs are not recorded
   */
  readonly runRegistry?: RunRegistry;

  /**
   * The version of the code the steps run, for example the git sha the stack was deployed
   * from (`-c codeVersion=$(git rev-parse HEAD)`); each run record carries it.
   * @default 'unknown'
   */
  readonly codeVersion?: string;

  /**
   * The data the workflow reads, as S3 URLs; each run record carries them.
   * @default - none recorded
   */
  readonly inputLocations?: string[];

  /**
   * The Apache Iceberg tables the runs read: each run records their current snapshot ids as it
   * starts (in its run record, when there is a registry) and hands them to every step, so that a
   * run reads exactly those snapshots and can be reproduced later.
   * @default - no snapshot is recorded
   */
  readonly tableSnapshots?: TableSnapshotsProps;

  /**
   * Where a failed run says which step failed, with the run id and the error.
   * @default - a new topic encrypted with the workflow's key
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * Let a trigger start a run while another run is still going.
   * @default false
   */
  readonly allowConcurrentRuns?: boolean;

  /**
   * After this long a run fails.
   * @default Duration.hours(24)
   */
  readonly timeout?: Duration;

  /**
   * How long execution logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Encrypts execution logs and the new notification topic. A key you import must allow
   * CloudWatch Logs to use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A workflow: a DAG of steps run by a Step Functions state machine. Every run gets an id
 * (the execution name) that each step sees; every run is logged at level ALL and traced;
 * a failed run publishes the failing step and run id to a topic, then fails.
 */
export class Workflow extends Construct {
  /** The workflow's name, in its run records, artifact keys and notifications. */
  public readonly workflowName: string;
  /** The state machine that runs the workflow; each execution is a run. */
  public readonly stateMachine: sfn.StateMachine;
  /** Where every run's states, inputs and outputs are logged. */
  public readonly logGroup: logs.LogGroup;
  /** Where failed runs are reported. */
  public readonly notificationTopic: sns.ITopic;

  private readonly triggerSettings: { allowConcurrentRuns: boolean; key: kms.IKey; logRetention: logs.RetentionDays; removalPolicy: RemovalPolicy };
  private starter?: RunStarter;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `WorkflowProps`
   */
  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    checkPropsStruct('Workflow', props, '{ workflowName: "train", steps: [...] }', { required: true });
    const check = new PropChecker('Workflow');
    const steps = check.list('steps', props.steps, '[WorkflowStep.batchJob({ name: "train", jobQueue, jobDefinition })]');
    const snapshots = props.tableSnapshots;
    // tables that are no list, and what in it is no table, are refused below; the steps are checked meanwhile without them
    const snapshotTables = Array.isArray(snapshots?.tables) ? snapshots.tables.filter((table) => Construct.isConstruct(table)) : [];
    const context: RunRecordContext = {
      workflowName: props.workflowName,
      codeVersion: props.codeVersion ?? 'unknown',
      artifactStore: props.artifactStore,
      runRegistry: props.runRegistry,
      inputLocations: check.list('inputLocations', props.inputLocations, '["s3://bucket/events/"]'),
      ...(snapshots ? { snapshotTables: snapshotTables.map((t) => t.tableName), snapshotsAttribute: snapshotsAttribute(snapshotTables) } : {}),
    };
    const timeout = props.timeout ?? Duration.hours(24);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    checkWorkflowName(check, 'workflowName', props.workflowName);
    checkRunProps(check, timeout, context.inputLocations, logRetention, props.removalPolicy);
    check.boolean('allowConcurrentRuns', props.allowConcurrentRuns);
    checkCodeVersion(check, props.codeVersion);
    check.construct('artifactStore', props.artifactStore, 'an ArtifactStore, such as new ArtifactStore(this, "Artifacts")');
    check.construct('runRegistry', props.runRegistry, 'a RunRegistry, such as new RunRegistry(this, "Runs")');
    check.construct('notificationTopic', props.notificationTopic, 'an sns.ITopic, such as new sns.Topic(this, "Failures")');
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
    if (snapshots !== undefined && check.struct('tableSnapshots', snapshots, '{ warehouse, tables: [features] }')) {
      check.instance('tableSnapshots.warehouse', snapshots.warehouse, 'grantQuery', 'the DataWarehouse holding the tables, its queryTargetFor(tables), or a ProjectSandboxStack',
        { required: true });
      checkTableSnapshots(check, snapshots);
    }
    // from JavaScript anything may come in the list: a step is known by its check
    const allSteps = steps.map((step, i) => {
      const isStep = check.instance(`steps[${i}]`, step, '_check', 'a WorkflowStep, such as WorkflowStep.batchJob({ name: "train", jobQueue, jobDefinition })', { required: true });
      if (isStep) {
        step._check(context, check, `steps[${i}]`);
      }
      return isStep;
    }).every(Boolean);
    if ((props.steps !== undefined && !Array.isArray(props.steps)) || !allSteps) {
      check.throwIfAny(); // steps that are no list, or no steps, have no order to check
    }
    const ordered = dagOrder(steps, check);
    // before any resource is made from the props; what only the whole definition shows is checked once it is built
    check.throwIfAny();

    this.workflowName = props.workflowName;
    acknowledgeRoleInlinePolicies(this);
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const key = props.encryptionKey ?? newDataKey(this, 'Key', `Encrypts the logs of workflow ${props.workflowName}`, removalPolicy);
    this.notificationTopic = props.notificationTopic ?? new sns.Topic(this, 'Notifications', { masterKey: key, enforceSSL: true });

    const plan = planLanes(ordered);
    const loops = ordered.reduce((sum, step) => sum + step._extraHistoryEvents(), 0);
    checkHistory(plan, steps.length, (snapshots ? SNAPSHOT_HISTORY_EVENTS : 0) + loops);
    const waits = [...plan.waitsFor.values()].some((deps) => deps.length > 0);
    const dependencies = waits ? newDependencyTable(this, key, removalPolicy) : undefined;
    const registry = props.runRegistry;
    const byName = new Map(ordered.map((step) => [step.name, step]));
    const definition = workflowDefinition({
      context,
      plan,
      addStepStates: (step, sink) => byName.get(step)!._addStates(context, sink),
      timeout,
      notificationTopic: this.notificationTopic,
      registry,
      dependencyTable: dependencies?.tableName,
      tableSnapshots: snapshots,
    });

    checkDefinitionSize(definition, steps.length);

    this.triggerSettings = { allowConcurrentRuns: props.allowConcurrentRuns ?? false, key, logRetention, removalPolicy };
    ({ stateMachine: this.stateMachine, logGroup: this.logGroup } = newLoggedStateMachine(this, {
      comment: `Workflow ${props.workflowName}`,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      encryptionKey: key,
      logRetention,
      removalPolicy,
      unscopedActions: ['batch:DescribeJobs', ...(dependencies ? ['states:SendTaskSuccess'] : [])],
    }));
    const role = this.stateMachine.role;
    ordered.forEach((step) => step._grant(this.stateMachine, context));
    if (dependencies) {
      grantDependencyRecords(role, dependencies);
    }
    registry?.grantRecord(role);
    if (snapshots) {
      grantSnapshotReads(role, snapshots);
    }
    grantPublish(role, this.notificationTopic);
    RunCloser.of(this, { registry, encryptionKey: key, logRetention, removalPolicy }).closeRunsOf(this, 'ReportEndedRuns', this);
  }

  /**
   * Starts a run on a schedule, through EventBridge Scheduler: a cron expression in a time
   * zone, or a rate. Each scheduled time starts at most one run.
   */
  public addSchedule(id: string, props: WorkflowScheduleProps): scheduler.Schedule {
    const check = new PropChecker(`Workflow.addSchedule('${id}')`);
    checkTriggerId(check, this, id);
    if (check.struct('props', props, '{ schedule: scheduler.ScheduleExpression.cron({ hour: "2", minute: "0" }) }', { required: true })) {
      checkSchedule(check, props);
    }
    check.throwIfAny();
    const starter = this.runStarter();
    const schedule = new scheduler.Schedule(this, id, {
      schedule: props.schedule,
      description: props.description ?? `Starts workflow ${this.workflowName}`,
      enabled: props.enabled,
      timeWindow: props.flexibleWindow ? scheduler.TimeWindow.flexible(props.flexibleWindow) : scheduler.TimeWindow.off(),
      target: new schedulerTargets.LambdaInvoke(starter.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'schedule', id: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: starter.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? 3,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
        role: starter.schedulerRole,
      }),
    });
    acknowledgeResourceWildcard(starter.schedulerRole, `${starter.function.functionArn}:*`,
      'lambda:InvokeFunction on the run starter and its versions; Scheduler invokes nothing else.');
    return schedule;
  }

  /**
   * Starts a run when objects land under `prefix` in `bucket`, through EventBridge. The lake's
   * and the artifact store's buckets send their events to EventBridge; a bucket of yours must too.
   */
  public addDataTrigger(id: string, props: DataTriggerProps): events.Rule {
    const check = new PropChecker(`Workflow.addDataTrigger('${id}')`);
    checkTriggerId(check, this, id);
    if (!check.struct('props', props, '{ bucket: warehouse.raw.bucket, prefix: "events/" }', { required: true })) {
      check.throwIfAny();
    }
    check.construct('bucket', props.bucket, 'an s3.IBucket, such as warehouse.raw.bucket or s3.Bucket.fromBucketName(this, "Landing", "landing-bucket")', { required: true });
    const key = dataTriggerKey(check, props);
    return this.triggerRule(id, 'data', {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: { bucket: { name: [props.bucket.bucketName] }, object: { key } },
    }, { bucket: events.EventField.fromPath('$.detail.bucket.name'), key: events.EventField.fromPath('$.detail.object.key') });
  }

  /** Starts a run each time `upstream` succeeds. */
  public runAfter(id: string, upstream: Workflow): events.Rule {
    const check = new PropChecker(`Workflow.runAfter('${id}')`);
    checkTriggerId(check, this, id);
    check.instance('upstream', upstream, 'runAfter', 'another Workflow, whose success starts this one', { required: true });
    check.check(upstream !== this, 'upstream', upstream?.workflowName, 'give another workflow: a workflow that starts itself when it succeeds never stops');
    check.throwIfAny();
    return this.triggerRule(id, 'workflow', {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { status: ['SUCCEEDED'], stateMachineArn: [upstream.stateMachine.stateMachineArn] },
    }, { workflow: upstream.workflowName, runId: events.EventField.fromPath('$.detail.name') });
  }

  /** Runs that failed, per period. */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkMetricOptionsOf('Workflow.metricFailed', props);
    return this.stateMachine.metricFailed(props);
  }

  /** Runs that succeeded, per period. */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkMetricOptionsOf('Workflow.metricSucceeded', props);
    return this.stateMachine.metricSucceeded(props);
  }

  /** How long runs take, in milliseconds. */
  public metricTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkMetricOptionsOf('Workflow.metricTime', props);
    return this.stateMachine.metricTime(props);
  }

  /** Lets `grantee` start runs of this workflow. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Lets `grantee` list this workflow's runs and read their status and history, as `dsi` does. */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const executions = Stack.of(this).formatArn({
      service: 'states', resource: 'execution', resourceName: `${this.stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    acknowledgeResourceWildcard(grantee, executions, 'The runs of this one workflow, named as they start.');
    return iam.Grant.addToPrincipal({ grantee, actions: ['states:DescribeStateMachine', 'states:ListExecutions'], resourceArns: [this.stateMachine.stateMachineArn] })
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['states:DescribeExecution', 'states:GetExecutionHistory'], resourceArns: [executions] }));
  }

  private runStarter(): RunStarter {
    this.starter ??= new RunStarter(this, 'RunStarter', {
      stateMachine: this.stateMachine,
      allowConcurrentRuns: this.triggerSettings.allowConcurrentRuns,
      encryptionKey: this.triggerSettings.key,
      logRetention: this.triggerSettings.logRetention,
      removalPolicy: this.triggerSettings.removalPolicy,
    });
    return this.starter;
  }

  private triggerRule(id: string, trigger: string, eventPattern: events.EventPattern, detail: object): events.Rule {
    const starter = this.runStarter();
    return new events.Rule(this, id, {
      description: `Starts workflow ${this.workflowName}`,
      eventPattern,
      targets: [new eventsTargets.LambdaFunction(starter.function, {
        event: events.RuleTargetInput.fromObject({ trigger, id: events.EventField.eventId, detail }),
        deadLetterQueue: starter.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      })],
    });
  }
}
