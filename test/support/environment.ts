import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';
import { WORKER_GLOBAL, WORKER_REQUIRE } from './worker-modules';

// Every app of the tests records no stack trace where each construct was made: the templates are
// the same, and capturing them was a tenth of a suite's time. Set here, it reaches aws-cdk-lib
// wherever it is loaded, and the command lines the tests spawn.
process.env.CDK_CONTEXT_JSON = JSON.stringify({
  ...JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}'),
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
});

/**
 * Jest's node environment, with a `require` of the worker's own.
 *
 * Jest gives every test file its own module registry, so each file would load aws-cdk-lib afresh
 * and run it cold: some 3 s before its first stack is synthesized. This environment is loaded
 * once per worker, with Node's own `require`: what the files load through it (aws-cdk-lib,
 * constructs, cdk-nag, asl-validator; see worker-modules.ts) is loaded once, stays warm, and
 * serves every file the worker runs. The files' own code, the library's included, stays theirs.
 */
export default class TestEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.global[WORKER_REQUIRE] = require;
    this.global[WORKER_GLOBAL] = globalThis;
  }

  public async setup(): Promise<void> {
    await super.setup();
    // jest maps each frame of every stack trace of the worker's modules through source maps. aws-cdk-lib
    // records a trace, of a plain object, wherever a finding is acknowledged (thousands a run): those
    // are formatted as V8 does, and only errors' traces are mapped
    const mapped = Error.prepareStackTrace;
    if (mapped && !(mapped as any)[ERRORS_ONLY]) {
      const prepare = (error: unknown, frames: NodeJS.CallSite[]) => (error instanceof Error
        ? mapped(error as Error, frames) : ['Error', ...frames.map((frame) => `    at ${frame}`)].join('\n'));
      Error.prepareStackTrace = Object.assign(prepare, { [ERRORS_ONLY]: true });
    }
  }
}

const ERRORS_ONLY = Symbol('errorsOnly');
