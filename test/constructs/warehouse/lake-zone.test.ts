import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakeZone, LakeZoneProps } from '../../../constructs/warehouse/lake-zone';
import { checkReplicaRegion } from '../../../lib/replica-names';
import { checkerProblems, problemLines } from '../../support/validation';

/** What a zone refuses of these props, as `prop = value: fix` lines, each cut at its colon. */
function refused(props: Partial<LakeZoneProps>): string[] {
  return problemLines(() => {
    const stack = new Stack(new App(), 'Lake');
    new LakeZone(stack, 'Raw', {
      zoneName: 'raw', databaseName: 'team_raw', encryptionKey: new kms.Key(stack, 'Key'),
      serverAccessLogsBucket: new s3.Bucket(stack, 'Logs'), lifecycleRules: [], removalPolicy: RemovalPolicy.RETAIN, ...props,
    });
  }).map((line) => line.slice(0, line.indexOf(':')));
}

describe('LakeZone', () => {
  test('takes a zone of plain names, rules and policy', () => {
    expect(refused({})).toEqual([]);
  });

  test('names each prop it refuses: the zone, its database, its rules and its removal policy', () => {
    expect(refused({
      zoneName: 'Raw Zone', databaseName: 'team-raw', lifecycleRules: [{ expiration: Duration.hours(1) }], removalPolicy: 'KEEP' as RemovalPolicy,
    }).map((line) => line.split(' = ')[0])).toEqual(['zoneName', 'databaseName', 'lifecycleRules[0].expiration', 'removalPolicy']);
  });

  test.each(['', 'Team_raw', 'team.raw', 'x'.repeat(256)])('refuses the database name %j, which Athena reads quoted only', (databaseName) => {
    expect(refused({ databaseName })).toEqual([`databaseName = ${JSON.stringify(databaseName)}`]);
  });
});

test('a replica region is a whole region name, nothing before or after it', () => {
  const problems = (region: string) => checkerProblems((check) => checkReplicaRegion(check, 'team', 'prod', region, 'eu-west-1'));
  expect(problems('us-west-2')).toEqual([]);
  for (const wrong of ['us-west-2a', 'xus-west-2', 'us-west', 'us-west-12']) {
    expect(problems(wrong)).toHaveLength(1);
  }
});
