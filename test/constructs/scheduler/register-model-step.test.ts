import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Workflow, WorkflowStep } from '../../../constructs/scheduler';
import { ArtifactStore, ModelRegistry } from '../../../constructs/versioning';
import { definitionOf, laneStates } from '../../support/state-machines';

/** The createModelPackage task of a lone registerModel step with these props. */
function registerTask(props: { metricsKey?: string; contentTypes?: string[] }): any {
  const stack = new Stack(new App(), 'Register');
  const registry = new ModelRegistry(stack, 'Models', { namePrefix: 'team' });
  registry.addModel('churn');
  new Workflow(stack, 'Flow', {
    workflowName: 'training',
    steps: [WorkflowStep.registerModel({
      name: 'register', registry, modelName: 'churn', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1',
      modelDataKey: 'runs/training/{run_id}/train/model.tar.gz', ...props,
    })],
    artifactStore: new ArtifactStore(stack, 'Artifacts'),
  });
  return laneStates(definitionOf(Template.fromStack(stack), 'FlowStateMachine')).register;
}

describe('WorkflowStep.registerModel\'s task', () => {
  test('takes and gives JSON and CSV unless told, and names no metrics without a metrics key', () => {
    const { Parameters } = registerTask({});
    expect(Parameters.InferenceSpecification.SupportedContentTypes).toEqual(['application/json', 'text/csv']);
    expect(Parameters.InferenceSpecification.SupportedResponseMIMETypes).toEqual(['application/json', 'text/csv']);
    expect(Parameters.ModelMetrics).toBeUndefined();
  });

  test('takes and gives the content types it is told, and reads the run\'s metrics as JSON', () => {
    const { Parameters } = registerTask({ contentTypes: ['application/x-parquet'], metricsKey: 'runs/training/{run_id}/evaluate/metrics.json' });
    expect(Parameters.InferenceSpecification.SupportedContentTypes).toEqual(['application/x-parquet']);
    expect(Parameters.ModelMetrics).toEqual({
      ModelQuality: { Statistics: { 'ContentType': 'application/json', 'S3Uri.$': expect.stringContaining('/runs/training/{}/evaluate/metrics.json') } },
    });
  });

  test('retries SageMaker\'s throttling and transient failures, then fails the step', () => {
    expect(registerTask({}).Retry).toEqual([{
      ErrorEquals: ['SageMaker.ThrottlingException', 'SageMaker.InternalFailure', 'SageMaker.ServiceUnavailable'],
      IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 60, JitterStrategy: 'FULL',
    }]);
  });
});
