#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { checkName } from '../constructs/core/naming';
import { PropChecker } from '../constructs/core/validation-error';
import { checkNetworkProfile } from '../constructs/network/network-profile';
import { CompliancePacks, DataScienceStack, DataScienceStage, NetworkProfile, ProjectSandboxStack, ValidationError } from '../lib';
import { checkStage } from '../lib/stage';

/**
 * The team stack, configured by context:
 *
 *   npx cdk synth -c team=fraud-models -c stage=prod -c codeVersion=$(git rev-parse HEAD)
 *   npx cdk synth -c stages=all                      # dev, staging and prod in one assembly
 *   npx cdk synth -c stages=all -c promotion=true \
 *     -c dev.account=111111111111 -c dev.region=eu-west-1 ...   # every stage needs both
 *   npx cdk synth -c destroyDevData=true             # a dev stack that deletes its data with it
 *   npx cdk synth -c network=private                 # public (default), nat or private subnets; see README
 *   npx cdk synth -c stage=prod -c replicaRegion=us-west-2   # with a disaster-recovery replica stack there
 *   npx cdk synth -c sandbox=churn [-c owner=ana] [-c sandboxExpiresOn=2026-12-31]   # a project sandbox
 *     [-c sandboxReadsCurated=true]                 # that may read the team stage's curated zone
 *   npx cdk synth -c notebooks=true [-c sandbox=churn -c owner=ana]   # a notebook domain; the owner's notebook in the sandbox
 */
const app = new App();
const context = (key: string) => app.node.tryGetContext(key);
try {
  const teamName = context('team') ?? 'data-science';
  const requested = context('stages') === 'all' ? Object.values(DataScienceStage) : String(context('stages') ?? context('stage') ?? 'dev').split(',');
  const promotion = String(context('promotion')) === 'true';
  const check = new PropChecker('the app context');
  checkName(check, '-c team', teamName);
  requested.forEach((stage) => checkStage(check, '-c stage', stage));
  const network = context('network');
  const notebooks = String(context('notebooks')) === 'true';
  if (network !== undefined) {
    checkNetworkProfile(check, '-c network', network);
  }
  if (promotion) {
    for (const stage of requested) {
      for (const key of ['account', 'region']) {
        check.check(context(`${stage}.${key}`) !== undefined, `-c ${stage}.${key}`, undefined,
          `promotion deploys each stage to its own account and region: give -c ${stage}.${key}=...`);
      }
    }
  }
  check.throwIfAny();

  for (const stage of requested as DataScienceStage[]) {
    const account = context(`${stage}.account`);
    const region = context(`${stage}.region`);
    new DataScienceStack(app, `${teamName}-${stage}`, {
      teamName,
      stage,
      env: account || region ? { account, region } : undefined,
      codeVersion: context('codeVersion'),
      destroyDataOnDelete: stage === DataScienceStage.DEV && String(context('destroyDevData')) === 'true',
      network: network as NetworkProfile | undefined,
      replicaRegion: context('replicaRegion'),
      notebooks: notebooks ? {} : undefined,
    });
  }
  const project = context('sandbox');
  if (project !== undefined) {
    const owner = context('owner');
    const teamStage = requested[0] as DataScienceStage;
    new ProjectSandboxStack(app, ProjectSandboxStack.nameOf(teamName, teamStage, String(project), owner), {
      teamName,
      teamStage,
      projectName: String(project),
      owner,
      expiresOn: context('sandboxExpiresOn') ?? daysFromToday(14),
      readTeamCuratedData: String(context('sandboxReadsCurated')) === 'true',
      teamNetwork: network as NetworkProfile | undefined,
      // a notebook is one person's: a project's own sandbox has none
      notebook: notebooks && owner !== undefined,
    });
  }
  CompliancePacks.addTo(app);
} catch (error) {
  if (!(error instanceof ValidationError)) {
    throw error;
  }
  console.error(error.message);
  process.exit(1);
}

/** The UTC date `days` from today, as YYYY-MM-DD: a new sandbox's default expiry. */
function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
