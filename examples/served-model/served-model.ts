import { CfnOutput } from 'aws-cdk-lib';
import { ArtifactStore, DataScienceStack, EndpointHosting, ModelEndpoint, ModelSource } from '../../lib';

/**
 * Serves an approved version of the example workflow's model from a serverless endpoint of the
 * team stack: it bills per request and nothing while no request comes. Its execution role reads
 * the one model file the run wrote, `runs/example/<run id>/train/model.tar.gz`.
 */
export function serveExampleModel(stack: DataScienceStack, modelPackageArn: string, runId: string): ModelEndpoint {
  const endpoint = stack.addModelEndpoint('ExampleEndpoint', {
    hosting: EndpointHosting.SERVERLESS,
    variants: [{
      variantName: 'approved',
      model: ModelSource.fromModelPackage({
        modelPackageArn,
        artifactStore: stack.artifacts,
        modelDataKey: `${ArtifactStore.runsPrefix('example')}${runId}/train/model.tar.gz`,
      }),
    }],
  });
  new CfnOutput(stack, 'ExampleEndpointName', { value: endpoint.endpointName });
  return endpoint;
}
