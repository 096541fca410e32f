/**
 * Synth time and state machine definition size of generated workflow DAGs of 10, 100 and
 * 500 steps, beside a 1-step workflow synthesized the same way in the same run. Step
 * Functions refuses definitions over 1 MB (1,048,576 bytes).
 *
 *   npm run bench:dag -- [runs]
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute, DataScienceNetwork, Workflow, WorkflowStep } from '../lib';

const RUNS = Number(process.argv[2] ?? 3);
const SIZES = [1, 10, 100, 500];
const DEFINITION_LIMIT = 1024 * 1024;

/** A DAG of n steps: step i depends on up to two earlier steps, chosen by a fixed-seed generator. */
function dag(n: number): Array<{ name: string; dependsOn: string[] }> {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({
    name: `step-${i}`,
    dependsOn: i === 0 ? [] : [...new Set([Math.floor(random() * i), Math.floor(random() * i)])].map((j) => `step-${j}`),
  }));
}

function synth(n: number): { seconds: number; bytes: number; states: number } {
  const start = process.hrtime.bigint();
  const app = new App();
  const stack = new Stack(app, 'Bench');
  const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, standardQueues: false });
  const queue = compute.addQueue('cpu').jobQueue;
  const job = compute.addJobDefinition('Job', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
  new Workflow(stack, 'Flow', {
    workflowName: 'bench',
    steps: dag(n).map((s) => WorkflowStep.batchJob({ ...s, jobQueue: queue, jobDefinition: job })),
  });
  const template = app.synth().getStackByName('Bench').template;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const machine: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::StepFunctions::StateMachine');
  const definition = machine.Properties.DefinitionString['Fn::Join'][1].map(deployedText).join('');
  return { seconds, bytes: Buffer.byteLength(definition), states: (definition.match(/"Type":/g) ?? []).length };
}

/** What a token becomes once deployed: pseudo parameters their length, resource ARNs 100 bytes (more than most). */
function deployedText(part: any): string {
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'ap-southeast-2', 'AWS::AccountId': '123456789012' };
  return typeof part === 'string' ? part : pseudo[part.Ref] ?? 'x'.repeat(100);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
SIZES.forEach(synth); // warm-up: module loading and JIT
const results = SIZES.map((n) => {
  const runs = Array.from({ length: RUNS }, () => synth(n));
  return { n, seconds: median(runs.map((r) => r.seconds)), bytes: runs[0].bytes, states: runs[0].states };
});
const base = results[0].seconds;
console.log(`workflow DAG synth, median of ${RUNS} runs, in-process app.synth(), no rule packs`);
for (const r of results) {
  const share = ((r.bytes / DEFINITION_LIMIT) * 100).toFixed(1);
  console.log(`  ${String(r.n).padStart(3)} steps: ${r.seconds.toFixed(2)} s (${(r.seconds / base).toFixed(2)}x the 1-step workflow), `
    + `${r.states} states, definition ${(r.bytes / 1024).toFixed(1)} KiB = ${share}% of the 1 MB limit`);
}
