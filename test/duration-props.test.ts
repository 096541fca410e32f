import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchCompute, DataScienceNetwork, DataWarehouse } from '../lib';
import { newTestApp } from './support/synth';
import { problemLines } from './support/validation';

/*
 * From JavaScript a number may come where a Duration or a key prefix goes: each is refused by
 * name, and no check after the first reads it as what it is not.
 */
const stack = () => new Stack(newTestApp(), 'Props');

test.each<[string, () => unknown, string[]]>([
  ['an image expiration', () => {
    const s = stack();
    return new BatchCompute(s, 'Compute', { vpc: new DataScienceNetwork(s, 'Network').vpc, untaggedImageExpiration: 14 as any });
  }, ['untaggedImageExpiration = 14: give a Duration, for example Duration.days(1)']],
  ['a version retention', () => new DataWarehouse(stack(), 'Lake', { namePrefix: 'team', noncurrentVersionRetention: 90 as any }),
    ['noncurrentVersionRetention = 90: give a Duration, for example Duration.days(1)']],
  ['a transition\'s age', () => new DataWarehouse(stack(), 'Lake', { namePrefix: 'team', rawDataTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: 90 as any }] }),
    ['rawDataTransitions[0].transitionAfter = 90: give a Duration, for example Duration.days(1)']],
  ['a key prefix', () => {
    const s = stack();
    return new DataWarehouse(s, 'Lake', { namePrefix: 'team' }).raw.grantRead(new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() }), 5 as any);
  }, ['keyPrefix = 5: give a literal key prefix, without * or ?, which IAM would read as wildcards and so grant more keys']],
])('%s that is a number is refused by name', (_, build, expected) => {
  expect(problemLines(build)).toEqual(expected);
});
