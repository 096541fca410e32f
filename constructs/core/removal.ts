import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * The removal policy of a stateful resource (bucket, table, key, repository, log group).
 * Data is kept unless the caller asks for DESTROY in so many words.
 */
export function statefulRemovalPolicy(requested?: RemovalPolicy): RemovalPolicy {
  return requested ?? RemovalPolicy.RETAIN;
}

/** Whether a bucket or repository is emptied on deletion: only when it is destroyed on purpose. */
export function autoDeleteObjects(policy: RemovalPolicy): boolean {
  return policy === RemovalPolicy.DESTROY;
}
