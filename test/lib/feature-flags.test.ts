import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack, ProjectSandboxStack } from '../../lib';
import { cdkJsonContext, expectNoFindings } from '../support/synth';
import { daysFromToday } from '../../constructs/core/dates';

const EXPIRES = daysFromToday(14);

/** The default team stack and an owner's sandbox, as an app with `context` builds them. */
function stacks(context: Record<string, unknown>): { app: App; stacks: Stack[] } {
  const app = new App({ context });
  return {
    app,
    stacks: [
      new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' }),
      new ProjectSandboxStack(app, 'sandbox', { teamName: 'data-science', projectName: 'churn', owner: 'ana.lima', expiresOn: EXPIRES }),
    ],
  };
}

describe('an app without this repository\'s cdk.json', () => {
  test('gets the same templates as the app with its feature flags', () => {
    const bare = stacks({}).stacks.map((stack) => Template.fromStack(stack).toJSON());
    const flagged = stacks(cdkJsonContext()).stacks.map((stack) => Template.fromStack(stack).toJSON());
    expect(bare[0]).toEqual(flagged[0]);
    expect(bare[1]).toEqual(flagged[1]);
    // among them the two flags that did change them: the restricted default security group, minimized policies
    expect(JSON.stringify(bare[0])).toContain('Custom::VpcRestrictDefaultSG');
  });

  test('passes every rule pack with zero findings', () => {
    // only CloudFormation rule validation is switched on, which the validation needs and which changes no template
    const { app } = stacks({ '@aws-cdk/core:validateAgainstDefaultRules': true });
    expectNoFindings(app, { regulated: true });
  });
});
