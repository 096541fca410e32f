/**
 * The tutorial's team stack once it serves a model (docs/tutorial.md): the default stack of
 * `npx cdk deploy`, with the approved version of the example model behind a serverless endpoint.
 *
 *   npx cdk deploy --app 'npx tsx examples/served-model/app.ts' \
 *     -c modelPackageArn=<the approved version's ARN> -c runId=<the run that trained it>
 */
import { App } from 'aws-cdk-lib';
import { CompliancePacks } from '../../lib';
import { servedModelStack } from './served-model';

const app = new App();
servedModelStack(app);
CompliancePacks.addTo(app);
