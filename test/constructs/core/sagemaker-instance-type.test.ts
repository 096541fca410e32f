import { checkSageMakerInstanceType } from '../../../constructs/core/sagemaker-instance-type';
import { checkerProblems } from '../../support/validation';

const problems = (value: unknown, options?: { required?: boolean }) =>
  checkerProblems((check) => checkSageMakerInstanceType(check, 'instanceType', value, 'ml.m5.large', options));

test('an instance type is a whole SageMaker name, nothing before or after it', () => {
  expect(problems('ml.t3.medium')).toEqual([]);
  expect(problems('ml.g5.12xlarge')).toEqual([]);
  for (const wrong of ['xml.t3.medium', 'ml.t3.medium ', 'ml.t3.medium;', 't3.medium', 'ml..medium', 'ml.t3.', 'ml.T3.medium', 'ml.t3-x.medium']) {
    expect(problems(wrong)).toEqual([`instanceType = ${JSON.stringify(wrong)}: give a SageMaker instance type, for example "ml.m5.large"`]);
  }
});

test('an instance type that is no text is refused, not read as its text; one left out only when it is optional', () => {
  expect(problems(['ml.t3.medium'])).toHaveLength(1);
  expect(problems(42)).toHaveLength(1);
  expect(problems(undefined)).toEqual([]);
  expect(problems(undefined, { required: true })).toEqual(['instanceType = undefined: give a SageMaker instance type, for example "ml.m5.large"']);
});
