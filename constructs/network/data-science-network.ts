import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeControlTower, acknowledgeRegulated, acknowledgeRoleInlinePolicies, NO_VPC_FOR_FUNCTIONS } from '../core/compliance';
import { newDataKey } from '../core/keys';
import { newEncryptedLogGroup } from '../core/log-groups';
import { statefulRemovalPolicy } from '../core/removal';
import { PropChecker } from '../core/validation-error';
import { computeSubnetsOf } from './compute-subnets';

export interface DataScienceNetworkProps {
  /**
   * A VPC you already have. Compute runs in its private subnets with egress when it has
   * them, in its public subnets otherwise.
   * @default - a new VPC with public subnets only and no NAT gateway, so nothing bills while idle
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Availability zones of the new VPC.
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * Which traffic the new VPC's flow logs record. Rejected traffic is what a security
   * review needs, at a fraction of the ingestion cost of ALL.
   * @default ec2.FlowLogTrafficType.REJECT
   */
  readonly flowLogsTrafficType?: ec2.FlowLogTrafficType;

  /**
   * How long the new VPC's flow logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly flowLogsRetention?: logs.RetentionDays;

  /**
   * Encrypts the new VPC's flow logs. A key you import must allow CloudWatch Logs to use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the flow log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The network the data-science stack runs in: yours, or a new VPC that costs nothing
 * while idle (public subnets, no NAT gateway, free gateway endpoints for S3 and DynamoDB).
 */
export class DataScienceNetwork extends Construct {
  public readonly vpc: ec2.IVpc;
  /** The subnets compute environments and jobs run in. */
  public readonly computeSubnets: ec2.SubnetSelection;
  /** Whether compute runs in public subnets, and so needs public IPs to reach AWS APIs. */
  public readonly publicCompute: boolean;
  /** The flow log group of the VPC this construct created; absent for a VPC you brought. */
  public readonly flowLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: DataScienceNetworkProps = {}) {
    super(scope, id);
    const maxAzs = props.maxAzs ?? 2;
    const check = new PropChecker('DataScienceNetwork');
    check.check(Number.isInteger(maxAzs) && maxAzs >= 1 && maxAzs <= 6, 'maxAzs', maxAzs, 'give a whole number from 1 to 6');
    check.check(!(props.vpc && props.maxAzs !== undefined), 'maxAzs', maxAzs, 'leave maxAzs unset when you bring your own vpc');
    check.throwIfAny();

    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      const vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs,
        natGateways: 0,
        subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 20 }],
        gatewayEndpoints: {
          S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
          DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        },
      });
      const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
      const flowLogGroup = newEncryptedLogGroup(this, 'FlowLogs', {
        retention: props.flowLogsRetention ?? logs.RetentionDays.THREE_MONTHS,
        removalPolicy,
        encryptionKey: props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts VPC flow logs', removalPolicy),
      });
      vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
        trafficType: props.flowLogsTrafficType ?? ec2.FlowLogTrafficType.REJECT,
      });
      const publicByDesign = 'No NAT gateway, so nothing bills while idle: hosts reach AWS from public subnets, and '
        + 'their security group admits no inbound traffic. A regulated team brings a VPC with private subnets (`vpc`).';
      acknowledgeRegulated(vpc, 'VPCSubnetAutoAssignPublicIpDisabled', publicByDesign);
      acknowledgeRegulated(vpc, 'VPCNoUnrestrictedRouteToIGW', publicByDesign);
      acknowledgeControlTower(vpc, 'CT.EC2.PR.11', `${publicByDesign} A private profile is to come (issue #16).`);
      acknowledgeRoleInlinePolicies(vpc);
      // aws-cdk-lib's function that empties the default security group, once, at deploy
      const restrictDefaultGroup = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
      if (restrictDefaultGroup) {
        acknowledgeControlTower(restrictDefaultGroup, 'CT.LAMBDA.PR.3', NO_VPC_FOR_FUNCTIONS);
      }
      this.vpc = vpc;
      this.flowLogGroup = flowLogGroup;
    }

    this.computeSubnets = computeSubnetsOf(this.vpc);
    this.publicCompute = this.computeSubnets.subnetType === ec2.SubnetType.PUBLIC;
  }
}
