/**
 * The tutorial's team stack once it serves a model (docs/tutorial.md): the default stack of
 * `npx cdk deploy`, with the approved version of the example model behind a serverless endpoint.
 *
 *   npx cdk deploy --app 'npx tsx examples/served-model/app.ts' \
 *     -c modelPackageArn=<the approved version's ARN> -c runId=<the run that trained it>
 */
import { App } from 'aws-cdk-lib';
import { CompliancePacks, DataScienceStack } from '../../lib';
import { serveExampleModel } from './served-model';

const app = new App();
const stack = new DataScienceStack(app, 'data-science-dev', {
  teamName: 'data-science',
  codeVersion: app.node.tryGetContext('codeVersion'),
});
serveExampleModel(stack,
  // a version of the example group, for synthesis alone: the tutorial gives the approved one
  app.node.tryGetContext('modelPackageArn') ?? 'arn:aws:sagemaker:us-east-1:111111111111:model-package/data-science-dev-example/1',
  app.node.tryGetContext('runId') ?? 'run-001');
CompliancePacks.addTo(app);
