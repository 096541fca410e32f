/** `npm run test:package`: packs the package and uses it as an organization's own app would. */
const base = require('../../jest.config');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/package'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  testTimeout: 600000,
};
