import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { NETWORK_PROFILE_TAG, UNTAGGED_NETWORK_PROFILE } from '../../constructs/network/profile-tag';

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
  // its home file system survives it, but a new domain would not find it: every profile starts anew
  'AWS::SageMaker::Domain',
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

/** A change of a stack's network profile between two templates of it. */
export interface NetworkProfileChange {
  readonly vpcLogicalId: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Whether going from `deployed` to `next` changes the network profile of a VPC that both
 * hold. The new profile's subnets take the old ones' address ranges, so CloudFormation would
 * fail creating them beside the old ones, with functions' network interfaces still in them:
 * a profile is chosen when a stack is first deployed.
 */
export function networkProfileChange(deployed: object, next: object): NetworkProfileChange | undefined {
  const before = vpcProfiles(deployed);
  const after = vpcProfiles(next);
  for (const [vpcLogicalId, from] of Object.entries(before)) {
    const to = after[vpcLogicalId];
    if (to !== undefined && to !== from) {
      return { vpcLogicalId, from, to };
    }
  }
  return undefined;
}

/** The profile of each VPC of a template, by logical id: its profile tag, `public` without one. */
function vpcProfiles(template: any): Record<string, string> {
  return Object.fromEntries(Object.entries<any>(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::EC2::VPC')
    .map(([id, resource]) => [id, (resource.Properties?.Tags ?? [])
      .find((tag: any) => tag.Key === NETWORK_PROFILE_TAG)?.Value ?? UNTAGGED_NETWORK_PROFILE]));
}
