import { StateMachine } from './local-stepfunctions';

describe('the Step Functions emulator of the tests', () => {
  test('refuses a definition asl-validator refuses, and takes a valid one, with the worker\'s asl-validator', () => {
    const pass = (state: object) => ({ StartAt: 'A', States: { A: { Type: 'Pass', End: true, ...state } } });
    expect(() => new StateMachine(pass({ OutputPath: 'no-dollar' }) as any)).toThrow(/definition is invalid/);
    expect(() => new StateMachine({ ...pass({}), StartAt: 'B' } as any)).toThrow(/definition is invalid/);
    expect(() => new StateMachine(pass({}) as any)).not.toThrow();
  });
});
