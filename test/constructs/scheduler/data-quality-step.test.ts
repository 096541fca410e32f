import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DataQualityRuleset } from '../../../constructs/features';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore, RunRegistry } from '../../../constructs/versioning';
import { DataWarehouse, LakeTable, PartitionProjection, TableFormat } from '../../../constructs/warehouse';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';
import { RunTable } from '../../support/run-table';
import { aslErrors, definitionOf, laneStates, LocalRun, runLocally, taskError, taskStateNames } from '../../support/state-machines';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

const RULES = 'Rules = [ RowCount > 0, IsComplete "user_id", ColumnValues "amount" >= 0 ]';

/** A warehouse with an events table, its rules, and a workflow whose training waits for them. */
function gatedWorkflow(stack: Stack, options: { registry?: boolean; artifacts?: boolean } = {}) {
  const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
  const events = warehouse.raw.addTable('Events', {
    tableName: 'events',
    columns: [{ name: 'user_id', type: 'string' }, { name: 'amount', type: 'double' }],
    partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date() }],
  });
  const ruleset = new DataQualityRuleset(stack, 'EventsChecks', { table: events, rules: RULES });
  const job = {
    jobQueue: batch.JobQueue.fromJobQueueArn(stack, 'Queue', `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/cpu`),
    jobDefinition: batch.EcsJobDefinition.fromJobDefinitionArn(stack, 'Job', `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/train:1`),
  };
  const check = WorkflowStep.dataQuality({ name: 'check', ruleset });
  const workflow = new Workflow(stack, 'Flow', {
    workflowName: 'training',
    artifactStore: options.artifacts === false ? undefined : new ArtifactStore(stack, 'Artifacts'),
    runRegistry: options.registry === false ? undefined : new RunRegistry(stack, 'Runs'),
    notificationTopic: new sns.Topic(stack, 'Topic', { enforceSSL: true, masterKey: warehouse.encryptionKey }),
    steps: [
      check,
      WorkflowStep.batchJob({ name: 'train', dependsOn: ['check'], ...job }),
      WorkflowStep.batchJob({ name: 'report', dependsOn: ['train'], ...job }),
    ],
  });
  return { warehouse, events, ruleset, workflow, check };
}

/** Glue's rule results, each with the rule as written and the values it measured. */
const PASSED_RULES = [
  { Name: 'Rule_1', Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 1200 }, EvaluatedRule: 'RowCount > 0' },
  { Name: 'Rule_2', Result: 'PASS', EvaluatedMetrics: { 'Column.user_id.Completeness': 1 }, EvaluatedRule: 'IsComplete "user_id"' },
  { Name: 'Rule_3', Result: 'PASS', EvaluatedMetrics: { 'Column.amount.Minimum': 0.5 }, EvaluatedRule: 'ColumnValues "amount" >= 0' },
];
const FAILED_RULE = {
  Name: 'Rule_2', Result: 'FAIL', EvaluationMessage: 'Value: 0.9731 does not meet the constraint requirement!',
  EvaluatedMetrics: { 'Column.user_id.Completeness': 0.9731 }, EvaluatedRule: 'IsComplete "user_id"',
};

/** Glue's answers: a run that is RUNNING `looks - 1` times, then ends `status`, with these rule results. */
function glue(rules: object[], options: { looks?: number; status?: string; errorString?: string } = {}) {
  let looks = 0;
  const passed = rules.filter((r: any) => r.Result === 'PASS').length;
  return {
    'Start data quality run': () => ({ RunId: 'dqrun-7' }),
    'Read data quality run': () => {
      looks++;
      return looks < (options.looks ?? 2)
        ? { RunId: 'dqrun-7', Status: looks === 1 ? 'STARTING' : 'RUNNING' }
        : { RunId: 'dqrun-7', Status: options.status ?? 'SUCCEEDED', ResultIds: ['dqresult-7'], ...(options.errorString ? { ErrorString: options.errorString } : {}) };
    },
    'Read data quality result': () => ({ ResultId: 'dqresult-7', Score: passed / rules.length, RuleResults: rules }),
  };
}

