import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';

/** Resource types that hold data, keys or history: replacing or deleting one loses what it holds. */
export const STATEFUL_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::Glue::Database',
  'AWS::Glue::Table',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::ECR::Repository',
  'AWS::SageMaker::ModelPackageGroup',
];

/** A stateful resource a deploy would replace, delete or drop from the stack. */
export interface StatefulLoss {
  readonly logicalId: string;
  readonly type: string;
  /** `WILL_REPLACE`, `MAY_REPLACE`, `WILL_DESTROY` or `WILL_ORPHAN`. */
  readonly impact: string;
}

const LOSSES: string[] = [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN];

/**
 * What going from `deployed` to `next` would do to stateful resources, judged offline with
 * CloudFormation's own rules of which property changes replace a resource.
 */
export function statefulLosses(deployed: object, next: object): StatefulLoss[] {
  const losses: StatefulLoss[] = [];
  fullDiff(deployed as any, next as any).resources.forEachDifference((logicalId, change) => {
    const type = change.oldResourceType ?? change.newResourceType ?? '';
    if (STATEFUL_RESOURCE_TYPES.includes(type) && LOSSES.includes(change.changeImpact)) {
      losses.push({ logicalId, type, impact: change.changeImpact });
    }
  });
  return losses;
}
