// An app's own role, granted by the library, which acknowledges the one wildcard of its grant by the finding's
// full id (`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...]`); the rule packs must still report the
// wildcard the app adds itself: proof that, on this aws-cdk-lib too, an acknowledgement covers its finding alone.
const { App, Stack } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { CompliancePacks, ModelRegistry } = require('cdk-data-science');

const app = new App();
const stack = new Stack(app, 'Granted');
const role = new iam.Role(stack, 'Trainer', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
new ModelRegistry(stack, 'Models', { namePrefix: 'acme', modelNames: ['churn'] }).grantRegister(role, 'churn');
role.addToPrincipalPolicy(new iam.PolicyStatement({
  actions: ['sagemaker:DescribeModelPackage'],
  resources: [stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: 'acme-ltv/*' })],
}));
CompliancePacks.addTo(app);
app.synth();
