import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { leadingKeyword } from '../../../constructs/scheduler/athena-query-step';
import { DataWarehouse, TableFormat } from '../../../constructs/warehouse';
import { definitionOf, laneStates } from '../../support/state-machines';

describe('WorkflowStep.athenaQuery\'s task', () => {
  let stack: Stack;
  let warehouse: DataWarehouse;
  /** Where each step's query runs: its shared target, which the run's plan holds among its refs. */
  let targetOf: (step: string) => any;
  beforeAll(() => {
    stack = new Stack(new App(), 'Queries');
    warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    new Workflow(stack, 'Flow', {
      workflowName: 'report',
      steps: [
        WorkflowStep.athenaQuery({ name: 'counts', warehouse, queryString: 'SELECT count(*) FROM events' }),
        WorkflowStep.athenaQuery({ name: 'landed', warehouse, zone: warehouse.raw, queryString: 'SELECT * FROM events' }),
      ],
    });
    const definition = definitionOf(Template.fromStack(stack), 'FlowStateMachine');
    const states = laneStates(definition);
    const { refs } = Object.values<any>(definition.States).find((state) => state.Parameters?.refs).Parameters;
    targetOf = (step) => refs[states[step].Parameters['target.$'].replace('$.refs.', '')];
  });

  test('runs in the warehouse\'s work group, in the curated zone\'s database unless the step names a zone', () => {
    expect(targetOf('counts')).toEqual({
      WorkGroup: stack.resolve(warehouse.workGroupName), QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'team_curated' },
    });
    expect(targetOf('landed').QueryExecutionContext).toEqual({ Catalog: 'AwsDataCatalog', Database: 'team_raw' });
  });
});

test('takes a query target that is no construct, as the warehouse makes for some of its tables, and snapshots read through one', () => {
  const stack = new Stack(new App(), 'Targets');
  const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
  const features = warehouse.curated.addTable('Features', { tableName: 'features', columns: [{ name: 'id', type: 'string' }], format: TableFormat.ICEBERG });
  const target = warehouse.queryTargetFor([features]);
  expect(Construct.isConstruct(target)).toBeFalsy();
  new Workflow(stack, 'Flow', {
    workflowName: 'report',
    steps: [WorkflowStep.athenaQuery({ name: 'counts', warehouse: target, queryString: 'SELECT count(*) FROM features' })],
    tableSnapshots: { warehouse: target, tables: [features] },
  });
  expect(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine')).not.toEqual({});
});

describe('leadingKeyword', () => {
  test.each([
    ['UNLOAD (SELECT 1) TO \'s3://b/p/\'', 'UNLOAD'],
    ['  ((select 1))', 'SELECT'],
    ['-- a note\nWITH t AS (SELECT 1) SELECT * FROM t', 'WITH'],
    // a comment parts words as a space does, as Athena reads it
    ['SELECT/* the key */id FROM t', 'SELECT'],
    ['/* a note */ INSERT INTO t SELECT 1', 'INSERT'],
    // a query that starts with no word has no keyword, whatever words come later
    ['"events".id', ''],
    ['-- only a comment', ''],
  ])('of %j is %j', (sql, keyword) => {
    expect(leadingKeyword(sql)).toBe(keyword);
  });
});
