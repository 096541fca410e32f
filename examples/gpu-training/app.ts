/**
 * The team stack with a GPU training job of its own: the image comes from the stack's
 * ECR repository, the job reads features and writes models, and runs on the `gpu` queue.
 *
 *   npx cdk deploy --app 'npx tsx examples/gpu-training/app.ts'
 */
import { App, CfnOutput, Duration } from 'aws-cdk-lib';
import { CompliancePacks, DataScienceStack } from '../../lib';

const app = new App();
const stack = new DataScienceStack(app, 'fraud-models-dev', { teamName: 'fraud-models' });

const train = stack.compute.addJobDefinition('TrainGpu', {
  imageTag: 'train-v1', // pushed to the stack's ImageRepositoryUri
  vcpus: 8,
  memoryMiB: 28000,
  gpuCount: 1, // one NVIDIA GPU: a g5.2xlarge, g6.2xlarge or g6e.2xlarge host
  timeout: Duration.hours(8),
  command: ['python', 'train.py', '--epochs', '20'],
});
stack.warehouse.curated.grantRead(train.container.jobRole!, 'features/');
stack.artifacts.grantWrite(train.container.jobRole!, 'models/');
new CfnOutput(stack, 'TrainGpuJobDefinitionArn', { value: train.jobDefinitionArn });

CompliancePacks.addTo(app);
