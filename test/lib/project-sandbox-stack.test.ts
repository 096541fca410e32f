import { Aws, CliCredentialsStackSynthesizer } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import { WorkflowStep } from '../../constructs/scheduler';
import { DataScienceStack, DataScienceStage, NetworkProfile, ProjectSandboxStack, ProjectSandboxStackProps, TeamParameter, TeamParameters, ValidationError } from '../../lib';
import { acknowledgementsOn } from '../support/acknowledgements';
import { PolicySimulator } from '../support/iam';
import { checkedTemplate, newTestApp } from '../support/synth';
import { daysFromToday } from '../../constructs/core/dates';
import { problemLines, validationErrorOf } from '../support/validation';

const EXPIRES = daysFromToday(14);

function sandbox(props: Partial<ProjectSandboxStackProps> = {}, app = newTestApp()) {
  return new ProjectSandboxStack(app, `sandbox-${props.projectName ?? 'churn'}`, { teamName: 'data-science', projectName: 'churn', expiresOn: EXPIRES, ...props });
}

/** What the team stack's SSM parameters hold once deployed, for the simulator. */
const TEAM_VALUES = Object.fromEntries(Object.entries({
  [TeamParameter.ARTIFACT_BUCKET_NAME]: 'team-artifacts',
  [TeamParameter.DATA_KEY_ARN]: 'arn:aws:kms:eu-west-1:111122223333:key/team',
  [TeamParameter.CURATED_BUCKET_NAME]: 'team-curated',
  [TeamParameter.CURATED_DATABASE_NAME]: 'data_science_dev_curated',
  [TeamParameter.ATHENA_WORKGROUP]: 'data-science-dev',
  [TeamParameter.CPU_QUEUE_ARN]: 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu',
  [TeamParameter.GPU_QUEUE_ARN]: 'arn:aws:batch:eu-west-1:111122223333:job-queue/gpu',
  [TeamParameter.NOTIFICATION_TOPIC_ARN]: 'arn:aws:sns:eu-west-1:111122223333:team',
}).map(([parameter, value]) => [TeamParameters.nameOf('data-science', 'dev', parameter as TeamParameter), value]));

const object = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const workGroup = (name: string) => `arn:aws:athena:eu-west-1:111122223333:workgroup/${name}`;
const jobDefinition = (nameAndRevision: string) => `arn:aws:batch:eu-west-1:111122223333:job-definition/${nameAndRevision}`;

