import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Lets `role` publish to `topic` and use the topic's key for it, naming each action: the
 * topic's own grantPublish would add `kms:GenerateDataKey*`.
 */
export function grantPublish(role: iam.IRole, topic: sns.ITopic): void {
  iam.Grant.addToPrincipal({ grantee: role, actions: ['sns:Publish'], resourceArns: [topic.topicArn] });
  topic.masterKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
}
