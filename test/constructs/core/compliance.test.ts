import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFinding } from '../../../constructs/core/compliance';
import { DataScienceStack, DataScienceStage, NetworkProfile, ProjectSandboxStack } from '../../../lib';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { newTestApp, synthFindings } from '../../support/synth';
import { daysFromToday } from '../../../constructs/core/dates';

const finding = (name: string) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:model-package/${name}/*]`;

/** A role with two resource wildcards, of which `acknowledgeFinding` acknowledges the first; the findings left. */
function findingsLeft(): { rules: string[]; role: iam.Role } {
  const app = newTestApp();
  const stack = new Stack(app, 'Roles');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  for (const name of ['churn', 'ltv']) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${name}/*` })],
    }));
  }
  acknowledgeFinding(role, finding('churn'), 'The versions of one model.');
  return { rules: synthFindings(app).map((f) => f.rule), role };
}

afterEach(() => jest.restoreAllMocks());

/** Makes `Validations.acknowledge` refuse ids with more than one `::`, as aws-cdk-lib 2.258.0 to 2.268.0 do. */
function refuseIdsAsOldReleases(): void {
  const acknowledge = Validations.prototype.acknowledge;
  jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules) {
    if (rules.some((rule) => rule.id.split('::').length > 2)) {
      throw Object.assign(new Error('Invalid validation rule ID'), { name: 'InvalidValidationId' });
    }
    acknowledge.apply(this, rules);
  });
}

describe('acknowledgeFinding', () => {
  test('acknowledges one finding by its full id, `::` inside brackets and all, and leaves the next one reported', () => {
    expect(findingsLeft().rules).toEqual([finding('ltv')]);
  });

  test('where aws-cdk-lib refuses such an id (before 2.269.0), records it where cdk-nag reads it, for that finding alone', () => {
    refuseIdsAsOldReleases();
    const { rules, role } = findingsLeft();
    expect(rules).toEqual([finding('ltv')]);
    expect(acknowledgementsOn(role)).toEqual([[finding('churn'), 'The versions of one model.']]);
  });

  test('lets any other error through', () => {
    jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => {
      throw new Error('something else');
    });
    expect(() => acknowledgeFinding(new Stack(), finding('churn'), 'reason')).toThrow('something else');
  });
});

test.each(Object.values(NetworkProfile))('every acknowledgement of a %s team stack with a replica, and of its sandbox, is one the oldest peers take', (network) => {
  // an acknowledgement written with Validations.acknowledge instead of acknowledgeFinding throws here
  refuseIdsAsOldReleases();
  const app = newTestApp();
  new DataScienceStack(app, 'team-prod', {
    teamName: 'team', stage: DataScienceStage.PROD, network, replicaRegion: 'eu-west-2', env: { region: 'eu-west-1' },
  });
  new ProjectSandboxStack(app, 'sandbox', { teamName: 'team', teamStage: DataScienceStage.DEV, projectName: 'churn', owner: 'ana', expiresOn: daysFromToday(7), teamNetwork: network });
  expect(Validations.prototype.acknowledge).toHaveBeenCalled();
});
