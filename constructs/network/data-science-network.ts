import { RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, DependencyGroup } from 'constructs';
import { acknowledgeControlTower, acknowledgeRegulated, acknowledgeRoleInlinePolicies, NO_VPC_FOR_FUNCTIONS } from '../core/compliance';
import { placeFunctionsOfStack } from '../core/function-placement';
import { newDataKey } from '../core/keys';
import { newEncryptedLogGroup } from '../core/log-groups';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import { checkComputeSubnets, computeSubnetsOf } from './compute-subnets';
import { checkNetworkProfile, NetworkProfile, regionalNatGateway } from './network-profile';
import { NETWORK_PROFILE_TAG } from './profile-tag';
import { placeProviderFunctions } from './provider-placement';
import { addInterfaceEndpoints, narrowGatewayEndpoints } from './service-endpoints';

/** The range of a new private VPC, known at synth so rules can judge what it admits. */
const PRIVATE_VPC_CIDR = '10.0.0.0/16';

export interface DataScienceNetworkProps {
  /**
   * A VPC you already have. Compute runs in its private subnets with egress when it has
   * them, in its public subnets otherwise.
   * @default - a new VPC shaped by `profile`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The shape of the new VPC: `PUBLIC` costs nothing while idle; `NAT` and `PRIVATE` give
   * hosts no public IP and put the stack's functions in private subnets, for teams under
   * NIST 800-53, HIPAA or PCI DSS. `NAT` bills a NAT gateway per zone in use, `PRIVATE` an
   * interface endpoint per service and zone (`npm run cost` prints both).
   * @default NetworkProfile.PUBLIC
   */
  readonly profile?: NetworkProfile;

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
 * The network the data-science stack runs in: yours, or a new VPC shaped by a profile. The
 * default (`PUBLIC`) costs nothing while idle: public subnets, no NAT gateway, free gateway
 * endpoints for S3 and DynamoDB.
 */
export class DataScienceNetwork extends Construct {
  /** The tag that records a new VPC's profile, read by `stateful-guard` before a deploy. */
  public static readonly PROFILE_TAG = NETWORK_PROFILE_TAG;

  /** The VPC you brought, or the new one. */
  public readonly vpc: ec2.IVpc;
  /** The profile of the new VPC; undefined for a VPC you brought. */
  public readonly profile?: NetworkProfile;
  /** The subnets compute environments and jobs run in. */
  public readonly computeSubnets: ec2.SubnetSelection;
  /** Whether compute runs in public subnets, and so needs public IPs to reach AWS APIs. */
  public readonly publicCompute: boolean;
  /** The flow log group of the VPC this construct created; absent for a VPC you brought. */
  public readonly flowLogGroup?: logs.ILogGroup;
  /** The security group of the stack's functions in a `NAT` or `PRIVATE` network. */
  public readonly functionSecurityGroup?: ec2.ISecurityGroup;
  /** The interface endpoints of a `PRIVATE` network. */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[] = [];

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `DataScienceNetworkProps`
   */
  constructor(scope: Construct, id: string, props: DataScienceNetworkProps = {}) {
    super(scope, id);
    checkPropsStruct('DataScienceNetwork', props, '{ maxAzs: 2 }');
    const maxAzs = props.maxAzs ?? 2;
    const check = new PropChecker('DataScienceNetwork');
    check.known('maxAzs', maxAzs, 'give a plain number: the subnets are laid out at synth time');
    check.integer('maxAzs', maxAzs, 1, 6);
    check.oneOf('flowLogsTrafficType', props.flowLogsTrafficType, Object.values(ec2.FlowLogTrafficType));
    check.retentionDays('flowLogsRetention', props.flowLogsRetention);
    check.removalPolicy('removalPolicy', props.removalPolicy);
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey CloudWatch Logs may use, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
    if (props.profile !== undefined) {
      checkNetworkProfile(check, 'profile', props.profile);
    }
    if (props.vpc) {
      // they shape the new VPC only: given beside your own, they would do nothing
      for (const prop of ['maxAzs', 'flowLogsTrafficType', 'flowLogsRetention', 'profile'] as const) {
        check.check(props[prop] === undefined, prop, props[prop], `leave ${prop} unset when you bring your own vpc`);
      }
      checkComputeSubnets(check, props.vpc);
    }
    check.throwIfAny();

    if (props.vpc) {
      this.vpc = props.vpc;
      this.computeSubnets = computeSubnetsOf(this.vpc);
    } else {
      const profile = props.profile ?? NetworkProfile.PUBLIC;
      const vpc = profile === NetworkProfile.PUBLIC ? this.publicVpc(maxAzs) : this.privateVpc(profile, maxAzs);
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
      acknowledgeRoleInlinePolicies(vpc);
      this.vpc = vpc;
      this.profile = profile;
      this.flowLogGroup = flowLogGroup;
      this.computeSubnets = profile === NetworkProfile.PRIVATE ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : computeSubnetsOf(vpc);
      if (profile !== NetworkProfile.PUBLIC) {
        Tags.of(vpc).add(DataScienceNetwork.PROFILE_TAG, profile);
        this.functionSecurityGroup = this.placeFunctions(vpc);
      }
    }
    this.publicCompute = this.computeSubnets.subnetType === ec2.SubnetType.PUBLIC;
  }

