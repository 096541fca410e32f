/**
 * What AWS services refuse in a template beyond what the CloudFormation schemas (read by the
 * rule validation) say: name lengths and characters, integer ranges, values only some services
 * take. Each rule is taken from the service's API reference; the fuzz tests hold every template
 * an accepted set of props makes to them.
 */

const MAX_INT32 = 2 ** 31 - 1;

/** Properties that hold 64-bit integers (Athena counts bytes in a long). */
const LONG_PROPERTIES = new Set(['BytesScannedCutoffPerQuery']);
/** Properties that hold fractions. */
const DOUBLE_PROPERTIES = new Set(['Amount', 'Threshold', 'InitialVariantWeight', 'TargetValue', 'ProbabilityThresholdAttribute']);

type Rule = (value: any) => string | undefined;

const length = (min: number, max: number, pattern?: RegExp): Rule => (v) => (typeof v !== 'string' ? undefined
  : v.length < min || v.length > max ? `has ${v.length} characters, not ${min} to ${max}`
    : pattern && !pattern.test(v) ? `does not match ${pattern}` : undefined);
const range = (min: number, max: number): Rule => (v) => (typeof v === 'number' && (v < min || v > max) ? `is not from ${min} to ${max}` : undefined);
const oneOf = (...values: unknown[]): Rule => (v) => (v !== undefined && !values.includes(v) ? `is not one of ${values.join(', ')}` : undefined);

