import { withRunId, withRunValues } from '../../../constructs/scheduler/run-values';

describe('the run\'s values in a field', () => {
  test('a text without placeholders stays as it is', () => {
    expect(withRunId('Key', 'runs/latest/model.tar.gz')).toEqual({ Key: 'runs/latest/model.tar.gz' });
  });

  test('each placeholder becomes a {} of a States.Format, its value an argument in the same order', () => {
    expect(withRunId('Key', 'runs/{run_id}/train/{run_id}.tar.gz')).toEqual({
      'Key.$': "States.Format('runs/{}/train/{}.tar.gz', $$.Execution.Name, $$.Execution.Name)",
    });
    expect(withRunValues('QueryString', 'SELECT * FROM events FOR VERSION AS OF {snapshot:events} -- {run_id}')).toEqual({
      'QueryString.$': "States.Format('SELECT * FROM events FOR VERSION AS OF {} -- {}', $.snapshots.ids.events, $$.Execution.Name)",
    });
  });
});
