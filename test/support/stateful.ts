import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { STATEFUL_RESOURCE_TYPES } from '../../bin/stateful-guard/stateful-changes';

/** The stateful resources of a stack, as logical id → resource type, sorted by id. */
export function statefulResources(stack: Stack): Record<string, string> {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  return Object.fromEntries(Object.entries(resources)
    .filter(([, resource]) => STATEFUL_RESOURCE_TYPES.includes(resource.Type))
    .map(([id, resource]) => [id, resource.Type] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b)));
}