/** By resource type, by property path (`[]` steps into each element of a list). */
const RULES: Record<string, Record<string, Rule>> = {
  'AWS::Budgets::Budget': { 'Budget.BudgetName': length(1, 100, /^[^:\\]+$/) },
  'AWS::Athena::WorkGroup': { Name: length(1, 128, /^[a-zA-Z0-9._-]+$/), Description: length(0, 1024) },
  'AWS::Athena::NamedQuery': { Name: length(1, 128), Description: length(1, 1024), QueryString: length(1, 262144), Database: length(1, 255) },
  'AWS::Glue::Database': { 'DatabaseInput.Name': length(1, 255, /^[a-z0-9_]+$/), 'DatabaseInput.Description': length(0, 2048) },
  'AWS::Glue::Table': {
    'TableInput.Name': length(1, 255, /^[a-z0-9_]+$/),
    'TableInput.Description': length(0, 2048),
    'TableInput.StorageDescriptor.Columns[].Comment': length(0, 255),
    'TableInput.PartitionKeys[].Comment': length(0, 255),
  },
  'AWS::Batch::ComputeEnvironment': { 'ComputeResources.MaxvCpus': range(1, MAX_INT32) },
  'AWS::Batch::JobDefinition': { 'Timeout.AttemptDurationSeconds': range(60, MAX_INT32), 'RetryStrategy.Attempts': range(1, 10) },
  'AWS::EC2::LaunchTemplate': { 'LaunchTemplateData.BlockDeviceMappings[].Ebs.VolumeSize': range(1, 16384) },
  'AWS::Logs::LogGroup': { LogGroupName: length(1, 512, /^[.\-_/#A-Za-z0-9]+$/) },
  'AWS::SageMaker::ModelPackageGroup': {
    ModelPackageGroupName: length(1, 63, /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/), ModelPackageGroupDescription: length(0, 1024),
  },
  'AWS::SageMaker::EndpointConfig': {
    'ProductionVariants[].VariantName': length(1, 63, /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/),
    'ProductionVariants[].InitialInstanceCount': range(1, MAX_INT32),
    'ProductionVariants[].InitialVariantWeight': range(0, Number.MAX_VALUE),
    'ProductionVariants[].ServerlessConfig.MemorySizeInMB': oneOf(1024, 2048, 3072, 4096, 5120, 6144),
    'ProductionVariants[].ServerlessConfig.MaxConcurrency': range(1, 200),
    'DataCaptureConfig.InitialSamplingPercentage': range(0, 100),
  },
  'AWS::SageMaker::Endpoint': {
    'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.WaitIntervalInSeconds': range(0, 3600),
    'DeploymentConfig.BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds': range(600, 28800),
    'DeploymentConfig.AutoRollbackConfiguration.Alarms': (v) => (Array.isArray(v) && v.length > 10 ? `names ${v.length} alarms, more than 10` : undefined),
  },
  'AWS::SageMaker::Model': { 'PrimaryContainer.Image': length(1, 255, /^\S+$/), 'VpcConfig.Subnets': (v) => (Array.isArray(v) && v.length > 16 ? 'has more than 16 subnets' : undefined) },
  'AWS::ApplicationAutoScaling::ScalableTarget': { MinCapacity: range(0, MAX_INT32), MaxCapacity: range(0, MAX_INT32) },
  'AWS::CloudWatch::Alarm': { AlarmName: length(1, 255) },
  'AWS::SSM::Parameter': { Name: length(1, 2048, /^[a-zA-Z0-9_.\-/]+$/) },
  'AWS::IAM::Role': { Description: length(0, 1000, /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/) },
  'AWS::Lambda::Function': { Description: length(0, 256) },
  'AWS::Scheduler::Schedule': {
    Description: length(0, 512),
    // a one-time schedule at a past time never fires
    ScheduleExpression: (v) => (typeof v === 'string' && /^at\(/.test(v) && Date.parse(`${v.slice(3, -1)}Z`) <= Date.now() ? 'is in the past' : undefined),
  },
  'AWS::S3::Bucket': { 'ObjectLockConfiguration.Rule.DefaultRetention.Days': range(1, 36500) },
  'AWS::SNS::Subscription': { Endpoint: length(3, 320, /^[^@\s]+@[^@\s]+$/) },
};

/** Every problem a service would have with `template`'s resources, as `<logical id>.<path> <what is wrong>`. */
export function serviceLimitProblems(template: { Resources?: Record<string, any> }): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const properties = resource.Properties ?? {};
    numbersIn(properties, '', (path, problem) => problems.push(`${logicalId}${path} ${problem}`));
    for (const [path, rule] of Object.entries(RULES[resource.Type] ?? {})) {
      for (const value of valuesAt(properties, path.split('.'))) {
        const problem = rule(value);
        if (problem) {
          problems.push(`${logicalId}.${path} = ${JSON.stringify(value)} ${problem}`);
        }
      }
    }
  }
  return problems;
}

/** Integers fit CloudFormation's 32 bits, fractions sit only where a service takes them, and nothing is null (NaN and the infinities turn into null). */
function numbersIn(value: any, path: string, report: (path: string, problem: string) => void): void {
  const key = path.split('.').pop()!.replace(/\[\d+\]$/, '');
  if (value === null) {
    report(path, 'is null, as JSON writes NaN or an infinity');
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value) && !DOUBLE_PROPERTIES.has(key)) {
      report(path, `= ${value} is not a whole number`);
    } else if (Math.abs(value) > MAX_INT32 && !LONG_PROPERTIES.has(key) && !DOUBLE_PROPERTIES.has(key)) {
      report(path, `= ${value} does not fit a 32-bit integer`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => numbersIn(v, `${path}[${i}]`, report));
  } else if (typeof value === 'object') {
    // IAM policies hold numbers of their own, compared as IAM reads them (s3:TlsVersion 1.2)
    Object.entries(value).filter(([k]) => !/Polic(y|ies|yDocument)$/.test(k))
      .forEach(([k, v]) => numbersIn(v, `${path}.${k}`, report));
  }
}

function valuesAt(value: any, steps: string[]): unknown[] {
  if (steps.length === 0) {
    return value === undefined ? [] : [value];
  }
  const [step, ...rest] = steps;
  const list = step.endsWith('[]');
  const next = value?.[list ? step.slice(0, -2) : step];
  if (list) {
    return Array.isArray(next) ? next.flatMap((v) => valuesAt(v, rest)) : [];
  }
  return valuesAt(next, rest);
}
