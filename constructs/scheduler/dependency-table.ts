import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeRegulated } from '../core/compliance';

/**
 * The records through which a step waits for its dependencies in other lanes (see
 * lane-executor.ts), one per run and waiting step, deleted as the step goes on. On demand: it
 * bills nothing while no run waits.
 */
export function newDependencyTable(scope: Construct, key: kms.IKey, removalPolicy: RemovalPolicy): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'Dependencies', {
    partitionKey: { name: 'run', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'step', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy,
  });
  acknowledgeRegulated(table, 'DynamoDBInBackupPlan',
    'The table holds only the dependency records of runs under way, each deleted as its step goes on; there is nothing for a backup plan to keep.');
  return table;
}

/**
 * What the lanes call: write and delete dependency records, and send a waiting step its
 * token back. SendTaskSuccess names no resource (a token is not one), so it is granted on `*`.
 */
export function grantDependencyRecords(role: iam.IRole, table: dynamodb.ITable): void {
  iam.Grant.addToPrincipal({ grantee: role, actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resourceArns: [table.tableArn] });
  table.encryptionKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
}
