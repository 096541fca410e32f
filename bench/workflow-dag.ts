/**
 * Workflows of generated DAGs: how long they take to synthesize and how large their state
 * machine definitions are, for 10, 100, 500 and 1000 steps (and a 1000-step chain) beside a
 * 10-step workflow synthesized the same way in the same run (Step Functions refuses
 * definitions over 1 MB, 1,048,576 bytes, and ends runs past 25,000 history events); and how
 * long runs of a fixed set of DAGs take over their critical path, run locally on simulated time.
 *
 *   npm run bench:dag -- [runs]
 */
import '../test/support/setup';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchCompute, DataScienceNetwork, Workflow, WorkflowStep } from '../lib';
import { historyEventsAtMost, HISTORY_LIMIT } from '../constructs/scheduler/lane-executor';
import { planLanes } from '../constructs/scheduler/lanes';
import { batchWorkflowDefinition, TIMED_DAGS } from '../test/support/dags';
import { criticalPath, runTimed } from '../test/support/timed-runs';

const RUNS = Number(process.argv[2] ?? 3);
const SIZES = [10, 100, 500, 1000];
const DEFINITION_LIMIT = 1024 * 1024;

type Dag = Array<{ name: string; dependsOn: string[] }>;

/** A DAG of n steps: step i depends on up to two earlier steps, chosen by a fixed-seed generator. */
function dag(n: number): Dag {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({
    name: `step-${i}`,
    dependsOn: i === 0 ? [] : [...new Set([Math.floor(random() * i), Math.floor(random() * i)])].map((j) => `step-${j}`),
  }));
}

/** A chain of n steps, each after the one before. */
function chain(n: number): Dag {
  return Array.from({ length: n }, (_, i) => ({ name: `step-${i}`, dependsOn: i === 0 ? [] : [`step-${i - 1}`] }));
}

function synth(steps: Dag): { seconds: number; bytes: number; states: number; maps: number } {
  const start = process.hrtime.bigint();
  const app = new App();
  const stack = new Stack(app, 'Bench');
  const compute = new BatchCompute(stack, 'Compute', { vpc: new DataScienceNetwork(stack, 'Network').vpc, standardQueues: false });
  const queue = compute.addQueue('cpu').jobQueue;
  const job = compute.addJobDefinition('Job', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
  new Workflow(stack, 'Flow', {
    workflowName: 'bench',
    steps: steps.map((s) => WorkflowStep.batchJob({ ...s, jobQueue: queue, jobDefinition: job })),
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

async function main(): Promise<void> {
  const cases: Array<[string, Dag]> = [...SIZES.map((n): [string, Dag] => [`${n} steps`, dag(n)]), ['1000-step chain', chain(1000)]];
  const measurable = cases.filter(([, steps]) => historyEventsAtMost(planLanes(steps)) <= HISTORY_LIMIT);
  measurable.forEach(([, steps]) => synth(steps)); // warm-up: module loading and JIT
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  let base = 0;
  console.log(`workflow DAG synth, median of ${RUNS} runs, in-process app.synth(), no rule packs`);
  for (const [name, steps] of cases) {
    const events = historyEventsAtMost(planLanes(steps));
    const history = `at most ${events} history events a run (${((events / HISTORY_LIMIT) * 100).toFixed(0)}% of the 25,000 limit)`;
    if (events > HISTORY_LIMIT) {
      console.log(`  ${name.padStart(15)}: refused at synth: ${history}`);
      continue;
    }
    const runs = Array.from({ length: RUNS }, () => synth(steps));
    const seconds = median(runs.map((r) => r.seconds));
    base ||= seconds;
    const { bytes, states, maps } = runs[0];
    console.log(`  ${name.padStart(15)}: ${seconds.toFixed(2)} s (${(seconds / base).toFixed(2)}x the 10-step workflow), `
      + `${states} states in ${maps} Map(s) of lanes, definition ${(bytes / 1024).toFixed(1)} KiB = ${((bytes / DEFINITION_LIMIT) * 100).toFixed(1)}% of the 1 MB limit, `
      + history);
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
