import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EmrRelease, SparkArchitecture, SparkRuntime } from '../../../constructs/features';
import { ArtifactStore } from '../../../constructs/versioning';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines, validationErrorOf } from '../../support/validation';

function runtimeStack(props: Partial<ConstructorParameters<typeof SparkRuntime>[2]> = {}): { stack: Stack; runtime: SparkRuntime } {
  const stack = new Stack(newTestApp(), 'Features');
  const runtime = new SparkRuntime(stack, 'Spark', { artifactStore: new ArtifactStore(stack, 'Artifacts'), ...props });
  return { stack, runtime };
}

describe('SparkRuntime', () => {
  let template: Template;
  let runtime: SparkRuntime;
  beforeAll(() => {
    const built = runtimeStack();
    runtime = built.runtime;
    runtime.addJob('Build', { entryPointKey: 'code/features/build.py' });
    // AwsSolutions, Serverless, NIST 800-53 R5, HIPAA, PCI DSS and CloudFormation's rules
    template = checkedTemplate(built.stack, { regulated: true, controlTower: true });
  });

  test('bills nothing idle: starts on a job, stops after five idle minutes, keeps no warm workers', () => {
    template.hasResourceProperties('AWS::EMRServerless::Application', {
      Type: 'Spark',
      AutoStartConfiguration: { Enabled: true },
      AutoStopConfiguration: { Enabled: true, IdleTimeoutMinutes: 5 },
      InitialCapacity: Match.absent(),
    });
  });

  test('runs a current EMR release on Graviton, with a maximum capacity a runaway job cannot pass', () => {
    template.hasResourceProperties('AWS::EMRServerless::Application', {
      ReleaseLabel: 'emr-7.14.0',
      Architecture: 'ARM64',
      MaximumCapacity: { Cpu: '64 vCPU', Memory: '512 GB', Disk: '1280 GB' },
    });
  });

  test('makes the Glue Data Catalog the metastore and its Iceberg catalog, as the EMR Serverless guide sets them', () => {
    const properties = Object.values(template.findResources('AWS::EMRServerless::Application'))[0].Properties.RuntimeConfiguration[0];
    expect(properties.Classification).toBe('spark-defaults');
    expect(properties.Properties).toMatchObject({
      'spark.jars': '/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar',
      'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
      'spark.sql.catalog.lake': 'org.apache.iceberg.spark.SparkCatalog',
      'spark.sql.catalog.lake.catalog-impl': 'org.apache.iceberg.aws.glue.GlueCatalog',
      'spark.sql.catalog.lake.io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      'spark.hadoop.hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
    });
    expect(JSON.stringify(properties.Properties['spark.sql.catalog.lake.warehouse'])).toContain('/iceberg/');
  });

  test('logs to the artifact store with its key, and to a KMS-encrypted log group that expires its logs', () => {
    template.hasResourceProperties('AWS::EMRServerless::Application', {
      MonitoringConfiguration: {
        S3MonitoringConfiguration: {
          LogUri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ArtifactsBucket') }, '/spark-logs/']] },
          EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArtifactsKey'), 'Arn'] },
        },
        CloudWatchLoggingConfiguration: { Enabled: true, LogGroupName: { Ref: Match.stringLikeRegexp('^SparkJobLogs') } },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: Match.anyValue() });
  });

  test('runs in EMR Serverless\'s own network unless given a VPC', () => {
    template.hasResourceProperties('AWS::EMRServerless::Application', { NetworkConfiguration: Match.absent() });
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  test('each job runs as a role of its own that only EMR Serverless of this account assumes', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'emr-serverless.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }],
      },
    });
  });

  test('in a VPC, runs in its private subnets behind an egress-only security group', () => {
    const stack = new Stack(newTestApp(), 'InVpc');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 2 });
    const inVpc = new SparkRuntime(stack, 'Spark', { artifactStore: new ArtifactStore(stack, 'Artifacts'), vpc });
    const vpcTemplate = Template.fromStack(stack);
    vpcTemplate.hasResourceProperties('AWS::EMRServerless::Application', {
      NetworkConfiguration: {
        SubnetIds: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
        SecurityGroupIds: [stack.resolve(inVpc.securityGroup!.securityGroupId)],
      },
    });
    vpcTemplate.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('egress only'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    });
  });

  test('takes another release, architecture, capacity and idle time', () => {
    const { stack } = runtimeStack({
      release: EmrRelease.EMR_7_12_0, architecture: SparkArchitecture.X86_64, maximumVcpus: 16, maximumMemoryGiB: 64, maximumDiskGiB: 400,
      idleTimeout: Duration.minutes(1), icebergCatalogName: 'features', icebergWarehouse: 's3://lake/iceberg/',
      logRetention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY,
    });
    const template2 = Template.fromStack(stack);
    template2.hasResourceProperties('AWS::EMRServerless::Application', {
      ReleaseLabel: 'emr-7.12.0', Architecture: 'X86_64', AutoStopConfiguration: { Enabled: true, IdleTimeoutMinutes: 1 },
      MaximumCapacity: { Cpu: '16 vCPU', Memory: '64 GB', Disk: '400 GB' },
      RuntimeConfiguration: [{ Properties: Match.objectLike({ 'spark.sql.catalog.features.warehouse': 's3://lake/iceberg/' }) }],
    });
    template2.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RetentionInDays: 7 }) });
    template2.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts Spark job logs' });
    // a catalog name held at its end: Spark reads it in settings' names
    expect(problemLines(() => runtimeStack({ icebergCatalogName: 'lake-2' }))).toEqual([
      'icebergCatalogName = "lake-2": give 1 to 64 lowercase letters, digits and underscores, starting with a letter, for example "lake"',
    ]);
    // and a warehouse URL at both ends
    for (const url of ['see s3://lake/iceberg/', 's3://lake-']) {
      expect(problemLines(() => runtimeStack({ icebergWarehouse: url }))).toEqual([`icebergWarehouse = "${url}": give an S3 URL such as "s3://bucket/iceberg/"`]);
    }
    // a bucket's root is a warehouse too
    expect(() => runtimeStack({ icebergWarehouse: 's3://lake' })).not.toThrow();
  });

  test('bad props are one ValidationError naming each prop, value and fix', () => {
    const make = () => runtimeStack({
      release: EmrRelease.of('emr-6.15.0'), maximumVcpus: 0, maximumMemoryGiB: 1.5, idleTimeout: Duration.seconds(90),
      icebergCatalogName: 'Lake', icebergWarehouse: 'lake/iceberg', logRetention: logs.RetentionDays.INFINITE,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    expect(problemLines(make)).toEqual([
      'release = "emr-6.15.0": give an EMR release label from emr-7.0.0 on, for example EmrRelease.LATEST or EmrRelease.of(\'emr-7.14.0\')',
      'maximumVcpus = 0: give a whole number of vCPUs, at least 1 (the smallest worker)',
      'maximumMemoryGiB = 1.5: give a whole number of GiB, at least 2 (the smallest worker)',
      'idleTimeout = "1 minute 30 seconds": give whole minutes from 1 minute to 7 days, for example Duration.minutes(5)',
      'icebergCatalogName = "Lake": give 1 to 64 lowercase letters, digits and underscores, starting with a letter, for example "lake"',
      'icebergWarehouse = "lake/iceberg": give an S3 URL such as "s3://bucket/iceberg/"',
      'logRetention = "RetentionDays.INFINITE": give a retention such as logs.RetentionDays.TEN_YEARS: the rule packs require every log group to expire its logs',
      'subnets = {"subnetType":"Isolated"}: give the vpc the subnets are in, or leave subnets unset',
    ]);
  });

  test('refuses a VPC with no subnet its workers could reach AWS from', () => {
    const stack = new Stack(newTestApp(), 'PublicOnly');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(problemLines(() => new SparkRuntime(stack, 'Spark', { artifactStore: new ArtifactStore(stack, 'Artifacts'), vpc }))
      ).toEqual(['vpc = "PublicOnly/Vpc": EMR Serverless gives workers no public IP: give a VPC with private subnets (NAT or VPC endpoints), select its subnets with subnets, or leave vpc unset']);
    // subnets selected are the caller's choice, checked only to be there
    expect(() => new SparkRuntime(stack, 'Chosen', { artifactStore: new ArtifactStore(stack, 'Store'), vpc, subnets: { subnetType: ec2.SubnetType.PUBLIC } })).not.toThrow();
    expect(problemLines(() => new SparkRuntime(stack, 'Missing', { artifactStore: new ArtifactStore(stack, 'Store2'), vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } })))
      .toEqual([expect.stringMatching(/^subnets = "subnetType: Private": select subnets the VPC has \(There are no 'Private' subnet groups in this VPC/)]);
  });
});

