import { ArnFormat, Arn, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { acknowledgePolicyWildcards } from '../core/grants';
import type { PropChecker } from '../core/validation-error';
import { ArtifactStore } from '../versioning/artifact-store';
import { catchAll, task, transientRetry, userRetries } from './asl';
import { checkBatchJob } from './batch-job-step';
import { batchJobTask, grantBatchJob, RUN_ID_PATH, SNAPSHOTS_PATH } from './step-states';
import type { ForEachStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

/** Above this many items at once, an inline Map is not allowed and a Distributed Map runs them. */
export const INLINE_MAP_LIMIT = 40;

/** Where a step of a run writes the list a `forEach` reads: the artifact store key. */
export function itemsKey(workflowName: string, stepName: string): string {
  return `${ArtifactStore.runsPrefix(workflowName)}{}/${stepName}/items.json`;
}

/** Builds a `WorkflowStep.forEach`. */
export class ForEachBuilder implements StepBuilder {
  constructor(private readonly props: ForEachStepProps) {}

  private get maxConcurrency(): number {
    return this.props.maxConcurrency ?? 10;
  }

  private get distributed(): boolean {
    return this.maxConcurrency > INLINE_MAP_LIMIT;
  }

  public check(step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void {
    // dependencies that are no list are refused as the workflow orders its steps
    check.check(!Array.isArray(step.dependsOn) || step.dependsOn.includes(this.props.itemsFrom), `${prefix}.itemsFrom`, this.props.itemsFrom,
      'name a step this one depends on (add it to dependsOn), so the list exists before the fan-out starts');
    check.check(context.artifactStore !== undefined, `${prefix}.itemsFrom`, this.props.itemsFrom,
      'give the workflow an artifactStore: the list is read from it');
    check.check(Number.isInteger(this.maxConcurrency) && this.maxConcurrency >= 1 && this.maxConcurrency <= 10000,
      `${prefix}.maxConcurrency`, this.maxConcurrency, 'give a whole number from 1 to 10000');
    if (check.struct(`${prefix}.job`, this.props.job, '{ jobQueue, jobDefinition }', { required: true })) {
      checkBatchJob(this.props.job, check, `${prefix}.job`);
    }
  }

  /**
   * Inline, the step reads its list (the state named after the step) and runs a Map over it;
   * beyond 40 at once, the step is a Distributed Map that reads the list itself.
   */
  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    const bucket = context.artifactStore!.bucket.bucketName;
    const key = `States.Format('${itemsKey(context.workflowName, this.props.itemsFrom)}', ${RUN_ID_PATH})`;
    // items of a Distributed Map run as child executions with names of their own: each item
    // carries the run's id, taken where the Map starts
    const item = `${step.name} item`;
    const snapshots = context.snapshotTables !== undefined;
    const itemProcessor = {
      StartAt: item,
      States: {
        [item]: batchJobTask(context, step.name, item, this.props.job, [
          { 'Name': 'DSI_ITEM', 'Value.$': 'States.JsonToString($.item)' },
          ...(snapshots ? [{ 'Name': 'DSI_SNAPSHOTS', 'Value.$': '$.snapshots' }] : []),
        ], '$.runId', { End: true }),
      },
    };
    const map = {
      Type: 'Map',
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'runId.$': RUN_ID_PATH, ...(snapshots ? { 'snapshots.$': `${SNAPSHOTS_PATH}.json` } : {}) },
      MaxConcurrency: this.maxConcurrency,
      ResultPath: null,
      Catch: [catchAll(sink.stepFailed)],
      Next: sink.afterStep,
    };
    if (this.distributed) {
      sink.add(step.name, {
        ...map,
        ItemReader: {
          Resource: `arn:${Aws.PARTITION}:states:::s3:getObject`,
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket': bucket, 'Key.$': key },
        },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...itemProcessor },
        Retry: [transientRetry(['States.ItemReaderFailed']), ...userRetries(step.retries)],
      });
      return;
    }
    const items = `${step.name} items`;
    sink.add(step.name, task('aws-sdk:s3:getObject', { 'Bucket': bucket, 'Key.$': key }, {
      ResultSelector: { 'items.$': 'States.StringToJson($.Body)' },
      ResultPath: '$.foreach',
      Retry: [transientRetry(['S3.S3Exception', 'S3.SdkClientException'])],
      Catch: [catchAll(sink.stepFailed)],
      Next: items,
    }));
    sink.add(items, {
      ...map,
      ItemsPath: '$.foreach.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...itemProcessor },
      Retry: userRetries(step.retries),
    });
  }

  public grant(stateMachine: sfn.StateMachine, context: StepContext): void {
    grantBatchJob(stateMachine.role, this.props.job);
    context.artifactStore!.grantReadRun(stateMachine.role, context.workflowName);
    if (this.distributed) {
      grantDistributedMap(stateMachine);
    }
  }
}

/**
 * What a Distributed Map calls: start, watch, stop and redrive its child executions, which are
 * executions of its own state machine. In a policy of its own, which the state machine does not
 * wait for: its role's default policy cannot name the state machine it is created before.
 */
function grantDistributedMap(stateMachine: sfn.StateMachine): void {
  if (stateMachine.node.tryFindChild('DistributedMapPolicy')) {
    return;
  }
  const policy = new iam.Policy(stateMachine, 'DistributedMapPolicy');
  stateMachine.role.attachInlinePolicy(policy);
  stateMachine.grantStartExecution(policy);
  stateMachine.grantExecution(policy, 'states:DescribeExecution', 'states:StopExecution');
  const name = Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
  iam.Grant.addToPrincipal({
    grantee: policy,
    actions: ['states:RedriveExecution'],
    resourceArns: [Stack.of(stateMachine).formatArn({ service: 'states', resource: 'execution', resourceName: `${name}/*:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  });
  acknowledgePolicyWildcards(policy, 'A Distributed Map starts, watches and stops child executions of this state machine only, whose ids Step Functions assigns.');
}
