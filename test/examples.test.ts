import * as fs from 'fs';
import * as path from 'path';
import { CONTROL_TOWER_PLUGIN } from '../constructs/core/compliance';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { expectAlarms } from './support/alarms';
import { driftAlarms, endpointAlarms, runCloserAlarms, workflowAlarms } from './support/alarm-specs';
import { ROOT } from './support/cli';
import { synthExample } from './support/synth';

const examples = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((name) => fs.existsSync(path.join(ROOT, 'examples', name, 'app.ts')));

test('there are examples', () => {
  expect(examples).toContain('team-stack');
});

/** Each example's cloud assembly, once synthesized, as the CLI would with Control Tower's controls beside the packs. */
const outdirs = new Map<string, string>();
function synthesized(name: string) {
  const result = synthExample(name, { controlTower: true });
  outdirs.set(name, result.app.outdir);
  return result;
}

test.each(examples)('examples/%s/app.ts synthesizes with every check passing, Control Tower\'s controls included', (name) => {
  const { app, validation } = synthesized(name);
  expect(validation.findings).toEqual([]);
  const assembly = new CloudAssembly(app.outdir);
  expect(assembly.stacks.length).toBeGreaterThan(0);
  // what the CLI prints as warnings and errors
  const messages = assembly.stacks.flatMap((s) => s.messages).filter((m) => m.level !== 'info');
  expect(messages).toEqual([]);
  // the controls ran: every acknowledgement of theirs is in the report, with its reason
  const controls = validation.acknowledged.filter((f) => f.plugin === CONTROL_TOWER_PLUGIN);
  expect(controls.length).toBeGreaterThan(0);
  controls.forEach((f) => expect(f.reason.length).toBeGreaterThan(40));
});

test('the model-serving example has thirteen alarms, each asserted whole: its workflow\'s, its run closer\'s, two per endpoint and four of its drift monitor', () => {
  const outdir = outdirs.get('model-serving') ?? synthesized('model-serving').app.outdir;
  const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, 'fraud-models-prod.template.json'), 'utf8')));
  const actions = [{ Ref: expect.stringMatching(/^Notifications/) }];
  expectAlarms(template, [
    ...workflowAlarms(template, { monitoring: 'Monitoring', workflow: 'ExampleWorkflow', stateMachine: 'ExampleWorkflowStateMachine', workflowName: 'example' }, actions),
    ...runCloserAlarms(template, 'RunsRunCloser', actions),
    // the app's own latency threshold, and prod's for the endpoint that gives none
    ...endpointAlarms(template, 'Churn', { variants: ['current', 'candidate'], errors: 0, latencyMillis: 250, actions }),
    ...endpointAlarms(template, 'LtvScoring', { variants: ['current'], errors: 0, latencyMillis: 500, actions }),
    // hourly, the drift monitor's defaults
    ...driftAlarms(template, 'ChurnDrift', { endpoint: 'Churn', features: { tenure_months: 0.1, monthly_charges: 0.1 }, periodSeconds: 3600, actions }),
  ], 'the model-serving test in test/examples.test.ts');
});

test('the model-serving example updates its serverless endpoint behind a canary, and watches its real-time endpoint against a baseline its workflow makes', () => {
  const outdir = outdirs.get('model-serving') ?? synthesized('model-serving').app.outdir;
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'fraud-models-prod.template.json'), 'utf8'));
  const resources = Object.entries<any>(template.Resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const configs = Object.fromEntries(ofType('AWS::SageMaker::EndpointConfig'));
  const serverless = ofType('AWS::SageMaker::Endpoint').filter(([, r]) => configs[r.Properties.EndpointConfigName['Fn::GetAtt'][0]]
    .Properties.ProductionVariants.every((v: any) => v.ServerlessConfig));
  expect(serverless).toHaveLength(1);
  const [, ltv] = serverless[0];
  expect(ltv.Properties.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toMatchObject({ Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 20 } });
  expect(ltv.Properties.DeploymentConfig.AutoRollbackConfiguration.Alarms.length).toBeGreaterThan(0);
  const schedules = ofType('AWS::SageMaker::MonitoringSchedule').map(([, r]) => r.Properties.MonitoringScheduleConfig);
  expect(schedules).toEqual([expect.objectContaining({ MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } })]);
  const baseline = ofType('AWS::StepFunctions::StateMachine').map(([, r]) => JSON.stringify(r.Properties.DefinitionString))
    .filter((definition) => definition.includes('createProcessingJob.sync'));
  expect(baseline).toHaveLength(1);
  expect(baseline[0]).toContain('models/churn/monitoring/data-quality/baseline/');
});
