import { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { RunRegistry } from '../versioning/run-registry';
import { AslStates, catchAll, task, transientRetry } from './asl';
import { laneExecutor, PLAN_STEPS, RUN_STEPS } from './lane-executor';
import type { LanePlan } from './lanes';
import { recordFailure, recordStart, recordSuccess, RunRecordContext } from './run-records';
import { NOTIFY_FAILURE, READ_SNAPSHOTS, RECORD_FAILURE } from './run-states';
import { RUN_ID_PATH } from './step-states';
import type { StepStateSink } from './step-types';
import { snapshotStates } from './table-snapshots';
import type { TableSnapshotsProps } from './workflow-snapshot-props';

/** The states a run ends in when it fails: told (its own notification delivered), and not. */
export const RUN_FAILED = 'Run failed';
export const RUN_FAILED_UNTOLD = 'Run failed, not notified';

export interface WorkflowDefinitionProps {
  readonly context: RunRecordContext;
  readonly plan: LanePlan;
  /** Puts the states of the step named `step` in `sink`. */
  readonly addStepStates: (step: string, sink: StepStateSink) => void;
  readonly timeout: Duration;
  readonly notificationTopic: sns.ITopic;
  readonly registry?: RunRegistry;
  /** The table of dependency records, when some step waits for another lane. */
  readonly dependencyTable?: string;
  /** The Iceberg tables whose snapshots each run records before its first step. */
  readonly tableSnapshots?: TableSnapshotsProps;
}

/**
 * The whole state machine: plan the lanes, read the snapshots of the tables the run reads, record
 * the start, run the lanes, record the success. Any failure of a step (or of the records) takes the failure path: record the
 * failure, notify the topic with the step and its error, and fail the run with that error. A
 * failure path that cannot notify still fails the run with the step's error, in a state of its
 * own that tells the run closer to notify instead.
 */
export function workflowDefinition(props: WorkflowDefinitionProps): object {
  const { registry, context } = props;
  const states = new AslStates();
  const failurePathStart = registry ? RECORD_FAILURE : NOTIFY_FAILURE;
  // snapshots that cannot be read, or a record that cannot be written, fail the run as a step would, named for the state
  const recordFailed = (record: string) => `${record} failed`;
  const snapshots = props.tableSnapshots;
  const afterSnapshots = registry ? 'Record start' : RUN_STEPS;
  const { plan, run } = laneExecutor({
    plan: props.plan,
    addStepStates: props.addStepStates,
    dependencyTable: props.dependencyTable,
    onStepFailed: 'Read step failure',
    next: registry ? 'Record success' : undefined,
    carried: snapshots ? ['snapshots'] : [],
  }, snapshots ? READ_SNAPSHOTS : afterSnapshots);

  states.add(PLAN_STEPS, plan);
  if (snapshots) {
    snapshotStates(snapshots, afterSnapshots, recordFailed(READ_SNAPSHOTS)).forEach(([name, state]) => states.add(name, state));
  }
  if (registry) {
    states.add('Record start', recordStart(registry, context, { Catch: [catchAll(recordFailed('Record start'))], Next: RUN_STEPS }));
  }
  states.add(RUN_STEPS, run);
  if (registry) {
    states.add('Record success', recordSuccess(registry, context.workflowName, { Catch: [catchAll(recordFailed('Record success'))], End: true }));
  }
  // a lane's cause is [step, error, cause]
  const failed = (i: number) => `States.ArrayGetItem(States.StringToJson($.caught.Cause), ${i})`;
  states.add('Read step failure', {
    Type: 'Pass',
    Parameters: { 'step.$': failed(0), 'error.$': failed(1), 'cause.$': failed(2) },
    ResultPath: '$.failure',
    Next: failurePathStart,
  });
  for (const record of [...snapshots ? [READ_SNAPSHOTS] : [], ...registry ? ['Record start', 'Record success'] : []]) {
    states.add(recordFailed(record), {
      Type: 'Pass',
      Parameters: { 'step': record, 'error.$': '$.caught.Error', 'cause.$': '$.caught.Cause' },
      ResultPath: '$.failure',
      Next: failurePathStart,
    });
  }
  addFailurePath(states, props);
  return { Comment: `Workflow ${context.workflowName}`, TimeoutSeconds: props.timeout.toSeconds(), ...states.scope(PLAN_STEPS) };
}

/** Record the failure, when there is a registry, notify it, fail the run with its error. */
function addFailurePath(states: AslStates, props: WorkflowDefinitionProps): void {
  const workflow = props.context.workflowName;
  if (props.registry) {
    // a record that cannot be written must not keep the failure from being told; the run closer closes it
    states.add(RECORD_FAILURE, recordFailure(props.registry, workflow, { Catch: [catchAll(NOTIFY_FAILURE, '$.recordError')], Next: NOTIFY_FAILURE }));
  }
  states.add(NOTIFY_FAILURE, task('sns:publish', {
    TopicArn: props.notificationTopic.topicArn,
    Subject: `Workflow ${workflow} failed`,
    Message: {
      'workflow': workflow,
      'runId.$': RUN_ID_PATH,
      'status': 'FAILED',
      'step.$': '$.failure.step',
      'error.$': '$.failure.error',
      'cause.$': '$.failure.cause',
    },
  }, {
    Retry: [transientRetry(['SNS.ThrottledException', 'SNS.InternalErrorException', 'SNS.KMSThrottlingException'])],
    Catch: [catchAll(RUN_FAILED_UNTOLD, '$.notifyError')],
    Next: RUN_FAILED,
  }));
  const fail = { Type: 'Fail', ErrorPath: '$.failure.error', CausePath: '$.failure.cause' };
  states.add(RUN_FAILED, fail);
  states.add(RUN_FAILED_UNTOLD, fail);
}
