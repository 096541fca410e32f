import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { PropChecker } from '../core/validation-error';
import { catchAll, task, transientRetry, userRetries } from './asl';
import { withRunId } from './run-values';
import { RUN_ID_PATH } from './step-states';
import type { RegisterModelStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

const KEY = /^[A-Za-z0-9!_.*'(){}\/-]+$/;

/** Builds a `WorkflowStep.registerModel`. */
export class RegisterModelBuilder implements StepBuilder {
  constructor(private readonly props: RegisterModelStepProps) {}

  public check(_step: StepIdentity, context: StepContext, check: PropChecker, prefix: string): void {
    check.check(context.artifactStore !== undefined, `${prefix}.modelDataKey`, this.props.modelDataKey,
      'give the workflow an artifactStore: the model is read from it');
    check.check(typeof this.props.modelDataKey === 'string' && KEY.test(this.props.modelDataKey) && !this.props.modelDataKey.startsWith('/'), `${prefix}.modelDataKey`, this.props.modelDataKey,
      'give a key in the artifact store, for example "runs/training/{run_id}/train/model.tar.gz"');
    check.text(`${prefix}.image`, this.props.image, 255, 'give the inference image\'s URI, for example "<account>.dkr.ecr.<region>.amazonaws.com/churn:1"', { required: true });
    const contentTypes = this.props.contentTypes;
    check.check(contentTypes === undefined || (Array.isArray(contentTypes) && contentTypes.length > 0 && contentTypes.every((type) => typeof type === 'string' && type.length > 0)),
      `${prefix}.contentTypes`, contentTypes, 'give a list of MIME types, for example ["text/csv"]');
    check.matches(`${prefix}.metricsKey`, this.props.metricsKey, KEY,
      'give a key in the artifact store, for example "runs/training/{run_id}/evaluate/metrics.json"');
    const registry = this.props.registry;
    if (check.construct(`${prefix}.registry`, registry, 'a ModelRegistry, such as new ModelRegistry(this, "Models", { namePrefix, modelNames: ["churn"] })',
      { required: true })) {
      check.check(registry.modelNames.includes(this.props.modelName), `${prefix}.modelName`, this.props.modelName,
        `name a model of the registry: ${registry.modelNames.join(', ') || 'none yet (addModel)'}`);
    }
  }

  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    const bucket = context.artifactStore!.bucket;
    const s3Url = (key: string) => bucket.s3UrlForObject(key);
    const contentTypes = this.props.contentTypes ?? ['application/json', 'text/csv'];
    sink.add(step.name, task('aws-sdk:sagemaker:createModelPackage', {
      ModelPackageGroupName: this.props.registry.groupName(this.props.modelName),
      ModelApprovalStatus: 'PendingManualApproval',
      'ModelPackageDescription.$': `States.Format('Run {} of workflow ${context.workflowName}', ${RUN_ID_PATH})`,
      InferenceSpecification: {
        Containers: [{ Image: this.props.image, ...withRunId('ModelDataUrl', s3Url(this.props.modelDataKey)) }],
        SupportedContentTypes: contentTypes,
        SupportedResponseMIMETypes: contentTypes,
      },
      CustomerMetadataProperties: { 'workflow': context.workflowName, 'runId.$': RUN_ID_PATH, 'codeVersion': context.codeVersion },
      ...(this.props.metricsKey ? {
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', ...withRunId('S3Uri', s3Url(this.props.metricsKey)) } } },
      } : {}),
    }, {
      Retry: [transientRetry(['SageMaker.ThrottlingException', 'SageMaker.InternalFailure', 'SageMaker.ServiceUnavailable']), ...userRetries(step.retries)],
      Catch: [catchAll(sink.stepFailed)],
      Next: sink.afterStep,
    }));
  }

  public grant(stateMachine: sfn.StateMachine): void {
    this.props.registry.grantRegister(stateMachine.role, this.props.modelName);
  }
}