describe('SparkJob', () => {
  test('runs its entry point from the artifact store, with its class, jars and settings as spark-submit parameters', () => {
    const { stack, runtime } = runtimeStack();
    const job = runtime.addJob('Build', {
      entryPointKey: 'code/features/build.jar', mainClass: 'com.example.BuildFeatures', jarKeys: ['code/features/udfs.jar'],
      arguments: ['--day', '{run_id}'], sparkConf: { 'spark.executor.memory': '8g' }, timeout: Duration.minutes(90),
    });
    expect(stack.resolve(job.entryPoint)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^ArtifactsBucket/) }, '/code/features/build.jar']] });
    expect(job.entryPointArguments).toEqual(['--day', '{run_id}']);
    expect(job.timeoutMinutes).toBe(90);
    expect(stack.resolve(job.sparkSubmitParameters)).toEqual({ 'Fn::Join': ['', [
      '--class com.example.BuildFeatures --conf spark.app.name=Build --conf spark.jars=/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar,s3://',
      { Ref: expect.stringMatching(/^ArtifactsBucket/) },
      '/code/features/udfs.jar --conf spark.executor.memory=8g',
    ]] });
  });

  test('a job without settings still has parameters: its Spark application is named after it', () => {
    const { runtime } = runtimeStack();
    expect(runtime.addJob('Score', { entryPointKey: 'code/score.py' }).sparkSubmitParameters).toBe('--conf spark.app.name=Score');
    // and Iceberg's runtime its one jar
    expect(runtime.addJob('Jars', { entryPointKey: 'code/score.py', mainClass: 'Score' }).sparkSubmitParameters)
      .toBe('--class Score --conf spark.app.name=Jars');
  });

  test('bad props are one ValidationError naming each prop, value and fix', () => {
    const make = () => runtimeStack().runtime.addJob('Bad', {
      entryPointKey: '/code/build.sh', jarKeys: ['code/*.jar'], mainClass: 'not a class',
      sparkConf: { 'spark.jars': 's3://b/x.jar', 'spark.executorEnv.DSI_RUN_ID': 'x', 'spark.driver.memory': '4 g' },
      timeout: Duration.days(8),
    });
    expect(problemLines(make)).toEqual([
      'entryPointKey = "/code/build.sh": give the key of a script or JAR in the artifact store, for example "code/features/build_features.py"',
      'entryPointKey = "/code/build.sh": give a PySpark script (.py) or a JAR (.jar)',
      'jarKeys[0] = "code/*.jar": give the key of a JAR in the artifact store, for example "code/features/udfs.jar"',
      'mainClass = "not a class": give a Java class name such as "com.example.BuildFeatures"',
      'sparkConf = "spark.jars": give extra jars with the job\'s jarKeys: spark.jars also loads Iceberg\'s runtime, which this setting would drop',
      'sparkConf = "spark.executorEnv.DSI_RUN_ID": leave DSI_ variables to the workflow, which sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_SNAPSHOTS',
      'sparkConf.spark.driver.memory = "4 g": give a value without white space (spark-submit splits its parameters at spaces), for example "4g"',
      'timeout = "8 days": give whole minutes from 1 minute to 7 days (EMR Serverless cancels batch runs after 7 days at most), for example Duration.hours(4)',
    ]);
  });

  test('a refusal is headed by the job, and an entry point of no text or another kind has its own problems alone', () => {
    const job = (props: object) => () => runtimeStack().runtime.addJob('Build', { entryPointKey: 'code/build.py', ...props });
    expect(validationErrorOf(job({ entryPointKey: 42 })).message)
      .toBe('Invalid props for SparkJob \'Build\':\n  - entryPointKey = 42: give the key of a script or JAR in the artifact store, for example "code/features/build_features.py"');
    expect(problemLines(job({ entryPointKey: 'code/build.py.bak', arguments: '--day', timeout: 240 }))).toEqual([
      'entryPointKey = "code/build.py.bak": give a PySpark script (.py) or a JAR (.jar)',
      'arguments = "--day": give a list, for example ["--day", "{run_id}"]',
      'timeout = 240: give a Duration, for example Duration.hours(4)',
    ]);
    // a timeout known at deploy only is left to EMR Serverless
    expect(job({ timeout: Duration.minutes(Token.asNumber({ Ref: 'Minutes' })) })).not.toThrow();
  });

  test('a job whose id holds characters IAM refuses in a description still gives a checked template, its role described with ? for them', () => {
    const { stack, runtime } = runtimeStack();
    runtime.addJob('\u0000build 特徴', { entryPointKey: 'code/features/build.py' });
    checkedTemplate(stack).hasResourceProperties('AWS::IAM::Role', { Description: 'Role of the ?build ?? Spark job' });
  });

  test('props only known at deploy time, and a release that is no EmrRelease, are refused by name', () => {
    const make = () => runtimeStack({
      release: 'emr-7.12.0' as any, maximumVcpus: Token.asNumber({ Ref: 'Vcpus' }), maximumMemoryGiB: Token.asNumber({ Ref: 'Memory' }),
      maximumDiskGiB: Token.asNumber({ Ref: 'Disk' }),
    });
    expect(problemLines(make)).toEqual([
      'release = "emr-7.12.0": give an EmrRelease, for example EmrRelease.LATEST or EmrRelease.of(\'emr-7.14.0\')',
      expect.stringMatching(/^maximumVcpus = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number: the capacity is written at synth time$/),
      expect.stringMatching(/^maximumMemoryGiB = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number: the capacity is written at synth time$/),
      expect.stringMatching(/^maximumDiskGiB = "\$\{Token\[TOKEN\.\d+\]\}": give a plain number: the capacity is written at synth time$/),
    ]);
  });

  test('two jobs of one id are refused', () => {
    const { runtime } = runtimeStack();
    runtime.addJob('Build', { entryPointKey: 'code/build.py' });
    expect(validationErrorOf(() => runtime.addJob('Build', { entryPointKey: 'code/build.py' })).message)
      .toBe('Invalid props for SparkRuntime.addJob(\'Build\'):\n  - id = "Build": Features/Spark already has a child "Build": give each job its own id');
  });

  test('a runtime\'s refusals are headed by it: an idle timeout of no Duration, or of part of a minute', () => {
    expect(validationErrorOf(() => runtimeStack({ idleTimeout: 5 as any })).message)
      .toBe('Invalid props for SparkRuntime:\n  - idleTimeout = 5: give a Duration, for example Duration.minutes(5)');
    expect(problemLines(() => runtimeStack({ idleTimeout: Duration.seconds(90) })))
      .toEqual(['idleTimeout = "1 minute 30 seconds": give whole minutes from 1 minute to 7 days, for example Duration.minutes(5)']);
    expect(() => runtimeStack({ idleTimeout: Duration.minutes(Token.asNumber({ Ref: 'Idle' })) })).not.toThrow();
  });
});
