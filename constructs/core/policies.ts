import { Stack } from 'aws-cdk-lib';

/**
 * The IAM policies of `stack` are minimized, whatever the app's feature flags: statements merged,
 * and a policy that outgrows IAM's size limit split into managed policies, which a workflow of many
 * steps needs. aws-cdk-lib reads the flag from the stack that renders a policy, so it is set on the
 * stack, before the stack has children.
 */
export function minimizePolicies(stack: Stack): void {
  stack.node.setContext('@aws-cdk/aws-iam:minimizePolicies', true);
}
