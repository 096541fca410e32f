/**
 * A notebook prototype that became a workflow step. The query Ana tried in her sandbox's
 * notebook runs nightly as a step of a workflow in her sandbox, then, unchanged but for where it
 * reads and writes, as a step of the team stack's workflow.
 *
 *   npx cdk deploy --app 'npx tsx examples/notebook-to-workflow/app.ts' --all
 */
import { App, CfnOutput, Duration, TimeZone } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { CompliancePacks, DataScienceStack, ProjectSandboxStack, Workflow, WorkflowStep } from '../../lib';

const app = new App();
const team = new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science', notebooks: {} });
const sandbox = new ProjectSandboxStack(app, 'data-science-dev-sandbox-churn-ana-lima', {
  teamName: 'data-science',
  projectName: 'churn',
  owner: 'ana.lima',
  notebook: true,
  expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
});
// the sandbox reads the team stack's parameters: deploy the team stack first
sandbox.addStackDependency(team, 'The sandbox reads the parameters the team stack publishes');

/** The notebook's cell: seven days of events per user. */
const features = (events: string) => [
  'SELECT user_id, count(*) AS events_7d, sum(amount) AS amount_7d',
  `FROM ${events}`,
  "WHERE dt >= date_format(current_date - interval '7' day, '%Y-%m-%d')",
  'GROUP BY user_id',
].join('\n');

// 1. In the sandbox: over the events table the notebook made in the sandbox's own database,
//    into the sandbox's prefix, in its workgroup, as the sandbox's workflow role
const prototype = sandbox.addWorkflow('Features', {
  workflowName: 'churn-ana-lima-features',
  steps: [WorkflowStep.athenaQuery({
    name: 'features',
    warehouse: sandbox,
    queryString: `UNLOAD (${features('events')}) TO '${sandbox.artifactBucket.s3UrlForObject(`${sandbox.artifactPrefix}features/run_id={run_id}/`)}' WITH (format = 'PARQUET')`,
  })],
});
prototype.addSchedule('Nightly', { schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.ETC_UTC }), flexibleWindow: Duration.minutes(15) });
new CfnOutput(sandbox, 'FeaturesWorkflowArn', { value: prototype.stateMachine.stateMachineArn });

// 2. In the team stack: the same query over the raw zone's events, into the curated zone
new Workflow(team, 'Features', {
  workflowName: 'churn-features',
  artifactStore: team.artifacts,
  runRegistry: team.runs,
  notificationTopic: team.notificationTopic,
  encryptionKey: team.dataKey,
  steps: [WorkflowStep.athenaQuery({
    name: 'features',
    warehouse: team.warehouse,
    zone: team.warehouse.raw,
    queryString: `UNLOAD (${features('events')}) TO '${team.warehouse.curated.bucket.s3UrlForObject('churn-features/run_id={run_id}/')}' WITH (format = 'PARQUET')`,
    output: { zone: team.warehouse.curated, prefix: 'churn-features/' },
  })],
});

CompliancePacks.addTo(app);
