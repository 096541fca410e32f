#!/usr/bin/env node
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { packageRoot } from '../constructs/core/package-root';
import { CompliancePacks, ValidationError } from '../lib';
import { ParallelCloudFormationValidation } from './app/parallel-validation';
import { addStacksFromContext } from './app/stacks-from-context';

/**
 * The team stack, configured by context:
 *
 *   npx cdk synth -c team=fraud-models -c stage=prod -c codeVersion=$(git rev-parse HEAD)
 *   npx cdk synth -c stages=all                      # dev, staging and prod in one assembly
 *   npx cdk synth -c stages=all -c promotion=true \
 *     -c dev.account=111111111111 -c dev.region=eu-west-1 ...   # every stage needs both
 *   npx cdk synth -c destroyDevData=true             # a dev stack that deletes its data with it
 *   npx cdk synth -c network=private                 # public (default), nat or private subnets; see docs/network.md
 *   npx cdk synth -c stage=prod -c replicaRegion=us-west-2   # with a disaster-recovery replica stack there
 *   npx cdk synth -c sandbox=churn [-c owner=ana] [-c sandboxExpiresOn=2026-12-31]   # a project sandbox
 *     [-c sandboxReadsCurated=true]                 # that may read the team stage's curated zone
 *   npx cdk synth -c notebooks=true [-c sandbox=churn -c owner=ana]   # a notebook domain; the owner's notebook in the sandbox
 */
// the rule validation's engine compiles on the second core from now, for the last synth's resource types
const validation = ParallelCloudFormationValidation.start({
  typesFile: path.join(packageRoot(), '.cache', 'validation-types.json'),
});
const app = new App({ defaultStackSynthesizer: validation?.stackSynthesizer() });
try {
  addStacksFromContext(app);
  CompliancePacks.addTo(app);
} catch (error) {
  if (!(error instanceof ValidationError)) {
    throw error;
  }
  console.error(error.message);
  process.exit(1);
}
validation?.addTo(app);
