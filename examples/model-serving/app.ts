/**
 * Serving models next to the team stack: a real-time endpoint that A/B tests two model
 * versions with autoscaling, data capture and canary updates that roll back on alarms, and a
 * serverless endpoint for a low-traffic model that bills only per request.
 *
 *   npx cdk synth --app 'npx tsx examples/model-serving/app.ts'
 */
import { App, Duration } from 'aws-cdk-lib';
import {
  CompliancePacks, DataScienceStack, DataScienceStage, DeploymentGuardrails, EndpointHosting, ModelSource,
} from '../../lib';

const app = new App();
const stack = new DataScienceStack(app, 'fraud-models-prod', { teamName: 'fraud-models', stage: DataScienceStage.PROD });
const image = stack.compute.repository.repositoryUriForTag('serve-1.4');
const model = (sha256: string) => ModelSource.fromArtifact({
  artifactStore: stack.artifacts,
  modelDataKey: `models/churn/${sha256}/model.tar.gz`,
  image,
  repository: stack.compute.repository, // the roles may pull the image from the stack's private repository
});

// the stack's defaults: 2 instances per variant in prod, its key, its topic, its private subnets if any
stack.addModelEndpoint('Churn', {
  hosting: EndpointHosting.REAL_TIME,
  variants: [
    { variantName: 'current', model: model('5b1e0c'), initialWeight: 9, instanceType: 'ml.m5.xlarge' },
    { variantName: 'candidate', model: model('9d44a7'), initialWeight: 1, instanceType: 'ml.m5.xlarge' },
  ],
  autoScaling: { minCapacity: 2, maxCapacity: 8, invocationsPerInstance: 500 },
  dataCapture: { artifactStore: stack.artifacts, samplingPercentage: 10 },
  deploymentGuardrails: DeploymentGuardrails.canary(10, Duration.minutes(10)),
  latencyAlarmThresholdMillis: 250,
});

stack.addModelEndpoint('LtvScoring', {
  hosting: EndpointHosting.SERVERLESS,
  variants: [{ variantName: 'current', model: model('c0ffee') }],
  serverlessMemorySizeMiB: 3072,
  serverlessMaxConcurrency: 10,
});

CompliancePacks.addTo(app);
