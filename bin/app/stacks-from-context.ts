import { App } from 'aws-cdk-lib';
import { daysFromToday } from '../../constructs/core/dates';
import { editDistance } from '../../constructs/core/edit-distance';
import { checkName } from '../../constructs/core/naming';
import { PropChecker, ValidationError } from '../../constructs/core/validation-error';
import { checkNetworkProfile, NetworkProfile } from '../../constructs/network/network-profile';
import { DataScienceStack } from '../../lib/data-science-stack';
import { ProjectSandboxStack } from '../../lib/project-sandbox-stack';
import { checkStage, DataScienceStage } from '../../lib/stage';

/** The app's `-c` flags, as a user types them; `<stage>.account` and `<stage>.region` besides. */
export const FLAGS = [
  'team', 'stage', 'stages', 'promotion', 'codeVersion', 'destroyDevData', 'network', 'replicaRegion', 'notebooks',
  'sandbox', 'owner', 'sandboxExpiresOn', 'sandboxReadsCurated', 'multiNode',
] as const;
const BOOLEAN_FLAGS = ['promotion', 'destroyDevData', 'sandboxReadsCurated', 'notebooks', 'multiNode'];
const SANDBOX_FLAGS = ['owner', 'sandboxExpiresOn', 'sandboxReadsCurated'];
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Adds the stacks the context asks for to `app`: the team stack of each requested stage and,
 * with `-c sandbox`, a project sandbox beside the first. Throws one ValidationError naming
 * the `-c` flags, as typed, for every mistake.
 */
export function addStacksFromContext(app: App): void {
  const context = (key: string) => app.node.tryGetContext(key);
  const check = new PropChecker('the app context');
  const teamName = context('team') ?? 'data-science';
  const stageFlag = context('stages') !== undefined ? '-c stages' : '-c stage';
  const requested = context('stages') === 'all' ? Object.values(DataScienceStage) as string[] : String(context('stages') ?? context('stage') ?? 'dev').split(',');
  checkName(check, '-c team', teamName);
  check.check(context('stage') === undefined || context('stages') === undefined, '-c stages', context('stages'),
    'give -c stage or -c stages, not both');
  requested.forEach((stage, i) => {
    checkStage(check, stageFlag, stage);
    check.check(requested.indexOf(stage) === i, stageFlag, context('stages') ?? context('stage'), 'name each stage once');
  });
  const network = context('network');
  const notebooks = String(context('notebooks')) === 'true';
  if (network !== undefined) {
    checkNetworkProfile(check, '-c network', network);
  }
  for (const flag of BOOLEAN_FLAGS) {
    check.oneOf(`-c ${flag}`, context(flag) === undefined ? undefined : String(context(flag)), ['true', 'false']);
  }
  const promotion = String(context('promotion')) === 'true';
  for (const stage of requested) {
    const account = context(`${stage}.account`);
    const region = context(`${stage}.region`);
    check.check(account === undefined || ACCOUNT.test(String(account)), `-c ${stage}.account`, account, 'give a 12-digit AWS account id');
    check.check(region === undefined || REGION.test(String(region)), `-c ${stage}.region`, region, 'give an AWS region such as eu-west-1');
    // one without the other would leave the stack's region, or account, unknown
    for (const [key, given, other] of [['account', account, region], ['region', region, account]]) {
      check.check(given !== undefined || (other === undefined && !promotion), `-c ${stage}.${key}`, undefined, promotion
        ? `promotion deploys each stage to its own account and region: give -c ${stage}.${key}=...`
        : `a stage deploys to an account and a region: give -c ${stage}.${key}=... beside -c ${stage}.${key === 'account' ? 'region' : 'account'}`);
    }
  }
  const project = context('sandbox');
  for (const flag of SANDBOX_FLAGS) {
    check.check(project !== undefined || context(flag) === undefined, `-c ${flag}`, context(flag), 'it configures a sandbox: give -c sandbox=<project> too');
  }
  check.check(String(context('destroyDevData')) !== 'true' || requested.includes(DataScienceStage.DEV), '-c destroyDevData', 'true',
    'only a dev stack destroys its data: add dev to the stages, or leave the flag out');
  checkNearMisses(check, app);
  check.throwIfAny();

  const flags = { teamName: '-c team', stage: stageFlag, teamStage: stageFlag, codeVersion: '-c codeVersion', projectName: '-c sandbox',
    owner: '-c owner', expiresOn: '-c sandboxExpiresOn', readTeamCuratedData: '-c sandboxReadsCurated', id: '-c team',
    network: '-c network', teamNetwork: '-c network', replicaRegion: '-c replicaRegion', notebooks: '-c notebooks', notebook: '-c notebooks',
    multiNode: '-c multiNode' };
  asFlags(flags, () => {
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
        multiNode: String(context('multiNode')) === 'true' ? {} : undefined,
      });
    }
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
  });
}

/** Runs `build`, reporting a construct's ValidationError in the flags the user typed rather than the props behind them. */
function asFlags(flags: Record<string, string>, build: () => void): void {
  try {
    build();
  } catch (error) {
    if (!(error instanceof ValidationError)) {
      throw error;
    }
    throw new ValidationError('the app context', error.problems.map((p) => ({ ...p, prop: flags[p.prop] ?? p.prop })));
  }
}

/** A flag typed with another case or a letter or two off (`-c sandboxExpiresIn`) would be ignored: say which was meant. */
function checkNearMisses(check: PropChecker, app: App): void {
  const known = [...FLAGS, ...Object.values(DataScienceStage).flatMap((s) => [`${s}.account`, `${s}.region`])];
  for (const key of Object.keys(app.node.getAllContext()).filter((k) => !known.includes(k))) {
    const meant = known.find((flag) => flag.toLowerCase() === key.toLowerCase() || (key.length >= 4 && editDistance(flag, key, 2) <= 2));
    check.check(meant === undefined, `-c ${key}`, app.node.tryGetContext(key), `the app has no such flag: did you mean -c ${meant}?`);
  }
}
