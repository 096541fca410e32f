import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../bin/dsi';
import { EVENTS_SNAPSHOT, FEATURES_SNAPSHOT, SPARK_WORKFLOW_ANSWERS, sparkWorkflow, sparkWorkflowParts } from '../support/spark-workflow';
import { definitionOf, runLocally } from '../support/state-machines';
import { checkedTemplate } from '../support/synth';
import { testIo } from '../support/dsi-io';

const sfnMock = mockClient(SFNClient);
const cfnMock = mockClient(CloudFormationClient);
const ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:TrainingWorkflowStateMachine-abc';

/**
 * `dsi runs` of a workflow that records the snapshots of the tables it reads shows, for each run,
 * the snapshot of each table, from the state that handed them to the run's steps.
 */
describe('dsi runs of a workflow that records table snapshots', () => {
  let definition: any;
  let handed: string;
  let printed: string[];
  const io = () => testIo(printed);

  beforeAll(async () => {
    const parts = sparkWorkflowParts();
    sparkWorkflow(parts);
    definition = definitionOf(checkedTemplate(parts.stack), 'FlowStateMachine');
    // the output of the state that hands the snapshots to the steps, from a local run of the workflow's first states
    const first = ['Plan steps', 'Read table snapshots', 'Snapshot ids', 'Hand snapshots to steps'];
    const States = Object.fromEntries(first.map((name) => {
      const { Catch, Next, ...state } = definition.States[name];
      return [name, name === 'Hand snapshots to steps' ? { ...state, End: true } : { ...state, Next }];
    }));
    handed = JSON.stringify((await runLocally({ StartAt: 'Plan steps', States }, SPARK_WORKFLOW_ANSWERS)).result);
  });

  beforeEach(() => {
    sfnMock.reset();
    cfnMock.reset();
    printed = [];
    cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [{
      StackName: 'data-science-dev', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE',
      Outputs: [{ OutputKey: 'Workflows', OutputValue: JSON.stringify({ training: ARN }) }],
    }] });
    sfnMock.on(DescribeStateMachineCommand).resolves({ stateMachineArn: ARN, name: 'x', definition: JSON.stringify(definition), roleArn: 'r', type: 'STANDARD', creationDate: new Date() });
  });

  test('shows the snapshot of each table each run read, and - for a run that failed before it read them', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [
      { executionArn: `${ARN}:run-2`, stateMachineArn: ARN, name: 'run-2', status: 'SUCCEEDED', startDate: new Date('2026-11-27T02:00:00Z'), stopDate: new Date('2026-11-27T02:41:00Z') },
      { executionArn: `${ARN}:run-1`, stateMachineArn: ARN, name: 'run-1', status: 'FAILED', startDate: new Date('2026-11-26T02:00:00Z'), stopDate: new Date('2026-11-26T02:00:09Z') },
    ] });
    const history = (output?: string) => ({ events: [
      { id: 1, type: 'ExecutionStarted' as const, timestamp: new Date() },
      { id: 2, type: 'TaskStateEntered' as const, timestamp: new Date(), stateEnteredEventDetails: { name: 'Read table snapshots' } },
      ...(output ? [{ id: 3, type: 'PassStateExited' as const, timestamp: new Date(), stateExitedEventDetails: { name: 'Hand snapshots to steps', output } }] : []),
    ] });
    sfnMock.on(GetExecutionHistoryCommand, { executionArn: `${ARN}:run-2` }).resolves(history(handed));
    sfnMock.on(GetExecutionHistoryCommand, { executionArn: `${ARN}:run-1` }).resolves(history());
    expect(await main(['runs', 'training'], io())).toBe(0);
    expect(printed).toEqual([
      `run-2\tSUCCEEDED\t2026-11-27T02:00:00.000Z\t41m0s\tevents=${EVENTS_SNAPSHOT} user_features=${FEATURES_SNAPSHOT}`,
      'run-1\tFAILED\t2026-11-26T02:00:00.000Z\t9s\t-',
    ]);
    // one look at the start of each run's history
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.maxResults)).toEqual([100, 100]);
  });

  test('shows a table that had no snapshot yet when the run read it as (none)', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [
      { executionArn: `${ARN}:run-3`, stateMachineArn: ARN, name: 'run-3', status: 'SUCCEEDED', startDate: new Date('2026-11-28T02:00:00Z'), stopDate: new Date('2026-11-28T02:00:30Z') },
    ] });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 3, type: 'PassStateExited', timestamp: new Date(), stateExitedEventDetails: {
      name: 'Hand snapshots to steps', output: JSON.stringify({ snapshots: { ids: { events: '', user_features: FEATURES_SNAPSHOT } } }),
    } }] });
    expect(await main(['runs', 'training'], io())).toBe(0);
    expect(printed).toEqual([`run-3\tSUCCEEDED\t2026-11-28T02:00:00.000Z\t30s\tevents=(none) user_features=${FEATURES_SNAPSHOT}`]);
  });
});
