import { fullDiff } from '@aws-cdk/cloudformation-diff';
import { App } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { Construct } from 'constructs';
import { inWorker, workerModule } from './worker-modules';

test('a test file takes aws-cdk-lib, constructs, cdk-nag and cloudformation-diff from its jest worker, loaded once there', () => {
  expect(inWorker()).toBe(true);
  expect(App).toBe(workerModule('aws-cdk-lib').App);
  expect(Construct).toBe(workerModule('constructs').Construct);
  expect(NagPack).toBe(workerModule('cdk-nag').NagPack);
  expect(fullDiff).toBe(workerModule('@aws-cdk/cloudformation-diff').fullDiff);
});
