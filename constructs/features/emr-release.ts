import { PropChecker } from '../core/validation-error';

const LABEL = /^emr-(\d+)\.(\d+)\.(\d+)$/;

/**
 * An Amazon EMR release EMR Serverless runs Spark on. Every 7.x release ships Apache Iceberg's
 * Spark runtime with the Glue catalog client, which the runtime loads.
 */
export class EmrRelease {
  /** EMR 7.14.0 (September 2026): Spark 3.5, Iceberg 1.10. */
  public static readonly EMR_7_14_0 = new EmrRelease('emr-7.14.0');
  /** EMR 7.13.0: Spark 3.5, Iceberg 1.10. */
  public static readonly EMR_7_13_0 = new EmrRelease('emr-7.13.0');
  /** EMR 7.12.0: Spark 3.5, Iceberg 1.10. */
  public static readonly EMR_7_12_0 = new EmrRelease('emr-7.12.0');

  /** The release a new runtime gets: the newest here. */
  public static readonly LATEST = EmrRelease.EMR_7_14_0;

  /** A release by its label, for example `emr-7.15.0` once it exists: 7.0.0 or later. */
  public static of(label: string): EmrRelease {
    return new EmrRelease(label);
  }

  private constructor(
    /** The release label, for example `emr-7.14.0`. */
    public readonly label: string,
  ) {}

  /**
   * Records a problem unless this is a 7.x release or later: older ones ship an Iceberg without
   * the catalog settings the runtime writes, and application-level log settings need 7.0.
   * @internal
   */
  public _check(check: PropChecker, prop: string): void {
    const [, major] = LABEL.exec(typeof this.label === 'string' ? this.label : '') ?? [];
    // no match leaves major undefined, which is no number at all
    check.check(Number(major) >= 7, prop, this.label,
      'give an EMR release label from emr-7.0.0 on, for example EmrRelease.LATEST or EmrRelease.of(\'emr-7.14.0\')');
  }
}
