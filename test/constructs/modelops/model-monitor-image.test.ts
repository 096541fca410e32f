import { App, Stack } from 'aws-cdk-lib';
import { ModelMonitorImage } from '../../../constructs/modelops';
import SDK_REGISTRIES from '../../support/fixtures/sagemaker-model-monitor-registries.json';
import { problemLines } from '../../support/validation';

/** The SageMaker Python SDK's registries, but its isolated regions, whose domains differ. */
const PUBLISHED = Object.entries(SDK_REGISTRIES.registries).filter(([region]) => !region.startsWith('us-isof-'));

describe('ModelMonitorImage', () => {
  test('knows the regions the SageMaker Python SDK publishes the image in', () => {
    expect(ModelMonitorImage.regions()).toEqual(PUBLISHED.map(([region]) => region));
  });

  test.each(PUBLISHED)('in %s, is the image of registry %s', (region, account) => {
    const stack = new Stack(new App(), 'Serving', { env: { region } });
    expect(stack.resolve(ModelMonitorImage.uri(stack))).toEqual({
      'Fn::Join': ['', [`${account}.dkr.ecr.${region}.`, { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']],
    });
  });

  test('is refused in a region without a registry, naming those with one', () => {
    expect(() => ModelMonitorImage.uri(new Stack(new App(), 'Serving', { env: { region: 'ap-south-2' } }))).toThrow(/^Invalid props for ModelMonitorImage:\n/);
    expect(problemLines(() => ModelMonitorImage.uri(new Stack(new App(), 'Serving', { env: { region: 'ap-south-2' } })))).toEqual([
      `region = "ap-south-2": Model Monitor's analyzer image is published in ${PUBLISHED.map(([region]) => region).join(', ')}: deploy there, or give the image URI yourself (analyzerImageUri)`,
    ]);
  });
});
