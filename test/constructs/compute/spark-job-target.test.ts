import { checkSparkConf, sparkConfParameters } from '../../../constructs/compute/spark-job-target';
import { checkerProblems } from '../../support/validation';

describe('Spark settings', () => {
  test('each setting is one spark-submit --conf, in the order given', () => {
    expect(sparkConfParameters({ 'spark.executor.memory': '8g', 'spark.sql.shuffle.partitions': '64' }))
      .toEqual(['--conf', 'spark.executor.memory=8g', '--conf', 'spark.sql.shuffle.partitions=64']);
    expect(sparkConfParameters(undefined)).toEqual([]);
  });

  test('names of letters, digits, dots, hyphens and underscores, and values without white space, are taken', () => {
    expect(checkerProblems((check) => checkSparkConf(check, 'sparkConf', { 'spark.my-setting_2.x': '4g', 'spark.executorEnv.MY_VAR': 'a=b' }))).toEqual([]);
    expect(checkerProblems((check) => checkSparkConf(check, 'sparkConf', undefined))).toEqual([]);
  });

  test.each([
    ['a name with a space', { 'spark.executor memory': '8g' }, 'sparkConf = "spark.executor memory": give a Spark setting name of letters, digits, dots, hyphens and underscores, such as spark.executor.memory'],
    ['an empty name', { '': '8g' }, 'sparkConf = "": give a Spark setting name of letters, digits, dots, hyphens and underscores, such as spark.executor.memory'],
    ['spark.jars', { 'spark.jars': 's3://b/x.jar' }, 'sparkConf = "spark.jars": give extra jars with the job\'s jarKeys: spark.jars also loads Iceberg\'s runtime, which this setting would drop'],
    ['a workflow variable of the executors', { 'spark.executorEnv.DSI_STEP': 'x' },
      'sparkConf = "spark.executorEnv.DSI_STEP": leave DSI_ variables to the workflow, which sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_SNAPSHOTS'],
    ['a workflow variable of the driver', { 'spark.emr-serverless.driverEnv.DSI_RUN_ID': 'x' },
      'sparkConf = "spark.emr-serverless.driverEnv.DSI_RUN_ID": leave DSI_ variables to the workflow, which sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_SNAPSHOTS'],
    ['an empty value', { 'spark.executor.memory': '' },
      'sparkConf.spark.executor.memory = "": give a value without white space (spark-submit splits its parameters at spaces), for example "4g"'],
    ['a value with a tab', { 'spark.executor.memory': '8\tg' },
      'sparkConf.spark.executor.memory = "8\\tg": give a value without white space (spark-submit splits its parameters at spaces), for example "4g"'],
    ['settings as one string', 'spark.executor.memory=8g' as any, 'sparkConf = "spark.executor.memory=8g": give the settings as an object, for example { "spark.executor.memory": "4g" }'],
    ['settings as a list', ['spark.executor.memory=8g'] as any, 'sparkConf = ["spark.executor.memory=8g"]: give the settings as an object, for example { "spark.executor.memory": "4g" }'],
    ['a value that is no text', { 'spark.executor.memory': ['8g'] as any },
      'sparkConf.spark.executor.memory = ["8g"]: give a value without white space (spark-submit splits its parameters at spaces), for example "4g"'],
  ])('refuses %s', (_, conf, message) => {
    expect(checkerProblems((check) => checkSparkConf(check, 'sparkConf', conf))).toEqual([message]);
  });

  test('a variable of DSI_ named elsewhere is the job\'s own', () => {
    expect(checkerProblems((check) => checkSparkConf(check, 'sparkConf', {
      'spark.yarn.appMasterEnv.DSI_X': '1', 'spark.executorEnv.MY_DSI_X': '1', 'my.spark.executorEnv.DSI_X': '1',
    }))).toEqual([]);
  });
});