describe('ProjectSandboxStack', () => {
  let template: Template;
  beforeAll(() => {
    template = checkedTemplate(sandbox({ owner: 'ana.lima', readTeamCuratedData: true }), { regulated: true, controlTower: true });
  });

  test('reads the team stack\'s resources from the SSM parameters it publishes, with no lookup', () => {
    const parameters = template.toJSON().Parameters;
    const paths = Object.values(parameters).filter((p: any) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default.startsWith('/cdk-data-science/'))
      .map((p: any) => p.Default);
    expect(paths).toEqual(expect.arrayContaining([
      '/cdk-data-science/data-science/dev/artifact-bucket-name', '/cdk-data-science/data-science/dev/cpu-queue-arn',
      '/cdk-data-science/data-science/dev/notification-topic-arn', '/cdk-data-science/data-science/dev/curated-database-name',
    ]));
    // the team stack publishes every one of them
    const team = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science' }));
    for (const path of paths) {
      team.hasResourceProperties('AWS::SSM::Parameter', { Name: path });
    }
  });

  test('owns a Glue database that goes with it, and no bucket', () => {
    template.hasResource('AWS::Glue::Database', { Properties: { DatabaseInput: Match.objectLike({ Name: 'data_science_dev_sbx_churn_ana_lima' }) }, DeletionPolicy: 'Delete' });
    template.resourceCountIs('AWS::S3::Bucket', 0);
    for (const type of ['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Glue::Database', 'AWS::SQS::Queue']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Delete');
      }
    }
  });

  test('says what it and each of its parts is for', () => {
    expect(template.toJSON().Description).toBe('Sandbox of project churn on data-science dev');
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Description: 'Sandbox of project churn' }) });
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Description: 'Queries of the sandbox of project churn; results under its own prefix' });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Works in the sandbox of project churn' });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the sandbox\'s logs and dead letters' });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: 'Deletes this sandbox when it expires, unless it was extended' });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Deletes this sandbox when it expires' });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Empties the sandbox\'s prefix when the sandbox is deleted' });
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Invokes the reaper on the expiry day',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })] },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { Description: `Deletes this sandbox on ${EXPIRES}` });
  });

  test('refuses an owner known only at deploy, whose names could not be made', () => {
    expect(problemLines(() => sandbox({ owner: Aws.ACCOUNT_ID }))).toEqual([
      expect.stringMatching(/^owner = "\$\{Token\[AWS\.AccountId\.\d+\]\}": give a plain string: the sandbox's names and prefix are made from it$/),
    ]);
  });

  test('acknowledges the bootstrap roles\' wildcard only where the synthesizer does not name the role, and passes the rule packs either way', () => {
    const passRole = (stack: ProjectSandboxStack) => acknowledgementsOn(stack.node.findChild('ReaperRole')).filter(([id]) => id.includes('cfn-exec-role'));
    expect(passRole(sandbox({ projectName: 'named' }))).toEqual([]);
    const unnamed = sandbox({ projectName: 'unnamed', synthesizer: new CliCredentialsStackSynthesizer() });
    expect(passRole(unnamed)).toHaveLength(1);
    expect(() => checkedTemplate(unnamed, { regulated: true })).not.toThrow();
  });

  test('lets the reaper pass any CDK bootstrap\'s deploy role to CloudFormation where the synthesizer names none, and no other role', async () => {
    const sim = new PolicySimulator(Template.fromStack(sandbox({ projectName: 'unnamed', synthesizer: new CliCredentialsStackSynthesizer() })), TEAM_VALUES);
    const reaper = sim.logicalId('AWS::IAM::Role', 'ReaperRole');
    const toCloudFormation = { 'iam:PassedToService': 'cloudformation.amazonaws.com' };
    expect(await sim.decide(reaper, 'iam:PassRole', 'arn:aws:iam::111122223333:role/cdk-other0000-cfn-exec-role-111122223333-eu-west-1', toCloudFormation)).toBe('Allowed');
    expect(await sim.decide(reaper, 'iam:PassRole', 'arn:aws:iam::111122223333:role/admin', toCloudFormation)).not.toBe('Allowed');
  });

  test('carries a budget that alerts the team at 80 % actual and 100 % forecast spend', () => {
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({
        BudgetName: 'data-science-dev-sandbox-churn-ana-lima', BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 100, Unit: 'USD' },
        CostFilters: { TagKeyValue: ['user:project$churn'] },
      }),
      NotificationsWithSubscribers: [
        { Notification: { ComparisonOperator: 'GREATER_THAN', NotificationType: 'ACTUAL', Threshold: 80, ThresholdType: 'PERCENTAGE' }, Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.anyValue() } }] },
        { Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }), Subscribers: Match.anyValue() },
      ],
    });
  });

  test('deletes itself on its expiry day, through a schedule and a reaper scoped to this stack', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: `at(${EXPIRES}T00:00:00)`, State: 'ENABLED' });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { STACK_NAME: 'sandbox-churn' } }, Runtime: 'nodejs24.x' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: ['cloudformation:DeleteStack', 'cloudformation:DescribeStacks'],
        Resource: { 'Fn::Join': ['', Match.arrayWith([':stack/sandbox-churn/*'])] },
      })]) },
    });
    // the reaper reads the stack's own tags, which the deploy sets from the assembly
    const app = newTestApp();
    sandbox({ projectName: 'tagged' }, app);
    expect(app.synth().getStackByName('sandbox-tagged').tags).toMatchObject({ 'expires-on': EXPIRES, 'project': 'tagged', 'team': 'data-science' });
  });

  test('queries through its own workgroup, results encrypted under its own prefix, both gone with it', () => {
    template.hasResource('AWS::Athena::WorkGroup', {
      Properties: Match.objectLike({
        Name: 'data-science-dev-sandbox-churn-ana-lima',
        RecursiveDeleteOption: true,
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('artifactbucketname') }, '/sandboxes/churn.ana.lima/query-results/']] },
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { Ref: Match.stringLikeRegexp('datakeyarn') } },
          },
        }),
      }),
      DeletionPolicy: 'Delete',
    });
    // a staging sandbox scans as much as the staging team stack allows
    const staging = Template.fromStack(sandbox({ projectName: 'big', teamStage: DataScienceStage.STAGING }));
    staging.hasResourceProperties('AWS::Athena::WorkGroup', { WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 100 * 1024 ** 3 }) });
  });

  test('empties its prefix of the team store when it is deleted, before its cleanup function goes', () => {
    const [id, cleanup] = Object.entries(template.findResources('Custom::SandboxPrefixCleanup'))[0];
    expect(cleanup.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^PrefixCleanupFunction/), 'Arn'] },
      ServiceTimeout: '900',
      Bucket: { Ref: expect.stringMatching(/artifactbucketname/) },
      Prefix: 'sandboxes/churn.ana.lima/',
    });
    const resources = template.toJSON().Resources;
    const types = new Set(cleanup.DependsOn.map((dependency: string) => resources[dependency].Type));
    // the function's log group goes after the function, which names it
    expect([...types].sort()).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Function']);
    expect(cleanup.DeletionPolicy).toBe('Delete');
    expect(id).toBe('PrefixCleanup');
    // what writes under the prefix is deleted first: the project role and its policy, the workgroup
    const dependents = Object.entries(resources).filter(([, r]: [string, any]) => (r.DependsOn ?? []).includes(id)).map(([dependent]) => dependent);
    expect(dependents).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ProjectRole[0-9A-F]{8}$/), expect.stringMatching(/^ProjectRoleDefaultPolicy/), 'WorkGroup',
    ]));
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Empties sandboxes/churn.ana.lima/'), Timeout: 600 });
  });

  test('runs its own workflows on the team\'s queues, deleted with it, started and watched by the project role', () => {
    const stack = sandbox({ projectName: 'flows' });
    const job = batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/train:3');
    const flow = stack.addWorkflow('Training', {
      workflowName: 'flows-training',
      steps: [WorkflowStep.batchJob({ name: 'train', jobQueue: stack.teamQueue('gpu'), jobDefinition: job, gpuCount: 1 })],
    });
    const t = checkedTemplate(stack, { regulated: true });
    t.hasResource('AWS::Logs::LogGroup', { Properties: Match.objectLike({ LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/') }), DeletionPolicy: 'Delete' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ProjectRole') }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: ['states:DescribeStateMachine', 'states:ListExecutions', 'states:StartExecution'], Resource: { Ref: Match.stringLikeRegexp('^TrainingStateMachine') } }),
        Match.objectLike({ Action: ['states:DescribeExecution', 'states:GetExecutionHistory'] }),
      ]) },
    });
    expect(flow.notificationTopic.topicArn).toBe(stack.notificationTopic.topicArn);
    // the workflow goes before the prefix is emptied
    t.hasResource('AWS::StepFunctions::StateMachine', { DependsOn: Match.arrayWith(['PrefixCleanup']) });
    // the team topic is encrypted: the workflow may use its key to publish failures
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TrainingStateMachineRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { Ref: Match.stringLikeRegexp('^SsmParameterValue.*datakeyarn') } })]) },
    });
  });

  test('runs Athena steps of its workflows in its own workgroup and database, writing under its own prefix', async () => {
    const stack = sandbox({ projectName: 'queries' });
    const output = stack.artifactBucket.s3UrlForObject(`${stack.artifactPrefix}features/{run_id}/`);
    stack.addWorkflow('Features', {
      workflowName: 'queries-features',
      steps: [WorkflowStep.athenaQuery({ name: 'features', warehouse: stack, queryString: `UNLOAD (SELECT 1) TO '${output}'` })],
    });
    const t = checkedTemplate(stack, { regulated: true });
    const [machine] = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"WorkGroup\\":\\"data-science-dev-sandbox-queries\\"');
    expect(definition).toContain('\\"Database\\":\\"data_science_dev_sbx_queries\\"');
    const sim = new PolicySimulator(t, TEAM_VALUES);
    const role = sim.logicalId('AWS::IAM::Role', 'FeaturesStateMachineRole');
    expect(await sim.decide(role, 'athena:StartQueryExecution', workGroup('data-science-dev-sandbox-queries'))).toBe('Allowed');
    expect(await sim.decide(role, 's3:PutObject', object('team-artifacts', 'sandboxes/queries/features/run-1/part-0.parquet'))).toBe('Allowed');
    expect(await sim.decide(role, 'glue:GetTable', 'arn:aws:glue:eu-west-1:111122223333:table/data_science_dev_sbx_queries/events')).toBe('Allowed');
    expect(await sim.decide(role, 's3:ListBucket', 'arn:aws:s3:::team-artifacts', { 's3:prefix': 'sandboxes/queries/features/' })).toBe('Allowed');
    expect(await sim.decide(role, 's3:GetBucketLocation', 'arn:aws:s3:::team-artifacts')).toBe('Allowed');
    expect(await sim.decide(role, 's3:ListBucket', 'arn:aws:s3:::team-artifacts', { 's3:prefix': 'sandboxes/' })).not.toBe('Allowed');
    expect(await sim.decide(role, 'athena:StartQueryExecution', workGroup('data-science-dev'))).not.toBe('Allowed');
    expect(await sim.decide(role, 's3:PutObject', object('team-artifacts', 'sandboxes/ltv/x.parquet'))).not.toBe('Allowed');
  });

  test('20 sandboxes and every stage live side by side without a name in common', () => {
    const app = newTestApp();
    const stacks = [
      ...Object.values(DataScienceStage).map((stage) => new DataScienceStack(app, `team-${stage}`, { teamName: 'data-science', stage })),
      ...Array.from({ length: 20 }, (_, i) => sandbox({ projectName: `project-${i}`, teamStage: i % 2 ? DataScienceStage.DEV : DataScienceStage.STAGING }, app)),
      // one project with a sandbox per stage and per person
      new ProjectSandboxStack(app, 'shared-dev', { teamName: 'data-science', projectName: 'shared', expiresOn: EXPIRES }),
      new ProjectSandboxStack(app, 'shared-staging', { teamName: 'data-science', projectName: 'shared', teamStage: DataScienceStage.STAGING, expiresOn: EXPIRES }),
      new ProjectSandboxStack(app, 'shared-dev-ana', { teamName: 'data-science', projectName: 'shared', owner: 'ana.lima', expiresOn: EXPIRES }),
      new ProjectSandboxStack(app, 'shared-dev-bo', { teamName: 'data-science', projectName: 'shared', owner: 'bo', expiresOn: EXPIRES }),
    ];
    // the physical names that must be unique among their type in an account and region
    const physicalName: Record<string, (p: any) => string | undefined> = {
      'AWS::Glue::Database': (p) => p.DatabaseInput.Name,
      'AWS::Athena::WorkGroup': (p) => p.Name,
      'AWS::Budgets::Budget': (p) => p.Budget.BudgetName,
      'AWS::Logs::LogGroup': (p) => p.LogGroupName,
      'AWS::CloudWatch::Alarm': (p) => p.AlarmName,
      'AWS::SageMaker::ModelPackageGroup': (p) => p.ModelPackageGroupName,
      'AWS::SSM::Parameter': (p) => p.Name,
    };
    const assembly = app.synth(); // once: Template.fromStack would synthesize the whole app again for each stack
    const names = stacks.flatMap((stack) => [
      `stack=${stack.stackName}`,
      ...Object.values(assembly.getStackByName(stack.stackName).template.Resources as Record<string, any>)
        .filter((r) => r.Type in physicalName)
        .map((r) => [r.Type, physicalName[r.Type](r.Properties)])
        .filter(([, name]) => typeof name === 'string')
        .map(([type, name]) => `${type}=${name}`),
    ]);
    expect(names.length).toBeGreaterThan(60);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  test.each([
    ['a project name that breaks S3 and Glue names', { projectName: 'Churn_Model' }, 'projectName = "Churn_Model": use lowercase letters'],
    ['a sandbox pointed at prod', { teamStage: DataScienceStage.PROD }, 'teamStage = "prod": point sandboxes at dev or staging'],
    ['an expiry that is not a date', { expiresOn: 'next week' }, 'expiresOn = "next week": give a calendar day that exists, as YYYY-MM-DD'],
    ['an expiry more than 90 days ahead', { expiresOn: '2099-01-01' }, 'expiresOn = "2099-01-01": give a day at most 90 days ahead'],
    ['an owner that is not a user name', { owner: 'Ana Lima' }, 'owner = "Ana Lima"'],
    ['a stage there is not', { teamStage: 'qa' as DataScienceStage }, 'teamStage = "qa": use one of "dev", "staging", "prod"'],
    ['an empty stage', { teamStage: '' as DataScienceStage }, 'teamStage = "": use one of'],
    ['an expiry in the past', { expiresOn: '2020-01-01' }, 'expiresOn = "2020-01-01": give a day after today'],
    ['an expiry today, which has begun', { expiresOn: new Date().toISOString().slice(0, 10) }, 'give a day after today'],
    ['a 29th of February in a common year', { expiresOn: '2027-02-29' }, 'expiresOn = "2027-02-29": give a calendar day that exists'],
    ['a 30th of February', { expiresOn: '2027-02-30' }, 'expiresOn = "2027-02-30": give a calendar day that exists'],
    ['a budget of nothing', { monthlyBudgetUsd: NaN }, 'monthlyBudgetUsd = NaN: give an amount from 0.01 to 1000000000 USD'],
    ['an owner ending in a dot', { owner: 'ana.' }, 'owner = "ana."'],
    ['a team network that is no profile', { teamNetwork: 42 as any }, 'teamNetwork = 42: use one of'],
    ['names whose budget name passes AWS Budgets\' 100 characters', { teamName: 'a'.repeat(32), projectName: 'b'.repeat(32), owner: 'c'.repeat(30) },
      `owner = "${'c'.repeat(30)}": its budget name "${'a'.repeat(32)}-dev-sandbox-${'b'.repeat(32)}-${'c'.repeat(30)}" would be 108 characters, over the 100 allowed: `
      + 'shorten the team, project or owner name'],
    // from JavaScript: an owner that is no text, refused as such rather than failing as the names are made from it
    ['an owner that is a number', { owner: 42 as any }, 'owner = 42: use a lowercase user name'],
    ['an owner in a list', { owner: ['ana'] as any }, 'owner = ["ana"]: use a lowercase user name'],
    ['an expiry known only at deploy', { expiresOn: Aws.STACK_NAME }, 'expiresOn = "${Token[AWS.StackName.'],
    ['an expiry known only at deploy, with its fix', { expiresOn: Aws.STACK_NAME }, ']}": give a plain date: the expiry schedule is made at synth time'],
    ['an expiry in the past, with today\'s date', { expiresOn: '2020-01-01' },
      `expiresOn = "2020-01-01": give a day after today (${new Date().toISOString().slice(0, 10)}, UTC): the sandbox deletes itself as that day begins`],
    ['an owner whose notebook profile name would pass 59 characters, hyphens counted', { owner: `${'o-'.repeat(27)}o`, notebook: true },
      `owner = "${'o-'.repeat(27)}o": give a shorter owner, ending with a letter or digit: the notebook profile "<project>-<owner>" takes at most 59 characters`],
    ['an owner whose notebook profile name would pass 59 characters', { owner: 'o'.repeat(54), notebook: true },
      `owner = "${'o'.repeat(54)}": give a shorter owner, ending with a letter or digit: the notebook profile "<project>-<owner>" takes at most 59 characters`],
  ])('rejects %s', (_, props, message) => {
    expect(() => sandbox(props)).toThrow(ValidationError);
    expect(() => sandbox(props)).toThrow(message);
    expect(() => sandbox(props)).toThrow(/^Invalid props for ProjectSandboxStack:\n/);
  });

  test('takes an owner whose notebook profile name is 59 characters, hyphens counted, and one longer when it has no notebook', () => {
    expect(() => sandbox({ owner: 'o'.repeat(53), notebook: true })).not.toThrow();
    expect(() => sandbox({ owner: `${'o-'.repeat(26)}o`, notebook: true })).not.toThrow();
    expect(() => sandbox({ owner: 'o'.repeat(54) })).not.toThrow();
  });

  test('refuses a second sandbox of a project without owners in an app, naming the project', () => {
    const app = newTestApp();
    sandbox({}, app);
    expect(problemLines(() => new ProjectSandboxStack(app, 'again', { teamName: 'data-science', projectName: 'churn', expiresOn: EXPIRES })))
      .toEqual([expect.stringMatching(/^projectName = "churn": the sandbox sandbox-churn already has the name "data-science-dev-sandbox-churn"/)]);
  });

  test('refuses a second sandbox of the same name in an app: "ana.lima" and "ana-lima" would share a budget and a workgroup', () => {
    const app = newTestApp();
    sandbox({ owner: 'ana.lima' }, app);
    expect(() => new ProjectSandboxStack(app, 'other', { teamName: 'data-science', projectName: 'churn', owner: 'ana-lima', expiresOn: EXPIRES }))
      .toThrow('owner = "ana-lima": the sandbox sandbox-churn already has the name "data-science-dev-sandbox-churn-ana-lima"');
  });

  test('lends the team\'s cpu and gpu queues only, each once, each by the parameter the team stack publishes it under', () => {
    const churn = sandbox();
    expect(churn.teamQueue('gpu')).toBe(churn.teamQueue('gpu'));
    const parameters = Template.fromStack(churn).toJSON().Parameters;
    const published = (name: string) => parameters[churn.resolve(churn.teamQueue(name).jobQueueArn).Ref].Default;
    expect(published('gpu')).toBe(TeamParameters.nameOf('data-science', DataScienceStage.DEV, TeamParameter.GPU_QUEUE_ARN));
    expect(published('cpu')).toBe(TeamParameters.nameOf('data-science', DataScienceStage.DEV, TeamParameter.CPU_QUEUE_ARN));
    expect(problemLines(() => churn.teamQueue('gpu-large'))).toEqual(['name = "gpu-large": use "cpu" or "gpu": the team stack publishes those two queues for sandboxes']);
    expect(validationErrorOf(() => churn.teamQueue(Aws.REGION)).message)
      .toMatch(/^Invalid props for ProjectSandboxStack\.teamQueue:\n {2}- name = "\$\{Token\[AWS\.Region\.\d+\]\}": give "cpu" or "gpu" as a plain string$/);
  });

  test('refuses a workflow id the sandbox has, naming the method', () => {
    const stack = sandbox();
    expect(validationErrorOf(() => stack.addWorkflow('Key', { workflowName: 'train', steps: [] })).message).toBe('Invalid props for ProjectSandboxStack.addWorkflow(\'Key\'):\n'
      + '  - id = "Key": sandbox-churn already has a child "Key": give the workflow an id no other part of the sandbox has');
  });

  test('refuses an expiry that is no date with that one problem', () => {
    expect(problemLines(() => sandbox({ expiresOn: 'next week' }))).toEqual(['expiresOn = "next week": give a calendar day that exists, as YYYY-MM-DD, for example "2027-01-31"']);
  });
});

