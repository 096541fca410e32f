import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { allowServiceToUseKey } from './keys';

/**
 * Lets an AWS service publish to `topic` on this account's behalf, for example CloudWatch
 * alarm actions or AWS Budgets alerts, and use the key that encrypts the topic.
 */
export function allowServiceToPublish(topic: sns.ITopic, service: string): void {
  allowServiceToUseKey(topic.masterKey, service);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['sns:Publish'], principals: [new iam.ServicePrincipal(service)], resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
  }));
}
