/**
 * An organization's own CDK app that composes the layers next to what it already has:
 * its own VPC (with private subnets behind one NAT gateway) and a raw-data bucket
 * that another team fills.
 *
 *   npx cdk synth --app 'npx tsx examples/team-stack/app.ts'
 */
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ArtifactStore, BatchCompute, CompliancePacks, DataScienceNetwork, DataWarehouse, Workflow, WorkflowStep,
} from '../../lib';

interface AnalyticsStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly rawDataBucketName: string;
}

class AnalyticsStack extends Stack {
  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);

    const network = new DataScienceNetwork(this, 'Network', { vpc: props.vpc });
    const warehouse = new DataWarehouse(this, 'Warehouse', {
      namePrefix: 'risk-analytics',
      rawBucket: s3.Bucket.fromBucketName(this, 'RawData', props.rawDataBucketName),
    });
    const compute = new BatchCompute(this, 'Compute', {
      vpc: network.vpc,
      subnets: network.computeSubnets,
      cpu: { maxvCpus: 128 },
    });
    const artifacts = new ArtifactStore(this, 'Artifacts', { encryptionKey: warehouse.encryptionKey });

    const train = compute.addJobDefinition('Train', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12-slim'),
      vcpus: 4,
      memoryMiB: 16384,
      command: ['python', '-c', 'print("training")'],
      environment: { ARTIFACT_BUCKET: artifacts.bucket.bucketName },
    });
    warehouse.curated.grantRead(train.container.jobRole!, 'features/');
    artifacts.grantWrite(train.container.jobRole!, 'models/');
    new Workflow(this, 'Training', {
      workflowName: 'training',
      steps: [WorkflowStep.batchJob({ name: 'train', jobQueue: compute.queue('cpu').jobQueue, jobDefinition: train })],
    });
  }
}

/** The organization's network, owned by its platform team. */
class NetworkStack extends Stack {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      // only the NAT gateway, with its own Elastic IP, lives in the public subnets
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
      flowLogs: { rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    // the platform team's own choices, acknowledged where they are made, as a team acknowledges its own
    // Control Tower's proactive controls (@cdklabs/cdk-validator-cfnguard) name findings by their Guard rules
    Validations.of(this.vpc.node.findChild('rejected')).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check', // CT.CLOUDWATCH.PR.3
      reason: 'Rejected-traffic flow logs hold addresses and ports, no payload, and CloudWatch Logs encrypts them at rest with its own keys.',
    });
    Validations.of(this.node.findChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', // CT.LAMBDA.PR.3
      reason: 'aws-cdk-lib\'s function that empties the default security group once, at deploy; it only calls the EC2 API.',
    });
  }
}

const app = new App();
const network = new NetworkStack(app, 'OrgNetwork');
new AnalyticsStack(app, 'RiskAnalytics', { vpc: network.vpc, rawDataBucketName: 'acme-risk-raw-data' });
CompliancePacks.addTo(app);
