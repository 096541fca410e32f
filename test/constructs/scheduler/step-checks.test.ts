import { WorkflowStep } from '../../../constructs/scheduler';
import { checkStep, StepParts } from '../../support/step-parts';
import { problemLines } from '../../support/validation';

/** What a workflow refuses of its first step, as `prop = value: fix` lines. */
const problems = (make: (parts: StepParts) => WorkflowStep, withoutArtifactStore = false) => problemLines(() => checkStep(make, withoutArtifactStore));

describe('WorkflowStep.registerModel', () => {
  const register = (props: object) => (p: StepParts) => WorkflowStep.registerModel({
    name: 'register', registry: p.models, modelName: 'churn', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serve:1',
    modelDataKey: 'runs/training/{run_id}/train/model.tar.gz', ...props,
  });

  test('takes a model of the registry and keys of the artifact store', () => {
    expect(problems(register({ metricsKey: "runs/training/{run_id}/evaluate/metrics_(v1)*!'.json" }))).toEqual([]);
  });

  test.each<[string, (p: StepParts) => WorkflowStep, boolean, string[]]>([
    ['a workflow without an artifact store', register({}), true,
      ['steps[0].modelDataKey = "runs/training/{run_id}/train/model.tar.gz": give the workflow an artifactStore: the model is read from it']],
    ['a model key from the bucket\'s root', register({ modelDataKey: '/runs/model.tar.gz' }), false,
      ['steps[0].modelDataKey = "/runs/model.tar.gz": give a key in the artifact store, for example "runs/training/{run_id}/train/model.tar.gz"']],
    ['a model key with a space', register({ modelDataKey: 'runs/my model.tar.gz' }), false,
      ['steps[0].modelDataKey = "runs/my model.tar.gz": give a key in the artifact store, for example "runs/training/{run_id}/train/model.tar.gz"']],
    ['a metrics key with a space', register({ metricsKey: 'runs/my metrics.json' }), false,
      ['steps[0].metricsKey = "runs/my metrics.json": give a key in the artifact store, for example "runs/training/{run_id}/evaluate/metrics.json"']],
    ['a model the registry does not have', register({ modelName: 'fraud' }), false, ['steps[0].modelName = "fraud": name a model of the registry: churn']],
    ['a registry of no model', (p) => register({ registry: p.noModels })(p), false, ['steps[0].modelName = "churn": name a model of the registry: none yet (addModel)']],
    ['a model a registry of two does not have', (p) => register({ registry: p.twoModels, modelName: 'fraud' })(p), false,
      ['steps[0].modelName = "fraud": name a model of the registry: churn, ltv']],
    // from JavaScript: an image, key or content types of the wrong type
    ['no image', register({ image: undefined }), false,
      ['steps[0].image = undefined: give the inference image\'s URI, for example "<account>.dkr.ecr.<region>.amazonaws.com/churn:1"']],
    ['a model key that is a number', register({ modelDataKey: 42 }), false,
      ['steps[0].modelDataKey = 42: give a key in the artifact store, for example "runs/training/{run_id}/train/model.tar.gz"']],
    ['content types as one string', register({ contentTypes: 'text/csv' }), false,
      ['steps[0].contentTypes = "text/csv": give a list of MIME types, for example ["text/csv"]']],
    ['no content types', register({ contentTypes: [] }), false, ['steps[0].contentTypes = []: give a list of MIME types, for example ["text/csv"]']],
  ])('refuses %s, whole', (_, make, withoutArtifactStore, expected) => {
    expect(problems(make, withoutArtifactStore)).toEqual(expected);
  });
});

