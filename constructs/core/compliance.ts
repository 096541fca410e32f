import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PropChecker } from './validation-error';

/** The packs `regulated: true` adds, by their plugin names: NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1. */
export const REGULATED_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/** Which cdk-nag rule packs to run. */
export interface CompliancePacksOptions {
  /**
   * Add the NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1 packs, for regulated teams.
   * @default false
   */
  readonly regulated?: boolean;
}

/** The cdk-nag rule packs every stack of this library passes. */
export class CompliancePacks {
  /**
   * Adds the packs to an app or stage, so synthesis fails on any unacknowledged finding:
   * AwsSolutions and Serverless always; NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1 when `regulated`.
   */
  public static addTo(scope: IConstruct, options: CompliancePacksOptions = {}): void {
    const check = new PropChecker('CompliancePacks.addTo');
    check.construct('scope', scope, 'the app, a stage or a stack, such as app', { required: true });
    check.struct('options', options, '{ regulated: true }');
    check.boolean('regulated', options.regulated);
    check.throwIfAny();
    Validations.of(scope).addPlugins(new AwsSolutionsChecks(scope), new ServerlessChecks(scope));
    if (options.regulated ?? false) {
      Validations.of(scope).addPlugins(new NIST80053R5Checks(scope), new HIPAASecurityChecks(scope), new PCIDSS321Checks(scope));
    }
  }

  private constructor() {}
}

/**
 * The roles a construct creates get their statements from grants, as one inline policy per
 * role. NIST 800-53 and HIPAA packs prefer managed policies; AWS recommends inline policies
 * exactly for such one-role, least-privilege statements, so acknowledge that rule under `scope`.
 */
export function acknowledgeRoleInlinePolicies(scope: IConstruct): void {
  acknowledgeRegulated(scope, 'IAMNoInlinePolicy', 'Each inline policy here belongs to exactly one role this construct creates and holds only the '
    + 'least-privilege statements of its grants; a managed policy would add an attachment point and narrow nothing.');
}

/** Acknowledges `id` of every regulated pack (NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1) on `scope`. */
export function acknowledgeRegulated(scope: IConstruct, rule: string, reason: string): void {
  for (const pack of REGULATED_PACKS) {
    Validations.of(scope).acknowledge({ id: `${pack}-${rule}`, reason });
  }
}

/**
 * Acknowledges one finding on `scope`, by its full id, such as
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:...]`. aws-cdk-lib before 2.269.0 takes
 * every `::` for its namespace separator and refuses an id holding more than one; there the
 * acknowledgement goes where those versions record every other one, and where cdk-nag reads them:
 * the construct's acknowledged-rules metadata.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  try {
    Validations.of(scope).acknowledge({ id, reason });
  } catch (error) {
    if ((error as Error).name !== 'InvalidValidationId') {
      throw error;
    }
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/**
 * The validation plugin that evaluates AWS Control Tower's proactive controls, by its name:
 * `@cdklabs/cdk-validator-cfnguard`'s `CfnGuardValidator`, which reports each control by the
 * name of its Guard rule.
 */
export const CONTROL_TOWER_PLUGIN = 'cdk-validator-cfnguard';

/** The Control Tower controls this library acknowledges somewhere, each with its Guard rule's name. */
export const CONTROL_TOWER_RULES: { readonly [control: string]: string } = {
  'CT.ATHENA.PR.2': 'athena_workgroup_results_encrypted_at_rest_kms_check',
  'CT.CLOUDWATCH.PR.2': 'cloudwatch_log_group_retention_period_check',
  'CT.CLOUDWATCH.PR.3': 'cloudwatch_log_group_encrypted_check',
  'CT.EC2.PR.9': 'ec2_launch_template_public_ip_disabled_check',
  'CT.EC2.PR.10': 'ec2_launch_template_monitoring_enabled_check',
  'CT.EC2.PR.11': 'subnet_auto_assign_public_ip_disabled_check',
  'CT.LAMBDA.PR.3': 'lambda_inside_vpc_check',
  'CT.S3.PR.2': 's3_bucket_logging_enabled_check',
  'CT.S3.PR.4': 's3_event_notifications_enabled_check',
  'CT.S3.PR.9': 's3_bucket_object_lock_enabled_check',
  'CT.S3.PR.10': 's3_bucket_default_encryption_kms_check',
  'CT.SQS.PR.1': 'sqs_dlq_check',
};

/** Why a function of this library runs outside any VPC (CT.LAMBDA.PR.3, LambdaInsideVPC). */
export const NO_VPC_FOR_FUNCTIONS = 'The function only calls AWS APIs; in a VPC it would need a NAT gateway or an interface endpoint, '
  + 'which bill while idle.';

/**
 * Acknowledges one Control Tower proactive control (one of `CONTROL_TOWER_RULES`, for example
 * `CT.EC2.PR.11`) on `scope`, the resource that fails it or the construct that owns it, with the
 * reason, the way cdk-nag findings are acknowledged.
 */
export function acknowledgeControlTower(scope: IConstruct, control: string, reason: string): void {
  const check = new PropChecker('acknowledgeControlTower');
  check.check(control in CONTROL_TOWER_RULES, 'control', control, `give one of ${Object.keys(CONTROL_TOWER_RULES).join(', ')}`);
  check.throwIfAny();
  Validations.of(scope).acknowledge({ id: `${CONTROL_TOWER_PLUGIN}::${CONTROL_TOWER_RULES[control]}`, reason });
}
