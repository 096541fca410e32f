import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { main } from '../../../bin/dsi';
import { METAFLOW_SETTINGS } from '../../../bin/dsi/metaflow-config';
import { statefulLosses } from '../../../bin/stateful-guard/stateful-changes';
import { DataScienceStack, MetaflowProfile } from '../../../lib';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { expectRoleNeeds, RoleNeed } from '../../support/role-needs';
import { newTestApp } from '../../support/synth';
import { testIo } from '../../support/dsi-io';

describe('the Metaflow profile of the team stack', () => {
  let template: Template;
  let sim: PolicySimulator;
  beforeAll(() => {
    template = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models' }));
    sim = new PolicySimulator(template);
  });
  const object = (key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'ArtifactsBucket'))}/${key}`;
  const role = (prefix: string) => sim.logicalId('AWS::IAM::Role', prefix);

  test('keeps foreach state in an on-demand, encrypted table keyed by pathspec, with TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pathspec', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
    });
  });

  test('gives each role the one service that assumes it, and says what the role is for', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const described = (prefix: string) => {
      const { AssumeRolePolicyDocument, Description } = roles[role(prefix)].Properties;
      return [AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal.Service), Description];
    };
    expect(['MetaflowTaskRole', 'MetaflowFargateExecutionRole', 'MetaflowStepFunctionsRole', 'MetaflowEventBridgeRole'].map(described)).toEqual([
      [['ecs-tasks.amazonaws.com'], 'Metaflow @batch tasks'],
      [['ecs-tasks.amazonaws.com'], 'Metaflow @batch tasks on Fargate: image pull and logs'],
      [['states.amazonaws.com'], 'Metaflow state machines'],
      [['events.amazonaws.com'], 'Metaflow schedules'],
    ]);
  });

  test('gives each output a value that resolves to the stack\'s own resources', () => {
    const outputs = template.toJSON().Outputs;
    for (const key of Object.values(METAFLOW_SETTINGS)) {
      expect(outputs[key]).toBeDefined();
    }
    expect(outputs.MetaflowTaskRoleArn.Value).toEqual({ 'Fn::GetAtt': [role('MetaflowTaskRole'), 'Arn'] });
    expect(outputs.MetaflowStepFunctionsRoleArn.Value).toEqual({ 'Fn::GetAtt': [role('MetaflowStepFunctionsRole'), 'Arn'] });
    expect(outputs.MetaflowEventBridgeRoleArn.Value).toEqual({ 'Fn::GetAtt': [role('MetaflowEventBridgeRole'), 'Arn'] });
    expect(outputs.MetaflowForeachTableName.Value).toEqual({ Ref: sim.logicalId('AWS::DynamoDB::Table', 'MetaflowForeachState') });
    expect(outputs.MetaflowBatchJobQueue.Value).toEqual({ 'Fn::GetAtt': [sim.logicalId('AWS::Batch::JobQueue', 'ComputeCpuQueue'), 'JobQueueArn'] });
    expect(sim.resolve(outputs.MetaflowDatastoreRoot.Value)).toBe(`s3://${sim.arn(sim.logicalId('AWS::S3::Bucket', 'ArtifactsBucket')).split(':::')[1]}/metaflow`);
  });

  test.each([
    ['read and write its datastore', 's3:PutObject', 'metaflow/TrainFlow/data/ab/abcdef', 'Allowed'],
    ['read its datastore', 's3:GetObject', 'metaflow/TrainFlow/data/ab/abcdef', 'Allowed'],
    ['write its data tools root', 's3:PutObject', 'metaflow-data/features.parquet', 'Allowed'],
    ['not read the team\'s runs', 's3:GetObject', 'runs/example/run-1/train/model.tar.gz', 'NotAllowed'],
    ['not write models', 's3:PutObject', 'models/churn/abc/model.tar.gz', 'NotAllowed'],
    ['not delete its datastore', 's3:DeleteObject', 'metaflow/TrainFlow/data/ab/abcdef', 'NotAllowed'],
  ])('lets the task role %s', async (_, action, key, expected) => {
    expect(await sim.outcome(role('MetaflowTaskRole'), action, object(key))).toBe(expected);
  });

  test('lets the Fargate execution role pull images from this account\'s repositories only', async () => {
    const exec = role('MetaflowFargateExecutionRole');
    const repository = (account: string, name: string) => `arn:aws:ecr:${REGION}:${account}:repository/${name}`;
    expect(await sim.decide(exec, 'ecr:BatchGetImage', repository(ACCOUNT, 'team-images'))).toBe('Allowed');
    expect(await sim.decide(exec, 'ecr:GetAuthorizationToken', '*')).toBe('Allowed');
    expect(await sim.outcome(exec, 'ecr:BatchGetImage', repository('999988887777', 'their-images'))).toBe('NotAllowed');
    expect(await sim.outcome(exec, 'ecr:PutImage', repository(ACCOUNT, 'team-images'))).toBe('NotAllowed');
  });

  test('lets the task role nothing outside the store and its table', async () => {
    expect(await sim.decide(role('MetaflowTaskRole'), 's3:GetObject', 'arn:aws:s3:::another-bucket/x')).not.toBe('Allowed');
    expect(await sim.decide(role('MetaflowTaskRole'), 'iam:PassRole', sim.arn(role('MetaflowTaskRole')))).not.toBe('Allowed');
    expect(await sim.decide(role('MetaflowTaskRole'), 'dynamodb:PutItem', sim.arn(sim.logicalId('AWS::DynamoDB::Table', 'MetaflowForeachState')))).toBe('Allowed');
    expect(await sim.decide(role('MetaflowTaskRole'), 'dynamodb:DeleteTable', sim.arn(sim.logicalId('AWS::DynamoDB::Table', 'MetaflowForeachState')))).not.toBe('Allowed');
  });

  const batchArn = (resource: string) => `arn:aws:batch:${REGION}:${ACCOUNT}:${resource}`;
  test.each([
    ['submit to the team queue', 'batch:SubmitJob', () => sim.arn(sim.logicalId('AWS::Batch::JobQueue', 'ComputeCpuQueue')), 'Allowed'],
    ['submit the job definitions Metaflow registers', 'batch:SubmitJob', () => batchArn('job-definition/metaflow_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4:1'), 'Allowed'],
    ['watch its jobs', 'batch:DescribeJobs', () => '*', 'Allowed'],
    ['stop its jobs when a run is stopped', 'batch:TerminateJob', () => batchArn('job/6d0c8f1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f'), 'Allowed'],
    ['not submit to another queue', 'batch:SubmitJob', () => sim.arn(sim.logicalId('AWS::Batch::JobQueue', 'ComputeGpuQueue')), 'NotAllowed'],
    // the team's own definitions run as other job roles, with command overrides
    ['not submit the team\'s job definitions', 'batch:SubmitJob', () => sim.arn(sim.logicalId('AWS::Batch::JobDefinition', 'ComputeExampletrain')), 'NotAllowed'],
    ['not submit any other job definition', 'batch:SubmitJob', () => batchArn('job-definition/train-gpu:7'), 'NotAllowed'],
    ['not register job definitions', 'batch:RegisterJobDefinition', () => batchArn('job-definition/metaflow_abc'), 'NotAllowed'],
    ['not change a job queue', 'batch:UpdateJobQueue', () => sim.arn(sim.logicalId('AWS::Batch::JobQueue', 'ComputeCpuQueue')), 'NotAllowed'],
  ])('lets the Step Functions role %s', async (_, action, resource, expected) => {
    expect(await sim.outcome(role('MetaflowStepFunctionsRole'), action, resource())).toBe(expected);
  });

  test('names its state machines after the stack, and lets the EventBridge role start those only', async () => {
    expect(template.toJSON().Outputs.MetaflowStateMachinePrefix.Value).toBe('Team');
    const machine = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    const events = role('MetaflowEventBridgeRole');
    expect(await sim.decide(events, 'states:StartExecution', machine('Team_TrainFlow'))).toBe('Allowed');
    for (const other of ['Team-prod_TrainFlow', 'TeamB_TrainFlow', 'example', sim.resolve({ Ref: sim.logicalId('AWS::StepFunctions::StateMachine', 'ExampleWorkflow') }).split(':').pop()]) {
      expect([other, await sim.outcome(events, 'states:StartExecution', machine(other))]).toEqual([other, 'NotAllowed']);
    }
  });

  test('protects the foreach table from deletion, unless it is to go with its stack', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'pathspec', KeyType: 'HASH' }], DeletionProtectionEnabled: true });
    const destroyed = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', destroyDataOnDelete: true }));
    destroyed.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'pathspec', KeyType: 'HASH' }], DeletionProtectionEnabled: false });
    // a table deployed without it gains it in place
    const deployed = JSON.parse(JSON.stringify(template.toJSON()));
    delete deployed.Resources[sim.logicalId('AWS::DynamoDB::Table', 'MetaflowForeachState')].Properties.DeletionProtectionEnabled;
    expect(statefulLosses(deployed, template.toJSON())).toEqual([]);
  });

  describe('each role may make every call its work needs, and its policies allow nothing else', () => {
    const WHERE = 'test/constructs/metaflow/metaflow-profile.test.ts';
    const bucket = () => sim.arn(sim.logicalId('AWS::S3::Bucket', 'ArtifactsBucket'));
    const table = () => sim.arn(sim.logicalId('AWS::DynamoDB::Table', 'MetaflowForeachState'));
    const key = () => sim.arn(sim.logicalId('AWS::KMS::Key', 'DataKey'));
    const need = (why: string, action: string, resource: () => string, context?: Record<string, string>) => () => ({ why, action, resource: resource(), context });
    /** What Metaflow's foreach does with its table: writes a split's state, counts its ends, reads it back. */
    const foreachState = [
      need('records a foreach split', 'dynamodb:PutItem', table), need('counts a split that ended', 'dynamodb:UpdateItem', table),
      need('reads a split\'s state', 'dynamodb:GetItem', table),
    ];
    /** The data key encrypts the store's objects and the table. */
    const dataKey = [need('reads encrypted objects and items', 'kms:Decrypt', key), need('writes encrypted objects and items', 'kms:GenerateDataKey', key)];
    const datastore = (root: string) => [
      need(`reads an artifact under ${root}`, 's3:GetObject', () => object(`${root}/TrainFlow/data/ab/abcdef`)),
      need(`reads an earlier version of an artifact under ${root}`, 's3:GetObjectVersion', () => object(`${root}/TrainFlow/data/ab/abcdef`)),
      need(`lists ${root}`, 's3:ListBucket', bucket, { 's3:prefix': `${root}/TrainFlow/` }),
    ];
    const NEEDS: Record<string, (() => RoleNeed)[]> = {
      MetaflowTaskRole: [
        ...datastore('metaflow'), ...datastore('metaflow-data'),
        need('writes an artifact', 's3:PutObject', () => object('metaflow/TrainFlow/data/ab/abcdef')),
        need('writes a data tools object', 's3:PutObject', () => object('metaflow-data/features.parquet')),
        need('uploads a large artifact in parts, and lists the parts', 's3:ListMultipartUploadParts', () => object('metaflow/TrainFlow/data/ab/big')),
        need('abandons a failed upload', 's3:AbortMultipartUpload', () => object('metaflow/TrainFlow/data/ab/big')),
        need('locates the bucket', 's3:GetBucketLocation', bucket),
        ...foreachState, ...dataKey,
      ],
      MetaflowFargateExecutionRole: [
        need('writes a job\'s log stream', 'logs:CreateLogStream', () => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/batch/job:log-stream:train/default/abc`),
        need('writes a job\'s logs', 'logs:PutLogEvents', () => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/batch/job:log-stream:train/default/abc`),
        need('signs in to ECR', 'ecr:GetAuthorizationToken', () => '*'),
        ...['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'].map((action) => need('pulls the task image', action,
          () => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team-images`)),
      ],
      MetaflowStepFunctionsRole: [
        need('submits a step to the team queue', 'batch:SubmitJob', () => sim.arn(sim.logicalId('AWS::Batch::JobQueue', 'ComputeCpuQueue'))),
        need('submits a step\'s job definition', 'batch:SubmitJob', () => batchArn('job-definition/metaflow_0f1e2d3c:1')),
        need('watches its jobs', 'batch:DescribeJobs', () => '*'),
        need('stops the jobs of a stopped run', 'batch:TerminateJob', () => batchArn('job/6d0c8f1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f')),
        ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => need('hears of its Batch jobs (submitJob.sync)', action,
          () => `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForBatchJobsRule`)),
        ...['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
          'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'].map((action) => need('delivers its execution logs', action, () => '*')),
        ...datastore('metaflow'),
        need('locates the bucket', 's3:GetBucketLocation', bucket),
        ...foreachState, ...dataKey,
      ],
      MetaflowEventBridgeRole: [need('starts a scheduled flow', 'states:StartExecution', () => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Team_TrainFlow`)],
    };

    test.each(Object.keys(NEEDS))('%s', async (name) => {
      await expectRoleNeeds(sim, role(name), NEEDS[name].map((n) => n()), WHERE);
    });
  });

  test('rejects a state machine prefix Metaflow would join ambiguously', () => {
    const stack = new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models' });
    expect(() => new MetaflowProfile(stack, 'Other', {
      artifactStore: stack.artifacts, jobQueue: stack.compute.queue('cpu').jobQueue, encryptionKey: stack.dataKey, stateMachinePrefix: 'team_a',
    })).toThrow('Invalid props for MetaflowProfile:\n  - stateMachinePrefix = "team_a": give 1 to 60 letters, digits and hyphens (no "_": Metaflow joins prefix and flow name with it)');
  });
});

