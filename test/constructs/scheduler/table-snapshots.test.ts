import { Template } from 'aws-cdk-lib/assertions';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { DataWarehouse, TableFormat } from '../../../constructs/warehouse';
import {
  EVENTS_SNAPSHOT, FEATURES_SNAPSHOT, SPARK_WORKFLOW_ANSWERS, snapshotRows, sparkWorkflow, sparkWorkflowParts,
} from '../../support/spark-workflow';
import { aslErrors, definitionOf, LocalRun, runLocally, taskError } from '../../support/state-machines';
import { checkedTemplate } from '../../support/synth';
import { validationErrorOf, problemLines } from '../../support/validation';

const SNAPSHOTS_JSON = JSON.stringify({ events: EVENTS_SNAPSHOT, user_features: FEATURES_SNAPSHOT });

/** A workflow that records the snapshots of the Iceberg tables it reads, run with aws-local-stepfunctions. */
describe('Workflow tableSnapshots', () => {
  let template: Template;
  let definition: any;
  let run: LocalRun;
  const calls = (state: string) => run.calls.filter((c) => c.state === state);
  beforeAll(async () => {
    const parts = sparkWorkflowParts();
    sparkWorkflow(parts);
    template = checkedTemplate(parts.stack, { regulated: true });
    definition = definitionOf(template, 'FlowStateMachine');
    run = await runLocally(definition, SPARK_WORKFLOW_ANSWERS, 'run-7');
  });

  test('pass asl-validator, and a run succeeds', () => {
    expect(aslErrors(definition)).toEqual([]);
    expect(run.error).toBeUndefined();
    expect(run.endedIn).toBe('Record success');
  });

  test('read every table\'s current snapshot with one Athena query in the warehouse\'s workgroup, before the run is recorded', () => {
    const states = run.calls.map((c) => c.state);
    expect(states.slice(0, 3)).toEqual(['Read table snapshots', 'Snapshot ids', 'Record start']);
    const query = calls('Read table snapshots')[0].input;
    expect(query.WorkGroup).toBe('team');
    // the tables are named by database in the SQL, so the query names the catalog alone
    expect(query.QueryExecutionContext).toEqual({ Catalog: 'AwsDataCatalog' });
    expect(query.QueryString).toBe([
      'SELECT i, snapshot_id, committed_at FROM (',
      'SELECT 0 AS i,',
      "  coalesce(CAST(max_by(snapshot_id, made_current_at) AS varchar), '') AS snapshot_id,",
      "  coalesce(to_iso8601(max(made_current_at)), '') AS committed_at",
      'FROM "team_raw"."events$history" WHERE is_current_ancestor',
      'UNION ALL',
      'SELECT 1 AS i,',
      "  coalesce(CAST(max_by(snapshot_id, made_current_at) AS varchar), '') AS snapshot_id,",
      "  coalesce(to_iso8601(max(made_current_at)), '') AS committed_at",
      'FROM "team_curated"."user_features$history" WHERE is_current_ancestor',
      ') ORDER BY i',
    ].join('\n'));
    expect(calls('Snapshot ids')[0].input).toEqual({ QueryExecutionId: 'q-1' });
  });

  test('run the query to its end, then read its rows, through Athena\'s integrations', () => {
    const resource = (state: string) => String(definition.States[state].Resource).replace(/^arn:aws:states:::/, '');
    expect([resource('Read table snapshots'), resource('Snapshot ids')]).toEqual(['athena:startQueryExecution.sync', 'athena:getQueryResults']);
  });

  test('record each table\'s snapshot id, exactly, and when it was committed, in the run record', () => {
    expect(calls('Record start')[0].input.Item.snapshots).toEqual({
      M: {
        events: { M: { table: { S: 'team_raw.events' }, snapshotId: { S: EVENTS_SNAPSHOT }, committedAt: { S: '2026-11-26T23:10:00.000Z' } } },
        user_features: { M: { table: { S: 'team_curated.user_features' }, snapshotId: { S: FEATURES_SNAPSHOT }, committedAt: { S: '2026-11-27T01:55:12.345Z' } } },
      },
    });
  });

  test('hand them to Spark jobs, as DSI_SNAPSHOTS of the driver and executors and where arguments name them', () => {
    const build = calls('Spark job with arguments')[0].input;
    expect(build.JobDriver.SparkSubmit.EntryPointArguments).toEqual(['--events-snapshot', EVENTS_SNAPSHOT, '--out', 'runs/features/run-7/build/']);
    const environment = build.ConfigurationOverrides.ApplicationConfiguration[0].Properties;
    expect(environment['spark.emr-serverless.driverEnv.DSI_SNAPSHOTS']).toBe(SNAPSHOTS_JSON);
    expect(environment['spark.executorEnv.DSI_SNAPSHOTS']).toBe(SNAPSHOTS_JSON);
    expect(calls('Spark job, 1 retry')[0].input.ConfigurationOverrides.ApplicationConfiguration[0].Properties['spark.executorEnv.DSI_SNAPSHOTS']).toBe(SNAPSHOTS_JSON);
  });

  test('hand them to queries where they say {snapshot:<table>}', () => {
    expect(calls('Athena query')[0].input.QueryString).toBe(`SELECT count(*) FROM user_features FOR VERSION AS OF ${FEATURES_SNAPSHOT}`);
  });

  test('hand them to Batch jobs and to each item of a fan-out, as DSI_SNAPSHOTS', () => {
    const batchJobs = calls('Batch job');
    expect(batchJobs.map((c) => c.input.JobName).sort()).toEqual(['split', 'train']);
    for (const job of [...batchJobs, ...calls('score item')]) {
      expect(job.input.ContainerOverrides.Environment).toContainEqual({ Name: 'DSI_SNAPSHOTS', Value: SNAPSHOTS_JSON });
    }
    expect(calls('score item')).toHaveLength(2);
  });

  test('record a table with no snapshot yet as empty, and still run', async () => {
    const empty = await runLocally(definition, {
      ...SPARK_WORKFLOW_ANSWERS,
      'Snapshot ids': () => snapshotRows([['0', EVENTS_SNAPSHOT, '2026-11-26T23:10:00.000Z'], ['1', '', '']]),
    });
    expect(empty.error).toBeUndefined();
    expect(empty.calls.find((c) => c.state === 'Record start')!.input.Item.snapshots.M.user_features.M.snapshotId).toEqual({ S: '' });
  });

  test.each([
    ['Read table snapshots', 'Athena.InvalidRequestException', 'TABLE_NOT_FOUND: user_features$history'],
    ['Snapshot ids', 'Athena.InvalidRequestException', 'Query has not yet finished'],
  ])('a failure of %s fails the run before any step, recorded and notified', async (state, error, cause) => {
    const failed = await runLocally(definition, { ...SPARK_WORKFLOW_ANSWERS, [state]: () => { throw taskError(error, cause); } }, 'run-8');
    expect(failed.error).toEqual({ name: error, message: cause });
    expect(failed.endedIn).toBe('Run failed');
    const record = failed.calls.find((c) => c.state === 'Record failure')!.input;
    expect(record.ExpressionAttributeValues[':step']).toEqual({ S: 'Read table snapshots' });
    expect(failed.calls.find((c) => c.state === 'Notify failure')!.input.Message).toMatchObject({ runId: 'run-8', step: 'Read table snapshots', error });
    expect(failed.calls.map((c) => c.state)).not.toContain('Record start');
    expect(failed.calls.some((c) => /Spark|Batch|Athena query/.test(c.state))).toBe(false);
  });

  test('retry Athena\'s throttling of the snapshot query', async () => {
    const throttled = await runLocally(definition, {
      ...SPARK_WORKFLOW_ANSWERS,
      'Read table snapshots': (_: any, attempt: number) => {
        if (attempt < 3) {
          throw taskError('Athena.TooManyRequestsException', 'Rate exceeded');
        }
        return SPARK_WORKFLOW_ANSWERS['Read table snapshots']();
      },
    });
    expect(throttled.error).toBeUndefined();
    expect(throttled.calls.filter((c) => c.state === 'Read table snapshots')).toHaveLength(3);
  });

  test('the workflow may query the warehouse it reads the snapshots with', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref.startsWith('FlowStateMachineRole')))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.some((s: any) => [s.Action].flat().includes('athena:StartQueryExecution')
      && JSON.stringify(s.Resource).includes('workgroup/team'))).toBe(true);
  });

  describe('bad snapshot props are a ValidationError naming each prop, value and fix', () => {
    test('a table that is not Iceberg, one named twice, one of another warehouse', () => {
      const parts = sparkWorkflowParts();
      const plain = parts.warehouse.curated.addTable('Plain', { tableName: 'plain', columns: [{ name: 'a', type: 'string' }] });
      const other = new DataWarehouse(parts.stack, 'Other', { namePrefix: 'other' });
      const elsewhere = other.curated.addTable('Elsewhere', { tableName: 'elsewhere', format: TableFormat.ICEBERG, columns: [{ name: 'a', type: 'string' }] });
      let attempt = 0;
      const make = () => new Workflow(parts.stack, `Bad${attempt++}`, {
        workflowName: 'bad',
        tableSnapshots: { tables: [plain, parts.events, parts.events, elsewhere], warehouse: parts.warehouse },
        steps: [WorkflowStep.batchJob({ name: 'a', jobQueue: parts.jobQueue, jobDefinition: parts.jobDefinition })],
      });
      const { message } = validationErrorOf(make);
      expect(message).toContain('tableSnapshots.tables[0] = "plain": give an Iceberg table (format: TableFormat.ICEBERG)');
      expect(message).toContain('tableSnapshots.tables[2] = "events": name each table once');
      expect(message).toContain('tableSnapshots.tables[3] = "elsewhere": give a table of the warehouse\'s zones');
    });

    test('no table at all', () => {
      const parts = sparkWorkflowParts();
      expect(problemLines(() => new Workflow(parts.stack, 'Bad', {
        workflowName: 'bad', tableSnapshots: { tables: [], warehouse: parts.warehouse },
        steps: [WorkflowStep.batchJob({ name: 'a', jobQueue: parts.jobQueue, jobDefinition: parts.jobDefinition })],
      }))).toEqual(['tableSnapshots.tables = 0: name at least one Iceberg table, or leave tableSnapshots out']);
    });

    test('no tables given', () => {
      const parts = sparkWorkflowParts();
      expect(problemLines(() => new Workflow(parts.stack, 'Bad', {
        workflowName: 'bad', tableSnapshots: { warehouse: parts.warehouse } as any,
        steps: [WorkflowStep.batchJob({ name: 'a', jobQueue: parts.jobQueue, jobDefinition: parts.jobDefinition })],
      }))).toEqual(['tableSnapshots.tables = 0: name at least one Iceberg table, or leave tableSnapshots out']);
    });

    test('a step naming a snapshot the run does not record, or any when it records none', () => {
      const parts = sparkWorkflowParts();
      const steps = [
        WorkflowStep.athenaQuery({ name: 'q', warehouse: parts.warehouse, queryString: 'SELECT * FROM labels FOR VERSION AS OF {snapshot:labels}' }),
        WorkflowStep.sparkJob({ name: 's', job: parts.build, arguments: ['{snapshot:labels}'] }),
      ];
      expect(problemLines(() => new Workflow(parts.stack, 'Bad', { workflowName: 'bad', tableSnapshots: parts.snapshots, steps })))
        .toEqual(['steps[0].queryString', 'steps[1].arguments[0]'].map((prop) =>
          `${prop} = "{snapshot:labels}": name a table whose snapshot the run records: {snapshot:events}, {snapshot:user_features}`));
      expect(problemLines(() => new Workflow(parts.stack, 'Bad2', { workflowName: 'bad', steps })))
        .toEqual(['steps[0].queryString', 'steps[1].arguments[0]'].map((prop) =>
          `${prop} = "{snapshot:labels}": give the workflow tableSnapshots naming the Iceberg table: a run hands steps the snapshots it recorded`));
    });
  });
});
