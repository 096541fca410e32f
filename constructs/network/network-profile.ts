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

/** Records a problem on `check` unless `value` names a network profile. */
export function checkNetworkProfile(check: PropChecker, prop: string, value: unknown): void {
  check.check(typeof value === 'string' && PROFILES.includes(value), prop, value,
    `use one of ${PROFILES.map((p) => `"${p}"`).join(', ')}`);
}
