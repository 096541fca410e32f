import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * A customer-managed key with yearly rotation, for one layer's or one stack's data. Only AWS
 * services acting for a principal (DynamoDB, SageMaker, EBS) may create grants on it: a grant
 * is a permission outside the key policy and IAM, which a principal allowed to use the key could
 * otherwise hand to anyone (CT.KMS.PR.3).
 */
export function newDataKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy,
    pendingWindow: Duration.days(30),
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'GrantsForAwsServicesOnly',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'], // in a key policy, `*` is this key
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}

/**
 * Lets a service role have its service create grants on `key` for AWS resources only: SageMaker
 * creates a job's or a space's volume with the role's credentials, and a grant on the key for it.
 * A key of this app's own denies other grants in its policy; a key it imports may not.
 */
export function grantCreateGrantForAwsResources(role: iam.IRole, key: kms.IKey): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:CreateGrant'], resources: [key.keyArn], conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
  }));
}

const servicesOnKey = new WeakMap<kms.IKey, Set<string>>();

/**
 * Lets an AWS service use `key` on this account's behalf, for example `events.amazonaws.com`
 * delivering to an encrypted queue or `cloudwatch.amazonaws.com` publishing alarms to an
 * encrypted topic. Once per key and service; a key this app does not own is left as it is.
 */
export function allowServiceToUseKey(key: kms.IKey | undefined, service: string): void {
  if (!key) {
    return;
  }
  const services = servicesOnKey.get(key) ?? new Set<string>();
  servicesOnKey.set(key, services);
  if (services.has(service)) {
    return;
  }
  services.add(service);
  key.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    principals: [new iam.ServicePrincipal(service)],
    resources: ['*'], // in a key policy, `*` is this key
    conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
  }));
}