  /** No NAT gateway, so nothing bills while idle: hosts reach AWS from public subnets. */
  private publicVpc(maxAzs: number): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs,
      natGateways: 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 20 }],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    const publicByDesign = 'No NAT gateway, so nothing bills while idle: hosts reach AWS from public subnets, and '
      + 'their security group admits no inbound traffic. A regulated team chooses the nat or private network profile.';
    acknowledgeRegulated(vpc, 'VPCSubnetAutoAssignPublicIpDisabled', publicByDesign);
    acknowledgeRegulated(vpc, 'VPCNoUnrestrictedRouteToIGW', publicByDesign);
    acknowledgeControlTower(vpc, 'CT.EC2.PR.11', publicByDesign);
    // aws-cdk-lib's function that empties the default security group, once, at deploy; in the
    // other profiles it runs in the private subnets
    const restrictDefaultGroup = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictDefaultGroup) {
      acknowledgeControlTower(restrictDefaultGroup, 'CT.LAMBDA.PR.3', NO_VPC_FOR_FUNCTIONS);
    }
    return vpc;
  }

  /**
   * Private subnets only. `NAT`: egress through a regional NAT gateway, which needs no public
   * subnet and so no route table with a default route to the internet gateway. `PRIVATE`:
   * isolated subnets that reach AWS through endpoints alone.
   */
  private privateVpc(profile: NetworkProfile, maxAzs: number): ec2.Vpc {
    const nat = profile === NetworkProfile.NAT;
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs,
      ipAddresses: ec2.IpAddresses.cidr(PRIVATE_VPC_CIDR),
      restrictDefaultSecurityGroup: true,
      ...(nat
        ? { natGatewayProvider: regionalNatGateway(), createInternetGateway: true }
        : { natGateways: 0 }),
      subnetConfiguration: [{
        name: nat ? 'private' : 'isolated',
        subnetType: nat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        cidrMask: 20,
      }],
    });
    const s3 = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const dynamoDb = vpc.addGatewayEndpoint('DynamoDB', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    narrowGatewayEndpoints(this, s3, dynamoDb);
    if (!nat) {
      this.interfaceEndpoints.push(...addInterfaceEndpoints(this, vpc, PRIVATE_VPC_CIDR, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }));
    }
    return vpc;
  }

  /** The stack's functions, ours and aws-cdk-lib's providers, run in the compute subnets. */
  private placeFunctions(vpc: ec2.Vpc): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc, description: 'Functions of the stack: they call AWS APIs, nothing may connect in', allowAllOutbound: true,
    });
    const placement = { vpc, subnets: this.computeSubnets, securityGroup };
    placeFunctionsOfStack(this, placement);
    const path = new DependencyGroup();
    path.add(vpc.internetConnectivityEstablished);
    vpc.privateSubnets.concat(vpc.isolatedSubnets).forEach((subnet) => path.add(subnet));
    this.interfaceEndpoints.forEach((endpoint) => path.add(endpoint));
    placeProviderFunctions(Stack.of(this), placement, path);
    return securityGroup;
  }
}
