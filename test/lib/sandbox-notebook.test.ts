import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import { WorkflowStep } from '../../constructs/scheduler';
import { DataScienceStack, NetworkProfile, ProjectSandboxStack, ProjectSandboxStackProps, TeamParameter, TeamParameters, ValidationError } from '../../lib';
import { endpointServicePrefixes } from '../../constructs/network/service-endpoints';
import { DEFAULT_KEY_POLICY, PolicySimulator } from '../support/iam';
import { checkedTemplate, newTestApp } from '../support/synth';
import { daysFromToday } from '../../constructs/core/dates';

const EXPIRES = daysFromToday(14);

function sandbox(props: Partial<ProjectSandboxStackProps> = {}, app = newTestApp()): ProjectSandboxStack {
  return new ProjectSandboxStack(app, `sandbox-${props.projectName ?? 'churn'}`, {
    teamName: 'data-science', projectName: 'churn', owner: 'ana.lima', notebook: true, expiresOn: EXPIRES, ...props,
  });
}

/** What the team stack's SSM parameters hold once deployed, for the simulator. */
const TEAM_VALUES = Object.fromEntries(Object.entries({
  [TeamParameter.ARTIFACT_BUCKET_NAME]: 'team-artifacts',
  [TeamParameter.DATA_KEY_ARN]: 'arn:aws:kms:eu-west-1:111122223333:key/team',
  [TeamParameter.CURATED_BUCKET_NAME]: 'team-curated',
  [TeamParameter.CURATED_DATABASE_NAME]: 'data_science_dev_curated',
  [TeamParameter.CPU_QUEUE_ARN]: 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu',
  [TeamParameter.GPU_QUEUE_ARN]: 'arn:aws:batch:eu-west-1:111122223333:job-queue/gpu',
  [TeamParameter.NOTIFICATION_TOPIC_ARN]: 'arn:aws:sns:eu-west-1:111122223333:team',
  [TeamParameter.NOTEBOOK_DOMAIN_ID]: 'd-team',
  [TeamParameter.NOTEBOOK_INSTANCE_TYPES]: 'ml.t3.medium,ml.m5.xlarge,ml.g5.xlarge',
  [TeamParameter.NOTEBOOK_DEFAULT_INSTANCE_TYPE]: 'ml.t3.medium',
  [TeamParameter.NOTEBOOK_IDLE_TIMEOUT_MINUTES]: '60',
}).map(([parameter, value]) => [TeamParameters.nameOf('data-science', 'dev', parameter as TeamParameter), value]));

const REGION_ACCOUNT = 'eu-west-1:111122223333';
const object = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const sagemaker = (resource: string) => `arn:aws:sagemaker:${REGION_ACCOUNT}:${resource}`;
const workGroup = (name: string) => `arn:aws:athena:${REGION_ACCOUNT}:workgroup/${name}`;
const types = (...instanceTypes: string[]) => ({ 'sagemaker:InstanceTypes': instanceTypes });

