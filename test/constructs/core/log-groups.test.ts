import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newDataKey } from '../../../constructs/core/keys';
import { newEncryptedLogGroup } from '../../../constructs/core/log-groups';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { newTestApp } from '../../support/synth';

function logGroups(...retentions: logs.RetentionDays[]) {
  const stack = new Stack(newTestApp(), 'Logs');
  const encryptionKey = newDataKey(stack, 'Key', 'test', RemovalPolicy.RETAIN);
  const groups = retentions.map((retention, i) => newEncryptedLogGroup(stack, `Logs${i}`, { encryptionKey, retention, removalPolicy: RemovalPolicy.DESTROY }));
  return { stack, groups };
}

describe('an encrypted log group', () => {
  test('lets CloudWatch Logs use its key for this account\'s log groups of this region, in one statement however many groups share the key', () => {
    const { stack } = logGroups(logs.RetentionDays.ONE_MONTH, logs.RetentionDays.ONE_YEAR);
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(key.Properties.KeyPolicy.Statement.filter((s: any) => s.Sid === 'AllowCloudWatchLogs')).toEqual([{
      Sid: 'AllowCloudWatchLogs', Effect: 'Allow',
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Action: expect.any(Array),
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
      } } },
    }]);
    const statement = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'AllowCloudWatchLogs');
    expect([...statement.Action].sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  });

  test('kept under a year, says why Control Tower\'s year does not apply; kept a year, needs no word', () => {
    const { groups: [month, year] } = logGroups(logs.RetentionDays.ONE_MONTH, logs.RetentionDays.ONE_YEAR);
    expect(acknowledgementsOn(month)).toEqual([[
      'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check', 'Kept 30 days, as its stage or its construct\'s retention says: '
        + 'these logs hold jobs\' and runs\' output, not an audit trail (CloudTrail keeps that); prod keeps them a year.',
    ]]);
    expect(acknowledgementsOn(year)).toEqual([]);
  });
});
