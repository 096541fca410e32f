import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';

/** The account and region the synthesized policies are evaluated in. */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

type Resources = Record<string, { Type: string; Properties?: any }>;

/** The key policy KMS writes by default, which leaves the account's principals to IAM: for a key outside the template. */
export const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * Evaluates a synthesized template's IAM policies offline with @cloud-copilot/iam-simulate:
 * CloudFormation intrinsics are resolved to concrete names and ARNs in one account and region,
 * a role's identity policies and the target's resource policy (bucket or key policy) are
 * evaluated together, as AWS would.
 */
export class PolicySimulator {
  private readonly resources: Resources;
  private readonly parameters: Record<string, { Default?: string }>;

  /**
   * @param parameterValues values of the template's parameters, by name or by default (an SSM
   * parameter's path, for `AWS::SSM::Parameter::Value` parameters)
   * @param policiesOutside the resource policies of resources the template does not hold, by
   * ARN: an imported key's key policy
   */
  constructor(template: Template, private readonly parameterValues: Record<string, string> = {}, private readonly policiesOutside: Record<string, object> = {}) {
    this.resources = template.toJSON().Resources;
    this.parameters = template.toJSON().Parameters ?? {};
  }

  /** The logical id of the one resource of `type` whose id starts with `prefix`. */
  public logicalId(type: string, prefix: string): string {
    const ids = Object.keys(this.resources).filter((id) => this.resources[id].Type === type && id.startsWith(prefix));
    if (ids.length !== 1) {
      throw new Error(`expected one ${type} with id starting ${prefix}, found ${ids.length}: ${ids.join(', ')}`);
    }
    return ids[0];
  }

  /** The ARN of a resource of the template. */
  public arn(logicalId: string): string {
    return this.getAtt(logicalId, 'Arn');
  }