describe('a sandbox owner\'s notebook', () => {
  let stack: ProjectSandboxStack;
  let template: Template;
  beforeAll(() => {
    stack = sandbox({ readTeamCuratedData: true });
    template = checkedTemplate(stack, { regulated: true });
  });

  test('is a profile and a private JupyterLab space of the owner in the team\'s domain, read from its parameters', () => {
    const domainId = { Ref: Match.stringLikeRegexp('notebookdomainid') };
    template.hasResourceProperties('AWS::SageMaker::UserProfile', { DomainId: domainId, UserProfileName: 'churn-ana-lima' });
    template.hasResourceProperties('AWS::SageMaker::Space', {
      DomainId: domainId,
      SpaceName: 'churn-ana-lima-lab',
      OwnershipSettings: { OwnerUserProfileName: 'churn-ana-lima' },
      SpaceSharingSettings: { SharingType: 'Private' },
      SpaceSettings: Match.objectLike({ AppType: 'JupyterLab', SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 5 } } }),
    });
    template.hasOutput('NotebookUserProfileName', { Value: 'churn-ana-lima', Description: 'The owner\'s notebook profile' });
    template.hasOutput('NotebookSpaceName', { Value: 'churn-ana-lima-lab', Description: 'The owner\'s private JupyterLab space' });
    template.hasOutput('NotebookDomainId', { Value: domainId, Description: 'The team\'s notebook domain' });
    template.hasOutput('ProjectRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProjectRole'), 'Arn'] }, Description: 'The role that may open the notebook' });
    // the team stack publishes every parameter the notebook reads
    const team = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', notebooks: {} }));
    const read = Object.values<any>(template.toJSON().Parameters).map((p) => p.Default).filter((d) => /notebook/.test(d));
    expect(read).toHaveLength(4);
    read.forEach((name) => team.hasResourceProperties('AWS::SSM::Parameter', { Name: name }));
  });

  test('runs its start script in every JupyterLab app, under a configuration named after the owner and the script, with a role named for the owner', () => {
    const [id, config] = Object.entries(template.findResources('AWS::SageMaker::StudioLifecycleConfig'))[0];
    expect(config.Properties.StudioLifecycleConfigName).toMatch(/^churn-ana-lima-[0-9a-f]+$/);
    const arn = { 'Fn::GetAtt': [id, 'StudioLifecycleConfigArn'] };
    const [profile] = Object.values(template.findResources('AWS::SageMaker::UserProfile'));
    expect(profile.Properties.UserSettings.JupyterLabAppSettings.LifecycleConfigArns).toEqual([arn]);
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Runs the notebook of churn-ana-lima' });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Deletes the notebook of churn-ana-lima when the sandbox is deleted' });
    // its cleanup's logs are kept a month
    expect(Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([logicalId]) => logicalId.startsWith('NotebookCleanupLogs'))
      .map(([, group]) => group.Properties.RetentionInDays)).toEqual([30]);
    // a configuration's name holds 63 characters: the owner's part is cut to 50
    const long = Template.fromStack(sandbox({ projectName: 'long', owner: `a.${'b'.repeat(52)}` }));
    const [longConfig] = Object.values(long.findResources('AWS::SageMaker::StudioLifecycleConfig'));
    const [longProfile] = Object.values(long.findResources('AWS::SageMaker::UserProfile'));
    const name: string = longConfig.Properties.StudioLifecycleConfigName;
    expect(name.startsWith(`${longProfile.Properties.UserProfileName.slice(0, 50)}-`)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(longProfile.Properties.UserProfileName.length).toBeGreaterThan(50);
    // and the space's display name, of 64 at most
    const [space] = Object.values(long.findResources('AWS::SageMaker::Space'));
    expect(space.Properties.SpaceDisplayName).toBe(`Notebook of ${longProfile.Properties.UserProfileName}`.slice(0, 64));
  });

  test('shuts its JupyterLab down after the team\'s idle timeout, on the team\'s default instance', () => {
    const idle = { Ref: Match.stringLikeRegexp('notebookidletimeoutminutes') };
    const instance = { Ref: Match.stringLikeRegexp('notebookdefaultinstancetype') };
    template.hasResourceProperties('AWS::SageMaker::UserProfile', { UserSettings: { ExecutionRole: Match.anyValue(), JupyterLabAppSettings: Match.objectLike({
      AppLifecycleManagement: { IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: idle, MinIdleTimeoutInMinutes: 60, MaxIdleTimeoutInMinutes: idle } },
      DefaultResourceSpec: { InstanceType: instance, LifecycleConfigArn: Match.anyValue() },
    }) } });
    template.hasResourceProperties('AWS::SageMaker::Space', { SpaceSettings: Match.objectLike({ JupyterLabAppSettings: {
      AppLifecycleManagement: { IdleSettings: { IdleTimeoutInMinutes: idle } },
      DefaultResourceSpec: { InstanceType: instance, LifecycleConfigArn: Match.anyValue() },
    } }) });
  });

  test('carries the sandbox\'s tags, which SageMaker puts on the apps and volumes it creates, so the budget sees them', () => {
    const app = newTestApp();
    sandbox({ projectName: 'tagged' }, app);
    expect(app.synth().getStackByName('sandbox-tagged').tags).toMatchObject({ project: 'tagged', owner: 'ana.lima' });
    // the team's domain passes them on
    const team = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', notebooks: {} }));
    team.hasResourceProperties('AWS::SageMaker::Domain', { TagPropagation: 'ENABLED' });
  });

  test('starts with the sandbox\'s settings in every Python kernel and Metaflow\'s configuration under its prefix', () => {
    const sim = new PolicySimulator(template, TEAM_VALUES);
    const [config] = Object.values(template.findResources('AWS::SageMaker::StudioLifecycleConfig'));
    expect(config.Properties.StudioLifecycleConfigAppType).toBe('JupyterLab');
    const script: string = sim.resolve(config.Properties.StudioLifecycleConfigContent['Fn::Base64']);
    // run the script as a JupyterLab start would, in a home of its own, then a kernel's first cell
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'space-'));
    const run = (command: string, args: string[]) => spawnSync(command, args, {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: home, PYTHONPATH: '' },
    });
    const startScript = script.replace(/\/home\/sagemaker-user/g, home);
    const start = run('bash', ['-c', startScript]);
    expect(start.stderr).toBe('');
    expect(start.status).toBe(0);
    const cell = 'import os, runpy, glob, json; [runpy.run_path(f) for f in sorted(glob.glob(os.path.expanduser("~/.ipython/profile_default/startup/*.py")))]; '
      + 'print(json.dumps({k: v for k, v in os.environ.items() if k.startswith(("DSI_", "AWS_"))}))';
    const kernel = run('python3', ['-c', cell]);
    expect(kernel.stderr).toBe('');
    // the startup file reads the settings from the fixed home: here, the test's
    expect(JSON.parse(kernel.stdout)).toEqual({
      AWS_DEFAULT_REGION: 'eu-west-1',
      DSI_SANDBOX: 'data-science-dev-sandbox-churn-ana-lima',
      DSI_BUCKET: 'team-artifacts',
      DSI_PREFIX: 'sandboxes/churn.ana.lima/',
      DSI_ATHENA_WORKGROUP: 'data-science-dev-sandbox-churn-ana-lima',
      DSI_DATABASE: 'data_science_dev_sbx_churn_ana_lima',
      DSI_CPU_QUEUE: 'arn:aws:batch:eu-west-1:111122223333:job-queue/cpu',
      DSI_GPU_QUEUE: 'arn:aws:batch:eu-west-1:111122223333:job-queue/gpu',
      DSI_CURATED_BUCKET: 'team-curated',
      DSI_CURATED_DATABASE: 'data_science_dev_curated',
    });
    expect(JSON.parse(fs.readFileSync(path.join(home, '.metaflowconfig', 'config.json'), 'utf8'))).toEqual({
      METAFLOW_DEFAULT_DATASTORE: 's3',
      METAFLOW_DEFAULT_METADATA: 'local',
      METAFLOW_DATASTORE_SYSROOT_S3: 's3://team-artifacts/sandboxes/churn.ana.lima/metaflow',
      METAFLOW_DATATOOLS_S3ROOT: 's3://team-artifacts/sandboxes/churn.ana.lima/metaflow-data',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    // terminals too, and a second start leaves one line in .bashrc
    expect(run('bash', ['-c', startScript]).status).toBe(0);
    const bashrc = fs.readFileSync(path.join(home, '.bashrc'), 'utf8');
    expect(bashrc.split('\n').filter((l) => l.includes('sandbox.env'))).toHaveLength(1);
    const terminal = run('bash', ['-c', `. ${home}/.bashrc; echo "$DSI_ATHENA_WORKGROUP"`]);
    expect(terminal.stdout.trim()).toBe('data-science-dev-sandbox-churn-ana-lima');
  });

  test('deletes its apps, space and profile before CloudFormation deletes them, and before the prefix is emptied', () => {
    const [id, cleanup] = Object.entries(template.findResources('Custom::SandboxNotebookCleanup'))[0];
    expect(cleanup.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^NotebookCleanupFunction/), 'Arn'] },
      ServiceTimeout: '900',
      DomainId: { Ref: expect.stringMatching(/notebookdomainid/) },
      UserProfileName: 'churn-ana-lima',
      SpaceName: 'churn-ana-lima-lab',
    });
    const resources = template.toJSON().Resources;
    const types = new Set(cleanup.DependsOn.map((dependency: string) => resources[dependency].Type));
    expect([...types].sort()).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::SageMaker::Space', 'AWS::SageMaker::UserProfile', 'Custom::SandboxPrefixCleanup']);
    // the function may run out its time before CloudFormation gives up on it
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => /Deletes the apps/.test(f.Properties.Description))!;
    expect(fn.Properties.Timeout).toBe(14 * 60);
    expect(id).toMatch(/^NotebookCleanup/);
    for (const type of ['AWS::SageMaker::Space', 'AWS::SageMaker::UserProfile', 'AWS::SageMaker::StudioLifecycleConfig']) {
      expect(Object.values(template.findResources(type)).map((r) => r.DependsOn)).toEqual([expect.arrayContaining(['PrefixCleanup'])]);
    }
  });

  test.each([
    ['a notebook without an owner', { owner: undefined }, 'notebook = true: give an owner too'],
    ['an owner whose profile name would pass 59 characters', { owner: 'a'.repeat(60) }, 'owner = "aaaa'],
  ])('rejects %s', (_, props, message) => {
    expect(() => sandbox(props)).toThrow(ValidationError);
    expect(() => sandbox(props)).toThrow(message);
  });

  test('a sandbox without a notebook is as it was: no SageMaker resource, no notebook parameter', () => {
    const plain = Template.fromStack(sandbox({ notebook: undefined, projectName: 'plain' }));
    expect(Object.keys(plain.toJSON().Resources).filter((id) => /Notebook/.test(id))).toEqual([]);
    expect(JSON.stringify(plain.toJSON().Parameters)).not.toContain('notebook');
  });
});

