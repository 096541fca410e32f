import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

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
