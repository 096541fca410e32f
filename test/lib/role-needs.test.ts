import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack } from '../../lib';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { expectRoleNeeds, RoleNeed } from '../support/role-needs';
import { newTestApp } from '../support/synth';

/*
 * Every role of the default team stack, by every call its work makes: each simulated as allowed,
 * and nothing else allowed. A new role with a policy fails until its work is written down here.
 */

const WHERE = 'test/lib/role-needs.test.ts';
let template: Template;
let sim: PolicySimulator;
beforeAll(() => {
  template = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models' }));
  sim = new PolicySimulator(template);
});

const id = (type: string, prefix: string) => sim.logicalId(type, prefix);
const arnOf = (type: string, prefix: string) => () => sim.arn(id(type, prefix));
const bucket = (prefix: string) => arnOf('AWS::S3::Bucket', prefix);
const object = (bucketPrefix: string, key: string) => () => `${sim.arn(id('AWS::S3::Bucket', bucketPrefix))}/${key}`;
const key = arnOf('AWS::KMS::Key', 'DataKey');
const topic = arnOf('AWS::SNS::Topic', 'Notifications');
const logStream = (groupPrefix: string) => () => sim.arn(id('AWS::Logs::LogGroup', groupPrefix)).replace(/\*$/, 'log-stream:2026/12/01/abc');
const regional = (service: string, resource: string) => () => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const any = () => '*';

type Need = () => RoleNeed;
const need = (why: string, action: string, resource: () => string, context?: Record<string, string>): Need => () => ({ why, action, resource: resource(), context });
const each = (why: string, actions: string[], resource: () => string, context?: Record<string, string>) => actions.map((action) => need(why, action, resource, context));

/** The data key encrypts the lake, the store, the tables, the topic and the queues. */
const DATA_KEY = each('reads and writes what the data key encrypts', ['kms:Decrypt', 'kms:GenerateDataKey'], key);
/** What a state machine with logging and tracing on does with CloudWatch Logs and X-Ray. */
const LOGGED_AND_TRACED = [
  ...each('delivers its execution logs', ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'], any),
  ...each('traces its executions', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], any),
];
/** Writing objects of any size under `key`'s prefix: single puts and multipart uploads. */
const writes = (bucketPrefix: string, objectKey: string) => each(`writes ${objectKey}`, ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
  object(bucketPrefix, objectKey));
