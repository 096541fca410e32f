import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataScienceStack, DataScienceStage, DataScienceStages, EmrRelease, ValidationError } from '../../lib';
import { newTestApp } from '../support/synth';
import { validationErrorOf } from '../support/validation';

function team(stage?: DataScienceStage): DataScienceStack {
  return new DataScienceStack(newTestApp(), 'Team', { teamName: 'fraud-models', stage });
}

describe('DataScienceStack.addSparkRuntime', () => {
  test('is opt-in: the default stack has no Spark', () => {
    Template.fromStack(team()).resourceCountIs('AWS::EMRServerless::Application', 0);
  });

  test.each([
    [DataScienceStage.DEV, '64 vCPU', 30],
    [DataScienceStage.STAGING, '256 vCPU', 90],
    [DataScienceStage.PROD, '1024 vCPU', 365],
  ])('in %s takes the stage\'s capacity and log retention, the stack\'s key, artifact store and curated zone', (stage, cpu, retention) => {
    const stack = team(stage);
    const runtime = stack.addSparkRuntime('Spark');
    expect(DataScienceStages.settingsOf(stage).sparkMaxvCpus).toBe(Number.parseInt(cpu, 10));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EMRServerless::Application', {
      MaximumCapacity: Match.objectLike({ Cpu: cpu }),
      MonitoringConfiguration: Match.objectLike({ S3MonitoringConfiguration: Match.objectLike({ EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } }) }),
      RuntimeConfiguration: [{ Classification: 'spark-defaults', Properties: Match.objectLike({
        'spark.sql.catalog.lake.warehouse': { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^WarehouseCuratedZoneBucket') }]] },
      }) }],
      // the public network gives workers no public IP: they run in EMR Serverless's own network
      NetworkConfiguration: Match.absent(),
    });
    const [application] = Object.values(template.findResources('AWS::EMRServerless::Application'));
    const logGroup = template.toJSON().Resources[application.Properties.MonitoringConfiguration.CloudWatchLoggingConfiguration.LogGroupName.Ref];
    expect(logGroup.Properties).toMatchObject({ RetentionInDays: retention, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } });
    expect(runtime.artifactStore).toBe(stack.artifacts);
    // no key of its own: the stack's one key encrypts the logs
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('takes the user\'s props over the stack\'s', () => {
    const stack = team();
    stack.addSparkRuntime('Spark', { maximumVcpus: 8, release: EmrRelease.EMR_7_13_0 });
    Template.fromStack(stack).hasResourceProperties('AWS::EMRServerless::Application', {
      MaximumCapacity: Match.objectLike({ Cpu: '8 vCPU' }), ReleaseLabel: 'emr-7.13.0',
    });
  });

  test('refuses an id the stack has', () => {
    const stack = team();
    expect(() => stack.addSparkRuntime('Warehouse')).toThrow(ValidationError);
    expect(validationErrorOf(() => stack.addSparkRuntime('Warehouse')).message).toBe('Invalid props for DataScienceStack.addSparkRuntime(\'Warehouse\'):\n'
      + '  - id = "Warehouse": Team already has a child "Warehouse": give the runtime an id no other part of the stack has');
  });
});
