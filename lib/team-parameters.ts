import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { checkName } from '../constructs/core/naming';
import { checkArguments } from '../constructs/core/validation-error';
import { checkStage } from './stage';

/** What a team stack publishes for sandboxes and tools, each an SSM parameter. */
export enum TeamParameter {
  /** The artifact store's bucket name. */
  ARTIFACT_BUCKET_NAME = 'artifact-bucket-name',
  /** The ARN of the key that encrypts the team's data. */
  DATA_KEY_ARN = 'data-key-arn',
  /** The curated zone's bucket name. */
  CURATED_BUCKET_NAME = 'curated-bucket-name',
  /** The curated zone's Glue database name. */
  CURATED_DATABASE_NAME = 'curated-database-name',
  /** The team's Athena workgroup. */
  ATHENA_WORKGROUP = 'athena-workgroup',
  /** The ARN of the `cpu` job queue. */
  CPU_QUEUE_ARN = 'cpu-queue-arn',
  /** The ARN of the `gpu` job queue. */
  GPU_QUEUE_ARN = 'gpu-queue-arn',
  /** The ARN of the team's notification topic. */
  NOTIFICATION_TOPIC_ARN = 'notification-topic-arn',
  /** In a `nat` or `private` network: the subnets the team's functions run in, comma-separated. */
  FUNCTION_SUBNET_IDS = 'function-subnet-ids',
  /** In a `nat` or `private` network: the security group of the team's functions. */
  FUNCTION_SECURITY_GROUP_ID = 'function-security-group-id',
  /** With notebooks: the id of the team's SageMaker AI Studio domain. */
  NOTEBOOK_DOMAIN_ID = 'notebook-domain-id',
  /** With notebooks: the instance types a notebook may run on, comma-separated. */
  NOTEBOOK_INSTANCE_TYPES = 'notebook-instance-types',
  /** With notebooks: the instance type a notebook starts on. */
  NOTEBOOK_DEFAULT_INSTANCE_TYPE = 'notebook-default-instance-type',
  /** With notebooks: minutes an idle notebook keeps running. */
  NOTEBOOK_IDLE_TIMEOUT_MINUTES = 'notebook-idle-timeout-minutes',
}

const PARAMETERS = Object.values(TeamParameter);

/** Where a team stack's parameters are. */
export class TeamParameters {
  /** The SSM path of a team stack's parameter: `/cdk-data-science/<team>/<stage>/<name>`. */
  public static nameOf(teamName: string, stage: string, parameter: TeamParameter): string {
    checkArguments('TeamParameters.nameOf', (check) => {
      checkName(check, 'teamName', teamName);
      checkStage(check, 'stage', stage);
      check.choice('parameter', parameter, PARAMETERS, 'use one of TeamParameter, for example TeamParameter.ARTIFACT_BUCKET_NAME', { required: true });
    });
    return `/cdk-data-science/${teamName}/${stage}/${parameter}`;
  }

  private constructor() {}
}

/** Publishes one parameter of a team stack. */
export function publishTeamParameter(scope: Construct, teamName: string, stage: string, parameter: TeamParameter, value: string): void {
  new ssm.StringParameter(scope, `Parameter-${parameter}`, {
    parameterName: TeamParameters.nameOf(teamName, stage, parameter),
    stringValue: value,
    description: `Published by the ${teamName} ${stage} data-science stack for its sandboxes and tools`,
  });
}

/**
 * Reads a team stack's parameter when CloudFormation deploys the reading stack (a
 * `AWS::SSM::Parameter::Value` parameter): no lookup at synth time, no AWS credentials.
 */
export function readTeamParameter(scope: Construct, teamName: string, stage: string, parameter: TeamParameter): string {
  return ssm.StringParameter.valueForStringParameter(scope, TeamParameters.nameOf(teamName, stage, parameter));
}
