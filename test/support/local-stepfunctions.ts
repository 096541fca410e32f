import * as fs from 'fs';
import * as path from 'path';
import { validateAsl } from './asl-validator';

/*
 * aws-local-stepfunctions 3.0.0, with one fix. After every intrinsic function it drops each
 * backslash from a string result (BaseIntrinsicFunction.call): right for the escapes of a
 * States.Format template, wrong for States.JsonToString, whose JSON escapes the quotes of any
 * text it holds. A failure cause that is JSON (a data-quality outcome, a Batch job's
 * description) then reaches the run's failure path broken, where Step Functions keeps it whole.
 * Here only States.Format's result loses its backslashes.
 */
const file = require.resolve('aws-local-stepfunctions');
const BUGGY = 'if (typeof result === "string") {\n      result = result.replaceAll("\\\\", "");';
const FIXED = 'if (typeof result === "string" && this.funcDefinition.name === "States.Format") {\n      result = result.replaceAll("\\\\", "");';
const source = fs.readFileSync(file, 'utf8');
if (!source.includes(BUGGY)) {
  throw new Error(`${file} no longer strips backslashes after every intrinsic function as 3.0.0 does: review test/support/local-stepfunctions.ts`);
}
// evaluated in this realm, as jest's require would: it sees the Promise.withResolvers of test/support/setup.ts.
// It checks every definition, and each branch of one, with asl-validator: the worker's, which
// compiles its schemas once (asl-validator.ts).
const emulator = { exports: {} as typeof import('aws-local-stepfunctions') };
const load = (id: string) => (id === 'asl-validator' ? validateAsl : require(id));
// eslint-disable-next-line @typescript-eslint/no-implied-eval
new Function('exports', 'require', 'module', '__filename', '__dirname', source.replace(BUGGY, FIXED))(emulator.exports, load, emulator, file, path.dirname(file));

export const { StateMachine } = emulator.exports;
