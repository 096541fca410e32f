import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { BatchCompute } from '../../../constructs/compute';
import { DataScienceNetwork } from '../../../constructs/network';
import { Workflow, WorkflowProps, WorkflowStep } from '../../../constructs/scheduler';
import { DataWarehouse } from '../../../constructs/warehouse';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

function setup(props: Partial<WorkflowProps> = {}) {
  const stack = new Stack(newTestApp(), 'Triggers');
  const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, standardQueues: false });
  const queue = compute.addQueue('cpu').jobQueue;
  const job = compute.addJobDefinition('Job', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
  const flow = (name: string, more: Partial<WorkflowProps> = {}) => new Workflow(stack, name, {
    workflowName: name.toLowerCase(), steps: [WorkflowStep.batchJob({ name: 'run', jobQueue: queue, jobDefinition: job })], ...props, ...more,
  });
  return { stack, flow, warehouse: new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' }) };
}

describe('Workflow triggers', () => {
  let template: Template;
  beforeAll(() => {
    const s = setup();
    const features = s.flow('Features');
    features.addSchedule('Nightly', {
      schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '30', timeZone: TimeZone.EUROPE_BERLIN }),
      flexibleWindow: Duration.minutes(15),
      retryAttempts: 5,
    });
    features.addDataTrigger('OnEvents', { bucket: s.warehouse.raw.bucket, prefix: 'events/', suffix: '.parquet' });
    s.flow('Training').runAfter('AfterFeatures', features);
    template = checkedTemplate(s.stack, { regulated: true });
  });

  test('schedule through EventBridge Scheduler in a time zone, with a flexible window, retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FeaturesRunStarterFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FeaturesRunStarterDeadLetters'), 'Arn'] } },
        Input: Match.serializedJson({ trigger: 'schedule', id: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  test('start on new objects under a lake prefix, through EventBridge', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: Match.stringLikeRegexp('^WarehouseRawZoneBucket') }] }, object: { key: [{ wildcard: 'events/*.parquet' }] } },
      },
      Targets: [Match.objectLike({
        DeadLetterConfig: Match.anyValue(),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        InputTransformer: {
          InputPathsMap: { 'id': '$.id', 'detail-bucket-name': '$.detail.bucket.name', 'detail-object-key': '$.detail.object.key' },
          InputTemplate: '{"trigger":"data","id":<id>,"detail":{"bucket":<detail-bucket-name>,"key":<detail-object-key>}}',
        },
      })],
    });
    template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
  });

  test('start when another workflow succeeds', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: Match.stringLikeRegexp('^FeaturesStateMachine') }] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrainingRunStarterFunction'), 'Arn'] } })],
    });
  });

  test('go through one starter per workflow that keeps a second run from starting', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3); // two starters and the default-security-group restriction
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 1,
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: Match.anyValue(),
      Environment: { Variables: { STATE_MACHINE_ARN: { Ref: Match.stringLikeRegexp('^FeaturesStateMachine') }, ALLOW_CONCURRENT_RUNS: 'false' } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: ['states:ListExecutions', 'states:StartExecution'], Resource: { Ref: Match.stringLikeRegexp('^FeaturesStateMachine') } }),
      ]) },
    });
  });

  test('run the starter as a role only Lambda assumes, and invoke it as a role only Scheduler assumes', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const role = (prefix: RegExp) => Object.entries(roles).filter(([id]) => prefix.test(id)).map(([, r]) => ({
      services: r.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal.Service),
      description: r.Properties.Description,
    }));
    expect(role(/^FeaturesRunStarterRole[0-9A-F]{8}$/)).toEqual([{ services: ['lambda.amazonaws.com'], description: 'Starts runs of one workflow' }]);
    expect(role(/^FeaturesRunStarterSchedulerRole[0-9A-F]{8}$/)).toEqual([
      { services: ['scheduler.amazonaws.com'], description: 'Lets schedules invoke the run starter' },
    ]);
  });

  test('let runs overlap when the workflow allows it', () => {
    const s = setup({ allowConcurrentRuns: true });
    s.flow('Scoring').addSchedule('Hourly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALLOW_CONCURRENT_RUNS: 'true' }) },
    });
  });

  test('bundle the starter with the local esbuild, without Docker', () => {
    const s = setup();
    s.flow('Scoring').addSchedule('Hourly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) });
    const fn = Object.values(Template.fromStack(s.stack).findResources('AWS::Lambda::Function'))
      .find((f) => f.Properties.Handler === 'index.handler');
    expect(fn?.Properties.Code.S3Key).toMatch(/\.zip$/);
  });

  test('match a suffix after the prefix literally, a backslash of the key included', () => {
    const s = setup();
    s.flow('Keys').addDataTrigger('OnMarkers', { bucket: s.warehouse.raw.bucket, prefix: 'drop\\zone/', suffix: '_SUCCESS' });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ object: { key: [{ wildcard: 'drop\\\\zone/*_SUCCESS' }] } }) }),
    });
  });

  const hourly = () => scheduler.ScheduleExpression.rate(Duration.hours(1));
  const ID_FIX = 'give an id of letters and digits the workflow does not have yet (its own are Key, Notifications, Dependencies, Logs, StateMachine, RunStarter and ReportEndedRuns), and not an object member name such as "constructor"';
  const PREFIX_FIX = 'give a key prefix ending in "/", for example "events/"';
  test.each([
    ['a prefix without a trailing slash', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: 'events' }), `prefix = "events": ${PREFIX_FIX}`],
    // S3 keys start with no slash; a prefix ends in one, so that it matches one folder's keys
    ['a prefix with a slash inside but not at its end', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: 'events/2026' }),
      `prefix = "events/2026": ${PREFIX_FIX}`],
    ['a prefix starting with a slash', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: '/events/' }), `prefix = "/events/": ${PREFIX_FIX}`],
    // from JavaScript: a list of one prefix reads as that prefix in a pattern test, but is no prefix
    ['a prefix given as a list', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: ['events/'] as any }), `prefix = ["events/"]: ${PREFIX_FIX}`],
    ['a suffix "*", which is no wildcard here', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: 'events/', suffix: '*' }),
      'suffix = "*": give the end of the key as literal text, for example ".parquet"; "*" is not a wildcard here: leave suffix out to match every key under the prefix'],
    ['a suffix that is no text', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: 'events/', suffix: 42 as any }),
      'suffix = 42: give the end of the key as text, for example ".parquet"'],
    ['a prefix with a "*"', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: 'events/*/', suffix: '.csv' }),
      'prefix = "events/*/": give the prefix as literal text: "*" is not a wildcard here; a workflow triggered on every key under a prefix needs no suffix'],
    ['a prefix and suffix longer than any S3 key', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('T', { bucket: s.warehouse.raw.bucket, prefix: `${'p'.repeat(1020)}/`, suffix: '.csv' }),
      'prefix = "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp/": give a prefix and suffix of 1024 bytes at most together: S3 keys are no longer'],
    ['a trigger id every object has', (f: Workflow, s: ReturnType<typeof setup>) => f.addDataTrigger('constructor', { bucket: s.warehouse.raw.bucket, prefix: 'events/' }), `id = "constructor": ${ID_FIX}`],
    ['a trigger id taken already', (f: Workflow) => f.addSchedule('StateMachine', { schedule: hourly() }), `id = "StateMachine": ${ID_FIX}`],
    // from JavaScript: an id left out is named, not a TypeError
    ['a trigger id that is no text', (f: Workflow) => f.addSchedule(undefined as any, { schedule: hourly() }), `id = undefined: ${ID_FIX}`],
    ['a schedule given as its expression\'s text', (f: Workflow) => f.addSchedule('S', { schedule: 'rate(1 hour)' as any }),
      'schedule = "rate(1 hour)": give a ScheduleExpression, for example ScheduleExpression.rate(Duration.hours(6))'],
    ['a description longer than Scheduler takes', (f: Workflow) => f.addSchedule('S', { schedule: hourly(), description: 'd'.repeat(513) }),
      `description = "${'d'.repeat(513)}": give at most 512 characters`],
    ['a workflow started after itself', (f: Workflow) => f.runAfter('Again', f), 'upstream = "bad": give another workflow: a workflow that starts itself when it succeeds never stops'],
    ['a flexible window over a day', (f: Workflow) => f.addSchedule('S', { schedule: hourly(), flexibleWindow: Duration.hours(25) }), 'flexibleWindow = "1 day 1 hour": give whole minutes, from 1 minute to 24 hours'],
    ['a flexible window of part of a minute', (f: Workflow) => f.addSchedule('S', { schedule: hourly(), flexibleWindow: Duration.seconds(90) }), 'flexibleWindow = "1 minute 30 seconds": give whole minutes, from 1 minute to 24 hours'],
    ['an event age Scheduler does not keep', (f: Workflow) => f.addSchedule('S', { schedule: hourly(), maxEventAge: Duration.days(2) }), 'maxEventAge = "2 days": give whole seconds, from 1 minute to 24 hours, as long as Scheduler keeps retrying'],
    ['negative retries', (f: Workflow) => f.addSchedule('S', { schedule: hourly(), retryAttempts: -1 }), 'retryAttempts = -1: give a whole number from 0 to 185'],
  ])('rejects %s', (_, add, message) => {
    const s = setup();
    expect(problemLines(() => add(s.flow('Bad'), s))).toEqual([message].flat());
  });
});
