/** `npm run test:package`: packs the package and uses it as an organization's own app would. */
const base = require('../../jest.config');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/package'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  // the package's tests load the installed package, not the worker's copy of the repository's peers
  testEnvironment: 'node',
  testTimeout: 600000,
};
