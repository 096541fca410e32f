import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack } from '../../lib';
import { PolicySimulator } from '../support/iam';
import { definitionOf, laneStates, runLocally } from '../support/state-machines';
import { newTestApp } from '../support/synth';

/** The default stack's example workflow trains only on events that pass their data-quality rules. */
describe('example workflow data-quality gate', () => {
  let template: Template;
  let definition: any;
  beforeAll(() => {
    template = Template.fromStack(new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models' }));
    definition = definitionOf(template, 'ExampleWorkflowStateMachine');
  });

  test('declares the events\' rules with their table, and checks the week the features read', () => {
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      TargetTable: { DatabaseName: 'fraud_models_dev_raw', TableName: 'events' },
    });
    const target = definition.States['Plan steps'].Parameters.refs;
    expect(JSON.stringify(target)).toContain('"pushDownPredicate":"dt >= date_format(date_sub(current_date(), 7), \'yyyy-MM-dd\')"');
    expect(laneStates(definition).validate.Next).toBe('Start data quality run');
  });

  test('is the example it says it is: the week\'s features, the events\' rules, and jobs that say what they do', () => {
    const ruleset = Object.values(template.findResources('AWS::Glue::DataQualityRuleset'))[0].Properties.Ruleset;
    expect(ruleset).toBe([
      'Rules = [', '  RowCount > 0,', '  IsComplete "event_id",', '  IsUnique "event_id",', '  IsComplete "user_id",', '  ColumnValues "amount" >= 0,',
      '  ColumnValues "event_type" matches "[a-z_]+"', ']',
    ].join('\n'));
    const sql = [
      'UNLOAD (', '  SELECT user_id, count(*) AS events_7d, sum(amount) AS amount_7d', '  FROM events',
      "  WHERE dt >= date_format(current_date - interval '7' day, '%Y-%m-%d')", '  GROUP BY user_id',
      ") TO 's3://<curated>/features/run_id={}/'", "WITH (format = 'PARQUET')",
    ].join('\n');
    expect(laneStates(definition).features.Parameters['QueryString.$'].replace(/s3:\/\/[a-z0-9]+\//, 's3://<curated>/'))
      .toBe(`States.Format('${sql.replace(/'/g, "\\'")}', $$.Execution.Name)`);
    const jobs = Object.values(template.findResources('AWS::Batch::JobDefinition')).map((j) => j.Properties.ContainerProperties)
      .filter((c) => c.Image === 'public.ecr.aws/docker/library/python:3.12-slim');
    expect(jobs.map((c) => c.Command)).toEqual(['training', 'scoring'].map((what) => ['python', '-c', `import os; print("${what} for run", os.environ["DSI_RUN_ID"])`]));
    for (const container of jobs) {
      expect(container.Environment.map((e: { Name: string }) => e.Name)).toEqual(expect.arrayContaining(['DSI_RAW_BUCKET', 'DSI_CURATED_BUCKET', 'DSI_ARTIFACT_BUCKET']));
    }
    // a run records the events it read, and registers the model it trained, served by the team's image
    expect(definition.States['Record start'].Parameters.Item.inputLocations).toEqual({ SS: [expect.stringMatching(/^s3:\/\/[a-z0-9]+\/events\/$/)] });
    expect(laneStates(definition).register.Parameters.InferenceSpecification.Containers[0].Image).toMatch(/:serve$/);
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'fraud-models-dev-example', ModelPackageGroupDescription: 'Example model of the example workflow',
    });
  });

  test('declares the events it reads, a day a partition from 2024 found by projection, and a query over their week', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'events',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({ 'projection.dt.type': 'date', 'projection.dt.range': '2024-01-01,NOW' }),
      }),
    });
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'daily-events',
      Database: 'fraud_models_dev_raw',
      QueryString: [
        'SELECT dt, event_type, count(*) AS events, sum(amount) AS amount', 'FROM events',
        "WHERE dt >= date_format(current_date - interval '7' day, '%Y-%m-%d')", 'GROUP BY dt, event_type ORDER BY dt, event_type',
      ].join('\n'),
    });
  });

  test('a failed rule stops the run before training, scoring or registering, and says which rule', async () => {
    const rule = { Name: 'Rule_3', Result: 'FAIL', EvaluationMessage: 'Value: 0.998 does not meet the constraint requirement!', EvaluatedMetrics: { 'Column.event_id.Uniqueness': 0.998 } };
    const run = await runLocally(definition, {
      'Start data quality run': () => ({ RunId: 'dqrun-1' }),
      'Read data quality run': () => ({ RunId: 'dqrun-1', Status: 'SUCCEEDED', ResultIds: ['dqresult-1'] }),
      'Read data quality result': () => ({ ResultId: 'dqresult-1', Score: 5 / 6, RuleResults: [rule] }),
    }, 'run-7');
    expect(run.error?.name).toBe('DataQualityFailed');
    const started = run.calls.filter((c) => c.state.startsWith('Batch job')).map((c) => c.input.JobName);
    expect(started).toEqual([]);
    expect(run.calls.map((c) => c.state)).not.toContain('register');
    const notice = run.calls.find((c) => c.state === 'Notify failure')!.input.Message;
    expect(notice).toMatchObject({ workflow: 'example', runId: 'run-7', step: 'validate', error: 'DataQualityFailed' });
    expect(JSON.parse(notice.cause)).toMatchObject({ passed: false, table: 'fraud_models_dev_raw.events', rules: [rule] });
  });

  test('Glue reads the events table only, and writes results under the example\'s runs', async () => {
    const sim = new PolicySimulator(template);
    const role = sim.logicalId('AWS::IAM::Role', 'EventsChecksEvaluationRole');
    const object = (bucket: string, key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', bucket))}/${key}`;
    expect(await sim.outcome(role, 's3:GetObject', object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/part-0.parquet'))).toBe('Allowed');
    expect(await sim.outcome(role, 's3:PutObject', object('ArtifactsBucket', 'runs/example/run-7/validate/result.json'))).toBe('Allowed');
    expect(await sim.outcome(role, 's3:GetObject', object('WarehouseCuratedZoneBucket', 'features/run-7/part-0.parquet'))).toBe('NotAllowed');
    expect(await sim.outcome(role, 's3:PutObject', object('WarehouseRawZoneBucket', 'events/dt=2026-11-27/part-1.parquet'))).toBe('NotAllowed');
    expect(await sim.outcome(role, 's3:PutObject', object('ArtifactsBucket', 'runs/other/run-7/validate/result.json'))).toBe('NotAllowed');
  });
});