describe('dsi metaflow-config', () => {
  const outputs = Object.fromEntries(Object.values(METAFLOW_SETTINGS).map((key) => [key, `value-of-${key}`]));
  const io = testIo;

  test('writes a complete configuration from an outputs file, offline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-'));
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify({ 'data-science-dev': outputs }));
    const printed: string[] = [];
    expect(await main(['metaflow-config', '--outputs', path.join(dir, 'outputs.json'), '--out', path.join(dir, 'config.json')], io(printed))).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toEqual({
      METAFLOW_DEFAULT_DATASTORE: 's3',
      METAFLOW_DEFAULT_METADATA: 'local',
      METAFLOW_DATASTORE_SYSROOT_S3: 'value-of-MetaflowDatastoreRoot',
      METAFLOW_DATATOOLS_S3ROOT: 'value-of-MetaflowDataToolsRoot',
      METAFLOW_BATCH_JOB_QUEUE: 'value-of-MetaflowBatchJobQueue',
      METAFLOW_ECS_S3_ACCESS_IAM_ROLE: 'value-of-MetaflowTaskRoleArn',
      METAFLOW_ECS_FARGATE_EXECUTION_ROLE: 'value-of-MetaflowFargateExecutionRoleArn',
      METAFLOW_SFN_IAM_ROLE: 'value-of-MetaflowStepFunctionsRoleArn',
      METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE: 'value-of-MetaflowEventBridgeRoleArn',
      METAFLOW_SFN_DYNAMO_DB_TABLE: 'value-of-MetaflowForeachTableName',
      METAFLOW_SFN_STATE_MACHINE_PREFIX: 'value-of-MetaflowStateMachinePrefix',
      AWS_DEFAULT_REGION: 'value-of-Region',
    });
  });

  test('names the outputs a stack lacks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-'));
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify({ 'data-science-dev': { Region: 'eu-west-1' } }));
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    expect(await main(['metaflow-config', '--outputs', path.join(dir, 'outputs.json')], io([]))).toBe(1);
    expect(errors[0]).toMatch(/^dsi: Stack data-science-dev lacks the Metaflow outputs MetaflowDatastoreRoot, /);
  });
});