describe('the notebook\'s role, simulated against its neighbours', () => {
  let sim: PolicySimulator;
  let notebook: string;
  let project: string;
  let cleanup: string;
  beforeAll(() => {
    sim = new PolicySimulator(Template.fromStack(sandbox()), TEAM_VALUES);
    notebook = sim.logicalId('AWS::IAM::Role', 'NotebookExecutionRole');
    project = sim.logicalId('AWS::IAM::Role', 'ProjectRole');
    cleanup = sim.logicalId('AWS::IAM::Role', 'NotebookCleanupRole');
  });

  test.each([
    ['write its sandbox\'s prefix', 's3:PutObject', object('team-artifacts', 'sandboxes/churn.ana.lima/features.parquet'), 'Allowed'],
    ['read its sandbox\'s prefix', 's3:GetObject', object('team-artifacts', 'sandboxes/churn.ana.lima/metaflow/data/ab/cd'), 'Allowed'],
    ['query through its sandbox\'s workgroup', 'athena:StartQueryExecution', workGroup('data-science-dev-sandbox-churn-ana-lima'), 'Allowed'],
    ['create tables in its sandbox\'s database', 'glue:CreateTable', `arn:aws:glue:${REGION_ACCOUNT}:table/data_science_dev_sbx_churn_ana_lima/features`, 'Allowed'],
    ['submit to the team\'s queues', 'batch:SubmitJob', 'arn:aws:batch:eu-west-1:111122223333:job-queue/gpu', 'Allowed'],
    ['submit its sandbox\'s job definitions', 'batch:SubmitJob', 'arn:aws:batch:eu-west-1:111122223333:job-definition/data-science-dev-sandbox-churn-ana-lima_train:4', 'Allowed'],
    ['not submit the project\'s other sandboxes\' job definitions', 'batch:SubmitJob', 'arn:aws:batch:eu-west-1:111122223333:job-definition/data-science-dev-sandbox-churn_train:4', 'NotAllowed'],
    ['not read another sandbox\'s prefix', 's3:GetObject', object('team-artifacts', 'sandboxes/churn.bo/notes.csv'), 'NotAllowed'],
    ['not read the project\'s own sandbox', 's3:GetObject', object('team-artifacts', 'sandboxes/churn/features.parquet'), 'NotAllowed'],
    ['not read the team\'s runs', 's3:GetObject', object('team-artifacts', 'runs/example/run-1/train/model.tar.gz'), 'NotAllowed'],
    ['not read the team\'s curated data, which this sandbox does not', 's3:GetObject', object('team-curated', 'features/part-0.parquet'), 'NotAllowed'],
    ['not query through the team\'s workgroup', 'athena:StartQueryExecution', workGroup('data-science-dev'), 'NotAllowed'],
    ['not query through another sandbox\'s workgroup', 'athena:StartQueryExecution', workGroup('data-science-dev-sandbox-churn-bo'), 'NotAllowed'],
    ['not submit another project\'s job definitions', 'batch:SubmitJob', 'arn:aws:batch:eu-west-1:111122223333:job-definition/data-science-dev-sandbox-ltv-ana-lima_train:1', 'NotAllowed'],
    ['not delete objects', 's3:DeleteObject', object('team-artifacts', 'sandboxes/churn.ana.lima/features.parquet'), 'NotAllowed'],
    ['stop and look at its own space\'s apps', 'sagemaker:DeleteApp', sagemaker('app/d-team/churn-ana-lima-lab/jupyterlab/default'), 'Allowed'],
    ['resize its own space', 'sagemaker:UpdateSpace', sagemaker('space/d-team/churn-ana-lima-lab'), 'Allowed'],
    ['not stop another person\'s apps', 'sagemaker:DeleteApp', sagemaker('app/d-team/churn-bo-lab/jupyterlab/default'), 'NotAllowed'],
    ['not change another person\'s space', 'sagemaker:UpdateSpace', sagemaker('space/d-team/churn-bo-lab'), 'NotAllowed'],
    ['not create a space', 'sagemaker:CreateSpace', sagemaker('space/d-team/churn-ana-lima-2'), 'NotAllowed'],
    ['not open anyone\'s notebook', 'sagemaker:CreatePresignedDomainUrl', sagemaker('user-profile/d-team/churn-ana-lima'), 'NotAllowed'],
    ['not train or serve models', 'sagemaker:CreateTrainingJob', sagemaker('training-job/churn-1'), 'NotAllowed'],
    ['describe the team\'s domain', 'sagemaker:DescribeDomain', sagemaker('domain/d-team'), 'Allowed'],
    ['not describe another domain', 'sagemaker:DescribeDomain', sagemaker('domain/d-other'), 'NotAllowed'],
    ['create Studio\'s log group', 'logs:CreateLogGroup', `arn:aws:logs:${REGION_ACCOUNT}:log-group:/aws/sagemaker/studio`, 'Allowed'],
    ['write its space\'s log streams', 'logs:PutLogEvents', `arn:aws:logs:${REGION_ACCOUNT}:log-group:/aws/sagemaker/studio:log-stream:d-team/churn-ana-lima-lab/JupyterLab/default`, 'Allowed'],
    ['not write another space\'s log streams', 'logs:PutLogEvents', `arn:aws:logs:${REGION_ACCOUNT}:log-group:/aws/sagemaker/studio:log-stream:d-team/churn-bo-lab/JupyterLab/default`, 'NotAllowed'],
    ['not create another log group', 'logs:CreateLogGroup', `arn:aws:logs:${REGION_ACCOUNT}:log-group:/aws/lambda/other`, 'NotAllowed'],
  ])('may %s', async (_, action, resource, expected) => {
    expect(await sim.outcome(notebook, action, resource)).toBe(expected);
  });

  test('may read its own start script, and no other', async () => {
    const template = Template.fromStack(sandbox());
    const [config] = Object.values(template.findResources('AWS::SageMaker::StudioLifecycleConfig'));
    const name = config.Properties.StudioLifecycleConfigName;
    expect(await sim.outcome(notebook, 'sagemaker:DescribeStudioLifecycleConfig', sagemaker(`studio-lifecycle-config/${name}`))).toBe('Allowed');
    expect(await sim.outcome(notebook, 'sagemaker:DescribeStudioLifecycleConfig', sagemaker('studio-lifecycle-config/churn-bo-0123'))).toBe('NotAllowed');
  });

  test('may have SageMaker create a grant on the team\'s key for its space\'s volume, and no other grant', async () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/team';
    // the team's key is the team stack's, whose policy leaves the account's principals to IAM
    const own = new PolicySimulator(Template.fromStack(sandbox()), TEAM_VALUES, { [key]: DEFAULT_KEY_POLICY });
    expect(await own.outcome(notebook, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(await own.outcome(notebook, 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'false' })).toBe('NotAllowed');
    expect(await own.outcome(notebook, 'kms:DescribeKey', key)).toBe('Allowed');
  });

  test('starts its JupyterLab on an allowed instance type only, in its own space only', async () => {
    const app = (space: string) => sagemaker(`app/d-team/${space}/jupyterlab/default`);
    expect(await sim.outcome(notebook, 'sagemaker:CreateApp', app('churn-ana-lima-lab'), types('ml.t3.medium'))).toBe('Allowed');
    expect(await sim.outcome(notebook, 'sagemaker:CreateApp', app('churn-ana-lima-lab'), types('ml.g5.xlarge'))).toBe('Allowed');
    expect(await sim.outcome(notebook, 'sagemaker:CreateApp', app('churn-ana-lima-lab'), types('ml.p4d.24xlarge'))).toBe('NotAllowed');
    expect(await sim.outcome(notebook, 'sagemaker:CreateApp', app('churn-ana-lima-lab'), types('ml.m5.24xlarge'))).toBe('NotAllowed');
    expect(await sim.outcome(notebook, 'sagemaker:CreateApp', app('churn-bo-lab'), types('ml.t3.medium'))).toBe('NotAllowed');
  });

  test('starts and watches the sandbox\'s workflows, as the project role does', () => {
    const stack = sandbox({ projectName: 'flows' });
    const job = batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', 'arn:aws:batch:eu-west-1:111122223333:job-definition/flows-train:3');
    stack.addWorkflow('Training', {
      workflowName: 'flows-training',
      steps: [WorkflowStep.batchJob({ name: 'train', jobQueue: stack.teamQueue('cpu'), jobDefinition: job })],
    });
    const template = Template.fromStack(stack);
    for (const role of ['^NotebookExecutionRole', '^ProjectRole']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp(role) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Action: ['states:DescribeStateMachine', 'states:ListExecutions', 'states:StartExecution'], Resource: { Ref: Match.stringLikeRegexp('^TrainingStateMachine') },
        })]) },
      });
    }
  });

  test('a notebook of a sandbox that reads the team\'s curated zone reads it too, never writes it', async () => {
    const reader = new PolicySimulator(Template.fromStack(sandbox({ projectName: 'reader', readTeamCuratedData: true })), TEAM_VALUES);
    const role = reader.logicalId('AWS::IAM::Role', 'NotebookExecutionRole');
    expect(await reader.outcome(role, 's3:GetObject', object('team-curated', 'features/part-0.parquet'))).toBe('Allowed');
    expect(await reader.outcome(role, 's3:PutObject', object('team-curated', 'features/part-0.parquet'))).toBe('NotAllowed');
  });

  test('the project role may open the owner\'s notebook and no one else\'s', async () => {
    expect(await sim.outcome(project, 'sagemaker:CreatePresignedDomainUrl', sagemaker('user-profile/d-team/churn-ana-lima'))).toBe('Allowed');
    expect(await sim.outcome(project, 'sagemaker:CreatePresignedDomainUrl', sagemaker('user-profile/d-team/churn-bo'))).toBe('NotAllowed');
  });

  test('the cleanup may delete this notebook\'s apps, space and profile, and nobody else\'s', async () => {
    const cases: [string, string, string][] = [
      ['sagemaker:DeleteApp', sagemaker('app/d-team/churn-ana-lima-lab/jupyterlab/default'), 'Allowed'],
      ['sagemaker:DeleteApp', sagemaker('app/d-team/churn-ana-lima/jupyterserver/default'), 'Allowed'],
      ['sagemaker:DeleteSpace', sagemaker('space/d-team/churn-ana-lima-lab'), 'Allowed'],
      ['sagemaker:DeleteUserProfile', sagemaker('user-profile/d-team/churn-ana-lima'), 'Allowed'],
      ['sagemaker:DeleteApp', sagemaker('app/d-team/churn-bo-lab/jupyterlab/default'), 'NotAllowed'],
      ['sagemaker:DeleteSpace', sagemaker('space/d-team/churn-bo-lab'), 'NotAllowed'],
      ['sagemaker:DeleteUserProfile', sagemaker('user-profile/d-team/churn-bo'), 'NotAllowed'],
      ['sagemaker:DeleteDomain', sagemaker('domain/d-team'), 'NotAllowed'],
    ];
    const outcomes = await Promise.all(cases.map(([action, resource]) => sim.outcome(cleanup, action, resource)));
    expect(outcomes).toEqual(cases.map(([, , expected]) => expected));
  });
});

describe('a notebook sandbox of a private team stack', () => {
  test('runs its cleanup in the team\'s subnets and calls only services the team\'s network has endpoints for', () => {
    const app = newTestApp();
    const stack = sandbox({ teamNetwork: NetworkProfile.PRIVATE }, app);
    const template = checkedTemplate(stack, { regulated: true });
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => /Deletes the apps/.test(f.Properties.Description))!;
    expect(fn.Properties.VpcConfig.SubnetIds).toBeDefined();
    const team = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', network: NetworkProfile.PRIVATE, notebooks: {} }));
    const reachable = new Set(Object.values(team.findResources('AWS::EC2::VPCEndpoint'))
      .flatMap((r) => endpointServicePrefixes(r.Properties.ServiceName['Fn::Join'][1][2].slice(1))));
    const roles = ['NotebookExecutionRole', 'NotebookCleanupRole'].map((prefix) => new PolicySimulator(template).logicalId('AWS::IAM::Role', prefix));
    const named = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => roles.includes(r.Ref)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()))
      .map((action: string) => action.split(':')[0]);
    expect([...new Set(named)].filter((prefix) => !reachable.has(prefix))).toEqual([]);
  });
});
