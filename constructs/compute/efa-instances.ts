/**
 * The NVIDIA GPU instance types that take an Elastic Fabric Adapter, from EC2's list of EFA
 * supported instance types (`aws ec2 describe-instance-types --filters
 * Name=network-info.efa-supported,Values=true`). In the g families only the larger sizes have
 * it; every p size of this table does. A type missing here is refused with EFA rather than
 * left to fail at launch.
 */
const EFA_GPU_INSTANCE_TYPES = new Set([
  'g4dn.8xlarge', 'g4dn.12xlarge', 'g4dn.16xlarge', 'g4dn.metal',
  'g5.8xlarge', 'g5.12xlarge', 'g5.16xlarge', 'g5.24xlarge', 'g5.48xlarge',
  'g6.8xlarge', 'g6.12xlarge', 'g6.16xlarge', 'g6.24xlarge', 'g6.48xlarge',
  'g6e.8xlarge', 'g6e.12xlarge', 'g6e.16xlarge', 'g6e.24xlarge', 'g6e.48xlarge',
  'gr6.8xlarge',
  'p3dn.24xlarge',
  'p4d.24xlarge', 'p4de.24xlarge',
  'p5.4xlarge', 'p5.48xlarge', 'p5e.48xlarge', 'p5en.48xlarge',
  'p6-b200.48xlarge',
]);

/** Whether an instance type such as `g5.8xlarge` takes an EFA. */
export function supportsEfa(instanceType: string): boolean {
  return EFA_GPU_INSTANCE_TYPES.has(instanceType);
}

/** The sizes of `family` (such as `g5`) that take an EFA, smallest first as listed. */
export function efaSizesOf(family: string): string[] {
  return [...EFA_GPU_INSTANCE_TYPES].filter((type) => type.split('.')[0] === family);
}
