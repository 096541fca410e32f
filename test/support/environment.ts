import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';
import { WORKER_REQUIRE } from './worker-modules';

/**
 * Jest's node environment, with a `require` of the worker's own.
 *
 * Jest gives every test file its own module registry, so each file loads its modules afresh.
 * Some are slow to start and hold nothing of a test's: aws-cdk-lib's CloudFormation rule engine
 * (about 3 s to compile and warm its WebAssembly) and asl-validator's compiled schemas. This
 * environment is loaded once per worker, with Node's own `require`: what the files load through
 * it is loaded once and serves every file the worker runs (see worker-modules.ts).
 */
export default class TestEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.global[WORKER_REQUIRE] = require;
  }
}
