import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PropChecker } from '../constructs/core/validation-error';
import { checkTableSnapshots } from '../constructs/scheduler/table-snapshots';
import { dagOrder } from '../constructs/scheduler/workflow-dag';
import { ArtifactStore, BatchCompute, DataScienceNetwork, DataWarehouse, SparkRuntime } from '../lib';
import { newTestApp } from './support/synth';
import { problemLines } from './support/validation';

/*
 * From JavaScript a string or an object may come where a list goes: each is refused by name, as
 * one problem, and nothing reads it as a list.
 */
const stack = () => new Stack(newTestApp(), 'Props');
const checked = (fill: (check: PropChecker) => void) => () => {
  const check = new PropChecker('Thing');
  fill(check);
  check.throwIfAny();
};

test.each<[string, () => unknown, string]>([
  ['a step\'s dependencies', checked((check) => dagOrder([{ name: 'a', dependsOn: [] }, { name: 'b', dependsOn: 'a' as any }], check)),
    'steps[1].dependsOn = "a": give a list, for example ["prepare"]'],
  ['a Spark job\'s JARs', () => new SparkRuntime(stack(), 'Spark', { artifactStore: new ArtifactStore(stack(), 'Artifacts') })
    .addJob('Build', { entryPointKey: 'code/build.py', jarKeys: 'code/udfs.jar' as any }), 'jarKeys = "code/udfs.jar": give a list, for example ["code/features/udfs.jar"]'],
  ['a queue\'s instance classes', () => {
    const s = stack();
    return new BatchCompute(s, 'Compute', { vpc: new DataScienceNetwork(s, 'Network').vpc, standardQueues: false }).addQueue('cpu', { instanceClasses: 'm7i' as any });
  }, 'options.instanceClasses = "m7i": give a list, for example [ec2.InstanceClass.M7I]'],
  ['raw data\'s transitions', () => new DataWarehouse(stack(), 'Lake', {
    namePrefix: 'team', rawDataTransitions: { storageClass: s3.StorageClass.GLACIER } as any,
  }), 'rawDataTransitions = {"storageClass":{"value":"GLACIER"}}: give a list, for example [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(180) }]'],
  ['the tables a run snapshots', checked((check) => checkTableSnapshots(check, { warehouse: {} as any, tables: 'events' as any })),
    'tableSnapshots.tables = "events": give a list, for example [events], Iceberg tables of the warehouse'],
])('%s given as no list is refused by name', (_, build, expected) => {
  expect(problemLines(build)).toEqual([expected]);
});

test('a list that is a list is read as before: an empty one of instance classes is still refused as empty', () => {
  const s = stack();
  const compute = new BatchCompute(s, 'Compute', { vpc: new DataScienceNetwork(s, 'Network').vpc, standardQueues: false });
  expect(problemLines(() => compute.addQueue('cpu', { instanceClasses: [] }))).toEqual(['options.instanceClasses = []: give at least one instance class or type']);
});
