import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { efaSizesOf, supportsEfa } from '../../../constructs/compute/efa-instances';
import { gpuInstanceSize, knownGpuInstanceTypes } from '../../../constructs/compute/gpu-instance-sizes';
import { hasNvidiaGpu, instanceFamily } from '../../../constructs/compute/gpu-instances';

/*
 * The instance tables checked against each other and against EC2's naming: each entry must be a
 * real size of an NVIDIA family, sized as its name says, and the EFA list exactly the sizes EC2
 * gives an EFA.
 */

const types = knownGpuInstanceTypes();
const families = [...new Set(types.map((t) => t.split('.')[0]))];
/** vCPUs by size name: EC2's `Nxlarge` has 4N vCPUs. */
const vcpusOfSize = (size: string) => (size === 'xlarge' ? 4 : Number(size.replace('xlarge', '')) * 4);

describe('GPU instance sizes', () => {
  test('every type is a family and size EC2 names, of a family with NVIDIA GPUs', () => {
    const sizes = new Set<string>(Object.values(ec2.InstanceSize));
    expect(types.filter((t) => !/^[a-z0-9-]+\.[a-z0-9]+$/.test(t) || !sizes.has(t.split('.')[1]))).toEqual([]);
    expect(families.filter((f) => !hasNvidiaGpu(new ec2.InstanceType(`${f}.xlarge`)))).toEqual([]);
    expect(families).toEqual(['g4dn', 'g5', 'g6', 'g6e', 'gr6', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200']);
  });

  test('each size has the vCPUs its name says, 1, 4 or 8 GPUs, and its family\'s memory per vCPU', () => {
    // GiB per vCPU, from EC2's accelerated computing specifications; p5.4xlarge, a single H100, has 256 GiB
    const memoryPerVcpu: Record<string, number> = {
      'g4dn': 4, 'g5': 4, 'g6': 4, 'g6e': 8, 'gr6': 8, 'p3': 7.625, 'p3dn': 8, 'p4d': 12, 'p4de': 12, 'p5': 32 / 3, 'p5e': 32 / 3, 'p5en': 32 / 3, 'p6-b200': 32 / 3,
    };
    const memoryOf = (type: string, vcpus: number) => (type === 'p5.4xlarge' ? 256 : vcpus * memoryPerVcpu[type.split('.')[0]]);
    const wrong = types.filter((type) => {
      const size = type.split('.')[1];
      const host = gpuInstanceSize(type)!;
      const vcpus = size === 'metal' ? 96 : vcpusOfSize(size);
      return host.vcpus !== vcpus || ![1, 4, 8].includes(host.gpus) || Math.abs(host.memoryGiB - memoryOf(type, vcpus)) > 1;
    });
    expect(wrong).toEqual([]);
  });

  test('GPUs by size: 8 on the largest hosts, 4 on the 12xlarge and 24xlarge of the g families, else 1', () => {
    const gpus = Object.fromEntries(types.map((t) => [t, gpuInstanceSize(t)!.gpus]));
    expect(types.filter((t) => gpus[t] === 8)).toEqual(['g4dn.metal', 'g5.48xlarge', 'g6.48xlarge', 'g6e.48xlarge', 'p3.16xlarge', 'p3dn.24xlarge',
      'p4d.24xlarge', 'p4de.24xlarge', 'p5.48xlarge', 'p5e.48xlarge', 'p5en.48xlarge', 'p6-b200.48xlarge']);
    expect(types.filter((t) => gpus[t] === 4)).toEqual(['g4dn.12xlarge', 'g5.12xlarge', 'g5.24xlarge', 'g6.12xlarge', 'g6.24xlarge', 'g6e.12xlarge',
      'g6e.24xlarge', 'p3.8xlarge']);
  });

  test('a type the table lacks, or a name every object has, has no size', () => {
    expect(gpuInstanceSize('g5.3xlarge')).toBeUndefined();
    expect(gpuInstanceSize('constructor')).toBeUndefined();
    expect(gpuInstanceSize('g5.xlarge')).toEqual({ vcpus: 4, memoryGiB: 16, gpus: 1 });
  });
});

describe('EFA instance types', () => {
  test('are the known GPU sizes of 32 vCPUs or more, but P3\'s (only p3dn has an EFA), and p5.4xlarge', () => {
    const efa = types.filter(supportsEfa);
    const expected = types.filter((t) => (gpuInstanceSize(t)!.vcpus >= 32 && t.split('.')[0] !== 'p3') || t === 'p5.4xlarge');
    expect(efa).toEqual(expected);
    expect(families.flatMap(efaSizesOf)).toEqual(expected);
  });

  test('a family\'s EFA sizes are listed smallest first', () => {
    expect(efaSizesOf('g5')).toEqual(['g5.8xlarge', 'g5.12xlarge', 'g5.16xlarge', 'g5.24xlarge', 'g5.48xlarge']);
    expect(efaSizesOf('p3')).toEqual([]);
    expect(supportsEfa('g5.xlarge')).toBe(false);
  });
});

describe('NVIDIA GPU families', () => {
  test('take the fractional-GPU and newest families too, and none of AMD, Inferentia or Trainium', () => {
    expect(['g6f', 'g7e'].filter((f) => !hasNvidiaGpu(new ec2.InstanceType(`${f}.xlarge`)))).toEqual([]);
    expect([ec2.InstanceClass.G4AD, ec2.InstanceClass.INF2, ec2.InstanceClass.TRN1, ec2.InstanceClass.C5].filter(hasNvidiaGpu)).toEqual([]);
  });

  test('a family is read alike from a class, its long name, and a type', () => {
    expect([ec2.InstanceClass.G5, ec2.InstanceClass.GRAPHICS5, new ec2.InstanceType('g5.2xlarge')].map(instanceFamily)).toEqual(['g5', 'g5', 'g5']);
    expect(hasNvidiaGpu(ec2.InstanceClass.P4D)).toBe(true);
  });
});
