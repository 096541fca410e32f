/**
 * Serving models next to the team stack: a real-time endpoint that A/B tests two model
 * versions with autoscaling, data capture, canary updates that roll back on alarms and drift
 * monitoring against a baseline a workflow makes from the training data; and a serverless
 * endpoint for a low-traffic model that bills only per request, updated behind a canary too.
 *
 *   npx cdk synth --app 'npx tsx examples/model-serving/app.ts'
 */
import { App, Duration } from 'aws-cdk-lib';
import {
  CompliancePacks, DataScienceStack, DataScienceStage, DeploymentGuardrails, EndpointHosting, ModelSource, Workflow, WorkflowStep,
} from '../../lib';

const app = new App();
const stack = new DataScienceStack(app, 'fraud-models-prod', { teamName: 'fraud-models', stage: DataScienceStage.PROD });
const image = stack.compute.repository.repositoryUriForTag('serve-1.4');
const model = (name: string, sha256: string) => ModelSource.fromArtifact({
  artifactStore: stack.artifacts,
  modelDataKey: `models/${name}/${sha256}/model.tar.gz`,
  image,
  repository: stack.compute.repository, // the roles may pull the image from the stack's private repository
});

// the stack's defaults: 2 instances per variant in prod, its key, its topic, its private subnets if any
const churn = stack.addModelEndpoint('Churn', {
  hosting: EndpointHosting.REAL_TIME,
  variants: [
    { variantName: 'current', model: model('churn', '5b1e0c'), initialWeight: 9, instanceType: 'ml.m5.xlarge' },
    { variantName: 'candidate', model: model('churn', '9d44a7'), initialWeight: 1, instanceType: 'ml.m5.xlarge' },
  ],
  autoScaling: { minCapacity: 2, maxCapacity: 8, invocationsPerInstance: 500 },
  dataCapture: { artifactStore: stack.artifacts, samplingPercentage: 10 },
  deploymentGuardrails: DeploymentGuardrails.canary(10, Duration.minutes(10)),
  latencyAlarmThresholdMillis: 250,
});

// the baseline: statistics and constraints of the training data, under models/churn/monitoring/
new Workflow(stack, 'ChurnBaseline', {
  workflowName: 'churn-baseline',
  artifactStore: stack.artifacts,
  runRegistry: stack.runs,
  notificationTopic: stack.notificationTopic,
  encryptionKey: stack.dataKey,
  logRetention: stack.settings.logRetention,
  steps: [WorkflowStep.monitoringBaseline({ name: 'baseline', modelName: 'churn', datasetKeyPrefix: 'models/churn/training-data/' })],
});

// hourly: the captured requests against that baseline; alarms on violations and on the drift of two features
stack.addDriftMonitor('ChurnDrift', {
  endpoint: churn,
  modelName: 'churn',
  driftAlarmFeatures: ['tenure_months', 'monthly_charges'],
});

stack.addModelEndpoint('LtvScoring', {
  hosting: EndpointHosting.SERVERLESS,
  variants: [{ variantName: 'current', model: model('ltv', 'c0ffee') }],
  serverlessMemorySizeMiB: 3072,
  serverlessMaxConcurrency: 10,
  deploymentGuardrails: DeploymentGuardrails.canary(20, Duration.minutes(10)),
});

CompliancePacks.addTo(app);
