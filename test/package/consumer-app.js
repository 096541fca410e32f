// An organization's own CDK app, in plain JavaScript and without a cdk.json: the team stack with
// its example workflow, and an owner's sandbox, as `npx cdk synth -c sandbox=churn -c owner=ana.lima`
// builds them in this repository.
const { App } = require('aws-cdk-lib');
const { CompliancePacks, DataScienceStack, DataScienceStage, ProjectSandboxStack } = require('cdk-data-science');

// CloudFormation rule validation runs beside the rule packs; it changes no template
const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' });
new ProjectSandboxStack(app, ProjectSandboxStack.nameOf('data-science', DataScienceStage.DEV, 'churn', 'ana.lima'), {
  teamName: 'data-science',
  projectName: 'churn',
  owner: 'ana.lima',
  expiresOn: process.env.SANDBOX_EXPIRES_ON,
});
CompliancePacks.addTo(app);
