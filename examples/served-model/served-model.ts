import { App, CfnOutput } from 'aws-cdk-lib';
import { ArtifactStore, DataScienceStack, EndpointHosting, ModelSource } from '../../lib';

/**
 * The default team stack serving an approved version of the example workflow's model from a
 * serverless endpoint: it bills per request and nothing while no request comes. Its execution
 * role reads the one model file the run wrote, `runs/example/<run id>/train/model.tar.gz`.
 * `-c modelPackageArn` names the version and `-c runId` the run; without them, a version of the
 * example group and run `run-001` stand in, for synthesis alone.
 */
export function servedModelStack(app: App): DataScienceStack {
  const context = (key: string) => app.node.tryGetContext(key);
  const stack = new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science', codeVersion: context('codeVersion') });
  const endpoint = stack.addModelEndpoint('ExampleEndpoint', {
    hosting: EndpointHosting.SERVERLESS,
    variants: [{
      variantName: 'approved',
      model: ModelSource.fromModelPackage({
        modelPackageArn: context('modelPackageArn') ?? 'arn:aws:sagemaker:us-east-1:111111111111:model-package/data-science-dev-example/1',
        artifactStore: stack.artifacts,
        modelDataKey: `${ArtifactStore.runsPrefix('example')}${context('runId') ?? 'run-001'}/train/model.tar.gz`,
      }),
    }],
  });
  new CfnOutput(stack, 'ExampleEndpointName', { value: endpoint.endpointName });
  return stack;
}
