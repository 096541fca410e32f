/** Tests run TypeScript through swc (type checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: '<rootDir>/test/support/environment.ts',
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
