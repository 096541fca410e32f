import { Aspects, CfnResource, CustomResourceProviderBase, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct, IDependable } from 'constructs';
import { FunctionPlacement } from '../core/function-placement';
import { acknowledgeVpcAccessPolicy } from '../core/functions';

const VPC_ACCESS_POLICY = 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';

/**
 * Puts the functions of the custom resource providers aws-cdk-lib adds to a stack (restricting
 * the default security group, emptying buckets on delete) into the private subnets too. They
 * are raw resources with no VPC option, so their handler and role are amended at synthesis,
 * and each depends on what its calls travel through, so a stack deletion keeps the path open.
 */
export function placeProviderFunctions(stack: Stack, placement: FunctionPlacement, reachedThrough: IDependable): void {
  Aspects.of(stack).add(new ProviderPlacement(placement, reachedThrough));
}

class ProviderPlacement implements IAspect {
  constructor(private readonly placement: FunctionPlacement, private readonly reachedThrough: IDependable) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof CustomResourceProviderBase)) {
      return;
    }
    const handler = node.node.tryFindChild('Handler') as CfnResource | undefined;
    const role = node.node.tryFindChild('Role') as CfnResource | undefined;
    if (!handler || !role) {
      return;
    }
    const stack = Stack.of(node);
    handler.addPropertyOverride('VpcConfig', {
      SubnetIds: this.placement.vpc.selectSubnets(this.placement.subnets).subnetIds.map((id) => stack.resolve(id)),
      SecurityGroupIds: [stack.resolve(this.placement.securityGroup.securityGroupId)],
    });
    handler.node.addDependency(this.reachedThrough);
    role.addPropertyOverride('ManagedPolicyArns.1', { 'Fn::Sub': VPC_ACCESS_POLICY });
    acknowledgeVpcAccessPolicy(role);
  }
}

