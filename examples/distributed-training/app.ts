/**
 * The team stack with a multi-node queue and a distributed training workflow: a data step on
 * the `cpu` queue, then PyTorch DDP across 2 GPU hosts (one GPU each) started together by
 * Batch, torchrun on every node. Nothing of the queue bills until a run starts it.
 *
 *   npx cdk deploy --app 'npx tsx examples/distributed-training/app.ts'
 */
import { App, CfnOutput, Duration } from 'aws-cdk-lib';
import { CompliancePacks, DataScienceStack, Workflow, WorkflowStep } from '../../lib';

/**
 * torchrun on every node, from the variables Batch gives each: the node count, the node's index,
 * the main node's index and (on the other nodes; the main node is itself) the main node's address.
 */
const TORCHRUN = [
  'MAIN_ADDR="${AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS:-$(hostname -i | cut -d" " -f1)}"',
  'NODE_RANK=$(( (AWS_BATCH_JOB_NODE_INDEX - AWS_BATCH_JOB_MAIN_NODE_INDEX + AWS_BATCH_JOB_NUM_NODES) % AWS_BATCH_JOB_NUM_NODES ))',
  'exec torchrun --nnodes="$AWS_BATCH_JOB_NUM_NODES" --node_rank="$NODE_RANK" --nproc_per_node=1 \\',
  '  --master_addr="$MAIN_ADDR" --master_port=29500 train.py --run-id "$DSI_RUN_ID"',
].join('\n');

const app = new App();
const stack = new DataScienceStack(app, 'fraud-models-dev', {
  teamName: 'fraud-models',
  multiNode: {}, // g5.xlarge hosts: 1 GPU, 4 vCPUs, 16 GiB each, up to the stage's GPU vCPUs
});

const train = stack.compute.addMultiNodeJobDefinition('TrainDdp', {
  imageTag: 'train-ddp-v1', // pushed to the stack's ImageRepositoryUri; PyTorch with NCCL
  numNodes: 2,
  gpuCount: 1, // per node
  timeout: Duration.hours(8),
  command: ['bash', '-c', TORCHRUN],
});
const trainRole = train.containers[0].container.jobRole!;
stack.warehouse.curated.grantRead(trainRole, 'features/');
stack.artifacts.grantWriteRun(trainRole, 'distributed-training');

const prepare = stack.compute.addJobDefinition('PrepareShards', {
  imageTag: 'train-ddp-v1',
  command: ['python', 'prepare.py', '--shards', '2'],
});
stack.warehouse.curated.grantRead(prepare.container.jobRole!, 'features/');
stack.artifacts.grantWriteRun(prepare.container.jobRole!, 'distributed-training');

const workflow = new Workflow(stack, 'DistributedTraining', {
  workflowName: 'distributed-training',
  steps: [
    WorkflowStep.batchJob({ name: 'prepare', jobQueue: stack.compute.queue('cpu').jobQueue, jobDefinition: prepare }),
    WorkflowStep.multiNodeJob({
      name: 'train', dependsOn: ['prepare'], jobQueue: stack.compute.multiNodeQueue!.jobQueue, jobDefinition: train,
      environment: { NCCL_DEBUG: 'INFO' }, retries: 1,
    }),
  ],
  artifactStore: stack.artifacts,
  runRegistry: stack.runs,
  notificationTopic: stack.notificationTopic,
  logRetention: stack.settings.logRetention,
  encryptionKey: stack.dataKey,
  removalPolicy: stack.removalPolicy,
});
stack.monitoring.monitorWorkflow(workflow);
new CfnOutput(stack, 'DistributedTrainingWorkflowArn', { value: workflow.stateMachine.stateMachineArn });

CompliancePacks.addTo(app);
