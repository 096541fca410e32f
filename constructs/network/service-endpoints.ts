import { Aws, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The interface endpoints of a private network, by construct id and service name: what Batch
 * hosts (ECS agent, image pulls, logs), Fargate tasks, the stack's functions (and its sandboxes'
 * reapers, which delete their stack through CloudFormation) and jobs call.
 * The IAM service prefixes each one serves are in `endpointServicePrefixes`.
 */
export const INTERFACE_ENDPOINTS: { readonly [id: string]: string } = {
  Ecs: 'ecs',
  EcsAgent: 'ecs-agent',
  EcsTelemetry: 'ecs-telemetry',
  EcrApi: 'ecr.api',
  EcrDocker: 'ecr.dkr',
  Logs: 'logs',
  Sts: 'sts',
  StepFunctions: 'states',
  StepFunctionsSync: 'sync-states',
  Athena: 'athena',
  Glue: 'glue',
  Kms: 'kms',
  Sns: 'sns',
  Sqs: 'sqs',
  SageMakerApi: 'sagemaker.api',
  SageMakerRuntime: 'sagemaker.runtime',
  Lambda: 'lambda',
  Ssm: 'ssm',
  Batch: 'batch',
  Ec2: 'ec2',
  CloudFormation: 'cloudformation',
  XRay: 'xray',
};

/** The IAM service prefix each endpoint service answers for; gateway endpoints included. */
export function endpointServicePrefixes(service: string): string[] {
  const prefixes: { [service: string]: string[] } = {
    'ecs-agent': ['ecs'], 'ecs-telemetry': ['ecs'], 'ecr.api': ['ecr'], 'ecr.dkr': ['ecr'], 'sync-states': ['states'],
    'sagemaker.api': ['sagemaker'], 'sagemaker.runtime': ['sagemaker'],
  };
  return prefixes[service] ?? [service];
}

/**
 * Endpoint policies as a data perimeter: the account's own principals may reach the account's
 * own resources, and AWS services may act on its behalf; nothing else passes the endpoint.
 */
function perimeterStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'OwnPrincipalsToOwnResources',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID, 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
    }),
    new iam.PolicyStatement({
      sid: 'AwsServicesOnOurBehalf',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
    }),
  ];
}

/**
 * S3 also serves two AWS-owned buckets the network needs: ECR's image layers (presigned by
 * ECR) and CloudFormation's custom resource responses (presigned by CloudFormation).
 */
function awsOwnedBucketStatement(scope: Construct): iam.PolicyStatement {
  const regionWithoutDashes = Fn.join('', Fn.split('-', Aws.REGION));
  const partition = Stack.of(scope).partition;
  return new iam.PolicyStatement({
    sid: 'AwsOwnedBuckets',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject', 's3:PutObject'],
    resources: [
      `arn:${partition}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`,
      Fn.join('', [`arn:${partition}:s3:::cloudformation-custom-resource-response-`, regionWithoutDashes, '/*']),
    ],
  });
}

/** Narrows the gateway endpoints of `vpc` (S3, DynamoDB) to the perimeter. */
export function narrowGatewayEndpoints(scope: Construct, s3: ec2.GatewayVpcEndpoint, dynamoDb: ec2.GatewayVpcEndpoint): void {
  const [ownResources] = perimeterStatements();
  s3.addToPolicy(ownResources);
  s3.addToPolicy(awsOwnedBucketStatement(scope));
  dynamoDb.addToPolicy(ownResources);
}

/**
 * One interface endpoint per service of `INTERFACE_ENDPOINTS` in `subnets`, with private DNS,
 * the perimeter policy, and one security group admitting HTTPS from the VPC's range (`vpcCidr`) only.
 */
export function addInterfaceEndpoints(scope: Construct, vpc: ec2.IVpc, vpcCidr: string, subnets: ec2.SubnetSelection): ec2.InterfaceVpcEndpoint[] {
  const securityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc,
    description: 'Interface endpoints: HTTPS from inside the VPC only',
    allowAllOutbound: false,
  });
  securityGroup.addIngressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
  return Object.entries(INTERFACE_ENDPOINTS).map(([id, service]) => {
    const endpoint = vpc.addInterfaceEndpoint(`${id}Endpoint`, {
      service: new ec2.InterfaceVpcEndpointAwsService(service),
      subnets,
      privateDnsEnabled: true,
      securityGroups: [securityGroup],
      open: false,
    });
    perimeterStatements().forEach((statement) => endpoint.addToPolicy(statement));
    return endpoint;
  });
}