function callsOf(run: LocalRun, state: string): any[] {
  return run.calls.filter((c) => c.state === state).map((c) => c.input);
}

describe('WorkflowStep.dataQuality', () => {
  let template: Template;
  let definition: any;
  let check: WorkflowStep;
  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Gated', { env: { account: ACCOUNT, region: REGION } });
    check = gatedWorkflow(stack).check;
    template = checkedTemplate(stack, { regulated: true, controlTower: true });
    definition = definitionOf(template, 'FlowStateMachine');
  });

  test('declares the rules with the table, and a role for Glue, with every rule pack and Control Tower control passing', () => {
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Ruleset: RULES,
      TargetTable: { DatabaseName: 'team_raw', TableName: 'events' },
      Name: Match.stringLikeRegexp('^Gated-EventsChecks-'),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'glue.amazonaws.com' } })] },
    });
  });

  test('passes asl-validator, and waits for the evaluation without a .sync integration', () => {
    expect(aslErrors(definition)).toEqual([]);
    const states = laneStates(definition);
    expect(states['Start data quality run'].Resource).toMatch(/:states:::aws-sdk:glue:startDataQualityRulesetEvaluationRun$/);
    expect(states['Wait for data quality run']).toMatchObject({ Type: 'Wait', Seconds: 60 });
    expect(states.check.Parameters.maxLooks).toBe(35);
  });

  test('passing rules let the later steps run, and the score goes into the run record', async () => {
    const run = await runLocally(definition, glue(PASSED_RULES, { looks: 3 }), 'run-0042');
    expect(run.error).toBeUndefined();
    const [start] = callsOf(run, 'Start data quality run');
    expect(start).toMatchObject({
      RulesetNames: [expect.stringMatching(/^Gated-EventsChecks-/)],
      DataSource: { GlueTable: { DatabaseName: 'team_raw', TableName: 'events' } },
      NumberOfWorkers: 2,
      Timeout: 30,
      AdditionalRunOptions: { CloudWatchMetricsEnabled: false, ResultsS3Prefix: expect.stringMatching(/^s3:\/\/artifactsbucket[0-9a-f]+\/runs\/training\/run-0042\/check\/$/) },
    });
    expect(start.Role).toMatch(/^arn:aws:iam::111122223333:role\//);
    expect(callsOf(run, 'Read data quality run')).toEqual([{ RunId: 'dqrun-7' }, { RunId: 'dqrun-7' }, { RunId: 'dqrun-7' }]);
    expect(callsOf(run, 'Read data quality result')).toEqual([{ ResultId: 'dqresult-7' }]);
    const [record] = callsOf(run, 'Record data quality');
    expect(record.Key).toEqual({ workflow: { S: 'training' }, runId: { S: 'run-0042' } });
    expect(record.UpdateExpression).toBe('SET #list = list_append(if_not_exists(#list, :none), :entry)');
    expect(record.ExpressionAttributeNames).toEqual({ '#list': 'dataQuality' });
    expect(record.ExpressionAttributeValues[':entry']).toEqual({
      L: [{ M: { step: { S: 'check' }, passed: { BOOL: true }, score: { N: '1' }, resultId: { S: 'dqresult-7' }, rules: { S: JSON.stringify(PASSED_RULES) } } }],
    });
    expect(run.calls.filter((c) => c.state === 'Batch job').map((c) => c.input.JobName)).toEqual(['train', 'report']);
    expect(callsOf(run, 'Record success')).toHaveLength(1);
  });

  test('the score lands in the run\'s record as DynamoDB would append it, beside the record\'s own attributes', async () => {
    const table = new RunTable();
    const run = await runLocally(definition, {
      ...glue(PASSED_RULES),
      ...table.handlers(['Record start'], ['Record data quality', 'Record success', 'Record failure']),
    }, 'run-0044');
    expect(run.error).toBeUndefined();
    expect(table.record('training', 'run-0044')).toMatchObject({
      status: { S: 'SUCCEEDED' },
      dataQuality: { L: [{ M: { step: { S: 'check' }, passed: { BOOL: true }, score: { N: '1' }, resultId: { S: 'dqresult-7' }, rules: { S: JSON.stringify(PASSED_RULES) } } }] },
    });
  });

  test('a failed rule fails the run before training: notified and recorded with the rule and its value', async () => {
    const rules = [PASSED_RULES[0], FAILED_RULE, PASSED_RULES[2]];
    const run = await runLocally(definition, glue(rules), 'run-0043');
    expect(run.error?.name).toBe('DataQualityFailed');
    expect(run.endedIn).toBe('Run failed');
    expect(run.calls.filter((c) => c.state.startsWith('Batch job'))).toEqual([]);
    const outcome = {
      passed: false,
      score: 2 / 3,
      rules,
      table: 'team_raw.events',
      ruleset: expect.stringMatching(/^Gated-EventsChecks-/),
      resultId: 'dqresult-7',
    };
    const [notice] = callsOf(run, 'Notify failure');
    expect(notice.Message).toMatchObject({ workflow: 'training', runId: 'run-0043', status: 'FAILED', step: 'check', error: 'DataQualityFailed' });
    expect(JSON.parse(notice.Message.cause)).toEqual(outcome);
    expect(JSON.parse(run.error!.message)).toEqual(outcome);
    const [entry] = callsOf(run, 'Record data quality')[0].ExpressionAttributeValues[':entry'].L;
    expect(entry.M).toMatchObject({ step: { S: 'check' }, passed: { BOOL: false }, score: { N: String(2 / 3) } });
    expect(JSON.parse(entry.M.rules.S)).toEqual(rules);
    const [failure] = callsOf(run, 'Record failure');
    expect(failure.ExpressionAttributeValues).toMatchObject({ ':status': { S: 'FAILED' }, ':step': { S: 'check' }, ':error': { S: 'DataQualityFailed' } });
  });

  test('a rule that errs counts as failed', async () => {
    const erring = { Name: 'Rule_3', Result: 'ERROR', EvaluationMessage: 'Column amount does not exist', EvaluatedRule: 'ColumnValues "amount" >= 0' };
    const run = await runLocally(definition, glue([PASSED_RULES[0], PASSED_RULES[1], erring]));
    expect(run.error?.name).toBe('DataQualityFailed');
    expect(JSON.parse(run.error!.message).rules).toContainEqual(erring);
  });

  test.each([
    ['an evaluation run that fails, with its reason', { status: 'FAILED', errorString: 'Table events not found' }, 'DataQualityRunFailed',
      'Glue Data Quality run dqrun-7 ended FAILED: Table events not found'],
    ['an evaluation run that Glue timed out', { status: 'TIMEOUT' }, 'DataQualityRunFailed', 'Glue Data Quality run dqrun-7 ended TIMEOUT'],
    ['an evaluation run still running after the timeout', { looks: 1000 }, 'DataQualityTimedOut',
      'Glue Data Quality run dqrun-7 was still RUNNING after 35 looks a minute apart'],
  ])('%s fails the run, notified and recorded, before training', async (_, options, error, cause) => {
    const run = await runLocally(definition, glue(PASSED_RULES, options));
    expect(run.error).toEqual({ name: error, message: cause });
    expect(callsOf(run, 'Notify failure')[0].Message).toMatchObject({ step: 'check', error, cause });
    expect(callsOf(run, 'Record failure')[0].ExpressionAttributeValues[':error']).toEqual({ S: error });
    expect(callsOf(run, 'Record data quality')).toEqual([]);
    expect(run.calls.filter((c) => c.state.startsWith('Batch job'))).toEqual([]);
    expect(run.endedIn).toBe('Run failed');
  });

  test('each of the step\'s tasks, failing for good, fails the run with its own error, reported for the step', async () => {
    const tasks = taskStateNames(definition, (s) => /glue|dynamodb:updateItem/.test(s.Resource))
      .filter((name) => name.includes('data quality'));
    expect(tasks.sort()).toEqual(['Read data quality result', 'Read data quality run', 'Record data quality', 'Start data quality run']);
    for (const failing of tasks) {
      const run = await runLocally(definition, { ...glue(PASSED_RULES), [failing]: () => { throw taskError('Glue.AccessDeniedException', `${failing} refused`); } });
      expect({ failing, error: run.error }).toEqual({ failing, error: { name: 'Glue.AccessDeniedException', message: `${failing} refused` } });
      expect({ failing, step: callsOf(run, 'Notify failure')[0].Message.step }).toEqual({ failing, step: 'check' });
      expect({ failing, trained: run.calls.some((c) => c.state.startsWith('Batch job')) }).toEqual({ failing, trained: false });
    }
  });

  test('the history events the workflow counts for the step cover its longest runs', async () => {
    const states = laneStates(definition);
    const own = new Set(['check', ...Object.keys(states).filter((name) => /data quality/i.test(name))]);
    // as Step Functions records them: a Task state entered, scheduled, started, ended and exited; any other state entered and exited
    const events = (run: LocalRun) => run.entered.filter((name) => own.has(name)).reduce((sum, name) => sum + (states[name].Type === 'Task' ? 5 : 2), 0);
    // the lanes count a step of one task as 2 + 6 events (its first state and its task); a polling step declares the rest
    const counted = 2 + 6 + check._extraHistoryEvents();
    const maxLooks = states.check.Parameters.maxLooks;
    const runs = {
      'passing on the last look': await runLocally(definition, glue(PASSED_RULES, { looks: maxLooks })),
      'failing a rule on the last look': await runLocally(definition, glue([PASSED_RULES[0], FAILED_RULE], { looks: maxLooks })),
      'timed out': await runLocally(definition, glue(PASSED_RULES, { looks: 10_000 })),
    };
    expect(runs['passing on the last look'].error).toBeUndefined();
    expect(runs['timed out'].error?.name).toBe('DataQualityTimedOut');
    for (const [name, run] of Object.entries(runs)) {
      expect(callsOf(run, 'Read data quality run')).toHaveLength(maxLooks);
      const recorded = events(run);
      expect({ name, within: recorded <= counted }).toEqual({ name, within: true });
      // and not far above them, since a workflow is refused by the count
      expect({ name, close: counted - recorded < 40 }).toEqual({ name, close: true });
    }
  });

  test.each(['Glue.InternalServiceException', 'Glue.OperationTimeoutException'])('%s is retried and does not fail the run', async (error) => {
    const answers = glue(PASSED_RULES);
    const run = await runLocally(definition, {
      ...answers,
      'Read data quality run': (_input, attempt) => {
        if (attempt < 2) {
          throw taskError(error, 'try again');
        }
        return answers['Read data quality run']();
      },
    });
    expect(run.error).toBeUndefined();
    expect(callsOf(run, 'Batch job')).toHaveLength(2);
  });

  test('a run Glue is still stopping is looked at again, and fails with the status it ends in', async () => {
    const statuses = ['STOPPING', 'STOPPING', 'STOPPED'];
    const run = await runLocally(definition, {
      ...glue(PASSED_RULES),
      'Read data quality run': () => ({ RunId: 'dqrun-7', Status: statuses.shift() }),
    });
    expect(run.error).toEqual({ name: 'DataQualityRunFailed', message: 'Glue Data Quality run dqrun-7 ended STOPPED' });
    expect(callsOf(run, 'Read data quality run')).toHaveLength(3);
  });

  test('throttling is retried and does not fail the run', async () => {
    const answers = glue(PASSED_RULES);
    const run = await runLocally(definition, {
      ...answers,
      'Start data quality run': (_input, attempt) => {
        if (attempt < 3) {
          throw taskError('Glue.ThrottlingException', 'Rate exceeded');
        }
        return answers['Start data quality run']();
      },
    });
    expect(run.error).toBeUndefined();
    expect(callsOf(run, 'Start data quality run')).toHaveLength(3);
  });

  test('Glue reads the table and writes the run\'s results, nothing else; the workflow starts this ruleset only', async () => {
    const iam = new PolicySimulator(template);
    const glueRole = iam.logicalId('AWS::IAM::Role', 'EventsChecksEvaluationRole');
    const machineRole = iam.logicalId('AWS::IAM::Role', 'FlowStateMachineRole');
    const raw = iam.resolve({ Ref: iam.logicalId('AWS::S3::Bucket', 'WarehouseRaw') });
    const artifacts = iam.resolve({ Ref: iam.logicalId('AWS::S3::Bucket', 'ArtifactsBucket') });
    const rulesetName = template.findResources('AWS::Glue::DataQualityRuleset')[iam.logicalId('AWS::Glue::DataQualityRuleset', 'EventsChecks')].Properties.Name;
    const ruleset = `arn:aws:glue:${REGION}:${ACCOUNT}:dataQualityRuleset/${rulesetName}`;
    const glueArn = (kind: string, name: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${kind}/${name}`;
    const expectations: Array<[string, string, string, string]> = [
      [glueRole, 's3:GetObject', `arn:aws:s3:::${raw}/events/dt=2026-11-27/part-0.parquet`, 'Allowed'],
      [glueRole, 'glue:GetTable', glueArn('table', 'team_raw/events'), 'Allowed'],
      [glueRole, 'glue:GetPartitions', glueArn('table', 'team_raw/events'), 'Allowed'],
      [glueRole, 'glue:PublishDataQuality', ruleset, 'Allowed'],
      [glueRole, 's3:PutObject', `arn:aws:s3:::${artifacts}/runs/training/run-1/check/results.json`, 'Allowed'],
      [glueRole, 's3:GetObject', `arn:aws:s3:::${raw}/other/part-0.parquet`, 'NotAllowed'],
      [glueRole, 'glue:GetTable', glueArn('table', 'team_raw/other'), 'NotAllowed'],
      [glueRole, 's3:PutObject', `arn:aws:s3:::${raw}/events/dt=2026-11-27/part-1.parquet`, 'NotAllowed'],
      [glueRole, 's3:DeleteObject', `arn:aws:s3:::${raw}/events/dt=2026-11-27/part-0.parquet`, 'NotAllowed'],
      [glueRole, 's3:PutObject', `arn:aws:s3:::${artifacts}/models/churn/model.tar.gz`, 'NotAllowed'],
      [glueRole, 'glue:PublishDataQuality', glueArn('dataQualityRuleset', 'another'), 'NotAllowed'],
      [machineRole, 'glue:StartDataQualityRulesetEvaluationRun', ruleset, 'Allowed'],
      [machineRole, 'glue:GetDataQualityResult', ruleset, 'Allowed'],
      [machineRole, 'glue:StartDataQualityRulesetEvaluationRun', glueArn('dataQualityRuleset', 'another'), 'NotAllowed'],
      [machineRole, 'glue:DeleteDataQualityRuleset', ruleset, 'NotAllowed'],
    ];
    for (const [role, action, resource, expected] of expectations) {
      expect({ role, action, resource, decision: await iam.outcome(role, action, resource) }).toEqual({ role, action, resource, decision: expected });
    }
    const passRole = iam.arn(glueRole);
    expect(await iam.outcome(machineRole, 'iam:PassRole', passRole, { 'iam:PassedToService': 'glue.amazonaws.com' })).toBe('Allowed');
    expect(await iam.outcome(machineRole, 'iam:PassRole', passRole, { 'iam:PassedToService': 'sagemaker.amazonaws.com' })).toBe('NotAllowed');
  });
});

describe('WorkflowStep.dataQuality without a run registry or artifact store', () => {
  test('still gates, records nothing and keeps Glue\'s results in Glue only', async () => {
    const stack = new Stack(newTestApp(), 'Plain');
    gatedWorkflow(stack, { registry: false, artifacts: false });
    const definition = definitionOf(Template.fromStack(stack), 'FlowStateMachine');
    expect(aslErrors(definition)).toEqual([]);
    const run = await runLocally(definition, glue([PASSED_RULES[0], FAILED_RULE]));
    expect(run.error?.name).toBe('DataQualityFailed');
    expect(taskStateNames(definition)).not.toContain('Record data quality');
    expect(callsOf(run, 'Start data quality run')[0].AdditionalRunOptions).toEqual({ CloudWatchMetricsEnabled: false });
    // without a partition predicate Glue reads the whole table, with no AdditionalOptions at all
    expect(callsOf(run, 'Start data quality run')[0].DataSource).toEqual({ GlueTable: { DatabaseName: 'team_raw', TableName: 'events' } });
  });
});

describe('DataQualityRuleset and WorkflowStep.dataQuality props', () => {
  function table(stack: Stack): LakeTable {
    return new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' }).raw.addTable('Events', { tableName: 'events', columns: [{ name: 'user_id', type: 'string' }] });
  }

  test('bad DQDL fails at synth, each problem with its place and fix', () => {
    const stack = new Stack(newTestApp(), 'Bad');
    const events = table(stack);
    let n = 0;
    const attempt = () => new DataQualityRuleset(stack, `Checks${n++}`, {
      table: events,
      rules: 'Rules = [\n  RowCount,\n  IsCompete "user_id",\n  RowCount > avg(last(10))\n]',
    });
    expect(problemLines(attempt)).toEqual([
      'rules = "RowCount": at line 2, column 3: RowCount returns a number: give a condition, for example `RowCount > 0`',
      'rules = "IsCompete": at line 3, column 3: IsCompete is not a DQDL rule type: did you mean IsComplete?',
      'rules = "avg": at line 4, column 14: dynamic rules (last(k), avg(...) and other functions) run in Glue ETL jobs only, not in evaluations of a catalog table: give a fixed number',
    ]);
    expect(attempt).toThrow("Invalid props for DataQualityRuleset 'Checks1':\n  - rules = \"RowCount\": at line 2, column 3:");
  });

  test('rules known only at deploy time, or too long for Glue, are refused by name', () => {
    const stack = new Stack(newTestApp(), 'Bad');
    const events = table(stack);
    expect(problemLines(() => new DataQualityRuleset(stack, 'Token', { table: events, rules: Lazy.string({ produce: () => RULES }) }))).toEqual([
      expect.stringMatching(/^rules = "\$\{Token\[TOKEN\.\d+\]\}": give the DQDL as a plain string: it is checked at synth time$/),
    ]);
    // from JavaScript, or a configuration file, the rules may be no string at all
    expect([42, undefined, ['Rules = [ RowCount > 0 ]']].flatMap((rules, i) => problemLines(() => new DataQualityRuleset(stack, `NotText${i}`, { table: events, rules: rules as any })))).toEqual([
      'rules = 42: give the DQDL as a string, for example "Rules = [ RowCount > 0 ]"',
      'rules = undefined: give the DQDL as a string, for example "Rules = [ RowCount > 0 ]"',
      'rules = ["Rules = [ RowCount > 0 ]"]: give the DQDL as a string, for example "Rules = [ RowCount > 0 ]"',
    ]);
    expect(problemLines(() => new DataQualityRuleset(stack, 'Long', { table: events, rules: `${RULES}\n#${'x'.repeat(70_000)}` }))).toEqual(['rules = "70076 characters": give at most 65536 characters, Glue\'s limit']);
  });

  test.each([
    [{ retries: 1 }, 'steps[0].retries = 1: leave retries at 0: the same rules on the same data fail the same way; fix the data and start a new run'],
    [{ workers: 1 }, 'steps[0].workers = 1: give a whole number of workers from 2 to 299'],
    [{ timeout: Duration.seconds(90) }, 'steps[0].timeout = "1 minute 30 seconds": give whole minutes, from 1 minute to 48 hours (Glue\'s longest evaluation run)'],
    [{ timeout: Duration.hours(49) }, 'steps[0].timeout = "2 days 1 hour": give whole minutes, from 1 minute to 48 hours (Glue\'s longest evaluation run)'],
    [{ timeout: 30 as any }, 'steps[0].timeout = 30: give a Duration, for example Duration.minutes(30)'],
    [{ ruleset: undefined as any }, 'steps[0].ruleset = undefined: give a DataQualityRuleset, such as new DataQualityRuleset(this, "Checks", { table, rules })'],
    [{ partitionPredicate: '' }, 'steps[0].partitionPredicate = "": give a Spark SQL condition on the partition keys, for example "dt >= \'2026-01-01\'", or leave it unset'],
  ])('refuses %o', (props, message) => {
    const stack = new Stack(newTestApp(), 'Props');
    const ruleset = new DataQualityRuleset(stack, 'Checks', { table: table(stack), rules: RULES });
    expect(problemLines(() => new Workflow(stack, 'Flow', { workflowName: 'w', steps: [WorkflowStep.dataQuality({ name: 'check', ruleset, ...props })] })))
      .toEqual([message]);
  });

  test('a workflow whose evaluations could pass the run\'s history is refused at synth', () => {
    const stack = new Stack(newTestApp(), 'Long');
    const ruleset = new DataQualityRuleset(stack, 'Checks', { table: table(stack), rules: RULES });
    // 48 hours of looks a minute apart is 2885 looks, about 32,000 events
    expect(() => new Workflow(stack, 'Flow', {
      workflowName: 'w', steps: [WorkflowStep.dataQuality({ name: 'check', ruleset, timeout: Duration.hours(48) })],
    })).toThrow(/a run would record up to \d+ history events, over the 25000/);
    expect(() => new Workflow(stack, 'Flow2', {
      workflowName: 'w2', steps: [WorkflowStep.dataQuality({ name: 'check', ruleset, timeout: Duration.hours(12) })],
    })).not.toThrow();
  });
});

