import { PropChecker } from '../../../constructs/core/validation-error';
import { DagNode, dagOrder } from '../../../constructs/scheduler/workflow-dag';
import { problemLines } from '../../support/validation';

/** The steps in the order dagOrder gives them, by name. */
const order = (steps: DagNode[]) => dagOrder(steps, new PropChecker('Workflow')).map((step) => step.name);
/** What dagOrder refuses of `steps`, as `prop = value: fix` lines. */
const problems = (steps: DagNode[]) => problemLines(() => dagOrder(steps, new PropChecker('Workflow')));
const step = (name: string, dependsOn: string[] = []) => ({ name, dependsOn });

describe('dagOrder', () => {
  test('puts each step after those it depends on, and otherwise keeps the order given', () => {
    expect(order([step('train', ['features']), step('report'), step('features'), step('deploy', ['train', 'report'])]))
      .toEqual(['report', 'features', 'train', 'deploy']);
    // names of object members are names like any other
    expect(order([step('constructor'), step('toString', ['constructor'])])).toEqual(['constructor', 'toString']);
  });

  test.each<[string, DagNode[], string[]]>([
    ['no step', [], ['steps = []: give at least one step']],
    ['a name with a dot', [step('train.v2')], ['steps[0].name = "train.v2": use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit']],
    ['a name of 65 characters', [step('a'.repeat(65))], [`steps[0].name = "${'a'.repeat(65)}": use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit`]],
    // from JavaScript: a list of one name prints as the name, and is still no name
    ['a name that is a list', [step(['train'] as any)], ['steps[0].name = ["train"]: use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit']],
    ['a name given twice', [step('a'), step('a')], ['steps[1].name = "a": give each step its own name']],
    ['an unknown dependency', [step('a'), step('b', ['c'])], ['steps[1].dependsOn = "c": name a step of this workflow: a, b']],
    ['a step depending on itself', [step('a', ['a'])], ['steps[0].dependsOn = "a": a step cannot depend on itself']],
    ['a dependency named twice', [step('a'), step('b', ['a', 'a'])], ['steps[1].dependsOn = ["a","a"]: name each dependency once']],
    ['a cycle behind a good step', [step('a'), step('b', ['a', 'd']), step('c', ['b']), step('d', ['c'])],
      ['steps = ["b","d","c","b"]: remove a dependency from this cycle: a workflow is a DAG']],
  ])('refuses %s, whole', (_, steps, expected) => {
    expect(problems(steps)).toEqual(expected);
  });

  test('takes a name of 64 characters and one starting with a digit', () => {
    expect(order([step('a'.repeat(64)), step('9lives_x-y')])).toEqual(['a'.repeat(64), '9lives_x-y']);
  });
});
