import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** Which cdk-nag rule packs to run. */
export interface CompliancePacksOptions {
  /**
   * Add the NIST 800-53 rev 5 and HIPAA Security packs, for regulated teams.
   * @default false
   */
  readonly regulated?: boolean;
}

/** The cdk-nag rule packs every stack of this library passes. */
export class CompliancePacks {
  /**
   * Adds the packs to an app or stage, so synthesis fails on any unacknowledged finding:
   * AwsSolutions and Serverless always; NIST 800-53 rev 5 and HIPAA Security when `regulated`.
   */
  public static addTo(scope: IConstruct, options: CompliancePacksOptions = {}): void {
    Validations.of(scope).addPlugins(new AwsSolutionsChecks(scope), new ServerlessChecks(scope));
    if (options.regulated ?? false) {
      Validations.of(scope).addPlugins(new NIST80053R5Checks(scope), new HIPAASecurityChecks(scope));
    }
  }

  private constructor() {}
}
