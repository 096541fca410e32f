import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack, TeamParameter, TeamParameters } from '../../lib';
import { attributeOf, propertyOf, refTo } from './resources';

/*
 * What a team stack publishes, by value: each SSM team parameter and each output resolves to the
 * one resource it names (the `Ref` or `Fn::GetAtt` of its logical id, or the name that resource
 * is given), never merely to some resource of the kind. Every parameter and output must have an
 * expected value here, so a new one fails its test until it is given one.
 */

/** Where the tables below are: named in failure messages. */
export const PUBLISHED_VALUES_FILE = 'test/support/published-values.ts';

/** How to find the value a parameter or output must hold, in the stack's template. */
type Expected = (template: Template, stack: DataScienceStack) => unknown;

const bucket = (prefix: string): Expected => (t) => refTo(t, 'AWS::S3::Bucket', prefix);
const queueArn = (prefix: string): Expected => (t) => attributeOf(t, 'AWS::Batch::JobQueue', prefix, 'JobQueueArn');
const databaseName = (zone: string): Expected => (t) => propertyOf(t, 'AWS::Glue::Database', `Warehouse${zone}Zone`, 'DatabaseInput', 'Name');
const workGroupName: Expected = (t) => propertyOf(t, 'AWS::Athena::WorkGroup', 'Warehouse', 'Name');
const topicArn: Expected = (t) => refTo(t, 'AWS::SNS::Topic', 'Notifications');
/** The VPC settings the stack's own functions run with, which sandboxes' functions must share. */
const functionVpc = (t: Template) => propertyOf(t, 'AWS::Lambda::Function', 'ExampleWorkflowRunStarterFunction', 'VpcConfig') as { SubnetIds: unknown[]; SecurityGroupIds: unknown[] };
const jupyterLab = (t: Template, ...path: string[]) => propertyOf(t, 'AWS::SageMaker::Domain', 'NotebooksDomain', 'DefaultUserSettings', 'JupyterLabAppSettings', ...path);

/** The value of each team parameter. */
export const TEAM_PARAMETER_VALUES: Record<TeamParameter, Expected> = {
  [TeamParameter.ARTIFACT_BUCKET_NAME]: bucket('ArtifactsBucket'),
  [TeamParameter.DATA_KEY_ARN]: (t) => attributeOf(t, 'AWS::KMS::Key', 'DataKey', 'Arn'),
  [TeamParameter.CURATED_BUCKET_NAME]: bucket('WarehouseCuratedZoneBucket'),
  [TeamParameter.CURATED_DATABASE_NAME]: databaseName('Curated'),
  [TeamParameter.ATHENA_WORKGROUP]: workGroupName,
  [TeamParameter.CPU_QUEUE_ARN]: queueArn('ComputeCpuQueue'),
  [TeamParameter.GPU_QUEUE_ARN]: queueArn('ComputeGpuQueue'),
  [TeamParameter.NOTIFICATION_TOPIC_ARN]: topicArn,
  [TeamParameter.FUNCTION_SUBNET_IDS]: (t) => ({ 'Fn::Join': [',', functionVpc(t).SubnetIds] }),
  [TeamParameter.FUNCTION_SECURITY_GROUP_ID]: (t) => functionVpc(t).SecurityGroupIds[0],
  [TeamParameter.NOTEBOOK_DOMAIN_ID]: (t) => attributeOf(t, 'AWS::SageMaker::Domain', 'NotebooksDomain', 'DomainId'),
  // no resource holds the list: sandboxes' notebook roles are held to it
  [TeamParameter.NOTEBOOK_INSTANCE_TYPES]: (_, stack) => stack.notebookDomain!.allowedInstanceTypes.join(','),
  [TeamParameter.NOTEBOOK_DEFAULT_INSTANCE_TYPE]: (t) => jupyterLab(t, 'DefaultResourceSpec', 'InstanceType'),
  [TeamParameter.NOTEBOOK_IDLE_TIMEOUT_MINUTES]: (t) => String(jupyterLab(t, 'AppLifecycleManagement', 'IdleSettings', 'IdleTimeoutInMinutes')),
};

const roleArn = (prefix: string): Expected => (t) => attributeOf(t, 'AWS::IAM::Role', prefix, 'Arn');
const s3Url = (bucketPrefix: string, key: string): Expected => (t, stack) => ({ 'Fn::Join': ['', ['s3://', bucket(bucketPrefix)(t, stack), `/${key}`]] });
const exampleWorkflowArn: Expected = (t) => refTo(t, 'AWS::StepFunctions::StateMachine', 'ExampleWorkflowStateMachine');

