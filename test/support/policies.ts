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

/** The Allow statements whose action or resource holds a `*`, intrinsic functions included. */
export function wildcardStatements(template: any): PolicyStatement[] {
  const hasStar = (value: unknown) => value !== undefined && JSON.stringify(value).includes('*');
  return allowStatements(template).filter(({ statement }) => hasStar(statement.Action) || hasStar(statement.NotAction)
    || hasStar(statement.Resource) || statement.NotResource !== undefined);
}
