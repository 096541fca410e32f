// aws-cdk-lib, constructs and cdk-nag are the worker's, shared by its files (see environment.js):
// no spy a file sets on them outlives the file
afterAll(() => jest.restoreAllMocks());