/** The value of each output of a team stack, by output name. */
export const OUTPUT_VALUES: Record<string, Expected> = {
  RawBucketName: bucket('WarehouseRawZoneBucket'),
  CuratedBucketName: bucket('WarehouseCuratedZoneBucket'),
  RawDatabaseName: databaseName('Raw'),
  CuratedDatabaseName: databaseName('Curated'),
  AthenaWorkGroup: workGroupName,
  CpuJobQueueArn: queueArn('ComputeCpuQueue'),
  CpuOndemandJobQueueArn: queueArn('ComputeCpuOndemandQueue'),
  GpuJobQueueArn: queueArn('ComputeGpuQueue'),
  FargateJobQueueArn: queueArn('ComputeFargateQueue'),
  ImageRepositoryUri: (t) => {
    const repository = refTo(t, 'AWS::ECR::Repository', 'ComputeImages');
    const arnPart = (i: number) => ({ 'Fn::Select': [i, { 'Fn::Split': [':', attributeOf(t, 'AWS::ECR::Repository', 'ComputeImages', 'Arn')] }] });
    return { 'Fn::Join': ['', [arnPart(4), '.dkr.ecr.', arnPart(3), '.', { Ref: 'AWS::URLSuffix' }, '/', repository]] };
  },
  MetaflowDatastoreRoot: s3Url('ArtifactsBucket', 'metaflow'),
  MetaflowDataToolsRoot: s3Url('ArtifactsBucket', 'metaflow-data'),
  MetaflowBatchJobQueue: queueArn('ComputeCpuQueue'),
  MetaflowTaskRoleArn: roleArn('MetaflowTaskRole'),
  MetaflowFargateExecutionRoleArn: roleArn('MetaflowFargateExecutionRole'),
  MetaflowStepFunctionsRoleArn: roleArn('MetaflowStepFunctionsRole'),
  MetaflowEventBridgeRoleArn: roleArn('MetaflowEventBridgeRole'),
  MetaflowForeachTableName: (t) => refTo(t, 'AWS::DynamoDB::Table', 'MetaflowForeachState'),
  MetaflowStateMachinePrefix: (_, stack) => stack.stackName,
  Region: () => ({ Ref: 'AWS::Region' }),
  DashboardName: (t) => refTo(t, 'AWS::CloudWatch::Dashboard', 'MonitoringDashboard'),
  JobLogGroupName: (t) => refTo(t, 'AWS::Logs::LogGroup', 'ComputeJobLogs'),
  Workflows: (t, stack) => (stack.exampleWorkflow ? { 'Fn::Join': ['', ['{"example":"', exampleWorkflowArn(t, stack), '"}']] } : '{}'),
  ArtifactBucketName: bucket('ArtifactsBucket'),
  NotificationTopicArn: topicArn,
  RunRegistryTableName: (t) => refTo(t, 'AWS::DynamoDB::Table', 'RunsTable'),
  ExampleWorkflowArn: exampleWorkflowArn,
  NotebookDomainId: (t) => attributeOf(t, 'AWS::SageMaker::Domain', 'NotebooksDomain', 'DomainId'),
  ReplicaRegion: (_, stack) => stack.replica!.region,
  // the role the backup plan's selection backs the tables up as
  BackupRoleArn: (t) => propertyOf(t, 'AWS::Backup::BackupSelection', 'DisasterRecoveryBackupPlanTables', 'BackupSelection', 'IamRoleArn'),
};

/** The team parameters a template publishes, by parameter (the last part of its SSM name). */
export function publishedParameters(template: Template, stack: DataScienceStack): Record<string, unknown> {
  const prefix = TeamParameters.nameOf(stack.teamName, stack.stage, TeamParameter.ARTIFACT_BUCKET_NAME).slice(0, -TeamParameter.ARTIFACT_BUCKET_NAME.length);
  return Object.fromEntries(Object.values(template.findResources('AWS::SSM::Parameter'))
    .filter((p) => typeof p.Properties.Name === 'string' && p.Properties.Name.startsWith(prefix))
    .map((p) => [p.Properties.Name.slice(prefix.length), p.Properties.Value]));
}

/**
 * Asserts every team parameter and every output of the stack's template holds the value the
 * tables above give it, and that each has one.
 */
export function expectPublishedValues(template: Template, stack: DataScienceStack): void {
  const parameters = publishedParameters(template, stack);
  const outputs: Record<string, { Value: unknown }> = template.toJSON().Outputs;
  const unexpected = [
    ...Object.keys(parameters).filter((name) => !(name in TEAM_PARAMETER_VALUES)).map((name) => `team parameter ${name}: add it to TEAM_PARAMETER_VALUES`),
    ...Object.keys(outputs).filter((name) => !(name in OUTPUT_VALUES)).map((name) => `output ${name}: add it to OUTPUT_VALUES`),
  ];
  if (unexpected.length > 0) {
    throw new Error(`published with no expected value (in ${PUBLISHED_VALUES_FILE}, give the resource each names):\n${unexpected.join('\n')}`);
  }
  const expected = (table: Record<string, Expected>, names: string[]) => Object.fromEntries(names.map((name) => [name, table[name](template, stack)]));
  expect(parameters).toEqual(expected(TEAM_PARAMETER_VALUES, Object.keys(parameters)));
  expect(Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.Value])))
    .toEqual(expected(OUTPUT_VALUES, Object.keys(outputs)));
}