describe('WorkflowStep.athenaQuery', () => {
  const query = (queryString: string, prefix?: string) => (p: StepParts) => WorkflowStep.athenaQuery({
    name: 'q', warehouse: p.lake, queryString, ...(prefix === undefined ? {} : { output: { zone: p.lake.curated, prefix } }),
  });

  test.each(['SELECT 1', 'WITH t AS (SELECT 1) SELECT * FROM t', 'VALUES 1', 'TABLE events', 'SHOW TABLES', 'DESCRIBE events', 'DESC events',
    'EXPLAIN SELECT 1', '-- a comment\n/* and another */ ( SELECT 1 )'])('takes %j, which only reads, without an output', (sql) => {
    expect(problems(query(sql))).toEqual([]);
  });

  test.each<[string, (p: StepParts) => WorkflowStep, string[]]>([
    ['no SQL', query('  '), ['steps[0].queryString = "  ": give the SQL to run']],
    ['SQL that is no text', query(42 as any), ['steps[0].queryString = 42: give the SQL to run']],
    ['a query that writes, with nowhere to write', query('UNLOAD (SELECT 1) TO \'s3://b/x/\''),
      ['steps[0].output = undefined: the query starts with UNLOAD, which writes: give output: { zone, prefix } where it writes, so the step may write there']],
    ['an output prefix from the bucket\'s root', query('INSERT INTO t SELECT 1', '/features/'),
      ['steps[0].output.prefix = "/features/": give a key prefix such as "features/": path segments ending in "/", no leading "/"']],
    ['an output prefix without its slash', query('INSERT INTO t SELECT 1', 'features'),
      ['steps[0].output.prefix = "features": give a key prefix such as "features/": path segments ending in "/", no leading "/"']],
    ['an output prefix ending in a name', query('INSERT INTO t SELECT 1', 'features/daily'),
      ['steps[0].output.prefix = "features/daily": give a key prefix such as "features/": path segments ending in "/", no leading "/"']],
    ['a query that writes after a comment, with nowhere to write', query('/* the day\'s features */ UNLOAD (SELECT 1) TO \'s3://b/x/\''),
      ['steps[0].output = undefined: the query starts with UNLOAD, which writes: give output: { zone, prefix } where it writes, so the step may write there']],
  ])('refuses %s, whole', (_, make, expected) => {
    expect(problems(make)).toEqual(expected);
  });

  test('takes a query that writes where its output says', () => {
    expect(problems(query('INSERT INTO t SELECT 1', 'features/daily/'))).toEqual([]);
  });
});

describe('WorkflowStep.batchJob', () => {
  const job = (props: object) => (p: StepParts) => WorkflowStep.batchJob({ name: 'job', ...p.job, ...props });
  const VARIABLE = 'give a variable name that is not empty and starts neither with DSI_ (the workflow sets DSI_RUN_ID, DSI_WORKFLOW, DSI_STEP and DSI_ITEM) '
    + 'nor with AWS_BATCH (Batch\'s)';

  test('takes variables whose names only hold DSI_ or AWS_BATCH after their start', () => {
    expect(problems(job({ environment: { MY_DSI_FLAG: '1', IS_AWS_BATCH: 'no', A: '1' } }))).toEqual([]);
  });

  test('refuses an empty variable name and those the workflow or Batch set, whole', () => {
    expect(problems(job({ environment: { '': '1', 'DSI_RUN_ID': 'x', 'AWS_BATCH_JOB_ID': 'y' } }))).toEqual(
      ['""', '"DSI_RUN_ID"', '"AWS_BATCH_JOB_ID"'].map((name) => `steps[0].environment = ${name}: ${VARIABLE}`));
  });

  test('refuses a variable whose value is no text, which Batch would not take', () => {
    expect(problems(job({ environment: { EPOCHS: 3 as any, NAME: 'x' } }))).toEqual(['steps[0].environment.EPOCHS = 3: give the value as text, for example "3"']);
  });

  test('refuses vCPUs, memory and GPUs that are no whole number in range, whole', () => {
    expect(problems(job({ vcpus: 0, memoryMiB: 1.5, gpuCount: -1 }))).toEqual([
      'steps[0].vcpus = 0: give a whole number from 1 to 2147483647',
      'steps[0].memoryMiB = 1.5: give a whole number from 1 to 2147483647',
      'steps[0].gpuCount = -1: give a whole number from 0 to 2147483647',
    ]);
  });

  test('refuses a multi-node job definition, whole', () => {
    expect(problems((p) => job({ jobDefinition: p.multiNodeJobDefinition })(p))).toEqual([
      'steps[0].jobDefinition = "Steps/Ddp": it is a multi-node job: run it as its own step, WorkflowStep.multiNodeJob (a batchJob or forEach '
      + 'submits single-node jobs, whose container overrides Batch refuses for a multi-node job; and a fan-out of gang-scheduled GPU hosts would hold the queue)',
    ]);
  });
});

describe('WorkflowStep.forEach', () => {
  const fanOut = (maxConcurrency: number) => (p: StepParts) => WorkflowStep.forEach({
    name: 'each', dependsOn: ['list'], itemsFrom: 'list', job: p.job, maxConcurrency,
  });

  test.each([1, 40, 41, 10000])('takes %d at once', (n) => {
    expect(problems(fanOut(n))).toEqual([]);
  });

  test.each([0, 1.5, 10001])('refuses %d at once, whole', (n) => {
    expect(problems(fanOut(n))).toEqual([`steps[0].maxConcurrency = ${n}: give a whole number from 1 to 10000`]);
  });
});
