import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The findings acknowledged on `scope` itself, in the order they were, as [id, reason]: the id as
 * aws-cdk-lib records it (a cdk-nag rule's as `Annotation::<rule>`), where cdk-nag reads it.
 */
export function acknowledgementsOn(scope: IConstruct): [string, string][] {
  return scope.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries((entry.data ?? {}) as Record<string, string>));
}
