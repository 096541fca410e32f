import { App, Stack } from 'aws-cdk-lib';
import { addStacksFromContext } from '../../bin/app/stacks-from-context';
import { ValidationError } from '../../lib';

/** The stacks the app makes for `context`, as `-c key=value` flags give it; nothing is synthesized. */
function stacksFor(context: Record<string, string>): Stack[] {
  const app = new App({ context });
  addStacksFromContext(app);
  return app.node.children.filter((c): c is Stack => Stack.isStack(c));
}

/** The problems the app reports for `context`, as `<flag> = <value>: <fix>` lines. */
function mistakes(context: Record<string, string>): string[] {
  try {
    stacksFor(context);
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.message.split('\n').slice(1).map((line) => line.trim().replace(/^- /, ''));
    }
    throw error;
  }
  return [];
}

describe('the app\'s -c flags', () => {
  test('promotion without the accounts and regions it needs names each stage\'s missing flag', () => {
    const fix = (flag: string) => `-c ${flag} = undefined: promotion deploys each stage to its own account and region: give -c ${flag}=...`;
    expect(mistakes({ 'stages': 'all', 'promotion': 'true', 'dev.account': '111111111111' }))
      .toEqual(['dev.region', 'staging.account', 'staging.region', 'prod.account', 'prod.region'].map(fix));
  });

  test('a stage given an account and a region deploys there; given one of them, the app asks for the other instead of an unknown region', () => {
    const [dev] = stacksFor({ 'stage': 'dev', 'dev.account': '111111111111', 'dev.region': 'eu-west-1' });
    expect([dev.account, dev.region]).toEqual(['111111111111', 'eu-west-1']);
    expect(mistakes({ 'stages': 'all', 'dev.account': '111111111111' })).toEqual([
      '-c dev.region = undefined: a stage deploys to an account and a region: give -c dev.region=... beside -c dev.account',
    ]);
  });

  test.each([
    [{ 'dev.account': '1234', 'dev.region': 'eu-west-1' }, '-c dev.account = "1234": give a 12-digit AWS account id'],
    [{ 'dev.account': '111111111111', 'dev.region': 'Ireland' }, '-c dev.region = "Ireland": give an AWS region such as eu-west-1'],
    [{ promotion: 'yes' }, '-c promotion = "yes": use one of "true", "false"'],
    [{ stage: 'dev', stages: 'all' }, '-c stages = "all": give -c stage or -c stages, not both'],
    [{ stages: 'dev,dev' }, '-c stages = "dev,dev": name each stage once'],
    [{ stages: 'dev,' }, '-c stages = "": use one of "dev", "staging", "prod"'],
    [{ owner: 'ana.lima' }, '-c owner = "ana.lima": it configures a sandbox: give -c sandbox=<project> too'],
    [{ stage: 'prod', destroyDevData: 'true' }, '-c destroyDevData = "true": only a dev stack destroys its data: add dev to the stages, or leave the flag out'],
    [{ sandbox: 'churn', sandboxExpiresIn: '2027-01-01' }, '-c sandboxExpiresIn = "2027-01-01": the app has no such flag: did you mean -c sandboxExpiresOn?'],
    [{ Team: 'fraud' }, '-c Team = "fraud": the app has no such flag: did you mean -c team?'],
    [{ stage: 'qa' }, '-c stage = "qa": use one of "dev", "staging", "prod"'],
    [{ network: 'isolated' }, '-c network = "isolated": use one of "public", "nat", "private"'],
  ])('%j is refused naming the flag: %s', (context, mistake) => {
    expect(mistakes(context)).toEqual([mistake]);
  });

  test.each([
    [{ sandbox: 'churn', sandboxExpiresOn: '2020-01-01' }, '-c sandboxExpiresOn = "2020-01-01": give a day after today'],
    [{ sandbox: 'churn', sandboxExpiresOn: '2027-02-30' }, '-c sandboxExpiresOn = "2027-02-30": give a calendar day that exists'],
    [{ sandbox: 'Churn' }, '-c sandbox = "Churn": use lowercase letters'],
    [{ sandbox: 'churn', owner: 'Ana' }, '-c owner = "Ana": use a lowercase user name'],
    [{ sandbox: 'churn', stage: 'prod' }, '-c stage = "prod": point sandboxes at dev or staging'],
    [{ codeVersion: '' }, '-c codeVersion = "": give 1 to 256 letters'],
    [{ team: 'Fraud_Models' }, '-c team = "Fraud_Models": use lowercase letters, digits and single hyphens'],
  ])('a mistake a construct finds in %j is reported in the flag typed, not the prop behind it', (context, mistake) => {
    const [reported] = mistakes(context);
    expect(reported.startsWith(mistake)).toBe(true);
  });
});
