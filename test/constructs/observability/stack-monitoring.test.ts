import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ArtifactStore, BatchCompute, DataScienceNetwork, DataScienceStack, DataWarehouse, EndpointHosting, ModelEndpoint, ModelSource, StackMonitoring, Workflow, WorkflowStep } from '../../../lib';
import { expectAlarms } from '../../support/alarms';
import { endpointAlarms, runCloserAlarms, workflowAlarms } from '../../support/alarm-specs';
import { dashboardOf, widgetOf } from '../../support/dashboards';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { allowStatements } from '../../support/policies';
import { propertyOf, resourceId } from '../../support/resources';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines, problemsOf, validationErrorOf } from '../../support/validation';

describe('StackMonitoring in the team stack', () => {
  let template: Template;
  let dashboard: any;
  let team: DataScienceStack;
  beforeAll(() => {
    team = new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', alarmEmails: ['ml-oncall@example.com'] });
    const model = ModelSource.fromArtifact({ artifactStore: team.artifacts, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
    team.addModelEndpoint('Churn', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'v1', model }] });
    template = checkedTemplate(team, { regulated: true });
    dashboard = dashboardOf(template);
  });

  test('lists exactly the alarms it made, its workflows\' failures, time-outs and stops', () => {
    const made = team.monitoring.node.findAll().filter((c) => c instanceof cloudwatch.Alarm);
    expect(made.map((alarm) => alarm.node.id)).toEqual(['ExampleWorkflowFailed', 'ExampleWorkflowTimedOut', 'ExampleWorkflowAborted']);
    expect(team.monitoring.alarms).toEqual(made);
  });

  test('has one dashboard with runs, run time, Batch jobs by queue and state, Athena scans and endpoint traffic', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const titles = dashboard.widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(expect.arrayContaining([
      'Workflow example: runs', 'Workflow example: run time', 'Batch jobs by queue and state',
      'Athena: data scanned in fraud-models-dev', 'Endpoint Churn: invocations and errors', 'Endpoint Churn: model latency (µs)', 'Endpoint Churn: alarms',
    ]));
  });

  test('graphs a workflow\'s runs that succeeded and failed, each labelled, as sums', () => {
    expect(widgetOf(dashboard, 'Workflow example: runs').metrics).toEqual([
      ['AWS/States', 'ExecutionsSucceeded', 'StateMachineArn', 'TOKEN', { label: 'succeeded', stat: 'Sum' }],
      ['AWS/States', 'ExecutionsFailed', 'StateMachineArn', 'TOKEN', { label: 'failed', stat: 'Sum' }],
    ]);
  });

  test('graphs a workflow\'s run time, average and 90th percentile, and an endpoint\'s invocations and errors', () => {
    const metricsOf = (title: string) => widgetOf(dashboard, title).metrics;
    expect(metricsOf('Workflow example: run time')).toEqual([
      ['AWS/States', 'ExecutionTime', 'StateMachineArn', 'TOKEN', { label: 'average' }],
      ['AWS/States', 'ExecutionTime', 'StateMachineArn', 'TOKEN', { label: 'p90', stat: 'p90' }],
    ]);
    // each a sum over the endpoint's variants, drawn by its expression
    const lines = metricsOf('Endpoint Churn: invocations and errors').filter((m: any[]) => m.length === 1).map(([line]: any[]) => line.label);
    expect(lines).toEqual(['Invocations', 'Invocation5XXErrors', 'Invocation4XXErrors']);
  });

  test('alarms on failed runs and endpoint errors, to the notification topic, which mails the on-call address', () => {
    const topic = { Ref: Match.stringLikeRegexp('^Notifications') };
    const actions = [{ Ref: expect.stringMatching(/^Notifications/) }];
    // every alarm of the stack, each whole: what it watches, when it fires, whom it tells
    expectAlarms(template, [
      ...workflowAlarms(template, { monitoring: 'Monitoring', workflow: 'ExampleWorkflow', stateMachine: 'ExampleWorkflowStateMachine', workflowName: 'example' }, actions),
      ...runCloserAlarms(template, 'RunsRunCloser', actions),
      ...endpointAlarms(template, 'Churn', { variants: ['v1'], errors: 0, latencyMillis: 2000, actions }),
    ], 'test/constructs/observability/stack-monitoring.test.ts');
    // CloudWatch may publish to the encrypted topic and use its key
    const allowsCloudWatch = (statements: any[], action: string) => statements.some((s) => s.Effect === 'Allow'
      && [s.Action].flat().includes(action) && [s.Principal?.Service].flat().includes('cloudwatch.amazonaws.com'));
    const topicPolicy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(allowsCloudWatch(topicPolicy, 'sns:Publish')).toBe(true);
    const keyPolicy = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(allowsCloudWatch(keyPolicy, 'kms:GenerateDataKey')).toBe(true);
    expect(allowsCloudWatch(keyPolicy, 'kms:Decrypt')).toBe(true);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml-oncall@example.com', TopicArn: topic });
  });

  test('tells the team of every failed Batch job of every queue, naming the job, its queue and why, through a rule with a dead-letter queue', () => {
    const queues = team.compute.jobQueues.map((q) => team.resolve(q.jobQueueArn));
    expect(queues).toHaveLength(4);
    const batchEvents = { 'source': ['aws.batch'], 'detail-type': ['Batch Job State Change'] };
    const deadLetters = { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringDeadLetters/), 'Arn'] } };
    const rule = (prefix: string) => propertyOf(template, 'AWS::Events::Rule', prefix);
    expect(rule('MonitoringComputeJobFailed')).toEqual(expect.objectContaining({
      Description: 'Tells the team about each failed Batch job',
      EventPattern: { ...batchEvents, detail: { jobQueue: queues, status: ['FAILED'] } },
      Targets: [{
        Id: 'Target0', Arn: { Ref: expect.stringMatching(/^Notifications/) }, RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MonitoringEventsPublisher/), 'Arn'] },
        DeadLetterConfig: deadLetters,
        InputTransformer: {
          InputPathsMap: { 'detail-jobName': '$.detail.jobName', 'detail-jobId': '$.detail.jobId', 'detail-jobQueue': '$.detail.jobQueue', 'detail-statusReason': '$.detail.statusReason' },
          InputTemplate: '{"alert":"Batch job failed","job":<detail-jobName>,"jobId":<detail-jobId>,"queue":<detail-jobQueue>,"reason":<detail-statusReason>}',
        },
      }],
    }));
    // every state change of the same queues goes to the job-event log, which counts them
    const logGroup = Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/events/Team-batch-jobs' } }));
    expect(logGroup).toEqual([expect.stringMatching(/^MonitoringJobEvents/)]);
    expect(rule('MonitoringComputeJobEvents')).toEqual(expect.objectContaining({
      Description: 'Keeps Batch job state changes, counted on the dashboard',
      EventPattern: { ...batchEvents, detail: { jobQueue: queues } },
      Targets: [{
        Id: 'Target0', DeadLetterConfig: deadLetters,
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:', { Ref: logGroup[0] }]] },
      }],
    }));
  });

  test('keeps the job-event log a month, encrypted by the data key, and lets EventBridge write to it for this account alone', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/events/Team-batch-jobs', RetentionInDays: 30, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
    });
    const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy')).map((r) => r.Properties);
    expect(policy.PolicyName).toBe('Team-batch-job-events');
    const parts = policy.PolicyDocument['Fn::Join'][1] as unknown[];
    const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p).replace(/"/g, "'"))).join('');
    expect(JSON.parse(text)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: expect.stringMatching(/^\{'Fn::GetAtt':\['MonitoringJobEvents[0-9A-F]{8}','Arn'\]\}$/),
        Condition: { StringEquals: { 'aws:SourceAccount': "{'Ref':'AWS::AccountId'}" } },
      }],
    });
  });

  test('graphs each queue\'s jobs by state, labelled with the queue\'s name, Athena\'s bytes scanned by the hour, and an endpoint\'s latency and alarms', () => {
    // a queue's ARN as Batch gives it, any other attribute by the resource it names
    const arnOf = (token: any) => {
      const [id, attribute] = token['Fn::GetAtt'] ?? [];
      return attribute === 'JobQueueArn' ? `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/${id}` : `${attribute} of ${id}`;
    };
    const resolved = dashboardOf(template, arnOf);
    const jobs = widgetOf(resolved, 'Batch jobs by queue and state').metrics;
    const queues = team.compute.jobQueues.map((q) => team.resolve(q.jobQueueArn)['Fn::GetAtt'][0]);
    expect(jobs).toEqual(queues.flatMap((queue) => ['RUNNABLE', 'RUNNING', 'SUCCEEDED', 'FAILED'].map((state) =>
      ['DataScience/Batch', `Jobs${state}`, 'JobQueue', arnOf({ 'Fn::GetAtt': [queue, 'JobQueueArn'] }), { label: `${queue} ${state.toLowerCase()}`, stat: 'Sum' }])));
    expect(widgetOf(resolved, 'Athena: data scanned in fraud-models-dev').metrics).toEqual([
      ['AWS/Athena', 'ProcessedBytes', 'WorkGroup', 'fraud-models-dev', { label: 'bytes scanned', period: 3600, stat: 'Sum' }],
    ]);
    const latency = widgetOf(resolved, 'Endpoint Churn: model latency (µs)').metrics;
    const alarms = widgetOf(resolved, 'Endpoint Churn: alarms').alarms;
    expect(alarms).toEqual([expect.stringMatching(/^Arn of ChurnErrorAlarm/), expect.stringMatching(/^Arn of ChurnLatencyAlarm/)]);
    expect(latency.map((m: any[]) => [m[1], m[m.length - 1]])).toEqual(['p50', 'p90', 'p99'].map((p) => ['ModelLatency', { label: p, period: 60, stat: p }]));
  });

  test('lets EventBridge publish failed jobs as a role of its own, and no other account\'s rules use the topic, key or queue', async () => {
    const sim = new PolicySimulator(template);
    const topic = sim.arn(sim.logicalId('AWS::SNS::Topic', 'Notifications'));
    const key = sim.arn(sim.logicalId('AWS::KMS::Key', 'DataKey'));
    const deadLetters = sim.arn(sim.logicalId('AWS::SQS::Queue', 'MonitoringDeadLetters'));
    const rule = sim.arn(sim.logicalId('AWS::Events::Rule', 'MonitoringComputeJobFailed'));
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Notifications') }, RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringEventsPublisher'), 'Arn'] } })],
    });
    const publisher = sim.logicalId('AWS::IAM::Role', 'MonitoringEventsPublisher');
    expect(template.toJSON().Resources[publisher].Properties).toMatchObject({
      Description: 'Publishes this stack\'s monitoring events to its notification topic',
      AssumeRolePolicyDocument: { Statement: [{
        Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }] },
    });
    expect(await sim.decide(publisher, 'sns:Publish', topic)).toBe('Allowed');
    expect(await sim.decide(publisher, 'kms:GenerateDataKey', key)).toBe('Allowed');
    expect(await sim.outcome(publisher, 'sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:another-topic`)).toBe('NotAllowed');
    // EventBridge itself delivers only to the dead-letter queue, for this account's rules
    const ours = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': rule };
    const theirs = { 'aws:SourceAccount': '999988887777', 'aws:SourceArn': 'arn:aws:events:eu-west-1:999988887777:rule/theirs' };
    expect(await sim.decideForService('events.amazonaws.com', 'sqs:SendMessage', deadLetters, ours)).toBe('Allowed');
    expect(await sim.decideForService('events.amazonaws.com', 'kms:GenerateDataKey', key, ours)).toBe('Allowed');
    for (const [action, resource] of [['sns:Publish', topic], ['kms:GenerateDataKey', key], ['kms:Decrypt', key], ['sqs:SendMessage', deadLetters]]) {
      expect([action, await sim.decideForService('events.amazonaws.com', action, resource, theirs)]).toEqual([action, 'ImplicitlyDenied']);
    }
  });

  test('ties every service\'s use of the stack\'s keys, topics, queues, buckets and logs to this account or its resources', () => {
    const tied = ['aws:SourceAccount', 'aws:SourceArn', 'kms:EncryptionContext:aws:logs:arn'];
    const untied = allowStatements(template.toJSON())
      .filter(({ identity, statement }) => !identity && statement.Principal?.Service)
      .filter(({ statement }) => !Object.values<any>(statement.Condition ?? {}).some((c) => tied.some((k) => k in c)));
    expect(untied).toEqual([]);
  });

  test('counts Batch jobs by state and queue from their events', () => {
    for (const state of ['SUBMITTED', 'RUNNABLE', 'RUNNING', 'SUCCEEDED', 'FAILED']) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: `{ $.detail.status = "${state}" }`,
        MetricTransformations: [{ MetricNamespace: 'DataScience/Batch', MetricName: `Jobs${state}`, MetricValue: '1', Dimensions: [{ Key: 'JobQueue', Value: '$.detail.jobQueue' }] }],
      });
    }
    const policy = Object.values(template.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument;
    const text = (policy['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
    expect(JSON.parse(text).Statement[0]).toMatchObject({
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });
});

describe('StackMonitoring on its own', () => {
  test('creates a topic when given none, encrypted with a key of its own and refusing publishers without TLS', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    new StackMonitoring(stack, 'Monitoring');
    const template = checkedTemplate(stack);
    const key = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { Description: 'Encrypts monitoring notifications and job events' } }));
    expect(key).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key[0], 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([
      Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      // alarm actions: CloudWatch publishes to the topic, from this account only
      Match.objectLike({
        Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]) } });
  });

  test('lets SNS use its key for the email subscriptions\' dead letters, for this account alone', async () => {
    const stack = new Stack(newTestApp(), 'Watch');
    new StackMonitoring(stack, 'Monitoring', { alarmEmails: ['ml-oncall@example.com'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringDeadLetters'), 'Arn'] } } });
    const sim = new PolicySimulator(template);
    const key = sim.arn(sim.logicalId('AWS::KMS::Key', 'MonitoringKey'));
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect([action, await sim.decideForService('sns.amazonaws.com', action, key, { 'aws:SourceAccount': ACCOUNT })]).toEqual([action, 'Allowed']);
      expect([action, await sim.decideForService('sns.amazonaws.com', action, key, { 'aws:SourceAccount': '999988887777' })]).toEqual([action, 'ImplicitlyDenied']);
    }
  });

  test('watches a warehouse and an endpoint once however often asked', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const monitoring = new StackMonitoring(stack, 'Monitoring');
    const warehouse = new DataWarehouse(stack, 'Lake', { namePrefix: 'lake' });
    const artifactStore = new ArtifactStore(stack, 'Artifacts');
    const model = ModelSource.fromArtifact({ artifactStore, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
    const endpoint = new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'v1', model }] });
    for (let i = 0; i < 2; i++) {
      monitoring.monitorWarehouse(warehouse);
      monitoring.monitorEndpoint(endpoint);
    }
    const template = Template.fromStack(stack);
    const titles = dashboardOf(template).widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(['Athena: data scanned in lake', 'Endpoint Churn: invocations and errors', 'Endpoint Churn: model latency (µs)', 'Endpoint Churn: alarms']);
    // and the endpoint's alarms tell the topic once
    for (const alarm of ['ChurnErrorAlarm', 'ChurnLatencyAlarm']) {
      expect(propertyOf(template, 'AWS::CloudWatch::Alarm', alarm, 'AlarmActions')).toEqual([{ Ref: resourceId(template, 'AWS::SNS::Topic', 'MonitoringTopic') }]);
    }
  });

  test('shows a day on its dashboard unless the reader picks another period', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    new StackMonitoring(stack, 'Monitoring');
    expect(dashboardOf(Template.fromStack(stack))).toMatchObject({ start: '-P1D' });
  });

  test('makes the alarms of an endpoint that notifies nobody notify its topic', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const artifactStore = new ArtifactStore(stack, 'Artifacts');
    const model = ModelSource.fromArtifact({ artifactStore, modelDataKey: 'models/churn/1/model.tar.gz', image: 'img:1' });
    const endpoint = new ModelEndpoint(stack, 'Churn', { hosting: EndpointHosting.SERVERLESS, variants: [{ variantName: 'v1', model }] });
    new StackMonitoring(stack, 'Monitoring').monitorEndpoint(endpoint);
    const template = Template.fromStack(stack);
    const actions = [{ Ref: expect.stringMatching(/^MonitoringTopic/) }];
    expectAlarms(template, endpointAlarms(template, 'Churn', { variants: ['v1'], errors: 0, latencyMillis: 1000, actions }), 'test/constructs/observability/stack-monitoring.test.ts');
  });

  test('publishes failed jobs to a topic of the team\'s own without a key, keeps job events as long as told, and lets EventBridge use its key for dead letters', async () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const { vpc } = new DataScienceNetwork(stack, 'Network');
    const monitoring = new StackMonitoring(stack, 'Monitoring', { notificationTopic: new sns.Topic(stack, 'Plain'), logRetention: logs.RetentionDays.THREE_MONTHS });
    monitoring.monitorBatchCompute(new BatchCompute(stack, 'Training', { vpc }));
    const template = Template.fromStack(stack);
    expect(propertyOf(template, 'AWS::Logs::LogGroup', 'MonitoringJobEvents', 'RetentionInDays')).toBe(90);
    // the topic has no key to grant: the publisher's one permission is to publish
    const publisher = resourceId(template, 'AWS::IAM::Role', 'MonitoringEventsPublisher');
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === publisher))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: resourceId(template, 'AWS::SNS::Topic', 'Plain') } })]);
    const sim = new PolicySimulator(template);
    const key = sim.arn(sim.logicalId('AWS::KMS::Key', 'MonitoringKey'));
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect([action, await sim.decideForService('events.amazonaws.com', action, key, { 'aws:SourceAccount': ACCOUNT })]).toEqual([action, 'Allowed']);
    }
  });

  test('counts each Batch job event once, however many compute layers it watches', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const { vpc } = new DataScienceNetwork(stack, 'Network');
    const monitoring = new StackMonitoring(stack, 'Monitoring');
    monitoring.monitorBatchCompute(new BatchCompute(stack, 'Training', { vpc }));
    monitoring.monitorBatchCompute(new BatchCompute(stack, 'Scoring', { vpc }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 4);
    template.resourceCountIs('AWS::Logs::MetricFilter', 5);
  });

  test('rejects an address that is not one', () => {
    expect(() => new StackMonitoring(new Stack(), 'Monitoring', { alarmEmails: ['on-call'] })).toThrow('alarmEmails[0] = "on-call": give an email address');
  });

  // an address is a name, an @ and a domain with a dot, each part one or more characters that are neither @ nor space
  const refusesEmail = (email: string) => problemsOf(() => new StackMonitoring(new Stack(), 'Monitoring', { alarmEmails: [email] }))
    .some((p) => p.fix === 'give an email address');
  test.each(['ml-oncall@example.com', 'a@b.c', 'first.last@mail.example.co.uk', 'ops+ml@x.io'])('accepts the address %s', (email) => {
    expect(refusesEmail(email)).toBe(false);
  });
  test.each([
    'ops example@mail.com', 'ops@mail.com example', '@example.com', 'ops@.com', 'ops@example.', 'ops@example',
    'ops@@example.com', 'ops@ex@ample.com', 'ops@exam ple.com', 'ops@example.c om', ' ops@example.com', 'ops@example.com\n',
  ])('refuses the address %j', (email) => {
    expect(refusesEmail(email)).toBe(true);
  });

  test('refuses addresses given as one string, by name', () => {
    expect(problemLines(() => new StackMonitoring(new Stack(newTestApp(), 'Watch'), 'Monitoring', { alarmEmails: 'ml-oncall@example.com' as any })))
      .toEqual(['alarmEmails = "ml-oncall@example.com": give a list, for example ["ml-oncall@example.com"]']);
  });

  test('refuses an address that is not a string, from JavaScript or context, even one that prints as an address', () => {
    expect(refusesEmail(['ops@example.com'] as unknown as string)).toBe(true);
  });

  test('names itself and every mistake whole in its error', () => {
    expect(validationErrorOf(() => new StackMonitoring(new Stack(), 'Monitoring', { alarmEmails: ['on-call'], removalPolicy: RemovalPolicy.SNAPSHOT })).message)
      .toBe('Invalid props for StackMonitoring:\n'
        + '  - alarmEmails[0] = "on-call": give an email address\n'
        + '  - removalPolicy = "snapshot": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted');
  });

  test('lists no alarm before it watches anything', () => {
    expect(new StackMonitoring(new Stack(), 'Monitoring').alarms).toEqual([]);
  });

  test.each([
    ['an address twice', { alarmEmails: ['a@example.com', 'a@example.com'] }, 'alarmEmails[1] = "a@example.com": give each address once'],
    ['logs kept forever, which the rule packs refuse', { logRetention: logs.RetentionDays.INFINITE }, 'logRetention = "RetentionDays.INFINITE"'],
    ['a retention CloudWatch Logs does not have', { logRetention: 10 as logs.RetentionDays }, 'logRetention = 10: use one of logs.RetentionDays'],
    ['a snapshot of what cannot be snapshotted', { removalPolicy: RemovalPolicy.SNAPSHOT }, 'removalPolicy = "snapshot"'],
  ])('rejects %s', (_, props, message) => {
    expect(() => new StackMonitoring(new Stack(), 'Monitoring', props)).toThrow(message);
  });

  test('watches a compute layer once however often asked, and refuses a second one of the same id', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const { vpc } = new DataScienceNetwork(stack, 'Network');
    const monitoring = new StackMonitoring(stack, 'Monitoring');
    const compute = new BatchCompute(stack, 'Compute', { vpc });
    monitoring.monitorBatchCompute(compute);
    monitoring.monitorBatchCompute(compute);
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 2);
    const twin = new BatchCompute(new Construct(stack, 'Other'), 'Compute', { vpc });
    expect(validationErrorOf(() => monitoring.monitorBatchCompute(twin)).message).toBe(
      'Invalid props for StackMonitoring.monitorBatchCompute:\n  - compute = "Watch/Other/Compute": another one with the id Compute is monitored here already, '
      + 'and its alarms take ComputeJobFailed: give them different ids');
  });

  test('watches a workflow once however often asked, and refuses a second one of the same id, whose alarms would take the first one\'s ids', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc });
    const job = compute.addJobDefinition('Job', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim') });
    const flow = (scope: Construct, workflowName: string) => new Workflow(scope, 'Flow', {
      workflowName, steps: [WorkflowStep.batchJob({ name: 'train', jobQueue: compute.queue('cpu').jobQueue, jobDefinition: job })],
    });
    const monitoring = new StackMonitoring(stack, 'Monitoring');
    const first = flow(stack, 'first');
    monitoring.monitorWorkflow(first);
    monitoring.monitorWorkflow(first);
    expect(monitoring.alarms.map((alarm) => alarm.node.id)).toEqual(['FlowFailed', 'FlowTimedOut', 'FlowAborted']);
    expect(validationErrorOf(() => monitoring.monitorWorkflow(flow(new Construct(stack, 'Other'), 'second'))).message).toBe(
      'Invalid props for StackMonitoring.monitorWorkflow:\n  - workflow = "Watch/Other/Flow": another one with the id Flow is monitored here already, '
      + 'and its alarms take FlowFailed: give them different ids');
  });

  test('refuses a second StackMonitoring counting the same stack\'s Batch jobs, whose log group can exist once', () => {
    const stack = new Stack(newTestApp(), 'Watch');
    const { vpc } = new DataScienceNetwork(stack, 'Network');
    new StackMonitoring(stack, 'Monitoring').monitorBatchCompute(new BatchCompute(stack, 'Training', { vpc }));
    expect(() => new StackMonitoring(stack, 'More').monitorBatchCompute(new BatchCompute(stack, 'Scoring', { vpc })))
      .toThrow(new RegExp(`^Invalid props for StackMonitoring\\.monitorBatchCompute:\n  - compute = "Watch/Scoring": Watch/Monitoring already counts this stack's Batch jobs in log group /aws/events/Watch-batch-jobs, which can exist once: monitor every BatchCompute of the stack with that StackMonitoring$`));
  });
});
