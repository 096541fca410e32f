import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PropChecker } from '../core/validation-error';

/** How a new VPC reaches AWS services, and what it costs while idle. */
export enum NetworkProfile {
  /**
   * Public subnets and no NAT gateway: hosts reach AWS from public IPs behind an egress-only
   * security group, functions run outside the VPC. Nothing bills while idle.
   */
  PUBLIC = 'public',
  /**
   * Private subnets whose egress goes through one regional NAT gateway (no public subnet, no
   * public IP on any host); functions run in the private subnets.
   */
  NAT = 'nat',
  /**
   * Isolated subnets with no route to the internet at all: AWS services are reached through
   * gateway endpoints (S3, DynamoDB) and interface endpoints with private DNS.
   */
  PRIVATE = 'private',
}

const PROFILES = Object.values(NetworkProfile) as string[];

/** aws-cdk-lib makes regional NAT gateways from 2.273.0 on; older releases this package admits lack the method. */
const natProvider = ec2.NatProvider as unknown as { regionalGateway?: () => ec2.NatProvider };

/** Records a problem on `check` unless `value` names a network profile this aws-cdk-lib can make. */
export function checkNetworkProfile(check: PropChecker, prop: string, value: unknown): void {
  check.choice(prop, value, PROFILES, `use one of ${PROFILES.map((p) => `"${p}"`).join(', ')}`, { required: true });
  check.check(value !== NetworkProfile.NAT || typeof natProvider.regionalGateway === 'function', prop, value,
    'the nat profile needs a regional NAT gateway, which aws-cdk-lib makes from 2.273.0 on: upgrade aws-cdk-lib, or use "private"');
}

/** One NAT gateway for every zone of a VPC, which needs no public subnet. */
export function regionalNatGateway(): ec2.NatProvider {
  return natProvider.regionalGateway!();
}
