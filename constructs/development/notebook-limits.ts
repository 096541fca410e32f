import { PropChecker } from '../core/validation-error';

/** How a domain's apps reach the network outside the VPC. */
export enum NotebookNetworkAccess {
  /**
   * Apps reach the internet through SageMaker's own network; only the home file system's
   * traffic uses the VPC. For a VPC whose subnets are public: apps there get no public address.
   */
  PUBLIC_INTERNET_ONLY = 'PublicInternetOnly',
  /** Every app's traffic goes through the VPC's subnets: a NAT gateway, or VPC endpoints alone. */
  VPC_ONLY = 'VpcOnly',
}

/** The bounds a notebook domain holds its spaces to, with their defaults. */
export class NotebookLimits {
  /** The instance a new space starts on: 2 vCPUs, 4 GiB, the cheapest JupyterLab runs well on. */
  public static readonly DEFAULT_INSTANCE_TYPE = 'ml.t3.medium';

  /** CPU types up to 8 vCPUs, and one GPU type: an NVIDIA A10G with 4 vCPUs and 16 GiB. */
  public static readonly DEFAULT_ALLOWED_INSTANCE_TYPES = ['ml.t3.medium', 'ml.t3.large', 'ml.m5.large', 'ml.m5.xlarge', 'ml.m5.2xlarge', 'ml.g5.xlarge'];

  /** How many instance types a domain may allow. */
  public static readonly MAX_ALLOWED_INSTANCE_TYPES = 10;

  /** Minutes an idle JupyterLab keeps running before it shuts down; SageMaker's floor is 60. */
  public static readonly DEFAULT_IDLE_TIMEOUT_MINUTES = 60;
  /** The shortest idle timeout SageMaker takes. */
  public static readonly MIN_IDLE_TIMEOUT_MINUTES = 60;
  /** A working day: an idle notebook never runs overnight. */
  public static readonly MAX_IDLE_TIMEOUT_MINUTES = 720;

  /** The storage a new space gets, and the most its owner may grow it to by default. */
  public static readonly DEFAULT_VOLUME_SIZE_GIB = 5;
  /** The most a space's owner may grow its storage to, unless the domain says otherwise. */
  public static readonly DEFAULT_MAX_VOLUME_SIZE_GIB = 20;
  /** The most a domain may let a space grow to. */
  public static readonly MAX_VOLUME_SIZE_GIB = 500;

  private constructor() {}
}

/**
 * A notebook's user profile name: SageMaker's pattern, and 59 characters with its hyphens counted,
 * so that its space, `<profile>-lab`, fits SageMaker's 63.
 */
export const NOTEBOOK_PROFILE_NAME = /^(?=.{1,59}$)[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** Records a problem unless `value` is a whole number from `min` to `max`. */
export function checkWholeNumber(check: PropChecker, prop: string, value: number, min: number, max: number): void {
  check.check(Number.isInteger(value) && value >= min && value <= max, prop, value, `give a whole number from ${min} to ${max}`);
}