describe('sandbox isolation, simulated', () => {
  let sim: PolicySimulator;
  let role: string;
  beforeAll(() => {
    const app = newTestApp();
    const churn = sandbox({ projectName: 'churn' }, app);
    sim = new PolicySimulator(Template.fromStack(churn), TEAM_VALUES);
    role = sim.logicalId('AWS::IAM::Role', 'ProjectRole');
  });

  test.each([
    ['write its own prefix', 's3:PutObject', () => object('team-artifacts', 'sandboxes/churn/features.parquet'), 'Allowed'],
    ['read its own prefix', 's3:GetObject', () => object('team-artifacts', 'sandboxes/churn/features.parquet'), 'Allowed'],
    ['create tables in its own database', 'glue:CreateTable', () => 'arn:aws:glue:eu-west-1:111122223333:table/data_science_dev_sbx_churn/features', 'Allowed'],
    ['submit to the team\'s queues', 'batch:SubmitJob', () => 'arn:aws:batch:eu-west-1:111122223333:job-queue/gpu', 'Allowed'],
    ['submit its own job definitions', 'batch:SubmitJob', () => jobDefinition('data-science-dev-sandbox-churn_train:4'), 'Allowed'],
    ['not submit another project\'s job definitions', 'batch:SubmitJob', () => jobDefinition('data-science-dev-sandbox-ltv_train:1'), 'NotAllowed'],
    // `churn-eu` starts with `churn`: with its job definitions, and command overrides, churn could run code as churn-eu's job role
    ['not submit the job definitions of a project whose name starts with its own', 'batch:SubmitJob', () => jobDefinition('data-science-dev-sandbox-churn-eu_train:1'), 'NotAllowed'],
    ['not submit a person\'s job definitions of the same project', 'batch:SubmitJob', () => jobDefinition('data-science-dev-sandbox-churn-ana-lima_train:1'), 'NotAllowed'],
    ['not submit the same project\'s job definitions of another team', 'batch:SubmitJob', () => jobDefinition('fraud-models-dev-sandbox-churn_train:1'), 'NotAllowed'],
    ['not submit the team\'s job definitions', 'batch:SubmitJob', () => jobDefinition('ComputeExampletrainJobDef-1A2B3C:1'), 'NotAllowed'],
    ['not read another project\'s prefix', 's3:GetObject', () => object('team-artifacts', 'sandboxes/ltv/model.tar.gz'), 'NotAllowed'],
    ['not write another project\'s prefix', 's3:PutObject', () => object('team-artifacts', 'sandboxes/ltv/model.tar.gz'), 'NotAllowed'],
    ['not touch another project\'s database', 'glue:CreateTable', () => 'arn:aws:glue:eu-west-1:111122223333:table/data_science_dev_sbx_ltv/x', 'NotAllowed'],
    ['not start another project\'s workflows', 'states:StartExecution', () => 'arn:aws:states:eu-west-1:111122223333:stateMachine:ltv-training', 'NotAllowed'],
    ['not read the team\'s runs', 's3:GetObject', () => object('team-artifacts', 'runs/example/run-1/train/model.tar.gz'), 'NotAllowed'],
    ['not read the team\'s curated data', 's3:GetObject', () => object('team-curated', 'features/part-0.parquet'), 'NotAllowed'],
    ['not read prod data', 's3:GetObject', () => object('data-science-prod-raw', 'events/part-0.parquet'), 'NotAllowed'],
    ['not delete anything', 's3:DeleteObject', () => object('team-artifacts', 'sandboxes/churn/features.parquet'), 'NotAllowed'],
    ['query through its own workgroup', 'athena:StartQueryExecution', () => workGroup('data-science-dev-sandbox-churn'), 'Allowed'],
    ['read its query results', 'athena:GetQueryResults', () => workGroup('data-science-dev-sandbox-churn'), 'Allowed'],
    ['find the bucket its results go to', 's3:GetBucketLocation', () => 'arn:aws:s3:::team-artifacts', 'Allowed'],
    ['not query through the team\'s workgroup', 'athena:StartQueryExecution', () => workGroup('data-science-dev'), 'NotAllowed'],
    ['not read another sandbox\'s query results', 'athena:GetQueryResults', () => workGroup('data-science-dev-sandbox-ltv'), 'NotAllowed'],
    ['not read a person\'s sandbox of the same project', 's3:GetObject', () => object('team-artifacts', 'sandboxes/churn.ana.lima/notes.csv'), 'NotAllowed'],
  ])('the project role may %s', async (_, action, resource, expected) => {
    expect(await sim.outcome(role, action, resource())).toBe(expected);
  });

  test('a person\'s sandbox keeps to its own prefix, apart from the project\'s and from other people\'s', async () => {
    const ana = new PolicySimulator(Template.fromStack(sandbox({ projectName: 'churn', owner: 'ana.lima' })), TEAM_VALUES);
    const anaRole = ana.logicalId('AWS::IAM::Role', 'ProjectRole');
    expect(await ana.decide(anaRole, 's3:PutObject', object('team-artifacts', 'sandboxes/churn.ana.lima/features.parquet'))).toBe('Allowed');
    expect(await ana.decide(anaRole, 's3:ListBucket', 'arn:aws:s3:::team-artifacts', { 's3:prefix': 'sandboxes/churn.ana.lima/' })).toBe('Allowed');
    for (const other of ['sandboxes/churn/features.parquet', 'sandboxes/churn.bo/features.parquet']) {
      expect(await ana.decide(anaRole, 's3:GetObject', object('team-artifacts', other))).not.toBe('Allowed');
    }
    expect(await ana.decide(anaRole, 's3:ListBucket', 'arn:aws:s3:::team-artifacts', { 's3:prefix': 'sandboxes/churn/' })).not.toBe('Allowed');
    expect(await ana.decide(anaRole, 'batch:SubmitJob', jobDefinition('data-science-dev-sandbox-churn-ana-lima_train:2'))).toBe('Allowed');
    expect(await ana.outcome(anaRole, 'batch:SubmitJob', jobDefinition('data-science-dev-sandbox-churn_train:2'))).toBe('NotAllowed');
  });

  test('a sandbox that reads the team\'s curated zone may read it and query it, never change it', async () => {
    const reader = new PolicySimulator(Template.fromStack(sandbox({ projectName: 'reader', readTeamCuratedData: true })), TEAM_VALUES);
    const readerRole = reader.logicalId('AWS::IAM::Role', 'ProjectRole');
    const curatedTable = 'arn:aws:glue:eu-west-1:111122223333:table/data_science_dev_curated/features';
    const decisions = await Promise.all([
      reader.decide(readerRole, 's3:GetObject', object('team-curated', 'features/part-0.parquet')),
      reader.decide(readerRole, 'glue:GetTable', curatedTable),
      reader.decide(readerRole, 'glue:GetPartitions', curatedTable),
      reader.decide(readerRole, 's3:PutObject', object('team-curated', 'features/part-0.parquet')),
      reader.decide(readerRole, 'glue:UpdateTable', curatedTable),
      reader.decide(readerRole, 'glue:DeleteTable', curatedTable),
      reader.decide(readerRole, 's3:GetObject', object('data-science-dev-raw', 'events/part-0.parquet')),
    ]);
    expect(decisions.map((d) => d === 'Allowed')).toEqual([true, true, true, false, false, false, false]);
  });

  test.each([
    ['list the versions under its prefix', 's3:ListBucketVersions', () => 'arn:aws:s3:::team-artifacts', { 's3:prefix': 'sandboxes/churn/' }, 'Allowed'],
    ['delete any version under its prefix', 's3:DeleteObjectVersion', () => object('team-artifacts', 'sandboxes/churn/a/b.parquet'), {}, 'Allowed'],
    ['not list the versions of the whole store', 's3:ListBucketVersions', () => 'arn:aws:s3:::team-artifacts', {}, 'NotAllowed'],
    ['not list another project\'s versions', 's3:ListBucketVersions', () => 'arn:aws:s3:::team-artifacts', { 's3:prefix': 'sandboxes/ltv/' }, 'NotAllowed'],
    ['not delete another project\'s objects', 's3:DeleteObjectVersion', () => object('team-artifacts', 'sandboxes/ltv/model.tar.gz'), {}, 'NotAllowed'],
    ['not delete the team\'s runs', 's3:DeleteObjectVersion', () => object('team-artifacts', 'runs/example/run-1/model.tar.gz'), {}, 'NotAllowed'],
    ['not read what it deletes', 's3:GetObject', () => object('team-artifacts', 'sandboxes/churn/a/b.parquet'), {}, 'NotAllowed'],
  ])('the prefix cleanup may %s', async (_, action, resource, context, expected) => {
    const cleanupRole = sim.logicalId('AWS::IAM::Role', 'PrefixCleanupRole');
    expect(await sim.outcome(cleanupRole, action, resource(), context)).toBe(expected);
  });

  const toCloudFormation = { 'iam:PassedToService': 'cloudformation.amazonaws.com' };
  const iamRole = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
  test.each([
    ['delete this stack', 'cloudformation:DeleteStack', 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sandbox-churn/1a2b', {}, 'Allowed'],
    ['pass the bootstrap role the stack was deployed with to CloudFormation', 'iam:PassRole', iamRole('cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1'), toCloudFormation, 'Allowed'],
    ['not pass it to another service', 'iam:PassRole', iamRole('cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1'), { 'iam:PassedToService': 'lambda.amazonaws.com' }, 'NotAllowed'],
    ['not pass another bootstrap\'s role', 'iam:PassRole', iamRole('cdk-other0000-cfn-exec-role-111122223333-eu-west-1'), toCloudFormation, 'NotAllowed'],
    ['not pass another region\'s', 'iam:PassRole', iamRole('cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1'), toCloudFormation, 'NotAllowed'],
    ['not delete another stack', 'cloudformation:DeleteStack', 'arn:aws:cloudformation:eu-west-1:111122223333:stack/data-science-dev/1a2b', {}, 'NotAllowed'],
  ])('the reaper may %s', async (_, action, resource, context, expected) => {
    expect(await sim.outcome(sim.logicalId('AWS::IAM::Role', 'ReaperRole'), action, resource, context)).toBe(expected);
  });
});

describe('a sandbox beside a team stack with a private network', () => {
  let template: Template;
  beforeAll(() => {
    template = checkedTemplate(sandbox({ teamNetwork: NetworkProfile.PRIVATE }), { regulated: true });
  });

  test('runs its reaper and prefix cleanup in the team\'s function subnets, behind the team\'s function security group', () => {
    const parameters = template.toJSON().Parameters as Record<string, { Default: string }>;
    const parameterOf = (name: TeamParameter) => Object.keys(parameters).find((id) => parameters[id].Default === TeamParameters.nameOf('data-science', 'dev', name));
    const subnets = parameterOf(TeamParameter.FUNCTION_SUBNET_IDS)!;
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.VpcConfig).toEqual({
        SubnetIds: [0, 1].map((i) => ({ 'Fn::Select': [i, { 'Fn::Split': [',', { Ref: subnets }] }] })),
        SecurityGroupIds: [{ Ref: parameterOf(TeamParameter.FUNCTION_SECURITY_GROUP_ID) }],
      });
    }
  });

  test('a team stack with every layer publishes each parameter at its documented path, saying which stack published it', () => {
    const team = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', network: NetworkProfile.PRIVATE, notebooks: {} }));
    const published = Object.values(team.findResources('AWS::SSM::Parameter')).map((p) => [p.Properties.Name, p.Properties.Description]);
    const names = ['artifact-bucket-name', 'data-key-arn', 'curated-bucket-name', 'curated-database-name', 'athena-workgroup', 'cpu-queue-arn', 'gpu-queue-arn',
      'notification-topic-arn', 'function-subnet-ids', 'function-security-group-id', 'notebook-domain-id', 'notebook-instance-types',
      'notebook-default-instance-type', 'notebook-idle-timeout-minutes'];
    expect(names).toEqual(Object.values(TeamParameter));
    expect(published.sort()).toEqual(names.map((name) => [`/cdk-data-science/data-science/dev/${name}`, 'Published by the data-science dev data-science stack for its sandboxes and tools']).sort());
  });

  test('the team stack publishes those parameters in a private network, and only there', () => {
    const published = (network?: NetworkProfile) => Object.values(Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', network }))
      .findResources('AWS::SSM::Parameter')).map((p) => p.Properties.Name);
    const networkParameters = [TeamParameter.FUNCTION_SUBNET_IDS, TeamParameter.FUNCTION_SECURITY_GROUP_ID]
      .map((p) => TeamParameters.nameOf('data-science', 'dev', p));
    expect(published(NetworkProfile.PRIVATE)).toEqual(expect.arrayContaining(networkParameters));
    expect(published().filter((name) => networkParameters.includes(name))).toEqual([]);
  });
});