/** Reading objects under a prefix: any version, the listing, the bucket's region. */
const reads = (bucketPrefix: string, prefix: string) => [
  ...each(`reads ${prefix}`, ['s3:GetObject', 's3:GetObjectVersion'], object(bucketPrefix, `${prefix}run-1/part-0.parquet`)),
  need(`lists ${prefix}`, 's3:ListBucket', bucket(bucketPrefix), { 's3:prefix': `${prefix}run-1/` }),
  need('locates the bucket', 's3:GetBucketLocation', bucket(bucketPrefix)),
];
const containerLogs = each('writes its container\'s logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], logStream('ComputeJobLogs'));
const glue = (resource: string) => regional('glue', resource);
const ruleset = () => glue(`dataQualityRuleset/${template.findResources('AWS::Glue::DataQualityRuleset')[id('AWS::Glue::DataQualityRuleset', 'EventsChecksRuleset')].Properties.Name}`)();

const NEEDS: Record<string, Need[]> = {
  // aws-cdk-lib's custom resource that empties the VPC's default security group of its rules
  CustomVpcRestrictDefaultSGCustomResourceProviderRole: each('removes the default security group\'s rules', ['ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
  () => regional('ec2', `security-group/${sim.resolve({ 'Fn::GetAtt': [id('AWS::EC2::VPC', 'NetworkVpc'), 'DefaultSecurityGroup'] })}`)()),
  NetworkVpcFlowLogIAMRole: each('writes the VPC\'s flow logs', ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], logStream('NetworkFlowLogs')),
  ComputeExampletrainJobRole: [...reads('WarehouseCuratedZoneBucket', 'features/'), ...writes('ArtifactsBucket', 'runs/example/run-1/model.tar.gz'), ...DATA_KEY],
  ComputeExampletrainContainerExecutionRole: containerLogs,
  ComputeExamplepredictJobRole: [
    ...reads('WarehouseCuratedZoneBucket', 'features/'), ...reads('ArtifactsBucket', 'runs/example/'),
    ...writes('WarehouseCuratedZoneBucket', 'predictions/run-1/part-0.parquet'), ...DATA_KEY,
  ],
  ComputeExamplepredictContainerExecutionRole: containerLogs,
  RunsRunCloserStateMachineRole: [
    ...LOGGED_AND_TRACED,
    need('reads how a run ended', 'states:GetExecutionHistory', () => regional('states', `execution:${sim.resolve({ Ref: id('AWS::StepFunctions::StateMachine', 'ExampleWorkflowStateMachine') }).split(':').pop()}:run-21`)()),
    need('records the run\'s end', 'dynamodb:UpdateItem', arnOf('AWS::DynamoDB::Table', 'RunsTable')),
    need('reports the run\'s end', 'sns:Publish', topic),
    ...DATA_KEY,
  ],
  RunsRunCloserEventsRole: [need('hands a run\'s end to the closer', 'states:StartExecution', arnOf('AWS::StepFunctions::StateMachine', 'RunsRunCloserStateMachine'))],
  ExampleWorkflowStateMachineRole: [
    ...LOGGED_AND_TRACED,
    // the features step: an Athena query over the raw zone's events, into the curated zone
    ...each('runs the features query in the team workgroup (Athena\'s .sync integration)', ['athena:StartQueryExecution', 'athena:StopQueryExecution',
      'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryRuntimeStatistics', 'athena:BatchGetQueryExecution', 'athena:ListQueryExecutions',
      'athena:GetWorkGroup', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery', 'athena:ListNamedQueries'], regional('athena', 'workgroup/fraud-models-dev')),
    ...reads('WarehouseQueryResults', 'results/'), ...writes('WarehouseQueryResults', 'results/abc.csv'),
    ...reads('WarehouseRawZoneBucket', 'events/'),
    need('finds the catalog\'s databases', 'glue:GetDatabases', glue('catalog')),
    ...each('finds the raw zone\'s database and its tables', ['glue:GetDatabase', 'glue:GetTables'], glue('database/fraud_models_dev_raw')),
    ...each('reads the events table', ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'], glue('table/fraud_models_dev_raw/events')),
    ...writes('WarehouseCuratedZoneBucket', 'features/run-1/part-0.parquet'),
    ...each('writes the features table', ['glue:CreateTable', 'glue:UpdateTable', 'glue:BatchCreatePartition'], glue('table/fraud_models_dev_curated/features')),
    // the data-quality gate: Glue evaluates the events' rules as the ruleset's own role
    need('starts an evaluation of the events\' rules', 'glue:StartDataQualityRulesetEvaluationRun', ruleset),
    ...each('watches the evaluation and reads its result, named by run or result id', ['glue:GetDataQualityRulesetEvaluationRun', 'glue:GetDataQualityResult'],
      glue('dataQualityRuleset/any')),
    need('hands Glue the evaluation role', 'iam:PassRole', arnOf('AWS::IAM::Role', 'EventsChecksEvaluationRole'), { 'iam:PassedToService': 'glue.amazonaws.com' }),
    // the Batch steps, run to their end
    need('submits train to the team queue', 'batch:SubmitJob', arnOf('AWS::Batch::JobQueue', 'ComputeCpuQueue')),
    need('submits train\'s job definition', 'batch:SubmitJob', arnOf('AWS::Batch::JobDefinition', 'ComputeExampletrain')),
    need('submits predict\'s job definition', 'batch:SubmitJob', arnOf('AWS::Batch::JobDefinition', 'ComputeExamplepredict')),
    need('watches its jobs', 'batch:DescribeJobs', any),
    need('stops the jobs of a stopped run', 'batch:TerminateJob', regional('batch', 'job/6d0c8f1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f')),
    ...each('hears of its Batch jobs (submitJob.sync)', ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      regional('events', 'rule/StepFunctionsGetEventsForBatchJobsRule')),
    // registering the model, recording the run, waking steps that wait, telling of failures
    need('finds the model package group', 'sagemaker:DescribeModelPackageGroup', regional('sagemaker', 'model-package-group/fraud-models-dev-example')),
    need('registers the model', 'sagemaker:CreateModelPackage', regional('sagemaker', 'model-package/fraud-models-dev-example/1')),
    ...each('records which dependencies of a step have ended, and forgets them', ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      arnOf('AWS::DynamoDB::Table', 'ExampleWorkflowDependencies')),
    ...each('records the run', ['dynamodb:PutItem', 'dynamodb:UpdateItem'], arnOf('AWS::DynamoDB::Table', 'RunsTable')),
    need('wakes a step whose dependencies have ended', 'states:SendTaskSuccess', any),
    need('tells of a failed run', 'sns:Publish', topic),
    ...DATA_KEY,
  ],
  ExampleWorkflowRunStarterRole: [
    ...each('writes its logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], logStream('ExampleWorkflowRunStarterLogs')),
    ...each('starts a run, and finds it listed', ['states:StartExecution', 'states:ListExecutions'], arnOf('AWS::StepFunctions::StateMachine', 'ExampleWorkflowStateMachine')),
    need('keeps an invocation it could not handle', 'sqs:SendMessage', arnOf('AWS::SQS::Queue', 'ExampleWorkflowRunStarterDeadLetters')),
    ...each('traces its invocations', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], any),
    ...DATA_KEY,
  ],
  ExampleWorkflowRunStarterSchedulerRole: [
    need('invokes the run starter on schedule', 'lambda:InvokeFunction', arnOf('AWS::Lambda::Function', 'ExampleWorkflowRunStarterFunction')),
    need('keeps a schedule it could not deliver', 'sqs:SendMessage', arnOf('AWS::SQS::Queue', 'ExampleWorkflowRunStarterDeadLetters')),
    ...DATA_KEY,
  ],
  EventsChecksEvaluationRole: [
    ...each('finds the events table', ['glue:GetDatabases'], glue('catalog')),
    ...each('finds the raw zone\'s database', ['glue:GetDatabase', 'glue:GetTables'], glue('database/fraud_models_dev_raw')),
    ...each('reads the events table', ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'], glue('table/fraud_models_dev_raw/events')),
    ...reads('WarehouseRawZoneBucket', 'events/'),
    ...each('reads its rules and publishes their results', ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'], ruleset),
    ...each('writes the evaluation\'s logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      regional('logs', 'log-group:/aws-glue/data-quality:log-stream:run-1')),
    ...writes('ArtifactsBucket', 'runs/example/run-1/validate/results.json'),
    ...DATA_KEY,
  ],
  MonitoringEventsPublisher: [need('publishes failed-job events', 'sns:Publish', topic), ...DATA_KEY],
  MetaflowTaskRole: [], // test/constructs/metaflow/metaflow-profile.test.ts
  MetaflowFargateExecutionRole: [],
  MetaflowStepFunctionsRole: [],
  MetaflowEventBridgeRole: [],
};

describe('every role of the default team stack may make every call its work needs, and nothing else', () => {
  test('each role with a policy of its own has its work written down here', () => {
    const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((role) => sim.allowedActions(role).length > 0);
    const unlisted = roles.filter((role) => !Object.keys(NEEDS).some((prefix) => role.startsWith(prefix)));
    expect(unlisted).toEqual([]);
  });

  test.each(Object.keys(NEEDS).filter((role) => NEEDS[role].length > 0))('%s', async (role) => {
    await expectRoleNeeds(sim, id('AWS::IAM::Role', role), NEEDS[role].map((n) => n()), WHERE);
  });
});
