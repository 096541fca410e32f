import { Duration } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { MAX_INT32, PropChecker } from '../core/validation-error';

/** A container job that runs on the queues of a `BatchCompute`. */
export interface BatchJobDefinitionProps {
  /**
   * The container image.
   * @default - the compute layer's ECR repository, at `imageTag`
   */
  readonly image?: ecs.ContainerImage;
  /**
   * The tag of the layer's repository to run; ignored when `image` is given. The repository's
   * tags are immutable unless it was made with `mutableImageTags`: a tag names one image for good.
   * @default 'latest'
   */
  readonly imageTag?: string;
  /**
   * vCPUs the job reserves.
   * @default 1
   */
  readonly vcpus?: number;
  /**
   * Memory the job reserves, in MiB.
   * @default 2048
   */
  readonly memoryMiB?: number;
  /**
   * NVIDIA GPUs the job needs; submit it to a GPU queue.
   * @default 0
   */
  readonly gpuCount?: number;
  /**
   * The command the container runs.
   * @default - the image's command
   */
  readonly command?: string[];
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Secrets from Secrets Manager or SSM Parameter Store, as environment variables.
   * @default - none
   */
  readonly secrets?: { [name: string]: batch.Secret };
  /**
   * After this long Batch stops the job.
   * @default Duration.hours(4)
   */
  readonly timeout?: Duration;
  /**
   * How many times a job reclaimed with its spot instance is tried in all; container
   * errors are never retried.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * The role the job's code runs as; grant it data access with the layers' `grantX` methods.
   * @default - a new role that may do nothing until granted
   */
  readonly jobRole?: iam.IRole;
  /**
   * Run on Fargate (the `fargate` queue) rather than EC2 (`cpu`, `cpu-ondemand`, `gpu`).
   * @default false
   */
  readonly fargate?: boolean;
}

/** Batch memory per vCPU below which containers rarely start. */
const MIN_MEMORY_PER_VCPU_MIB = 512;

/** Fargate's vCPU sizes and, for each, the memory it allows: [min, max, step] in MiB. */
const FARGATE_SIZES: Record<string, [number, number, number]> = {
  0.25: [512, 2048, 512],
  0.5: [1024, 4096, 1024],
  1: [2048, 8192, 1024],
  2: [4096, 16384, 1024],
  4: [8192, 30720, 1024],
  8: [16384, 61440, 4096],
  16: [32768, 122880, 8192],
};

/** Job ids name the job's scope, role and log streams: no `:` or `*`, which log stream names refuse. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Docker's image tags. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** Environment variable names a container takes; Batch reserves those starting with AWS_BATCH. */
/** A variable's name, which must not start with AWS_BATCH: Batch sets those. */
const VARIABLE = /^(?!AWS_BATCH)[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a job definition's props, reporting every problem at once. */
export function validateJobDefinition(scope: IConstruct, id: string, props: BatchJobDefinitionProps, resolved: { vcpus: number; memoryMiB: number; gpuCount: number; attempts: number }): void {
  const check = new PropChecker(`BatchCompute.addJobDefinition('${id}')`);
  checkJobDefinition(check, scope, id, props, resolved);
  check.throwIfAny();
}

/** Records what is wrong with a job definition's props; a multi-node job's too, whose sizes it checks beside. */
export function checkJobDefinition(check: PropChecker, scope: IConstruct, id: string, props: BatchJobDefinitionProps, resolved: { vcpus: number; memoryMiB: number; gpuCount: number; attempts: number }): void {
  const { vcpus, memoryMiB, gpuCount, attempts } = resolved;
  check.check(typeof id === 'string' && JOB_ID.test(id), 'id', id, 'give 1 to 128 letters, digits, dots, hyphens and underscores, for example "Train"');
  check.newId('id', scope, id, 'give each job definition its own id');
  check.boolean('fargate', props.fargate);
  for (const [prop, value] of Object.entries(resolved)) {
    check.known(prop, value, 'give a plain number: the job\'s size is checked and written at synth time');
  }
  check.integer('memoryMiB', memoryMiB, 1, MAX_INT32, 'give a whole number of MiB');
  check.integer('attempts', attempts, 1, 10);
  check.integer('gpuCount', gpuCount, 0, 8);
  check.duration('timeout', props.timeout, 'seconds', 60, MAX_INT32);
  check.instance('image', props.image, 'bind', 'an ecs.ContainerImage, such as ecs.ContainerImage.fromRegistry("public.ecr.aws/docker/library/python:3.12")');
  check.construct('jobRole', props.jobRole, 'an iam.IRole ECS tasks may assume, such as new iam.Role(this, "JobRole", { assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com") })');
  check.list('command', props.command, '["python", "train.py"]')
    .forEach((arg, i) => check.check(typeof arg === 'string', `command[${i}]`, arg, 'give each argument as text, for example "--epochs=3"'));
  check.matches('imageTag', props.imageTag, IMAGE_TAG,
    'give an image tag: up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen');
  const variableFix = 'give variable names of letters, digits and underscores, not starting with a digit or AWS_BATCH (Batch\'s own)';
  check.variables('environment', props.environment, VARIABLE, variableFix);
  const secrets = check.entries('secrets', props.secrets, 'an object of names to secrets, for example { API_TOKEN: batch.Secret.fromSecretsManager(secret) }');
  for (const [name, secret] of secrets) {
    check.matches('secrets', name, VARIABLE, variableFix);
    check.instance(`secrets.${name}`, secret, 'grantRead', 'a batch.Secret, such as batch.Secret.fromSecretsManager(secret)');
  }
  if (props.fargate) {
    const size = FARGATE_SIZES[String(vcpus)];
    check.check(gpuCount === 0, 'gpuCount', gpuCount, 'Fargate has no GPUs: leave gpuCount at 0 or run the job on the gpu queue (fargate: false)');
    check.check(size !== undefined, 'vcpus', vcpus, `Fargate takes ${Object.keys(FARGATE_SIZES).join(', ')} vCPUs`);
    if (size) {
      const [min, max, step] = size;
      check.check(memoryMiB >= min && memoryMiB <= max && (memoryMiB - min) % step === 0, 'memoryMiB', memoryMiB,
        `Fargate with ${vcpus} vCPU takes ${min} to ${max} MiB in steps of ${step}`);
    }
  } else {
    check.integer('vcpus', vcpus, 1, MAX_INT32, 'give a whole number of vCPUs, 1 or more (EC2 jobs take whole vCPUs)');
    check.check(memoryMiB >= vcpus * MIN_MEMORY_PER_VCPU_MIB, 'memoryMiB', memoryMiB,
      `give at least ${MIN_MEMORY_PER_VCPU_MIB} MiB per vCPU (${vcpus * MIN_MEMORY_PER_VCPU_MIB} MiB for ${vcpus} vCPUs)`);
  }
}
