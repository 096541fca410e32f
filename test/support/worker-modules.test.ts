import { fullDiff } from '@aws-cdk/cloudformation-diff';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagPack } from 'cdk-nag';
import { Construct } from 'constructs';
import { inWorker, workerGlobal, workerModule } from './worker-modules';

// made on purpose while jest collects this file's tests, which the environment refuses
let collectingError: Error | undefined;
try {
  new App();
} catch (error) {
  collectingError = error as Error;
}

test('an App made while jest collects a file\'s tests is refused, with the fix; made in a test, it is not', () => {
  expect(collectingError?.message).toMatch(/^An App was made while jest collects this file's tests: build stacks in beforeAll or in a test/);
  expect(new App().node.children).toEqual([]);
});

test('a test file takes aws-cdk-lib, constructs, cdk-nag and cloudformation-diff from its jest worker, loaded once there', () => {
  expect(inWorker()).toBe(true);
  expect(App).toBe(workerModule('aws-cdk-lib').App);
  expect(Construct).toBe(workerModule('constructs').Construct);
  expect(NagPack).toBe(workerModule('cdk-nag').NagPack);
  expect(fullDiff).toBe(workerModule('@aws-cdk/cloudformation-diff').fullDiff);
});

test('a failed assertion of the test file keeps its message and its mapped line in its stack trace, which jest prints', () => {
  let failure: Error | undefined;
  try {
    expect(1).toBe(2);
  } catch (error) {
    failure = error as Error;
  }
  expect(failure!.stack).toContain('Expected: 2');
  expect(failure!.stack).toMatch(/worker-modules\.test\.ts:33:\d+\)/);
  // an error of the worker's own modules too
  expect(new (workerGlobal().Error)('from the worker').stack).toMatch(/^Error: from the worker\n/);
});

test('a Date a test file makes is one to aws-cdk-lib: a transition on a date synthesizes', () => {
  expect(new Date(0)).toBeInstanceOf(workerGlobal().Date);
  const stack = new Stack(new App(), 'Dated');
  new s3.Bucket(stack, 'Bucket', { lifecycleRules: [{ transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionDate: new Date('2027-01-01T00:00:00Z') }] }] });
  Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Transitions: [{ StorageClass: 'STANDARD_IA', TransitionDate: '2027-01-01T00:00:00Z' }] }] },
  });
});
