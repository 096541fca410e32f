import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** A customer-managed key with yearly rotation, for one layer's or one stack's data. */
export function newDataKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy,
    pendingWindow: Duration.days(30),
  });
}
