import { Duration } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { counted } from '../core/counted';
import { PropChecker } from '../core/validation-error';
import type { MultiNodeQueue } from './multi-node-queue';

/**
 * A multi-node parallel job on the multi-node queue of a `BatchCompute`: Batch starts its
 * nodes together, one per host, and tells each its index, the node count and the main node's
 * address (AWS_BATCH_JOB_NODE_INDEX, AWS_BATCH_JOB_NUM_NODES, AWS_BATCH_JOB_MAIN_NODE_INDEX,
 * AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS), which is what torchrun and MPI need.
 */
export interface BatchMultiNodeJobDefinitionProps {
  /** How many nodes run together: 2 or more, and no more than the queue holds. */
  readonly numNodes: number;
  /**
   * The index of the node the others connect to.
   * @default 0
   */
  readonly mainNode?: number;
  /**
   * The container image every node runs.
   * @default - the compute layer's ECR repository, at `imageTag`
   */
  readonly image?: ecs.ContainerImage;
  /**
   * The tag of the layer's repository to run; ignored when `image` is given.
   * @default 'latest'
   */
  readonly imageTag?: string;
  /**
   * vCPUs each node asks for.
   * @default - every vCPU of the queue's instance type
   */
  readonly vcpus?: number;
  /**
   * Memory each node asks for, in MiB; at most 90% of the host's, since ECS registers less
   * than the nominal memory and a node that does not fit is never placed.
   * @default - 90% of the queue's instance type's memory
   */
  readonly memoryMiB?: number;
  /**
   * NVIDIA GPUs each node asks for.
   * @default - every GPU of the queue's instance type
   */
  readonly gpuCount?: number;
  /**
   * Size of each node's /dev/shm, in MiB, which NCCL and PyTorch's data loaders use.
   * @default - a quarter of `memoryMiB`
   */
  readonly sharedMemoryMiB?: number;
  /**
   * The command every node's container runs.
   * @default - the image's command
   */
  readonly command?: string[];
  /**
   * Environment variables of every node's container, beside those Batch sets.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Secrets from Secrets Manager or SSM Parameter Store, as environment variables.
   * @default - none
   */
  readonly secrets?: { [name: string]: batch.Secret };
  /**
   * After this long Batch stops the job, every node.
   * @default Duration.hours(4)
   */
  readonly timeout?: Duration;
  /**
   * How many times a job whose main node's host was lost is tried in all; container errors are
   * never retried. A lost child node makes no new attempt: give the workflow step `retries`.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * The role every node's code runs as; grant it data access with the layers' `grantX` methods.
   * @default - a new role that may do nothing until granted
   */
  readonly jobRole?: iam.IRole;
}

/** The share of a host's nominal memory a node may ask for. */
export const USABLE_MEMORY_SHARE = 0.9;

/** A multi-node job's sizes, its defaults filled in from the queue's instance type. */
export interface MultiNodeJobSizes {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly gpuCount: number;
  readonly sharedMemoryMiB: number;
}

/** The sizes of one node: what the props give, else the whole host. */
export function multiNodeJobSizes(props: BatchMultiNodeJobDefinitionProps, queue: MultiNodeQueue): MultiNodeJobSizes {
  const memoryMiB = props.memoryMiB ?? Math.floor(queue.memoryMiBPerNode * USABLE_MEMORY_SHARE);
  return {
    vcpus: props.vcpus ?? queue.vcpusPerNode,
    memoryMiB,
    gpuCount: props.gpuCount ?? queue.gpusPerNode,
    sharedMemoryMiB: props.sharedMemoryMiB ?? Math.floor(memoryMiB / 4),
  };
}

/**
 * Records what is wrong with a multi-node job for `queue`: its nodes against the queue's
 * capacity, each node's size against the queue's instance type.
 */
export function checkMultiNodeJob(check: PropChecker, props: BatchMultiNodeJobDefinitionProps, sizes: MultiNodeJobSizes, queue: MultiNodeQueue): void {
  const type = queue.instanceType;
  check.known('numNodes', props.numNodes, 'give a plain number: the nodes are counted against the queue at synth time');
  check.known('mainNode', props.mainNode, 'give a plain number, or leave it unset');
  // required, though JavaScript may leave it out
  check.check(Number.isInteger(props.numNodes) && props.numNodes >= 2 && props.numNodes <= queue.maxNodes, 'numNodes', props.numNodes,
    `give a whole number from 2 (one node is a single-node job: use addJobDefinition) to ${queue.maxNodes}, the nodes of ${type} `
    + `the multi-node queue holds (maxvCpus ${queue.maxvCpus} / ${queue.vcpusPerNode} vCPUs); raise its maxvCpus for more`);
  const lastNode = Number.isInteger(props.numNodes) ? props.numNodes - 1 : 0;
  check.integer('mainNode', props.mainNode, 0, Math.max(lastNode, 0), `give a node index from 0 to ${lastNode}`);
  // checkJobDefinition judges whole numbers and their floor; here, what one host holds
  const atMost = (prop: 'vcpus' | 'gpuCount' | 'memoryMiB', max: number, fix: string) =>
    check.check(!(sizes[prop] > max), prop, sizes[prop], fix);
  atMost('vcpus', queue.vcpusPerNode, `give at most ${queue.vcpusPerNode}, the vCPUs of one ${type} node`);
  atMost('gpuCount', queue.gpusPerNode, `give at most ${queue.gpusPerNode}: a ${type} node has ${counted(queue.gpusPerNode, 'GPU')}; `
    + 'for more per node, give the multi-node queue a larger instanceType');
  const maxMemoryMiB = Math.floor(queue.memoryMiBPerNode * USABLE_MEMORY_SHARE);
  atMost('memoryMiB', maxMemoryMiB, `give at most ${maxMemoryMiB} MiB, 90% of a ${type} node's ${queue.memoryMiBPerNode} MiB: `
    + 'ECS registers less than that, and a node that does not fit never starts');
  check.integer('sharedMemoryMiB', sizes.sharedMemoryMiB, 1, Math.max(sizes.memoryMiB, 1),
    `give a whole number of MiB up to memoryMiB (${sizes.memoryMiB}): /dev/shm is the node's memory`);
}
