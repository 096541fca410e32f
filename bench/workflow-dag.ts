/**
 * Workflows of generated DAGs: how long they take to synthesize and how large their state
 * machine definitions are, for 10, 100, 500 and 1000 steps beside a 10-step workflow
 * synthesized the same way in the same run (Step Functions refuses definitions over 1 MB,
 * 1,048,576 bytes); and how long runs of a fixed set of DAGs take over their critical path,
 * run locally on simulated time.
 *
 *   npm run bench:dag -- [runs]
 */
import '../test/support/setup';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute, DataScienceNetwork, Workflow, WorkflowStep } from '../lib';
import { batchWorkflowDefinition, TIMED_DAGS } from '../test/support/dags';
import { criticalPath, runTimed } from '../test/support/timed-runs';

const RUNS = Number(process.argv[2] ?? 3);
const SIZES = [10, 100, 500, 1000];
const DEFINITION_LIMIT = 1024 * 1024;
/** Step Functions ends a standard execution that passes 25,000 history events. */
const HISTORY_LIMIT = 25_000;

/** A DAG of n steps: step i depends on up to two earlier steps, chosen by a fixed-seed generator. */
function dag(n: number): Array<{ name: string; dependsOn: string[] }> {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({
    name: `step-${i}`,
    dependsOn: i === 0 ? [] : [...new Set([Math.floor(random() * i), Math.floor(random() * i)])].map((j) => `step-${j}`),
  }));
}

function synth(n: number): { seconds: number; bytes: number; states: number; maps: number } {
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
  const [, machine]: any = Object.entries(template.Resources).find(([id]) => id.startsWith('FlowStateMachine') && !id.includes('Role'));
  const definition = machine.Properties.DefinitionString['Fn::Join'][1].map(deployedText).join('');
  return {
    seconds,
    bytes: Buffer.byteLength(definition),
    states: (definition.match(/"Type":/g) ?? []).length,
    maps: (definition.match(/"ItemsPath":"\$\.groups\[/g) ?? []).length,
  };
}

/** What a token becomes once deployed: pseudo parameters their length, resource ARNs 100 bytes (more than most). */
function deployedText(part: any): string {
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'ap-southeast-2', 'AWS::AccountId': '123456789012' };
  return typeof part === 'string' ? part : pseudo[part.Ref] ?? 'x'.repeat(100);
}

/**
 * The most history events Step Functions records for a successful run of `definition`, from
 * its plan of lanes: a Task 5 (Entered, Scheduled, Started, Succeeded, Exited; 6 with the
 * Submitted of .sync and .waitForTaskToken), a Map or Parallel 4 and 2 per iteration or
 * branch, any other state 2; the most is when every step that waits is woken by a token.
 */
function historyEventsAtMost(definition: any): number {
  const groups: Array<Array<{ steps: Array<{ waits?: number; tells?: unknown[] }> }>> = definition.States['Plan steps'].Parameters.groups;
  const perMap = groups.map((lanes) => {
    const steps = lanes.flatMap((lane) => lane.steps);
    const waits = steps.some((step) => step.waits);
    return 4 + (groups.length > 1 ? 2 : 0) + lanes.length * (2 + 2) + steps.reduce((sum, step) => sum
      + 2 + (waits ? 2 : 0) + 2 + 2 + 6 + 2 // next step, check dependencies, start step, the step's Pass, Batch job, after step
      + (step.waits ? 6 + 5 + 5 : 0) // wait, forget, and the token that wakes it
      + (step.tells ? 4 + 2 + step.tells.length * (2 + 5 + 2 + 2) : 0), 0); // tell dependents: count, last?, told
  });
  return 2 + 2 + 4 + perMap.reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  SIZES.forEach(synth); // warm-up: module loading and JIT
  const results = SIZES.map((n) => {
    const runs = Array.from({ length: RUNS }, () => synth(n));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { ...runs[0], n, seconds: median(runs.map((r) => r.seconds)) };
  });
  const base = results[0].seconds;
  console.log(`workflow DAG synth, median of ${RUNS} runs, in-process app.synth(), no rule packs`);
  for (const r of results) {
    const share = ((r.bytes / DEFINITION_LIMIT) * 100).toFixed(1);
    const events = historyEventsAtMost(batchWorkflowDefinition(dag(r.n)));
    console.log(`  ${String(r.n).padStart(4)} steps: ${r.seconds.toFixed(2)} s (${(r.seconds / base).toFixed(2)}x the 10-step workflow), `
      + `${r.states} states in ${r.maps} Map(s) of lanes, definition ${(r.bytes / 1024).toFixed(1)} KiB = ${share}% of the 1 MB limit, `
      + `at most ${events} history events a run (${((events / HISTORY_LIMIT) * 100).toFixed(0)}% of the 25,000 limit)`);
  }

  console.log('runs on simulated time (each step takes its duration; a run can take no less than its critical path)');
  for (const [name, steps] of TIMED_DAGS) {
    const run = await runTimed(batchWorkflowDefinition(steps), steps);
    const path = criticalPath(steps);
    console.log(`  ${name}: critical path ${path}, run ${run.makespan}: ${(run.makespan / path).toFixed(2)}x${run.error ? ` (failed: ${run.error})` : ''}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
