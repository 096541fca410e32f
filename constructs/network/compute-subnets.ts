import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Where compute runs in a VPC: its private subnets with egress when it has them, its public
 * subnets otherwise (then instances need public IPs to reach AWS APIs).
 */
export function computeSubnetsOf(vpc: ec2.IVpc): ec2.SubnetSelection {
  return { subnetType: vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC };
}
