const path = require('path');

/** Tests run TypeScript through swc; `npm test` type-checks beside them (scripts/test.ts). */
module.exports = {
  // a path, not <rootDir>: Stryker's jest runner loads the environment by this name
  testEnvironment: path.join(__dirname, 'test', 'support', 'environment.js'),
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the packed package's own tests: `npm run test:package`
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package/'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/restore-spies.ts'],
  testTimeout: 120000,
  // jest's default leaves one of two cores idle
  maxWorkers: 2,
};
