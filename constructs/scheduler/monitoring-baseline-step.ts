import { ArnFormat, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeResourceWildcard } from '../core/grants';
import { grantCreateGrantForAwsResources } from '../core/keys';
import { type PropChecker, shownDuration } from '../core/validation-error';
import { checkSageMakerInstanceType } from '../core/sagemaker-instance-type';
import { DriftMonitor, MonitoringKind } from '../modelops/drift-monitor';
import { ModelProblemType } from '../modelops/drift-monitor-props';
import { ModelMonitorImage } from '../modelops/model-monitor-image';
import { catchAll, task, transientRetry, userRetries } from './asl';
import { withRunId } from './run-values';
import { BaselineDatasetFormat, MonitoringBaselineStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

/*
 * A monitoring baseline as Model Monitor's own SDK makes one (suggest_baseline): a processing
 * job of the analyzer image that reads the dataset at its input path and writes statistics.json
 * and constraints.json to its output path, told what to do by environment variables. Step
 * Functions runs it with its optimized createProcessingJob.sync integration.
 */

const INPUT_PATH = '/opt/ml/processing/input/baseline_dataset_input';
const OUTPUT_PATH = '/opt/ml/processing/output';
const DATASET_FORMATS: { [format: string]: object } = {
  [BaselineDatasetFormat.CSV_WITH_HEADER]: { csv: { header: true, output_columns_position: 'START' } },
  [BaselineDatasetFormat.CSV]: { csv: { header: false, output_columns_position: 'START' } },
  [BaselineDatasetFormat.JSON_LINES]: { json: { lines: true } },
};
const MODEL_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const KEY_PREFIX = /^([A-Za-z0-9!_.*'(){}-]+\/)+$/;
const SAGEMAKER_TRANSIENT_ERRORS = ['SageMaker.ThrottlingException', 'SageMaker.InternalFailure', 'SageMaker.ServiceUnavailable'];

/** Builds a `WorkflowStep.monitoringBaseline`. */
export class MonitoringBaselineBuilder implements StepBuilder {
  private role?: iam.Role;

  constructor(private readonly props: MonitoringBaselineStepProps) {}

  private get kind(): MonitoringKind {
    return this.props.modelQuality ? MonitoringKind.MODEL_QUALITY : MonitoringKind.DATA_QUALITY;
  }

  /** Processing jobs of this step are named `<model>-baseline-<uuid>`, within SageMaker's 63 characters. */
  private get jobNamePrefix(): string {
    return `${this.props.modelName.slice(0, 17)}-baseline`;
  }

  public check(_step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void {
    const { props } = this;
    check.check(context.artifactStore !== undefined, `${prefix}.modelName`, props.modelName, 'give the workflow an artifactStore: the baseline is kept in it');
    check.known(`${prefix}.modelName`, props.modelName, 'give the model\'s name as a plain string: the baseline\'s key and the job names are made from it');
    check.known(`${prefix}.datasetKeyPrefix`, props.datasetKeyPrefix, 'give the key prefix as a plain string: {run_id} is replaced in it as each run starts');
    check.check(typeof props.modelName === 'string' && MODEL_NAME.test(props.modelName), `${prefix}.modelName`, props.modelName,
      'give the model\'s name in the artifact store: 1 to 64 lowercase letters, digits and hyphens, for example "churn"');
    check.check(typeof props.datasetKeyPrefix === 'string' && KEY_PREFIX.test(props.datasetKeyPrefix), `${prefix}.datasetKeyPrefix`, props.datasetKeyPrefix,
      'give a key prefix ending in "/", for example "runs/training/{run_id}/prepare/train/"');
    check.check(typeof props.datasetKeyPrefix !== 'string' || !props.datasetKeyPrefix.startsWith('{run_id}'), `${prefix}.datasetKeyPrefix`, props.datasetKeyPrefix,
      'start with a fixed prefix before {run_id}: the job may read under it only');
    check.oneOf(`${prefix}.datasetFormat`, props.datasetFormat, Object.values(BaselineDatasetFormat));
    checkSageMakerInstanceType(check, `${prefix}.instanceType`, props.instanceType, 'ml.m5.xlarge');
    check.integer(`${prefix}.volumeSizeGiB`, props.volumeSizeGiB, 1, 16384);
    check.text(`${prefix}.analyzerImageUri`, props.analyzerImageUri, 255, 'give the analyzer image\'s URI, or leave it unset for Model Monitor\'s own');
    check.construct(`${prefix}.datasetZone`, props.datasetZone, 'a LakeZone, such as warehouse.curated, or none for the artifact store');
    const seconds = check.durationIn(`${prefix}.timeout`, props.timeout, 'seconds', 'Duration.hours(1)');
    check.check(seconds === undefined || (Number.isInteger(seconds) && seconds >= 60 && seconds <= 5 * 24 * 3600), `${prefix}.timeout`, shownDuration(props.timeout),
      'give whole seconds from 1 minute to 5 days, a processing job\'s longest run');
    const quality = props.modelQuality;
    if (quality !== undefined && check.struct(`${prefix}.modelQuality`, quality, '{ problemType, inferenceAttribute: "prediction", groundTruthAttribute: "label" }')) {
      check.oneOf(`${prefix}.modelQuality.problemType`, quality.problemType, Object.values(ModelProblemType), undefined, { required: true });
      for (const attribute of ['inferenceAttribute', 'groundTruthAttribute'] as const) {
        check.check(typeof quality[attribute] === 'string' && quality[attribute].length > 0, `${prefix}.modelQuality.${attribute}`, quality[attribute],
          'give the column (a header name, or a 0-based index) or JSONPath');
      }
      check.check(quality.problemType === ModelProblemType.BINARY_CLASSIFICATION || quality.probabilityThreshold === undefined,
        `${prefix}.modelQuality.probabilityThreshold`, quality.probabilityThreshold, 'only a binary classification takes a probability threshold: remove it');
      check.number(`${prefix}.modelQuality.probabilityThreshold`, quality.probabilityThreshold, 0, 1);
      check.text(`${prefix}.modelQuality.probabilityAttribute`, quality.probabilityAttribute, 1024, 'give the column (a header name, or a 0-based index) or JSONPath, or leave it unset');
    }
  }

  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    const { props } = this;
    const store = context.artifactStore!;
    const datasetBucket = props.datasetZone?.bucket ?? store.bucket;
    const quality = props.modelQuality;
    const environment: { [name: string]: string } = {
      dataset_format: JSON.stringify(DATASET_FORMATS[props.datasetFormat ?? BaselineDatasetFormat.CSV_WITH_HEADER]),
      dataset_source: INPUT_PATH,
      output_path: OUTPUT_PATH,
      publish_cloudwatch_metrics: 'Disabled',
      ...(quality ? {
        analysis_type: 'MODEL_QUALITY',
        problem_type: quality.problemType,
        inference_attribute: quality.inferenceAttribute,
        ground_truth_attribute: quality.groundTruthAttribute,
        ...(quality.probabilityAttribute !== undefined ? { probability_attribute: quality.probabilityAttribute } : {}),
        ...(quality.probabilityThreshold !== undefined ? { probability_threshold_attribute: String(quality.probabilityThreshold) } : {}),
      } : {}),
    };
    sink.add(step.name, task('sagemaker:createProcessingJob.sync', {
      'ProcessingJobName.$': `States.Format('${this.jobNamePrefix}-{}', States.UUID())`,
      'RoleArn': Lazy.string({ produce: () => this.role!.roleArn }),
      'AppSpecification': { ImageUri: props.analyzerImageUri ?? ModelMonitorImage.uri(store) },
      'Environment': environment,
      'ProcessingInputs': [{
        InputName: 'baseline_dataset_input',
        S3Input: {
          ...withRunId('S3Uri', datasetBucket.s3UrlForObject(props.datasetKeyPrefix)),
          LocalPath: INPUT_PATH, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated',
        },
      }],
      'ProcessingOutputConfig': {
        KmsKeyId: store.encryptionKey.keyArn,
        Outputs: [{
          OutputName: 'monitoring_output',
          S3Output: { S3Uri: store.bucket.s3UrlForObject(DriftMonitor.baselineKeyPrefix(props.modelName, this.kind)), LocalPath: OUTPUT_PATH, S3UploadMode: 'EndOfJob' },
        }],
      },
      'ProcessingResources': {
        ClusterConfig: {
          InstanceCount: 1,
          InstanceType: props.instanceType ?? 'ml.m5.xlarge',
          VolumeSizeInGB: props.volumeSizeGiB ?? 20,
          VolumeKmsKeyId: store.encryptionKey.keyArn,
        },
      },
      'NetworkConfig': { EnableInterContainerTrafficEncryption: true },
      'StoppingCondition': { MaxRuntimeInSeconds: (props.timeout ?? Duration.hours(1)).toSeconds() },
    }, {
      Retry: [transientRetry(SAGEMAKER_TRANSIENT_ERRORS), ...userRetries(step.retries)],
      Catch: [catchAll(sink.stepFailed)],
      Next: sink.afterStep,
    }));
  }

  /**
   * The processing job's role: reads the dataset, writes the baseline, nothing else; the
   * workflow may start, watch and stop this step's jobs, and pass them that role.
   */
  public grant(stateMachine: sfn.StateMachine, context: StepContext): void {
    const { props } = this;
    const store = context.artifactStore!;
    const role = new iam.Role(stateMachine.node.scope as Construct, `${props.name}ProcessingRole`, {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Computes the monitoring baseline of model ${props.modelName}`,
    });
    this.role = role;
    const datasetPrefix = props.datasetKeyPrefix.split('{run_id}')[0];
    if (props.datasetZone) {
      props.datasetZone.grantRead(role, datasetPrefix);
    } else {
      store.grantRead(role, datasetPrefix);
    }
    store.grantWrite(role, DriftMonitor.baselineKeyPrefix(props.modelName, this.kind));
    grantCreateGrantForAwsResources(role, store.encryptionKey);
    const stack = Stack.of(role);
    const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/ProcessingJobs*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroups],
    }));
    acknowledgeResourceWildcard(role, logGroups, 'SageMaker writes each processing job\'s logs to log groups and streams it names under /aws/sagemaker/ProcessingJobs.');

    const machine = stateMachine.role;
    const jobs = stack.formatArn({ service: 'sagemaker', resource: 'processing-job', resourceName: `${this.jobNamePrefix}-*` });
    machine.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'], resources: [jobs],
    }));
    acknowledgeResourceWildcard(machine, jobs, 'The processing jobs of this step, named as they start: a UUID follows the model\'s prefix.');
    machine.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForSageMakerProcessingJobsRule' })],
    }));
    machine.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'], resources: [role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }));
  }
}
