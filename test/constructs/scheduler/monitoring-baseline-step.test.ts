import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ModelProblemType } from '../../../constructs/modelops';
import { BaselineDatasetFormat, MonitoringBaselineStepProps, Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore, ArtifactStoreProps, RunRegistry } from '../../../constructs/versioning';
import { DataWarehouse } from '../../../constructs/warehouse';
import { ACCOUNT, DEFAULT_KEY_POLICY, PolicySimulator, REGION } from '../../support/iam';
import { aslErrors, definitionOf, laneStates, runLocally, taskError } from '../../support/state-machines';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

function baselineWorkflow(props: Partial<MonitoringBaselineStepProps> = {}, stack = new Stack(newTestApp(), 'Baselines', { env: { account: ACCOUNT, region: REGION } }),
  storeProps: ArtifactStoreProps = {}) {
  new Workflow(stack, 'Flow', {
    workflowName: 'training',
    artifactStore: new ArtifactStore(stack, 'Artifacts', storeProps),
    runRegistry: new RunRegistry(stack, 'Runs'),
    steps: [WorkflowStep.monitoringBaseline({ name: 'baseline', modelName: 'churn', datasetKeyPrefix: 'runs/training/{run_id}/prepare/train/', ...props })],
  });
  return stack;
}

describe('WorkflowStep.monitoringBaseline', () => {
  let template: Template;
  let definition: any;
  beforeAll(() => {
    template = checkedTemplate(baselineWorkflow(), { regulated: true, controlTower: true });
    definition = definitionOf(template, 'FlowStateMachine');
  });

  test('passes asl-validator, and runs Model Monitor\'s analyzer in a processing job, as its SDK does', async () => {
    expect(aslErrors(definition)).toEqual([]);
    expect(laneStates(definition).baseline.Resource).toMatch(/:states:::sagemaker:createProcessingJob\.sync$/);
    const run = await runLocally(definition, {}, 'run-0042');
    expect(run.error).toBeUndefined();
    const job = run.calls.find((c) => c.state === 'baseline')!.input;
    expect(job.ProcessingJobName).toMatch(/^churn-baseline-[0-9a-f-]{36}$/);
    expect(job.ProcessingJobName.length).toBeLessThanOrEqual(63);
    expect(job.AppSpecification).toEqual({ ImageUri: '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer' });
    expect(job.Environment).toEqual({
      dataset_format: '{"csv":{"header":true,"output_columns_position":"START"}}',
      dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
      output_path: '/opt/ml/processing/output',
      publish_cloudwatch_metrics: 'Disabled',
    });
    expect(job.ProcessingInputs).toEqual([{
      InputName: 'baseline_dataset_input',
      S3Input: {
        S3Uri: expect.stringMatching(/^s3:\/\/artifactsbucket[0-9a-f]+\/runs\/training\/run-0042\/prepare\/train\/$/),
        LocalPath: '/opt/ml/processing/input/baseline_dataset_input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated',
      },
    }]);
    expect(job.ProcessingOutputConfig.Outputs).toEqual([{
      OutputName: 'monitoring_output',
      S3Output: { S3Uri: expect.any(String), LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' },
    }]);
    expect(job.NetworkConfig).toEqual({ EnableInterContainerTrafficEncryption: true });
    expect(job.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toMatch(/^s3:\/\/artifactsbucket[0-9a-f]+\/models\/churn\/monitoring\/data-quality\/baseline\/$/);
    expect(job.ProcessingResources.ClusterConfig).toMatchObject({ InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 });
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(job.RoleArn).toMatch(/^arn:aws:iam::111122223333:role\//);
  });

  test.each(['SageMaker.ThrottlingException', 'SageMaker.InternalFailure', 'SageMaker.ServiceUnavailable'])('%s is retried and does not fail the run', async (error) => {
    // each attempt names its job afresh (a new UUID), so the attempts are counted here
    let attempts = 0;
    const run = await runLocally(definition, { baseline: () => { if (++attempts < 2) { throw taskError(error, 'try again'); } return {}; } });
    expect(run.error).toBeUndefined();
    expect(run.calls.filter((c) => c.state === 'baseline')).toHaveLength(2);
  });

  test('the job\'s role is for SageMaker, and says which model it computes the baseline of', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
      Description: 'Computes the monitoring baseline of model churn',
    });
  });

  test('a failed job fails the run, notified and recorded for the step', async () => {
    const run = await runLocally(definition, { baseline: () => { throw taskError('States.TaskFailed', 'ClientError: no data under the input path'); } });
    expect(run.error).toEqual({ name: 'States.TaskFailed', message: 'ClientError: no data under the input path' });
    expect(run.calls.find((c) => c.state === 'Notify failure')!.input.Message).toMatchObject({ step: 'baseline', error: 'States.TaskFailed' });
  });

  test('its job reads the dataset and writes the baseline, nothing else; the workflow starts only its jobs', async () => {
    const iam = new PolicySimulator(template);
    const jobRole = iam.logicalId('AWS::IAM::Role', 'FlowbaselineProcessingRole');
    const machine = iam.logicalId('AWS::IAM::Role', 'FlowStateMachineRole');
    const bucket = iam.resolve({ Ref: iam.logicalId('AWS::S3::Bucket', 'ArtifactsBucket') });
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
    const job = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/${name}`;
    const expectations: Array<[string, string, string, string]> = [
      [jobRole, 's3:GetObject', object('runs/training/run-1/prepare/train/part-0.csv'), 'Allowed'],
      [jobRole, 's3:PutObject', object('models/churn/monitoring/data-quality/baseline/constraints.json'), 'Allowed'],
      [jobRole, 's3:PutObject', object('models/churn/monitoring/data-quality/reports/x.json'), 'NotAllowed'],
      [jobRole, 's3:PutObject', object('models/churn/aaa/model.tar.gz'), 'NotAllowed'],
      [jobRole, 's3:PutObject', object('runs/training/run-1/prepare/train/part-0.csv'), 'NotAllowed'],
      [jobRole, 's3:GetObject', object('models/churn/aaa/model.tar.gz'), 'NotAllowed'],
      [jobRole, 's3:GetObject', object('reports/part-0.csv'), 'NotAllowed'],
      [jobRole, 'logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/ProcessingJobs:log-stream:churn-baseline-1/algo-1`, 'Allowed'],
      [machine, 'events:PutRule', `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForSageMakerProcessingJobsRule`, 'Allowed'],
      [jobRole, 's3:DeleteObject', object('models/churn/monitoring/data-quality/baseline/constraints.json'), 'NotAllowed'],
      [machine, 'sagemaker:CreateProcessingJob', job('churn-baseline-0f8fad5b-d9cb-469f-a165-70867728950e'), 'Allowed'],
      [machine, 'sagemaker:StopProcessingJob', job('churn-baseline-0f8fad5b-d9cb-469f-a165-70867728950e'), 'Allowed'],
      [machine, 'sagemaker:CreateProcessingJob', job('anything-else'), 'NotAllowed'],
    ];
    for (const [role, action, resource, expected] of expectations) {
      expect({ role, action, resource, decision: await iam.outcome(role, action, resource) }).toEqual({ role, action, resource, decision: expected });
    }
    expect(await iam.outcome(machine, 'iam:PassRole', iam.arn(jobRole), { 'iam:PassedToService': 'sagemaker.amazonaws.com' })).toBe('Allowed');
    expect(await iam.outcome(machine, 'iam:PassRole', iam.arn(jobRole), { 'iam:PassedToService': 'glue.amazonaws.com' })).toBe('NotAllowed');
    // SageMaker encrypts the job's volume and outputs with the store's key through a grant of its own, and only it
    const key = iam.resolve({ 'Fn::GetAtt': [iam.logicalId('AWS::KMS::Key', 'ArtifactsKey'), 'Arn'] });
    expect(await iam.outcome(jobRole, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(await iam.outcome(jobRole, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'false' })).toBe('NotAllowed');
    expect(await iam.outcome(jobRole, 'kms:CreateGrant', key)).toBe('NotAllowed');
  });

  test('over a key the app does not own, its job still creates grants only for AWS resources', async () => {
    const stack = new Stack(newTestApp(), 'OwnKey', { env: { account: ACCOUNT, region: REGION } });
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    baselineWorkflow({}, stack, { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', key) });
    // a key policy as KMS writes by default: the role's policy decides
    const iam = new PolicySimulator(Template.fromStack(stack), {}, { [key]: DEFAULT_KEY_POLICY });
    const jobRole = iam.logicalId('AWS::IAM::Role', 'FlowbaselineProcessingRole');
    expect(await iam.outcome(jobRole, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(await iam.outcome(jobRole, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'false' })).toBe('NotAllowed');
    expect(await iam.outcome(jobRole, 'kms:CreateGrant', key)).toBe('NotAllowed');
  });
});

describe('WorkflowStep.monitoringBaseline options', () => {
  test('a model-quality baseline, from a validation set in a lake zone, tells the analyzer how to read predictions and labels', async () => {
    const stack = new Stack(newTestApp(), 'Quality', { env: { account: ACCOUNT, region: REGION } });
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    baselineWorkflow({
      datasetZone: warehouse.curated,
      datasetKeyPrefix: 'validation/churn/',
      datasetFormat: BaselineDatasetFormat.JSON_LINES,
      modelQuality: { problemType: ModelProblemType.BINARY_CLASSIFICATION, inferenceAttribute: 'prediction', groundTruthAttribute: 'label', probabilityAttribute: 'score', probabilityThreshold: 0.4 },
      timeout: Duration.hours(2),
    }, stack);
    const template = Template.fromStack(stack);
    const run = await runLocally(definitionOf(template, 'FlowStateMachine'));
    const job = run.calls.find((c) => c.state === 'baseline')!.input;
    expect(job.Environment).toMatchObject({
      dataset_format: '{"json":{"lines":true}}', analysis_type: 'MODEL_QUALITY', problem_type: 'BinaryClassification',
      inference_attribute: 'prediction', ground_truth_attribute: 'label', probability_attribute: 'score', probability_threshold_attribute: '0.4',
    });
    expect(job.ProcessingInputs[0].S3Input.S3Uri).toMatch(/^s3:\/\/team-curated-[0-9a-z-]+\/validation\/churn\/$|^s3:\/\/[^/]+\/validation\/churn\/$/);
    expect(job.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toMatch(/\/models\/churn\/monitoring\/model-quality\/baseline\/$/);
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200 });
    const iam = new PolicySimulator(template);
    const role = iam.logicalId('AWS::IAM::Role', 'FlowbaselineProcessingRole');
    const curated = iam.resolve({ Ref: iam.logicalId('AWS::S3::Bucket', 'WarehouseCurated') });
    expect(await iam.outcome(role, 's3:GetObject', `arn:aws:s3:::${curated}/validation/churn/part-0.jsonl`)).toBe('Allowed');
    expect(await iam.outcome(role, 's3:GetObject', `arn:aws:s3:::${curated}/features/part-0.parquet`)).toBe('NotAllowed');
  });

  test('a headerless CSV dataset, a one-letter model, and a long model name cut to fit the job name', async () => {
    const csv = await runLocally(definitionOf(Template.fromStack(baselineWorkflow({ modelName: 'c', datasetFormat: BaselineDatasetFormat.CSV })), 'FlowStateMachine'));
    const job = csv.calls.find((c) => c.state === 'baseline')!.input;
    expect(job.Environment.dataset_format).toBe('{"csv":{"header":false,"output_columns_position":"START"}}');
    expect(job.ProcessingJobName).toMatch(/^c-baseline-[0-9a-f-]{36}$/);
    const long = await runLocally(definitionOf(Template.fromStack(baselineWorkflow({ modelName: 'a'.repeat(40) })), 'FlowStateMachine'));
    expect(long.calls.find((c) => c.state === 'baseline')!.input.ProcessingJobName).toMatch(/^a{17}-baseline-[0-9a-f-]{36}$/);
  });

  test('a regression baseline takes no probability threshold, and tells the analyzer of none', async () => {
    const stack = baselineWorkflow({ modelQuality: { problemType: ModelProblemType.REGRESSION, inferenceAttribute: '0', groundTruthAttribute: '1' } });
    const run = await runLocally(definitionOf(Template.fromStack(stack), 'FlowStateMachine'));
    expect(run.calls.find((c) => c.state === 'baseline')!.input.Environment).toEqual({
      dataset_format: '{"csv":{"header":true,"output_columns_position":"START"}}',
      dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
      output_path: '/opt/ml/processing/output',
      publish_cloudwatch_metrics: 'Disabled',
      analysis_type: 'MODEL_QUALITY', problem_type: 'Regression', inference_attribute: '0', ground_truth_attribute: '1',
    });
  });

  test.each([
    [{ modelName: 'churn_v2' }, 'steps[0].modelName = "churn_v2": give the model\'s name in the artifact store: 1 to 64 lowercase letters, digits and hyphens, for example "churn"'],
    [{ datasetKeyPrefix: 'runs/train' }, 'steps[0].datasetKeyPrefix = "runs/train": give a key prefix ending in "/", for example "runs/training/{run_id}/prepare/train/"'],
    [{ datasetKeyPrefix: 'my runs/train/' }, 'steps[0].datasetKeyPrefix = "my runs/train/": give a key prefix ending in "/", for example "runs/training/{run_id}/prepare/train/"'],
    [{ datasetZone: 42 }, 'steps[0].datasetZone = 42: give a LakeZone, such as warehouse.curated, or none for the artifact store'],
    [{ timeout: 3600 }, 'steps[0].timeout = 3600: give a Duration, for example Duration.hours(1)'],
    [{ modelQuality: 42 }, 'steps[0].modelQuality = 42: give an object of props, for example { problemType, inferenceAttribute: "prediction", groundTruthAttribute: "label" }'],
    [{ modelQuality: { problemType: ModelProblemType.REGRESSION, inferenceAttribute: '', groundTruthAttribute: '1' } },
      'steps[0].modelQuality.inferenceAttribute = "": give the column (a header name, or a 0-based index) or JSONPath'],
    [{ modelName: 'Churn Model' }, 'steps[0].modelName = "Churn Model": give the model\'s name in the artifact store: 1 to 64 lowercase letters, digits and hyphens, for example "churn"'],
    [{ modelName: Lazy.string({ produce: () => 'churn' }) }, expect.stringMatching(/^steps\[0\]\.modelName = "\$\{Token\[TOKEN\.\d+\]\}": give the model's name as a plain string: the baseline's key and the job names are made from it$/)],
    [{ datasetKeyPrefix: Lazy.string({ produce: () => 'runs/training/{run_id}/' }) }, expect.stringMatching(/^steps\[0\]\.datasetKeyPrefix = "\$\{Token\[TOKEN\.\d+\]\}": give the key prefix as a plain string: \{run_id\} is replaced in it as each run starts$/)],
    [{ datasetKeyPrefix: '{run_id}/train/' }, 'steps[0].datasetKeyPrefix = "{run_id}/train/": start with a fixed prefix before {run_id}: the job may read under it only'],
    [{ datasetKeyPrefix: 'train' }, 'steps[0].datasetKeyPrefix = "train": give a key prefix ending in "/", for example "runs/training/{run_id}/prepare/train/"'],
    [{ instanceType: 'm5.xlarge' }, 'steps[0].instanceType = "m5.xlarge": give a SageMaker instance type, for example "ml.m5.xlarge"'],
    [{ timeout: Duration.seconds(30) }, 'steps[0].timeout = "30 seconds": give whole seconds from 1 minute to 5 days, a processing job\'s longest run'],
    [{ modelQuality: { problemType: ModelProblemType.REGRESSION, inferenceAttribute: '0', groundTruthAttribute: '1', probabilityThreshold: 0.5 } },
      'steps[0].modelQuality.probabilityThreshold = 0.5: only a binary classification takes a probability threshold: remove it'],
    // from JavaScript: an image or a column that is no text
    [{ analyzerImageUri: 42 }, 'steps[0].analyzerImageUri = 42: give the analyzer image\'s URI, or leave it unset for Model Monitor\'s own'],
    [{ modelQuality: { problemType: ModelProblemType.BINARY_CLASSIFICATION, inferenceAttribute: '0', groundTruthAttribute: '1', probabilityAttribute: 2 } },
      'steps[0].modelQuality.probabilityAttribute = 2: give the column (a header name, or a 0-based index) or JSONPath, or leave it unset'],
  ])('refuses %o', (props, message) => {
    const make = () => baselineWorkflow(props as any);
    expect(problemLines(make)).toEqual([message].flat());
  });

  test('needs the workflow\'s artifact store, where the baseline is kept', () => {
    const stack = new Stack(newTestApp(), 'NoStore');
    expect(() => new Workflow(stack, 'Flow', {
      workflowName: 'w', steps: [WorkflowStep.monitoringBaseline({ name: 'baseline', modelName: 'churn', datasetKeyPrefix: 'data/' })],
    })).toThrow('steps[0].modelName = "churn": give the workflow an artifactStore: the baseline is kept in it');
  });
});
