import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * EC2 families with NVIDIA GPUs, which the ECS GPU-optimized AMI drives. AMD (g4ad) and
 * Inferentia/Trainium families need other AMIs and drivers, so they are not listed.
 */
const NVIDIA_GPU_FAMILIES = new Set([
  'g4dn', 'g5', 'g6', 'g6e', 'g6f', 'gr6', 'g7e', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200',
]);

/**
 * The family of an instance class or type, as EC2 and Batch spell it: `g5` for
 * `InstanceClass.GRAPHICS5`, `InstanceClass.G5` and `g5.2xlarge` alike.
 */
export function instanceFamily(classOrType: ec2.InstanceClass | ec2.InstanceType): string {
  const type = typeof classOrType === 'string' ? ec2.InstanceType.of(classOrType, ec2.InstanceSize.LARGE) : classOrType;
  return type.toString().split('.')[0];
}

/** Whether an instance class or type has NVIDIA GPUs. */
export function hasNvidiaGpu(classOrType: ec2.InstanceClass | ec2.InstanceType): boolean {
  return NVIDIA_GPU_FAMILIES.has(instanceFamily(classOrType));
}
