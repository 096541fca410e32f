/**
 * Architecture diagrams as Mermaid, read from the synthesized app rather than drawn: the team
 * stack by layer, a sandbox beside its team stack, and the data path of one run. `npm run docs`
 * writes them into docs/architecture.md and the README; test/docs/diagrams.test.ts fails when
 * a committed diagram no longer matches the app.
 */
import { App, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { addStacksFromContext } from '../bin/app/stacks-from-context';
import { BatchCompute } from '../constructs/compute/batch-compute';
import { NotebookDomain } from '../constructs/development/notebook-domain';
import { MetaflowProfile } from '../constructs/metaflow/metaflow-profile';
import { ModelEndpoint } from '../constructs/modelops/model-endpoint';
import { DataScienceNetwork } from '../constructs/network/data-science-network';
import { StackMonitoring } from '../constructs/observability/stack-monitoring';
import { Workflow } from '../constructs/scheduler/workflow';
import { ArtifactStore } from '../constructs/versioning/artifact-store';
import { ModelRegistry } from '../constructs/versioning/model-registry';
import { RunRegistry } from '../constructs/versioning/run-registry';
import { DataWarehouse } from '../constructs/warehouse/data-warehouse';
import { LakeZone } from '../constructs/warehouse/lake-zone';
import { servedModelStack } from '../examples/served-model/served-model';
import { DataScienceStack } from '../lib/data-science-stack';

/** The layers of DESIGN.md, each with the constructs that make it up, in the order a reader meets them. */
const LAYERS: [string, (c: IConstruct) => boolean][] = [
  ['network', (c) => c instanceof DataScienceNetwork],
  ['data warehouse', (c) => c instanceof DataWarehouse],
  ['compute', (c) => c instanceof BatchCompute],
  ['job scheduler', (c) => c instanceof Workflow],
  ['versioning', (c) => c instanceof ArtifactStore || c instanceof RunRegistry || c instanceof ModelRegistry],
  ['model development', (c) => c instanceof NotebookDomain],
  ['model operations', (c) => c instanceof ModelEndpoint],
  ['Metaflow', (c) => c instanceof MetaflowProfile],
  ['observability', (c) => c instanceof StackMonitoring],
];
const SHARED = 'shared';

/** The constructs every layer uses, whose arrows would only hide the others. */
const EVERYWHERE = ['DataKey', 'AccessLogs'];

type Template = { Resources: Record<string, any>; Parameters?: Record<string, any> };

interface Synthesized {
  readonly stack: Stack;
  readonly template: Template;
  /** The top-level construct of the stack each logical id lies in. */
  readonly owner: Map<string, IConstruct>;
}

function synthesized(app: App, stack: Stack): Synthesized {
  const template = app.synth().getStackByName(stack.stackName).template as Template;
  const owner = new Map<string, IConstruct>();
  for (const top of stack.node.children) {
    for (const element of top.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c))) {
      owner.set(stack.resolve(element.logicalId), top);
    }
  }
  return { stack, template, owner };
}

/** The logical ids a template value refers to: `Ref`, `Fn::GetAtt` and `${...}` of `Fn::Sub`. */
function references(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, into));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') {
        into.add(v);
      } else if (key === 'Fn::GetAtt') {
        into.add(Array.isArray(v) ? v[0] : String(v).split('.')[0]);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        for (const [, name] of String(text).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) {
          into.add(name);
        }
        references(Array.isArray(v) ? v[1] : undefined, into);
      } else {
        references(v, into);
      }
    }
  }
  return into;
}

/** aws-cdk-lib's own providers, which no layer of ours holds. */
const isProvider = (c: IConstruct) => c.node.id.startsWith('Custom::');
/** The SSM parameters a team stack publishes, drawn as one node. */
const isParameter = (c: IConstruct) => c.node.id.startsWith('Parameter-');
const nodeId = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');
const quoted = (label: string) => `"${label.replace(/"/g, '#quot;')}"`;

function layerOf(construct: IConstruct): string {
  return LAYERS.find(([, test]) => test(construct))?.[0] ?? SHARED;
}

/** Resource types that only wire others together: counted, not named. */
const PLUMBING = /Policy$|::(Route|RouteTable|SubnetRouteTableAssociation|VPCGatewayAttachment|InstanceProfile)$|^Custom::/;

