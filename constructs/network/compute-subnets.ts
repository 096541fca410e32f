import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { PropChecker } from '../core/validation-error';

/**
 * Where compute runs in a VPC: its private subnets with egress when it has them, its public
 * subnets otherwise (then instances need public IPs to reach AWS APIs).
 */
export function computeSubnetsOf(vpc: ec2.IVpc): ec2.SubnetSelection {
  return { subnetType: vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC };
}

/**
 * Records a problem unless compute can run in `vpc`: in the subnets `subnets` selects, or
 * else in those `computeSubnetsOf` picks, which need a route out (hosts pull images and call
 * AWS APIs).
 */
export function checkComputeSubnets(check: PropChecker, vpc: ec2.IVpc, subnets?: ec2.SubnetSelection, subnetsProp?: string): void {
  if (!checkVpc(check, vpc)) {
    return;
  }
  if (subnets === undefined) {
    check.check(vpc.privateSubnets.length + vpc.publicSubnets.length > 0, 'vpc', `${vpc.node.path}: no private subnet with egress, no public subnet`,
      'give a VPC with private subnets with egress or public subnets: hosts pull images and call AWS APIs, which isolated subnets reach only '
      + `through interface endpoints${subnetsProp ? `; if yours has them, select its subnets with ${subnetsProp}` : ''}`);
    return;
  }
  checkSelectsSubnets(check, subnetsProp ?? 'subnets', vpc, subnets);
}

/**
 * Records a problem unless `vpc`, the `vpc` prop, is a VPC, and returns whether it is one: from
 * JavaScript a number or a plain object may come, which has no subnets to read.
 */
export function checkVpc(check: PropChecker, vpc: unknown): vpc is ec2.IVpc {
  return check.construct('vpc', vpc, 'an ec2.IVpc, such as new ec2.Vpc(this, "Vpc")', { required: true });
}

/**
 * Records a problem unless `selection` is a subnet selection that picks at least one subnet, and
 * at most `max`, of `vpc`; a `vpc` that is no VPC is its own prop's problem (see `checkVpc`).
 */
export function checkSelectsSubnets(check: PropChecker, prop: string, vpc: ec2.IVpc, selection: ec2.SubnetSelection, max = Infinity): boolean {
  if (!check.struct(prop, selection, '{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }', { required: true }) || !Construct.isConstruct(vpc)) {
    return false;
  }
  let problem: string | undefined;
  try {
    const count = vpc.selectSubnets(selection).subnetIds.length;
    problem = count === 0 ? 'it selects no subnet' : count > max ? `it selects ${count} subnets, more than ${max}` : undefined;
  } catch (error) {
    problem = (error as Error).message;
  }
  check.check(problem === undefined, prop, describeSelection(selection), `select subnets the VPC has (${problem})`);
  return problem === undefined;
}

function describeSelection(selection: ec2.SubnetSelection): string {
  return Object.entries(selection).map(([key, value]) => `${key}: ${Array.isArray(value) ? `${value.length} given` : String(value)}`).join(', ') || '{}';
}
