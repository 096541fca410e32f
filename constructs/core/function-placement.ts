import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** Where a stack's own functions run: subnets of a VPC, behind one security group. */
export interface FunctionPlacement {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
}

const placements = new WeakMap<Stack, FunctionPlacement>();

/**
 * Puts every function this library creates in `scope`'s stack from now on into a VPC. The
 * network layer calls it for a private network, so layers above it need not pass the VPC on.
 */
export function placeFunctionsOfStack(scope: IConstruct, placement: FunctionPlacement): void {
  placements.set(Stack.of(scope), placement);
}

/** Where functions in `scope`'s stack run, or undefined when they run outside any VPC. */
export function functionPlacementOf(scope: IConstruct): FunctionPlacement | undefined {
  return placements.get(Stack.of(scope));
}
