/** One Allow statement of a template's policies. */
export interface PolicyStatement {
  /** The resource that holds the policy. */
  readonly logicalId: string;
  /** An identity policy (of a role, user or group) rather than a resource's own policy. */
  readonly identity: boolean;
  readonly statement: any;
}

const IDENTITY_POLICIES: Record<string, (p: any) => any[]> = {
  'AWS::IAM::Policy': (p) => [p.PolicyDocument],
  'AWS::IAM::ManagedPolicy': (p) => [p.PolicyDocument],
  'AWS::IAM::Role': (p) => (p.Policies ?? []).map((policy: any) => policy.PolicyDocument),
};
const RESOURCE_POLICIES: Record<string, (p: any) => any[]> = {
  'AWS::KMS::Key': (p) => [p.KeyPolicy],
  'AWS::S3::BucketPolicy': (p) => [p.PolicyDocument],
  'AWS::SNS::TopicPolicy': (p) => [p.PolicyDocument],
  'AWS::SQS::QueuePolicy': (p) => [p.PolicyDocument],
  'AWS::Logs::ResourcePolicy': (p) => [JSON.parse(joined(p.PolicyDocument))],
};

/** A JSON document held as a string, or as an `Fn::Join` of strings and intrinsics (each kept as a placeholder). */
function joined(document: any): string {
  return typeof document === 'string' ? document
    : document['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'TOKEN')).join(document['Fn::Join'][0]);
}

/** Every Allow statement of every policy in a synthesized template. */
export function allowStatements(template: any): PolicyStatement[] {
  return Object.entries<any>(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const identity = IDENTITY_POLICIES[resource.Type];
    const documents = (identity ?? RESOURCE_POLICIES[resource.Type])?.(resource.Properties ?? {}) ?? [];
    return documents.filter(Boolean).flatMap((document: any) => [document.Statement ?? []].flat())
      .filter((statement: any) => statement.Effect === 'Allow')
      .map((statement: any) => ({ logicalId, identity: identity !== undefined, statement }));
  });
}

/** How a statement is wide. */
export interface Wildcards {
  /** A wildcard in an action, such as `kms:*`. */
  readonly action: boolean;
  /** `*` for a resource. */
  readonly anyResource: boolean;
  /** A resource naming a whole kind by `*` alone: every object of a bucket, every job definition, every state machine. */
  readonly wholeKind: boolean;
  /** A `*` within a resource's name: the objects under a prefix, the names that start so. */
  readonly resourcePattern: boolean;
}

/** The wildcards of one statement, intrinsic functions included. */
export function wildcardsOf(statement: any): Wildcards {
  const hasStar = (value: unknown) => value !== undefined && JSON.stringify(value).includes('*');
  const resources: unknown[] = [statement.Resource ?? []].flat();
  const patterns = resources.filter((r) => r !== '*' && hasStar(r));
  return {
    action: hasStar(statement.Action) || statement.NotAction !== undefined,
    anyResource: resources.includes('*') || statement.NotResource !== undefined,
    wholeKind: patterns.some(namesWholeKind),
    resourcePattern: patterns.some((r) => !namesWholeKind(r)),
  };
}

/** `...:job/*`, `...:stateMachine:*`, `...:job-definition/*:*`, or a bucket's ARN and `/*`. */
function namesWholeKind(resource: unknown): boolean {
  const kind = /(^|:)[A-Za-z-]+[/:]\*(:\*)?$/;
  if (typeof resource === 'string') {
    return kind.test(resource);
  }
  const parts: unknown[] = (resource as any)?.['Fn::Join']?.[1] ?? [];
  const last = parts[parts.length - 1];
  const before: any = parts[parts.length - 2];
  return typeof last === 'string' && (kind.test(last) || (last === '/*' && before?.['Fn::GetAtt']?.[1] === 'Arn'));
}

/** The Allow statements with any wildcard. */
export function wildcardStatements(template: any): (PolicyStatement & { wildcards: Wildcards })[] {
  return allowStatements(template).map((s) => ({ ...s, wildcards: wildcardsOf(s.statement) }))
    .filter(({ wildcards }) => wildcards.action || wildcards.anyResource || wildcards.wholeKind || wildcards.resourcePattern);
}
