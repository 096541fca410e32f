#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addCompliancePacks, DataScienceStack, DataScienceStage, PropChecker, ValidationError, checkStage } from '../lib';

/**
 * The team stack, configured by context:
 *   npx cdk synth -c team=fraud-models -c stage=prod
 */
const app = new App();
try {
  const teamName = app.node.tryGetContext('team') ?? 'data-science';
  const stage = app.node.tryGetContext('stage') ?? DataScienceStage.DEV;
  const check = new PropChecker('the app context (-c)');
  checkStage(check, 'stage', stage);
  check.throwIfAny();
  new DataScienceStack(app, `${teamName}-${stage}`, { teamName, stage });
  addCompliancePacks(app);
} catch (error) {
  if (!(error instanceof ValidationError)) {
    throw error;
  }
  console.error(error.message);
  process.exit(1);
}