  /** Whether the role may call `action` on `resource`; requests are over TLS unless the context says otherwise. */
  public async decide(roleId: string, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Decision> {
    const response = await runSimulation({
      request: {
        principal: this.getAtt(roleId, 'Arn'),
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true', ...context },
      },
      identityPolicies: this.identityPolicies(roleId),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicy(action, resource),
    }, {});
    if (response.resultType === 'error') {
      throw new Error(`simulation of ${action} on ${resource} failed: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult as Decision;
  }

  /**
   * Whether an AWS service principal (for example `events.amazonaws.com`), acting for the source
   * in `context` (`aws:SourceAccount`, `aws:SourceArn`), may call `action` on `resource` under
   * the resource's own policy, the only policy that can grant a service principal.
   */
  public async decideForService(service: string, action: string, resource: string, context: Record<string, string | string[]>): Promise<Decision> {
    const response = await runSimulation({
      request: { principal: service, action, resource: { resource, accountId: ACCOUNT }, contextVariables: { 'aws:SecureTransport': 'true', ...context } },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicy(action, resource),
    }, {});
    if (response.resultType === 'error') {
      throw new Error(`simulation of ${service} ${action} on ${resource} failed: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult as Decision;
  }

  /** `decide`, with an implicit and an explicit deny both read as `NotAllowed`, for tables of expectations. */
  public async outcome(roleId: string, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<'Allowed' | 'NotAllowed'> {
    return await this.decide(roleId, action, resource, context) === 'Allowed' ? 'Allowed' : 'NotAllowed';
  }

  /** Every action the role's own policies allow, as they spell it (wildcards included), once each. */
  public allowedActions(roleId: string): string[] {
    // actions are plain strings: read unresolved, so a policy with intrinsics the simulator cannot resolve is read too
    const attached = Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((ref: any) => ref.Ref === roleId))
      .map((r) => r.Properties.PolicyDocument);
    const inline = (this.resources[roleId].Properties?.Policies ?? []).map((p: any) => p.PolicyDocument);
    const statements = [...attached, ...inline].flatMap((document) => [document.Statement].flat());
    return [...new Set(statements.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat()))].sort();
  }

  private identityPolicies(roleId: string): { name: string; policy: any }[] {
    const attached = Object.entries(this.resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((ref: any) => ref.Ref === roleId))
      .map(([id, r]) => ({ name: id, policy: this.resolve(r.Properties.PolicyDocument) }));
    const inline = (this.resources[roleId].Properties.Policies ?? [])
      .map((p: any) => ({ name: p.PolicyName, policy: this.resolve(p.PolicyDocument) }));
    return [...attached, ...inline];
  }

  private resourcePolicy(action: string, resource: string): any {
    if (resource in this.policiesOutside) {
      return this.policiesOutside[resource];
    }
    if (action.startsWith('s3:')) {
      const bucket = Object.values(this.resources).find((r) => r.Type === 'AWS::S3::BucketPolicy'
        && resource.startsWith(`arn:aws:s3:::${this.resolve(r.Properties.Bucket)}`));
      return bucket ? this.resolve(bucket.Properties.PolicyDocument) : undefined;
    }
    if (action.startsWith('kms:')) {
      const key = Object.entries(this.resources).find(([id, r]) => r.Type === 'AWS::KMS::Key' && this.arn(id) === resource);
      return key ? this.resolve(key[1].Properties.KeyPolicy) : undefined;
    }
    // a topic's or queue's policy names it by Ref: a topic's ARN, a queue's URL (its id, here)
    const policyOf = (type: string, list: string, target: (id: string) => string) => Object.values(this.resources)
      .find((r) => r.Type === type && r.Properties[list].some((ref: any) => ref.Ref && target(ref.Ref) === resource));
    const topicOrQueue = action.startsWith('sns:') ? policyOf('AWS::SNS::TopicPolicy', 'Topics', (id) => this.arn(id))
      : action.startsWith('sqs:') ? policyOf('AWS::SQS::QueuePolicy', 'Queues', (id) => this.arn(id)) : undefined;
    return topicOrQueue ? this.resolve(topicOrQueue.Properties.PolicyDocument) : undefined;
  }

  /** Replaces intrinsics with the values CloudFormation would give them here. */
  public resolve(value: any): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    if ('Ref' in value) {
      return this.ref(value.Ref);
    }
    if ('Fn::GetAtt' in value) {
      return this.getAtt(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
    }
    if ('Fn::Join' in value) {
      return this.resolve(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
    }
    if ('Fn::Split' in value) {
      return this.resolve(value['Fn::Split'][1]).split(value['Fn::Split'][0]);
    }
    if ('Fn::Sub' in value && typeof value['Fn::Sub'] === 'string') {
      return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_: string, name: string) => this.ref(name));
    }
    if ('Fn::Select' in value) {
      return this.resolve(value['Fn::Select'][1])[value['Fn::Select'][0]];
    }
    const unknown = Object.keys(value).find((k) => k.startsWith('Fn::'));
    if (unknown) {
      throw new Error(`cannot resolve ${unknown}`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com',
    };
    if (name in pseudo) {
      return pseudo[name];
    }
    if (name in this.parameters) {
      const value = this.parameterValues[name] ?? this.parameterValues[this.parameters[name].Default ?? ''];
      if (value === undefined) {
        throw new Error(`no value given for parameter ${name} (${this.parameters[name].Default})`);
      }
      return value;
    }
    const resource = this.resources[name];
    if (!resource) {
      throw new Error(`cannot resolve Ref ${name}`);
    }
    // resources whose Ref is their ARN
    if (['AWS::Batch::JobQueue', 'AWS::Batch::JobDefinition', 'AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic'].includes(resource.Type)) {
      return this.getAtt(name, 'Arn');
    }
    return name.toLowerCase();
  }

  private getAtt(name: string, attribute: string): string {
    const type = this.resources[name]?.Type;
    const id = name.toLowerCase();
    const arns: Record<string, string> = {
      'AWS::S3::Bucket': `arn:aws:s3:::${id}`,
      'AWS::KMS::Key': `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`,
      'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${id}`,
      'AWS::Logs::LogGroup': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`,
      'AWS::Batch::JobQueue': `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/${id}`,
      'AWS::Batch::JobDefinition': `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/${id}:1`,
      'AWS::StepFunctions::StateMachine': `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id}`,
      'AWS::DynamoDB::Table': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`,
      'AWS::SNS::Topic': `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`,
      'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`,
      'AWS::ECR::Repository': `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${id}`,
      'AWS::Events::Rule': `arn:aws:events:${REGION}:${ACCOUNT}:rule/${id}`,
      'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`,
      'AWS::EMRServerless::Application': `arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/${id}`,
    };
    // the attributes policies name that are not ARNs
    if (type === 'AWS::EC2::VPC' && attribute === 'DefaultSecurityGroup') {
      return `sg-${id}`;
    }
    if (type === 'AWS::EMRServerless::Application' && attribute === 'ApplicationId') {
      return id;
    }
    if (type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') {
      return id; // as the ARN above names it
    }
    if (!type || !(type in arns) || !/Arn$/.test(attribute)) {
      throw new Error(`cannot resolve Fn::GetAtt ${name}.${attribute} (${type})`);
    }
    return arns[type];
  }
}
