/**
 * Runs a CDK app, such as an example, with AWS Control Tower's proactive controls added wherever
 * the app adds the rule packs, as the CLI's `--app`:
 *
 *   npx cdk synth --app 'npx tsx test/support/with-control-tower.ts examples/gpu-training/app.ts'
 */
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { CompliancePacks } from '../../constructs/core/compliance';
import { ControlTowerChecks } from './control-tower';
import { cacheLibraryReports } from './validation-cache';

cacheLibraryReports();

const addPacks = CompliancePacks.addTo;
CompliancePacks.addTo = (scope, options) => {
  addPacks(scope, options);
  Validations.of(scope).addPlugins(new ControlTowerChecks());
};
require(path.resolve(process.argv[2]));
