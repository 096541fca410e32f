import { IConstruct } from 'constructs';

/**
 * IAM policies under `scope` are minimized, whatever the app's feature flags: statements merged,
 * and a policy that outgrows IAM's size limit split into managed policies, which a workflow of
 * many steps needs. Call before adding children.
 */
export function minimizePolicies(scope: IConstruct): void {
  scope.node.setContext('@aws-cdk/aws-iam:minimizePolicies', true);
}
