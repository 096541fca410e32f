// A bucket with none of the library's settings, which the rule packs must report: proof that they run in this install.
const { App, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { CompliancePacks } = require('cdk-data-science');

const app = new App();
new s3.Bucket(new Stack(app, 'Unchecked'), 'Bucket');
CompliancePacks.addTo(app);
app.synth();