/** `11 resources: 3 S3 Bucket, 2 Glue Database, ...`: what a construct holds, most first, plumbing counted only. */
function holdings(...constructs: IConstruct[]): string {
  const resources = constructs.flatMap((c) => c.node.findAll()).filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  const counts = new Map<string, number>();
  for (const type of resources.map((r) => r.cfnResourceType).filter((t) => !PLUMBING.test(t))) {
    const name = type.replace(/^AWS::/, '').replace('::', ' ');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const named = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([type, n]) => `${n} ${type}`);
  return resources.length === 0 ? '' : `${resources.length} resource${resources.length === 1 ? '' : 's'}${named.length ? `: ${named.join(', ')}` : ''}`;
}

/** Which top-level construct uses which, by the references between their resources. */
function uses(s: Synthesized): Map<IConstruct, Set<IConstruct>> {
  const edges = new Map<IConstruct, Set<IConstruct>>();
  for (const [logicalId, resource] of Object.entries(s.template.Resources)) {
    const from = s.owner.get(logicalId);
    for (const ref of references(resource.Properties)) {
      const to = s.owner.get(ref);
      if (from && to && from !== to) {
        edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
  }
  return edges;
}

/** The default team stack, by layer: each construct with what it holds, and an arrow where one uses another. */
export function teamStackByLayer(): string {
  const app = new App();
  addStacksFromContext(app);
  const stack = app.node.children.find((c): c is DataScienceStack => c instanceof DataScienceStack)!;
  const s = synthesized(app, stack);
  const tops = stack.node.children.filter((c) => holdings(c) !== '' && !isParameter(c) && !isProvider(c));
  const lines = ['flowchart TB'];
  for (const [layer] of [...LAYERS, [SHARED] as const]) {
    const members = tops.filter((c) => layerOf(c) === layer);
    if (members.length === 0) {
      continue;
    }
    lines.push(`  subgraph layer_${nodeId(layer)}[${quoted(layer)}]`);
    for (const construct of members) {
      lines.push(`    ${nodeId(construct.node.id)}[${quoted(`<b>${construct.node.id}</b><br/>${holdings(construct)}`)}]`);
    }
    if (layer === SHARED) {
      const parameters = stack.node.children.filter(isParameter);
      lines.push(`    TeamParameters[${quoted(`<b>team parameters</b><br/>${parameters.length} SSM Parameter, read by sandboxes and dsi`)}]`);
    }
    lines.push('  end');
  }
  const shown = (c: IConstruct) => !EVERYWHERE.includes(c.node.id) && !isProvider(c) && holdings(c) !== '';
  const edges = new Set<string>();
  for (const [from, targets] of uses(s)) {
    for (const to of [...targets].filter((t) => shown(from) && shown(t) && !isParameter(t))) {
      edges.add(`  ${isParameter(from) ? 'TeamParameters' : nodeId(from.node.id)} --> ${nodeId(to.node.id)}`);
    }
  }
  return [...lines, ...edges].join('\n');
}

/** A person's sandbox beside its team stack: what it owns, and what of the team's it reads through which SSM parameter. */
export function sandboxBesideTeamStack(): string {
  const app = new App({ context: { sandbox: 'churn', owner: 'ana.lima' } });
  addStacksFromContext(app);
  const [team, sandbox] = app.node.children.filter((c): c is Stack => Stack.isStack(c)).map((stack) => synthesized(app, stack));
  // a parameter's name, to the team construct whose value it publishes
  const published = new Map<string, IConstruct>();
  for (const [logicalId, resource] of Object.entries(team.template.Resources)) {
    if (resource.Type === 'AWS::SSM::Parameter') {
      const [source] = [...references(resource.Properties.Value)].map((ref) => team.owner.get(ref)).filter((c) => c !== undefined);
      published.set(String(resource.Properties.Name), source ?? team.owner.get(logicalId)!);
    }
  }
  const reads: [IConstruct, string, IConstruct][] = [];
  for (const [logicalId, resource] of Object.entries(sandbox.template.Resources)) {
    for (const ref of references(resource.Properties)) {
      const parameter = sandbox.template.Parameters?.[ref];
      const source = parameter && published.get(String(parameter.Default));
      const reader = sandbox.owner.get(logicalId);
      if (source && reader) {
        reads.push([reader, String(parameter.Default).split('/').pop()!, source]);
      }
    }
  }
  const lines = ['flowchart LR'];
  const teamNodes = [...new Set(reads.map(([, , source]) => source))];
  lines.push(`  subgraph team[${quoted(`team stack ${team.stack.stackName}`)}]`);
  for (const construct of teamNodes) {
    lines.push(`    team_${nodeId(construct.node.id)}[${quoted(`<b>${construct.node.id}</b><br/>${layerOf(construct)}`)}]`);
  }
  lines.push('  end');
  lines.push(`  subgraph sandbox[${quoted(`sandbox ${sandbox.stack.stackName}`)}]`);
  // a construct named after another (`ReaperRole`, `ReaperLogs` beside `Reaper`) is drawn with it
  const tops = sandbox.stack.node.children.filter((c) => holdings(c) !== '');
  const groupOf = (c: IConstruct) => tops.map((t) => t.node.id).filter((id) => c.node.id.startsWith(id)).sort((a, b) => a.length - b.length)[0];
  for (const group of new Set(tops.map(groupOf))) {
    lines.push(`    sbx_${nodeId(group)}[${quoted(`<b>${group}</b><br/>${holdings(...tops.filter((t) => groupOf(t) === group))}`)}]`);
  }
  lines.push('  end');
  const seen = new Set<string>();
  for (const [reader, parameter, source] of reads) {
    const line = `  sbx_${nodeId(groupOf(reader))} -- ${quoted(parameter)} --> team_${nodeId(source.node.id)}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  return lines.join('\n');
}

/** The example workflow's definition with each CloudFormation reference written `${LogicalId}`. */
export function definitionOf(stateMachine: any): any {
  const joined = stateMachine.Properties.DefinitionString;
  const text = typeof joined === 'string' ? joined : joined['Fn::Join'][1]
    .map((part: unknown) => typeof part === 'string' ? part : `\${${[...references(part)][0]}}`).join('');
  return JSON.parse(text);
}

/**
 * The data path of one run of the example workflow in the tutorial's team stack, which serves
 * the example model (examples/served-model): the lake table it reads, what starts it, its steps in the order
 * the state machine runs them, where each writes, the run's record, the model package it
 * registers and the endpoints that serve approved models.
 */
export function runDataPath(): string {
  const stack = servedModelStack(new App());
  const app = stack.node.root as App;
  const s = synthesized(app, stack);
  const workflow = stack.exampleWorkflow!;
  const machineId = stack.resolve((workflow.stateMachine.node.defaultChild as CfnElement).logicalId);
  const definition = definitionOf(s.template.Resources[machineId]);
  const states = collectStates(definition.States);
  const plan = states['Plan steps'].Parameters.groups.flat();
  const name = (c: IConstruct | undefined) => c?.node.id ?? '?';
  const lines = ['flowchart LR'];
  // the lake tables, by name, and their zone
  const tables = new Map<string, string>();
  for (const [, resource] of Object.entries(s.template.Resources)) {
    if (resource.Type === 'AWS::Glue::Table') {
      tables.set(resource.Properties.TableInput.Name, resource.Properties.TableInput.StorageDescriptor.Location);
    }
  }
  // what starts a run: the workflow's schedules and rules
  for (const [logicalId, resource] of Object.entries(s.template.Resources)) {
    if (resource.Type === 'AWS::Scheduler::Schedule' && s.owner.get(logicalId) === workflow) {
      const p = resource.Properties;
      lines.push(`  trigger_${logicalId}([${quoted(`schedule ${p.ScheduleExpression} ${p.ScheduleExpressionTimezone ?? ''}, ${p.State === 'DISABLED' ? 'off until enabled' : 'on'}`)}]) --> run`);
    }
  }
  lines.push(`  run{{${quoted(`run of workflow ${workflow.workflowName}<br/>run id = execution name`)}}}`);
  lines.push(`  run -- ${quoted('start, end, failure')} --> registry[(${quoted(`run registry<br/>${name(s.owner.get(findRef(states['Record start'])))}`)})]`);
  // a bucket by what holds it: `raw zone`, `Artifacts`
  const zoneOf = (logicalId: string) => {
    const element = stack.node.findAll().find((c) => CfnElement.isCfnElement(c) && stack.resolve(c.logicalId) === logicalId);
    const zone = element?.node.scopes.find((c): c is LakeZone => c instanceof LakeZone);
    return zone ? `${zone.zoneName} zone` : name(s.owner.get(logicalId));
  };
  const store = (where: string) => `data_${nodeId(where.replace(/&lt;|&gt;|<br\/>/g, ''))}[(${quoted(where)})]`;
  const artifacts = String(states['Record start'].Parameters.Item.artifactPrefix['S.$']).match(/s3:\/\/\$\{(\w+)\}\/([^{]*)\{\}/)!;
  lines.push(`  run -- ${quoted('what steps write')} --> ${store(`${zoneOf(artifacts[1])} ${artifacts[2]}&lt;run id&gt;/`)}`);
  for (const lane of plan) {
    let before = 'run';
    for (const step of lane.steps) {
      const id = `step_${nodeId(step.name)}`;
      const task = taskOf(states, step.name);
      lines.push(`  ${id}[${quoted(`<b>${step.name}</b><br/>${task.service}`)}]`);
      if (!step.waits) {
        lines.push(`  ${before} --> ${id}`);
      }
      before = id;
      for (const told of step.tells ?? []) {
        lines.push(`  ${id} --> step_${nodeId(told.name)}`);
      }
      for (const [table, location] of tables) {
        if (new RegExp(`FROM ${table}\\b`).test(task.text)) {
          lines.push(`  ${store(`table ${table}<br/>${locationOf(location, zoneOf)}`)} --> ${id}`);
        }
      }
      // S3 locations it names: written after `TO` (UNLOAD, CTAS), read otherwise
      const places = new Set<string>();
      for (const [, to, ref, path] of task.text.matchAll(/(TO [\\]*')?s3:\/\/\$\{(\w+)\}\/([A-Za-z0-9_\-/{}=]*\/)/g)) {
        const place = store(`${zoneOf(ref)} ${path.replace(/\{\}/g, '&lt;run id&gt;')}`);
        places.add(to ? `${id} --> ${place}` : `${place} --> ${id}`);
      }
      lines.push(...[...places].map((edge) => `  ${edge}`));
      if (task.group) {
        lines.push(`  ${id} -- ${quoted('pending approval')} --> group[(${quoted(`model package group<br/>${task.group}`)})]`);
      }
    }
  }
  for (const endpoint of stack.node.findAll().filter((c): c is ModelEndpoint => c instanceof ModelEndpoint)) {
    lines.push(`  group -. ${quoted('approved version')} .-> endpoint_${nodeId(endpoint.node.id)}([${quoted(`endpoint ${endpoint.node.id}`)}])`);
  }
  return lines.join('\n');
}

/** `raw zone events/`: a table location, its bucket named by the construct that holds it. */
function locationOf(location: any, zoneOf: (logicalId: string) => string): string {
  const parts: unknown[] = typeof location === 'string' ? [location] : location['Fn::Join'][1];
  return parts.map((p) => typeof p === 'string' ? p : zoneOf([...references(p)][0])).join('').replace(/^s3:\/\//, '').replace(/ zone\//, ' zone ');
}

function findRef(state: any): string {
  return String(JSON.stringify(state.Parameters).match(/\$\{(\w+)\}/)?.[1]);
}

/** Every state of a definition, nested ones included, by name. */
function collectStates(states: Record<string, any>, into: Record<string, any> = {}): Record<string, any> {
  for (const [name, state] of Object.entries(states)) {
    into[name] = state;
    state.Branches?.forEach((b: any) => collectStates(b.States, into));
    if (state.ItemProcessor) {
      collectStates(state.ItemProcessor.States, into);
    }
  }
  return into;
}

/** The service a step calls, the text of its parameters, and the model package group it registers in, if any. */
function taskOf(states: Record<string, any>, step: string): { service: string; text: string; group?: string } {
  let state = states[step];
  let text = JSON.stringify(state.Parameters ?? {});
  while (state.Type !== 'Task' && state.Next) {
    state = states[state.Next];
  }
  const [, service, action] = String(state.Resource).match(/states:::(?:aws-sdk:)?([a-z-]+):([A-Za-z]+)/) ?? [];
  text += JSON.stringify(state.Parameters ?? {});
  return { service: `${service} ${action}`, text: text.replace(/\\n/g, ' '), group: state.Parameters?.ModelPackageGroupName };
}
