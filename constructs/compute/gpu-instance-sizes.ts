/** What one host of a GPU instance type offers a job. */
export interface GpuInstanceSize {
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** NVIDIA GPUs. */
  readonly gpus: number;
}

/**
 * vCPUs, memory (GiB) and NVIDIA GPUs of each size of the GPU families a multi-node queue
 * takes, as EC2's accelerated computing specifications list them (`aws ec2
 * describe-instance-types --instance-types <type>`: VCpuInfo, MemoryInfo, GpuInfo).
 * Fractional-GPU sizes (g6f, gr6f) are left out: a Batch job takes whole GPUs.
 */
const SIZES: Record<string, [vcpus: number, memoryGiB: number, gpus: number]> = {
  'g4dn.xlarge': [4, 16, 1], 'g4dn.2xlarge': [8, 32, 1], 'g4dn.4xlarge': [16, 64, 1], 'g4dn.8xlarge': [32, 128, 1],
  'g4dn.12xlarge': [48, 192, 4], 'g4dn.16xlarge': [64, 256, 1], 'g4dn.metal': [96, 384, 8],
  'g5.xlarge': [4, 16, 1], 'g5.2xlarge': [8, 32, 1], 'g5.4xlarge': [16, 64, 1], 'g5.8xlarge': [32, 128, 1],
  'g5.12xlarge': [48, 192, 4], 'g5.16xlarge': [64, 256, 1], 'g5.24xlarge': [96, 384, 4], 'g5.48xlarge': [192, 768, 8],
  'g6.xlarge': [4, 16, 1], 'g6.2xlarge': [8, 32, 1], 'g6.4xlarge': [16, 64, 1], 'g6.8xlarge': [32, 128, 1],
  'g6.12xlarge': [48, 192, 4], 'g6.16xlarge': [64, 256, 1], 'g6.24xlarge': [96, 384, 4], 'g6.48xlarge': [192, 768, 8],
  'g6e.xlarge': [4, 32, 1], 'g6e.2xlarge': [8, 64, 1], 'g6e.4xlarge': [16, 128, 1], 'g6e.8xlarge': [32, 256, 1],
  'g6e.12xlarge': [48, 384, 4], 'g6e.16xlarge': [64, 512, 1], 'g6e.24xlarge': [96, 768, 4], 'g6e.48xlarge': [192, 1536, 8],
  'gr6.4xlarge': [16, 128, 1], 'gr6.8xlarge': [32, 256, 1],
  'p3.2xlarge': [8, 61, 1], 'p3.8xlarge': [32, 244, 4], 'p3.16xlarge': [64, 488, 8], 'p3dn.24xlarge': [96, 768, 8],
  'p4d.24xlarge': [96, 1152, 8], 'p4de.24xlarge': [96, 1152, 8],
  'p5.4xlarge': [16, 256, 1], 'p5.48xlarge': [192, 2048, 8], 'p5e.48xlarge': [192, 2048, 8], 'p5en.48xlarge': [192, 2048, 8],
  'p6-b200.48xlarge': [192, 2048, 8],
};

/** The size of a GPU instance type such as `g5.xlarge`, or undefined for a type the table lacks. */
export function gpuInstanceSize(instanceType: string): GpuInstanceSize | undefined {
  const size = Object.prototype.hasOwnProperty.call(SIZES, instanceType) ? SIZES[instanceType] : undefined;
  return size && { vcpus: size[0], memoryGiB: size[1], gpus: size[2] };
}

/** The GPU instance types whose sizes are known, for error messages. */
export function knownGpuInstanceTypes(): string[] {
  return Object.keys(SIZES);
}
