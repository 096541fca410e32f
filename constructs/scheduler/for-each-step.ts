import { Arn, ArnFormat, Aws } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeResourceWildcard } from '../core/grants';
import type { PropChecker } from '../core/validation-error';
import { ArtifactStore } from '../versioning/artifact-store';
import { checkBatchJob } from './batch-job-step';
import { batchJobTask, grantBatchJob, retryFailures, retryTransient, RUN_ID_PATH, serviceTask, stepEnvironment } from './step-states';
import type { ForEachStepProps } from './step-props';
import type { BoundStep, StepBuilder, StepContext, StepIdentity } from './step-types';

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

  public check(step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void {
    check.check(step.dependsOn.includes(this.props.itemsFrom), `${prefix}.itemsFrom`, this.props.itemsFrom,
      'name a step this one depends on (add it to dependsOn), so the list exists before the fan-out starts');
    check.check(context.artifactStore !== undefined, `${prefix}.itemsFrom`, this.props.itemsFrom,
      'give the workflow an artifactStore: the list is read from it');
    check.check(Number.isInteger(this.maxConcurrency) && this.maxConcurrency >= 1 && this.maxConcurrency <= 10000,
      `${prefix}.maxConcurrency`, this.maxConcurrency, 'give a whole number from 1 to 10000');
    checkBatchJob(this.props.job, check, `${prefix}.job`);
  }

  public build(scope: Construct, step: StepIdentity, context: StepContext): BoundStep {
    const artifacts = context.artifactStore!;
    const key = sfn.JsonPath.format(itemsKey(context.workflowName, this.props.itemsFrom), sfn.JsonPath.stringAt(RUN_ID_PATH));
    // items of a Distributed Map run as child executions with names of their own: each item
    // carries the run's id, taken where the Map starts
    const itemTask = batchJobTask(scope, `${step.name} item`, this.props.job, stepEnvironment(context, step.name, this.props.job),
      [{ 'Name': 'DSI_ITEM', 'Value.$': 'States.JsonToString($.item)' }], '$.runId');
    const itemSelector = { item: sfn.JsonPath.stringAt('$$.Map.Item.Value'), runId: sfn.JsonPath.stringAt(RUN_ID_PATH) };
    const grantRead = (role: Parameters<BoundStep['grant']>[0]) => {
      grantBatchJob(role, this.props.job);
      artifacts.grantReadRun(role, context.workflowName);
    };

    if (this.maxConcurrency > INLINE_MAP_LIMIT) {
      const map = new sfn.DistributedMap(scope, step.name, {
        itemReader: new sfn.S3JsonItemReader({ bucket: artifacts.bucket, key }),
        itemSelector,
        maxConcurrency: this.maxConcurrency,
        mapExecutionType: sfn.StateMachineType.STANDARD,
        resultPath: sfn.JsonPath.DISCARD,
      });
      map.itemProcessor(itemTask);
      retryTransient(map, ['States.ItemReaderFailed']);
      retryFailures(map, step.retries);
      return {
        start: map,
        end: map,
        catchable: [map],
        grant: (role) => {
          grantRead(role);
          // the item reader's own grant covers the whole bucket
          const objects = Arn.format({ partition: Aws.PARTITION, service: 's3', region: '', account: '', resource: artifacts.bucket.bucketName, resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
          acknowledgeResourceWildcard(role, objects, 'The Distributed Map item reader reads the run\'s item list; Step Functions grants it on the artifact bucket\'s objects.');
        },
      };
    }

    const load = serviceTask(scope, `${step.name} items`, 'aws-sdk:s3:getObject', { 'Bucket': artifacts.bucket.bucketName, 'Key.$': key },
      ['S3.S3Exception', 'S3.SdkClientException'], { ResultSelector: { 'items.$': 'States.StringToJson($.Body)' }, ResultPath: '$.foreach' });
    const map = new sfn.Map(scope, step.name, {
      itemsPath: '$.foreach.items',
      itemSelector,
      maxConcurrency: this.maxConcurrency,
      resultPath: sfn.JsonPath.DISCARD,
    });
    map.itemProcessor(itemTask);
    retryFailures(map, step.retries);
    load.next(map);
    return { start: load, end: map, catchable: [load, map], grant: grantRead };
  }
}
