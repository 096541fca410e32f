import { App, Stack, Validations } from 'aws-cdk-lib';
import {
  acknowledgeControlTower, CompliancePacks, CONTROL_TOWER_PLUGIN, CONTROL_TOWER_RULES, REGULATED_PACKS,
} from '../../../constructs/core/compliance';
import { acknowledgementsOn } from '../../support/acknowledgements';
import { controlTowerRules } from '../../support/control-tower';
import { validationErrorOf } from '../../support/validation';

describe('CompliancePacks.addTo', () => {
  /** The names of the plugins the packs add to an app. */
  const packs = (options?: { regulated?: boolean }) => {
    const added = jest.spyOn(Validations.prototype, 'addPlugins');
    CompliancePacks.addTo(new App(), options);
    const names = added.mock.calls.flat().map((plugin) => plugin.name);
    added.mockRestore();
    return names;
  };

  test('runs AwsSolutions and Serverless, and the NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1 packs only when regulated', () => {
    expect(packs()).toEqual(['AwsSolutions', 'Serverless']);
    expect(packs({ regulated: false })).toEqual(['AwsSolutions', 'Serverless']);
    expect(packs({ regulated: true })).toEqual(['AwsSolutions', 'Serverless', ...REGULATED_PACKS]);
  });
});

describe('acknowledgeControlTower', () => {
  test('acknowledges the control by its Guard rule, as the Control Tower plugin reports it', () => {
    const stack = new Stack(new App(), 'Plain');
    acknowledgeControlTower(stack, 'CT.SQS.PR.1', 'The queue is a dead-letter queue itself.');
    expect(acknowledgementsOn(stack)).toEqual([[`${CONTROL_TOWER_PLUGIN}::sqs_dlq_check`, 'The queue is a dead-letter queue itself.']]);
  });

  test('names a control the library knows, or says which it knows', () => {
    const error = validationErrorOf(() => acknowledgeControlTower(new Stack(new App(), 'Plain'), 'CT.EC2.PR.99', 'a reason'));
    expect(error.message).toBe(`Invalid props for acknowledgeControlTower:\n  - control = "CT.EC2.PR.99": give one of ${Object.keys(CONTROL_TOWER_RULES).join(', ')}`);
    expect(Object.keys(CONTROL_TOWER_RULES).join(', ')).toMatch(/^CT\.ATHENA\.PR\.2, CT\.CLOUDWATCH\.PR\.2, /);
  });

  test('each control the library acknowledges names the Guard rule that checks it', () => {
    const rules = controlTowerRules();
    expect(Object.keys(CONTROL_TOWER_RULES).length).toBe(12);
    for (const [control, ruleName] of Object.entries(CONTROL_TOWER_RULES)) {
      expect(rules.find((r) => r.control === control)?.ruleName).toBe(ruleName);
    }
  });
});
