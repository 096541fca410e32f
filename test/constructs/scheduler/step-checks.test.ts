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
  ])('refuses %s, whole', (_, make, withoutArtifactStore, expected) => {
    expect(problems(make, withoutArtifactStore)).toEqual(expected);
  });
});
