import { Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { newDataKey } from '../core/keys';
import { newEncryptedLogGroup } from '../core/log-groups';
import { statefulRemovalPolicy } from '../core/removal';
import { PropChecker } from '../core/validation-error';
import { WorkflowStep } from './workflow-step';

// Batch job names, which steps become, start with a letter or digit
const STEP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface WorkflowProps {
  /** The workflow's name, as data scientists call it: letters, digits, hyphens and underscores. */
  readonly workflowName: string;

  /** The steps, run one after the other in this order. */
  readonly steps: WorkflowStep[];

  /**
   * After this long a run fails.
   * @default Duration.hours(24)
   */
  readonly timeout?: Duration;

  /**
   * How long execution logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Encrypts execution logs. A key you import must allow CloudWatch Logs to use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A workflow of steps run by a Step Functions state machine, with every execution
 * logged and traced. Each run's id (the execution name) is passed to every step.
 */
export class Workflow extends Construct {
  public readonly workflowName: string;
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const check = new PropChecker('Workflow');
    check.check(STEP_NAME_PATTERN.test(props.workflowName), 'workflowName', props.workflowName,
      'use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit, for example "nightly-training"');
    check.check(props.steps.length > 0, 'steps', [], 'give at least one step');
    const seen = new Set<string>();
    props.steps.forEach((step, i) => {
      check.check(STEP_NAME_PATTERN.test(step.name), `steps[${i}].name`, step.name,
        'use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit');
      check.check(!seen.has(step.name), `steps[${i}].name`, step.name, 'give each step its own name');
      seen.add(step.name);
    });
    check.throwIfAny();

    this.workflowName = props.workflowName;
    const context = { workflowName: props.workflowName, runId: sfn.JsonPath.stringAt('$$.Execution.Name') };
    const states = props.steps.map((step) => step.bind(this, context));
    let definition = sfn.Chain.start(states[0]);
    for (const state of states.slice(1)) {
      definition = definition.next(state);
    }

    acknowledgeRoleInlinePolicies(this);
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    this.logGroup = newEncryptedLogGroup(this, 'Logs', {
      // under /aws/vendedlogs/ Step Functions needs no entry in the account's size-limited log resource policy
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
      encryptionKey: props.encryptionKey ?? newDataKey(this, 'Key', `Encrypts the logs of workflow ${props.workflowName}`, removalPolicy),
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `Workflow ${props.workflowName}`,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.timeout ?? Duration.hours(24),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    // on the policy, not the role: a later `*` grant to the role in a policy of its own still shows
    const policy = this.stateMachine.role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery (logs:*LogDelivery*) and X-Ray trace APIs have no resource-level permissions; '
        + 'these statements carry only those actions.',
    });
    if (props.steps.some((step) => step.kind === 'batchJob')) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:batch:<AWS::Region>:<AWS::AccountId>:job-definition/*]`,
        reason: 'The Step Functions Batch integration grants batch:SubmitJob on job definitions of any revision, since a '
          + 'revision changes the ARN; the same statement restricts the queue to this workflow\'s own.',
      });
    }
  }
}
