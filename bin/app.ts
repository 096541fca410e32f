#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { checkName } from '../constructs/core/naming';
import { PropChecker } from '../constructs/core/validation-error';
import { CompliancePacks, DataScienceStack, DataScienceStage, ValidationError } from '../lib';
import { checkStage } from '../lib/stage';

/**
 * The team stack, configured by context:
 *   npx cdk synth -c team=fraud-models -c stage=prod -c codeVersion=$(git rev-parse HEAD)
 */
const app = new App();
try {
  const teamName = app.node.tryGetContext('team') ?? 'data-science';
  const stage = app.node.tryGetContext('stage') ?? DataScienceStage.DEV;
  const check = new PropChecker('the app context');
  checkName(check, '-c team', teamName);
  checkStage(check, '-c stage', stage);
  check.throwIfAny();
  const codeVersion = app.node.tryGetContext('codeVersion');
  new DataScienceStack(app, `${teamName}-${stage}`, { teamName, stage, codeVersion });
  CompliancePacks.addTo(app);
} catch (error) {
  if (!(error instanceof ValidationError)) {
    throw error;
  }
  console.error(error.message);
  process.exit(1);
}
