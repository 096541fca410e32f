import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { newEncryptedLogGroup } from '../core/log-groups';

export interface LoggedStateMachineProps {
  readonly comment: string;
  readonly definitionBody: sfn.DefinitionBody;
  /** @default - none, or the definition's own */
  readonly timeout?: Duration;
  /** @default sfn.StateMachineType.STANDARD */
  readonly stateMachineType?: sfn.StateMachineType;
  /** Encrypts the execution logs. */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Actions the state machine's own grants add on `*`, beside log delivery and X-Ray, for the acknowledgement. */
  readonly unscopedActions?: string[];
}

/**
 * A state machine of `scope` (construct ids `Logs` and `StateMachine`) that logs every
 * execution at level ALL, with its data, to an encrypted log group, and traces it with X-Ray.
 */
export function newLoggedStateMachine(scope: Construct, props: LoggedStateMachineProps): { stateMachine: sfn.StateMachine; logGroup: logs.LogGroup } {
  const logGroup = newEncryptedLogGroup(scope, 'Logs', {
    // under /aws/vendedlogs/ Step Functions needs no entry in the account's size-limited log resource policy
    logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`,
    retention: props.logRetention,
    removalPolicy: props.removalPolicy,
    encryptionKey: props.encryptionKey,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineType: props.stateMachineType,
    comment: props.comment,
    definitionBody: props.definitionBody,
    timeout: props.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  // Step Functions may assume the role for this account's state machines only: aws-cdk-lib's own
  // trust policy has the condition from version 2.274.0 on, so it is set here for every version the package admits
  const stack = Stack.of(scope);
  (stateMachine.role.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition', {
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    StringEquals: { 'aws:SourceAccount': stack.account },
  });
  // on the policy, not the role: a later `*` grant to the role in a policy of its own still shows
  const unscoped = ['CloudWatch Logs delivery (logs:*LogDelivery*)', 'X-Ray', ...props.unscopedActions ?? []];
  Validations.of(stateMachine.role.node.findChild('DefaultPolicy')).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${unscoped.slice(0, -1).join(', ')} and ${unscoped[unscoped.length - 1]} have no resource-level permissions; `
      + 'these statements carry only those actions.',
  });
  return { stateMachine, logGroup };
}
