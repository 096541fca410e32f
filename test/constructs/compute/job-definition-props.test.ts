import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { validateJobDefinition } from '../../../constructs/compute/job-definition-props';
import { problemLines } from '../../support/validation';

/** The problems of a job definition `id` of `props`, sized as `resolved` says (1 vCPU, 2048 MiB, no GPU, 1 attempt unless given). */
function problems(props: object = {}, resolved: object = {}, id = 'Train', scope: Construct = new Stack()): string[] {
  return problemLines(() => validateJobDefinition(scope, id, props as any, { vcpus: 1, memoryMiB: 2048, gpuCount: 0, attempts: 1, ...resolved }));
}

/** A secret a job reads; no stack may be made while jest collects the cases, so it is known by its ARN alone. */
const SECRET = batch.Secret.fromSecretsManager({ secretArn: 'hf-token' } as secretsmanager.ISecret);

describe('job definition props', () => {
  test('a job of EC2 defaults is taken', () => {
    expect(problems()).toEqual([]);
  });

  test.each([
    ['an id with a colon, which log stream names refuse', {}, {}, 'train:v2',
      'id = "train:v2": give 1 to 128 letters, digits, dots, hyphens and underscores, for example "Train"'],
    ['an id of 129 characters', {}, {}, 'T'.repeat(129),
      `id = "${'T'.repeat(129)}": give 1 to 128 letters, digits, dots, hyphens and underscores, for example "Train"`],
    ['an image tag starting with a dot', { imageTag: '.v1' }, {}, 'Train',
      'imageTag = ".v1": give an image tag: up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen'],
    ['a variable starting with a digit', { environment: { '1X': 'a' } }, {}, 'Train',
      'environment = "1X": give variable names of letters, digits and underscores, not starting with a digit or AWS_BATCH (Batch\'s own)'],
    ['an image tag of 129 characters', { imageTag: `v${'1'.repeat(128)}` }, {}, 'Train',
      `imageTag = "v${'1'.repeat(128)}": give an image tag: up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen`],
    ['an image tag with a colon after its start', { imageTag: 'v1:latest' }, {}, 'Train',
      'imageTag = "v1:latest": give an image tag: up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen'],
    ['a variable with a hyphen after its start', { environment: { 'MY-VAR': 'a' } }, {}, 'Train',
      'environment = "MY-VAR": give variable names of letters, digits and underscores, not starting with a digit or AWS_BATCH (Batch\'s own)'],
    ['a variable whose value is no text, which CloudFormation would refuse', { environment: { EPOCHS: 3 } }, {}, 'Train',
      'environment.EPOCHS = 3: give the value as text, for example "3"'],
    ['variables given as one string, which would read as variables named 0, 1 and so on', { environment: 'EPOCHS=3' }, {}, 'Train',
      'environment = "EPOCHS=3": give an object of names to values, for example { EPOCHS: "3" }'],
    ['a variable Batch reserves', { environment: { AWS_BATCH_JOB_ID: 'x' } }, {}, 'Train',
      'environment = "AWS_BATCH_JOB_ID": give variable names of letters, digits and underscores, not starting with a digit or AWS_BATCH (Batch\'s own)'],
    ['a secret Batch reserves', { secrets: { AWS_BATCH_JOB_ID: SECRET } }, {}, 'Train',
      'secrets = "AWS_BATCH_JOB_ID": give variable names of letters, digits and underscores, not starting with a digit or AWS_BATCH (Batch\'s own)'],
    ['secrets given as one string, which would read as secrets named 0, 1 and so on', { secrets: 'HF_TOKEN' }, {}, 'Train',
      'secrets = "HF_TOKEN": give an object of names to secrets, for example { API_TOKEN: batch.Secret.fromSecretsManager(secret) }'],
    ['an image that is a string', { image: 'python:3.12' }, {}, 'Train',
      'image = "python:3.12": give an ecs.ContainerImage, such as ecs.ContainerImage.fromRegistry("public.ecr.aws/docker/library/python:3.12")'],
    ['a role that is an ARN', { jobRole: 'arn:aws:iam::111122223333:role/train' }, {}, 'Train',
      'jobRole = "arn:aws:iam::111122223333:role/train": give an iam.IRole ECS tasks may assume, such as new iam.Role(this, "JobRole", { assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com") })'],
    ['a command given as one string', { command: 'python train.py' }, {}, 'Train', 'command = "python train.py": give a list, for example ["python", "train.py"]'],
    ['a secret that is no batch.Secret', { secrets: { HF_TOKEN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:hf' } }, {}, 'Train',
      'secrets.HF_TOKEN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hf": give a batch.Secret, such as batch.Secret.fromSecretsManager(secret)'],
    ['a secret left out', { secrets: { HF_TOKEN: undefined } }, {}, 'Train', 'secrets.HF_TOKEN = undefined: give HF_TOKEN a value, or leave it out'],
    ['a command argument that is no text, which CloudFormation would refuse', { command: ['train.py', 3] }, {}, 'Train',
      'command[1] = 3: give each argument as text, for example "--epochs=3"'],
    ['memory of part of a MiB', {}, { memoryMiB: 2048.5 }, 'Train', 'memoryMiB = 2048.5: give a whole number of MiB'],
    ['a timeout under a minute', { timeout: Duration.seconds(59) }, {}, 'Train', 'timeout = "59 seconds": give a whole number of seconds from 60 to 2147483647, for example Duration.seconds(60)'],
    ['a fractional vCPU on EC2', {}, { vcpus: 0.5, memoryMiB: 2048 }, 'Train', 'vcpus = 0.5: give a whole number of vCPUs, 1 or more (EC2 jobs take whole vCPUs)'],
    ['too little memory per vCPU', {}, { vcpus: 8, memoryMiB: 4095 }, 'Train', 'memoryMiB = 4095: give at least 512 MiB per vCPU (4096 MiB for 8 vCPUs)'],
    ['a Fargate job with a GPU', { fargate: true }, { gpuCount: 1 }, 'Train', 'gpuCount = 1: Fargate has no GPUs: leave gpuCount at 0 or run the job on the gpu queue (fargate: false)'],
    ['a Fargate size Fargate lacks', { fargate: true }, { vcpus: 3 }, 'Train', 'vcpus = 3: Fargate takes 1, 2, 4, 8, 16, 0.25, 0.5 vCPUs'],
  ])('refuses %s', (_, props, resolved, id, message) => {
    expect(problems(props, resolved, id)).toEqual([message]);
  });

  test('a refusal is headed by the call and the id it names, and an id that is no text is refused', () => {
    expect(() => validateJobDefinition(new Stack(), 'Train', {} as any, { vcpus: 0.5, memoryMiB: 2048, gpuCount: 0, attempts: 1 }))
      .toThrow("Invalid props for BatchCompute.addJobDefinition('Train'):\n  - vcpus = 0.5: give a whole number of vCPUs, 1 or more (EC2 jobs take whole vCPUs)");
    expect(problems({}, {}, 7 as any)).toEqual(['id = 7: give 1 to 128 letters, digits, dots, hyphens and underscores, for example "Train"', 'id = 7: give each job definition its own id']);
  });

  test('an id a sibling holds is refused, naming the sibling', () => {
    const stack = new Stack(undefined, 'Jobs');
    new Construct(stack, 'Train');
    expect(problems({}, {}, 'Train', stack)).toEqual(['id = "Train": Jobs already has a child "Train": give each job definition its own id']);
  });

  test('sizes known only at deploy time are refused, each by name', () => {
    const token = Lazy.number({ produce: () => 1 });
    expect(problems({}, { vcpus: token, memoryMiB: token, gpuCount: token, attempts: token })).toEqual(['vcpus', 'memoryMiB', 'gpuCount', 'attempts'].map((prop) =>
      expect.stringMatching(new RegExp(`^${prop} = "\\$\\{Token\\[TOKEN\\.\\d+\\]\\}": give a plain number: the job's size is checked and written at synth time$`))));
  });

  // Fargate's task sizes, as AWS Batch documents them (ResourceRequirement): vCPUs, then memory from, to, in steps of
  test.each([
    [0.25, 512, 2048, 512], [0.5, 1024, 4096, 1024], [1, 2048, 8192, 1024], [2, 4096, 16384, 1024],
    [4, 8192, 30720, 1024], [8, 16384, 61440, 4096], [16, 32768, 122880, 8192],
  ])('Fargate with %d vCPU takes %d to %d MiB in steps of %d, no more, no less, nothing between', (vcpus, min, max, step) => {
    const fargate = (memoryMiB: number) => problems({ fargate: true }, { vcpus, memoryMiB });
    const refusal = (memoryMiB: number) => [`memoryMiB = ${memoryMiB}: Fargate with ${vcpus} vCPU takes ${min} to ${max} MiB in steps of ${step}`];
    expect(fargate(min)).toEqual([]);
    expect(fargate(max)).toEqual([]);
    expect(fargate(min + step)).toEqual([]);
    expect(fargate(min - 1)).toEqual(refusal(min - 1));
    if (min > step) {
      expect(fargate(min - step)).toEqual(refusal(min - step));
    }
    expect(fargate(max + step)).toEqual(refusal(max + step));
    expect(fargate(min + step / 2)).toEqual(refusal(min + step / 2));
  });
});
