import { App, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropChecker } from '../constructs/core/validation-error';

/** The stack names CloudFormation takes. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** What tags may hold, in CloudFormation as in most services. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Records what CloudFormation, or aws-cdk-lib before it, would refuse in the StackProps our
 * stacks pass on: the stack's name (its id under an app), description, environment and tags.
 */
export function checkStackProps(check: PropChecker, scope: Construct, id: string, props: StackProps): void {
  check.known('stackName', props.stackName, 'give a plain string: CloudFormation names the stack at deploy, before any token resolves');
  const name = props.stackName ?? (App.isApp(scope) ? id : undefined);
  if (name !== undefined) {
    check.check(typeof name === 'string' && STACK_NAME.test(name) && name.length <= 128, props.stackName !== undefined ? 'stackName' : 'id', name,
      'give 1 to 128 letters, digits and hyphens, starting with a letter: the stack\'s name in CloudFormation');
  }
  check.check(props.description === undefined || (props.description.length > 0 && Buffer.byteLength(props.description) <= 1024), 'description',
    props.description, 'give 1 to 1024 bytes of text, or leave it unset');
  const { account, region } = props.env ?? {};
  check.matches('env.account', account, ACCOUNT, 'give a 12-digit AWS account id');
  check.matches('env.region', region, REGION, 'give an AWS region such as "eu-west-1"');
  for (const [key, value] of Object.entries(props.tags ?? {})) {
    check.check(key.length >= 1 && key.length <= 128 && TAG_TEXT.test(key) && !key.startsWith('aws:'), 'tags', key,
      'give tag keys of 1 to 128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"');
    check.check(typeof value === 'string' && value.length <= 256 && TAG_TEXT.test(value), `tags[${JSON.stringify(key)}]`, value,
      'give a tag value of at most 256 letters, digits, spaces and _.:/=+-@');
  }
}
