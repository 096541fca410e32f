import { App, Aws, Stage, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkStackProps } from '../../lib/stack-props-check';
import { checkerProblems } from '../support/validation';

/** The problems of `props` for a stack `id` under `scope`, as `prop = value: fix` lines. */
const problems = (props: StackProps, id = 'Team', scope: Construct = new App()) => checkerProblems((check) => checkStackProps(check, scope, id, props));

const NAME_FIX = 'give 1 to 128 letters, digits and hyphens, starting with a letter: the stack\'s name in CloudFormation';
const KEY_FIX = 'give tag keys of 1 to 128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"';
const VALUE_FIX = 'give a tag value of at most 256 letters, digits, spaces and _.:/=+-@';

describe('checkStackProps', () => {
  test('takes what CloudFormation takes', () => {
    expect(problems({
      stackName: 'team-a-prod2', description: 'é'.repeat(512), env: { account: '123456789012', region: 'us-gov-west-10' },
      tags: { 'cost-center': 'ds 42', 'équipe:nom/x=y+z@w': 'Données_1.0', empty: '' },
    })).toEqual([]);
    expect(problems({ stackName: `a${'-'.repeat(127)}` })).toEqual([]);
    // an account and a region known only at deploy
    expect(problems({ env: { account: Aws.ACCOUNT_ID, region: Aws.REGION } })).toEqual([]);
    // a stack's id is its name only directly under an app; a stage prefixes it
    expect(problems({}, 'team_a', new Stage(new App(), 'Prod'))).toEqual([]);
  });

  test.each<[string, StackProps, string, string[]]>([
    ['a stack name with an underscore', { stackName: 'team_a' }, 'Team', [`stackName = "team_a": ${NAME_FIX}`]],
    ['a stack name starting with a digit', { stackName: '1team' }, 'Team', [`stackName = "1team": ${NAME_FIX}`]],
    ['a stack name of 129 characters', { stackName: 'a'.repeat(129) }, 'Team', [`stackName = "${'a'.repeat(129)}": ${NAME_FIX}`]],
    ['an id under an app that CloudFormation would not take', {}, 'team.a', [`id = "team.a": ${NAME_FIX}`]],
    ['an empty description', { description: '' }, 'Team', ['description = "": give 1 to 1024 bytes of text, or leave it unset']],
    ['a description of 1025 bytes in 513 characters', { description: 'é'.repeat(512) + 'e' }, 'Team',
      [`description = "${'é'.repeat(512)}e": give 1 to 1024 bytes of text, or leave it unset`]],
    ['an account of 11 digits', { env: { account: '12345678901' } }, 'Team', ['env.account = "12345678901": give a 12-digit AWS account id']],
    ['a region without its number', { env: { region: 'eu-west' } }, 'Team', ['env.region = "eu-west": give an AWS region such as "eu-west-1"']],
    ['a region in capitals', { env: { region: 'EU-WEST-1' } }, 'Team', ['env.region = "EU-WEST-1": give an AWS region such as "eu-west-1"']],
    ['a region after a capital', { env: { region: 'Xeu-west-1' } }, 'Team', ['env.region = "Xeu-west-1": give an AWS region such as "eu-west-1"']],
    ['a region with a tail', { env: { region: 'eu-west-1x' } }, 'Team', ['env.region = "eu-west-1x": give an AWS region such as "eu-west-1"']],
    ['an account of 13 digits', { env: { account: '1234567890123' } }, 'Team', ['env.account = "1234567890123": give a 12-digit AWS account id']],
    ['an account after a letter', { env: { account: 'x123456789012' } }, 'Team', ['env.account = "x123456789012": give a 12-digit AWS account id']],
    ['a tag key AWS keeps', { tags: { 'aws:owner': 'x' } }, 'Team', [`tags = "aws:owner": ${KEY_FIX}`]],
    ['an empty tag key', { tags: { '': 'x' } }, 'Team', [`tags = "": ${KEY_FIX}`]],
    ['a tag key with a comma', { tags: { 'a,b': 'x' } }, 'Team', [`tags = "a,b": ${KEY_FIX}`]],
    ['a tag value with a semicolon', { tags: { team: 'a;b' } }, 'Team', [`tags["team"] = "a;b": ${VALUE_FIX}`]],
    ['a tag value of 257 characters', { tags: { team: 'v'.repeat(257) } }, 'Team', [`tags["team"] = "${'v'.repeat(257)}": ${VALUE_FIX}`]],
  ])('refuses %s', (_, props, id, expected) => {
    expect(problems(props, id)).toEqual(expected);
  });

  test('refuses a stack name known only at deploy, and judges nothing else of it', () => {
    const name = Token.asString({ Ref: 'Name' });
    expect(problems({ stackName: name })).toEqual([
      `stackName = "${name}": give a plain string: CloudFormation names the stack at deploy, before any token resolves`,
    ]);
  });
});