describe('WorkflowStep.dataQuality over an Apache Iceberg table', () => {
  test('declares the rules with the Iceberg table, and Glue reads that table\'s catalog entry, data and metadata only', async () => {
    const stack = new Stack(newTestApp(), 'Gated', { env: { account: ACCOUNT, region: REGION } });
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    const features = warehouse.curated.addTable('Features', {
      tableName: 'user_features', format: TableFormat.ICEBERG, columns: [{ name: 'user_id', type: 'string' }, { name: 'amount', type: 'double' }],
    });
    const ruleset = new DataQualityRuleset(stack, 'FeaturesChecks', { table: features, rules: RULES });
    new Workflow(stack, 'Flow', { workflowName: 'training', steps: [WorkflowStep.dataQuality({ name: 'check', ruleset })] });
    const template = checkedTemplate(stack, { regulated: true, controlTower: true });
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', { TargetTable: { DatabaseName: 'team_curated', TableName: 'user_features' } });
    const iam = new PolicySimulator(template);
    const glueRole = iam.logicalId('AWS::IAM::Role', 'FeaturesChecksEvaluationRole');
    const curated = iam.resolve({ Ref: iam.logicalId('AWS::S3::Bucket', 'WarehouseCurated') });
    const table = (name: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:table/team_curated/${name}`;
    const expectations: Array<[string, string, string]> = [
      ['glue:GetTable', table('user_features'), 'Allowed'],
      ['s3:GetObject', `arn:aws:s3:::${curated}/user_features/metadata/00003-9c1e.metadata.json`, 'Allowed'],
      ['s3:GetObject', `arn:aws:s3:::${curated}/user_features/data/00000-0-part.parquet`, 'Allowed'],
      ['glue:GetTable', table('other'), 'NotAllowed'],
      ['glue:UpdateTable', table('user_features'), 'NotAllowed'],
      ['s3:GetObject', `arn:aws:s3:::${curated}/other/data/00000-0-part.parquet`, 'NotAllowed'],
      ['s3:PutObject', `arn:aws:s3:::${curated}/user_features/metadata/00004-1d2f.metadata.json`, 'NotAllowed'],
    ];
    for (const [action, resource, expected] of expectations) {
      expect({ action, resource, decision: await iam.outcome(glueRole, action, resource) }).toEqual({ action, resource, decision: expected });
    }
  });
});
