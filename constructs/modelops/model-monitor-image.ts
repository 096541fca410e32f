import { Aws, CfnMapping, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkArguments, PropChecker } from '../core/validation-error';

/*
 * The account of each region's registry of SageMaker Model Monitor's analyzer image, as the
 * SageMaker Python SDK publishes them (sagemaker-core image_uri_config/model-monitor.json, the
 * SDK's image_uris.retrieve('model-monitor', region)); the image is
 * <account>.dkr.ecr.<region>.<domain>/sagemaker-model-monitor-analyzer. aws-cdk-lib has no
 * helper. The SDK's isolated (us-isof-*) regions are left out: their domains differ.
 */
const REGISTRY_ACCOUNTS: { readonly [region: string]: string } = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-northeast-3': '990339680094',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ap-southeast-3': '669540362728',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
  'eu-central-1': '048819808253',
  'eu-central-2': '590183933784',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-south-2': '437450045455',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'il-central-1': '843974653677',
  'me-central-1': '588750061953',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

const REPOSITORY = 'sagemaker-model-monitor-analyzer';
const MAPPING_ID = 'ModelMonitorImageRegistries';
const RULE_ID = 'ModelMonitorImageRegion';

/** SageMaker Model Monitor's analyzer image, which baselines and monitoring jobs run, by region. */
export class ModelMonitorImage {
  /** The regions whose registry of the image this library knows. */
  public static regions(): string[] {
    return Object.keys(REGISTRY_ACCOUNTS);
  }

  /**
   * The image's URI in the region of `scope`'s stack. A stack that names its region gets it
   * written out, and fails at synth in a region with no known registry; an environment-agnostic
   * stack looks it up in a mapping of the template, whose rule refuses other regions before
   * CloudFormation creates anything.
   */
  public static uri(scope: IConstruct): string {
    checkArguments('ModelMonitorImage.uri', (check) => check.construct('scope', scope, 'a construct of the stack the image is used in, such as this', { required: true }));
    const stack = Stack.of(scope);
    if (!Token.isUnresolved(stack.region)) {
      const account = REGISTRY_ACCOUNTS[stack.region];
      const check = new PropChecker('ModelMonitorImage');
      check.check(account !== undefined, 'region', stack.region,
        `Model Monitor's analyzer image is published in ${ModelMonitorImage.regions().join(', ')}: deploy there, or give the image URI yourself (analyzerImageUri)`);
      check.throwIfAny();
      return `${account}.dkr.ecr.${stack.region}.${Aws.URL_SUFFIX}/${REPOSITORY}`;
    }
    const mapping = (stack.node.tryFindChild(MAPPING_ID) as CfnMapping | undefined) ?? ModelMonitorImage.addRegistries(stack);
    return `${mapping.findInMap(Aws.REGION, 'account')}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/${REPOSITORY}`;
  }

  private static addRegistries(stack: Stack): CfnMapping {
    new CfnRule(stack, RULE_ID, {
      assertions: [{
        assert: Fn.conditionContains(ModelMonitorImage.regions(), Aws.REGION),
        assertDescription: `SageMaker Model Monitor's analyzer image is published in ${ModelMonitorImage.regions().join(', ')}; `
          + 'this stack monitors a model endpoint, so it deploys only there (or give analyzerImageUri yourself)',
      }],
    });
    return new CfnMapping(stack, MAPPING_ID, {
      mapping: Object.fromEntries(Object.entries(REGISTRY_ACCOUNTS).map(([region, account]) => [region, { account }])),
    });
  }

  private constructor() {}
}
