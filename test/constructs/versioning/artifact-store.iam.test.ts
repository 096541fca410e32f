import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ArtifactStore } from '../../../constructs/versioning';
import { PolicySimulator } from '../../support/iam';
import { newTestApp } from '../../support/synth';

/** Two workflows' roles, each granted its own runs: simulated with @cloud-copilot/iam-simulate. */
describe('ArtifactStore run grants, simulated', () => {
  let sim: PolicySimulator;
  const object = (key: string) => `${sim.arn(sim.logicalId('AWS::S3::Bucket', 'ArtifactsBucket'))}/${key}`;
  const role = (prefix: string) => sim.logicalId('AWS::IAM::Role', prefix);

  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Store');
    const store = new ArtifactStore(stack, 'Artifacts');
    const training = new iam.Role(stack, 'Training', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const scoring = new iam.Role(stack, 'Scoring', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    store.grantWriteRun(training, 'training');
    store.grantReadRun(training, 'training');
    store.grantWriteRun(scoring, 'scoring');
    sim = new PolicySimulator(Template.fromStack(stack));
  });

  test.each([
    ['Training', 's3:PutObject', 'runs/training/run-1/train/model.tar.gz', 'Allowed'],
    ['Training', 's3:GetObject', 'runs/training/run-1/train/model.tar.gz', 'Allowed'],
    ['Training', 's3:PutObject', 'runs/scoring/run-1/score/out.parquet', 'NotAllowed'],
    ['Training', 's3:GetObject', 'runs/scoring/run-1/score/out.parquet', 'NotAllowed'],
    ['Training', 's3:PutObject', 'runs/trainingx/run-1/x', 'NotAllowed'],
    ['Training', 's3:PutObject', 'models/churn/abc/model.tar.gz', 'NotAllowed'],
    ['Training', 's3:DeleteObject', 'runs/training/run-1/train/model.tar.gz', 'NotAllowed'],
    ['Scoring', 's3:PutObject', 'runs/scoring/run-1/score/out.parquet', 'Allowed'],
    ['Scoring', 's3:PutObject', 'runs/training/run-1/train/model.tar.gz', 'NotAllowed'],
  ])('%s: %s on %s is %s', async (who, action, key, expected) => {
    expect(await sim.outcome(role(who), action, object(key))).toBe(expected);
  });
});
