import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** Resource types that hold data or keys: replacing one loses what it holds. */
export const STATEFUL_TYPES = [
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

/** The stateful resources of a stack, as logical id → resource type, sorted by id. */
export function statefulResources(stack: Stack): Record<string, string> {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  return Object.fromEntries(Object.entries(resources)
    .filter(([, resource]) => STATEFUL_TYPES.includes(resource.Type))
    .map(([id, resource]) => [id, resource.Type] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b)));
}
