/**
 * What bills while nothing runs, in one region, as AWS published it on the date below.
 * Change the figures and the date together, from the pages named beside each.
 */
export const PRICES = {
  region: 'us-east-1',
  /** When the figures were read from the pages below. */
  date: '2026-12-01',
  /** Hours in the month the report prices: AWS's own monthly figures use 730. */
  hoursPerMonth: 730,
  /** Per NAT gateway-hour; a regional NAT gateway bills it in each zone it serves. aws.amazon.com/vpc/pricing */
  natGatewayHour: 0.045,
  /** Per public IPv4 address-hour, in use or idle, since 2024-02-01. aws.amazon.com/vpc/pricing */
  publicIpv4Hour: 0.005,
  /** Per interface endpoint, per zone, per hour. aws.amazon.com/privatelink/pricing */
  interfaceEndpointZoneHour: 0.01,
  /** Per customer managed key per month; each rotation adds $1 a month for its first two. aws.amazon.com/kms/pricing */
  kmsKeyMonth: 1.0,
  /** Per standard-resolution alarm metric per month, beyond 10 free per account. aws.amazon.com/cloudwatch/pricing */
  alarmMonth: 0.1,
  freeAlarms: 10,
  /** Per custom dashboard per month, beyond 3 free per account. aws.amazon.com/cloudwatch/pricing */
  dashboardMonth: 3.0,
  freeDashboards: 3,
  /**
   * Per instance-hour of a real-time SageMaker endpoint, by instance type. No AWS page in
   * reach stated these for this region and date, so none is listed: the report names the
   * instance-hours of each type it cannot price. Add `'ml.m5.large': <price>` to price them.
   */
  sageMakerInstanceHour: {} as { readonly [instanceType: string]: number },
  /**
   * Per GB-month of a Studio space's storage volume, which bills while the space exists, its
   * JupyterLab running or not. No AWS page in reach stated it for this region and date, so none
   * is listed: the report names the GiB it cannot price.
   */
  sageMakerSpaceVolumeGbMonth: undefined as number | undefined,
  /**
   * Per GB-month of EFS Standard storage: a notebook domain's home file system bills what it
   * holds, nothing while empty, so the report counts none of it. aws.amazon.com/efs/pricing
   */
  efsStandardGbMonth: 0.3,
};
