import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { type PropChecker, shownDuration } from '../core/validation-error';
import { ArtifactStore } from '../versioning/artifact-store';
import { catchAll, task, transientRetry } from './asl';
import { appendToRunRecord } from './run-records';
import { withRunId } from './run-values';
import type { DataQualityStepProps } from './step-props';
import type { StepBuilder, StepContext, StepIdentity, StepStateSink } from './step-types';

/*
 * Glue Data Quality has no .sync integration in Step Functions: the step starts an evaluation
 * run (an AWS SDK integration), polls it once a minute until it ends, reads the result, records
 * the score and the failed rules in the run's record, and goes on only if every rule passed.
 * A rule that failed (or a run that errs) stops the lane through the workflow's failure path,
 * whose notification carries the failed rules and their values as its cause.
 */

/** The error a step whose rules failed stops the run with; its cause is the outcome, as JSON. */
export const DATA_QUALITY_FAILED = 'DataQualityFailed';
/** The errors of an evaluation run that did not finish, or ran too long. */
export const DATA_QUALITY_RUN_FAILED = 'DataQualityRunFailed';
export const DATA_QUALITY_TIMED_OUT = 'DataQualityTimedOut';

/** How long the step waits between looks at its evaluation run. */
const POLL_SECONDS = 60;
/** Looks past the timeout, for Glue to stop a run it timed out. */
const GRACE_POLLS = 5;
/** History events of one look (Wait, Task, Choice, Pass) and of the rest of the step beyond one task. */
const EVENTS_PER_POLL = 2 + 5 + 2 + 2;
const EVENTS_BESIDE_POLLS = 30;
const MAX_TIMEOUT_MINUTES = 2880;
/** Glue's most workers per run. */
const MAX_WORKERS = 299;

const GLUE_TRANSIENT_ERRORS = ['Glue.InternalServiceException', 'Glue.OperationTimeoutException', 'Glue.ThrottlingException'];

/** The names of the states data-quality steps share, before the lane's suffix. */
const STATES = {
  start: 'Start data quality run',
  wait: 'Wait for data quality run',
  look: 'Read data quality run',
  ended: 'Data quality run ended?',
  count: 'Count data quality look',
  timedOut: 'Data quality run timed out',
  runFailed: 'Data quality run failed',
  runFailedWhy: 'Data quality run failed, with reason',
  runFailedNoReason: 'Data quality run failed, no reason',
  result: 'Read data quality result',
  passed: 'Data quality passed?',
  outcomePassed: 'Data quality outcome: passed',
  outcomeFailed: 'Data quality outcome: failed',
  record: 'Record data quality',
  gate: 'Data quality gate',
  rulesFailed: 'Data quality rules failed',
};

/** Builds a `WorkflowStep.dataQuality`. */
export class DataQualityBuilder implements StepBuilder {
  constructor(private readonly props: DataQualityStepProps) {}

  private get timeoutMinutes(): number {
    return (this.props.timeout ?? Duration.minutes(30)).toMinutes({ integral: false });
  }

  private get maxPolls(): number {
    return Math.ceil((this.timeoutMinutes * 60) / POLL_SECONDS) + GRACE_POLLS;
  }

  public check(step: StepIdentity, _context: StepContext, check: PropChecker, prefix: string): void {
    check.check(step.retries === 0, `${prefix}.retries`, step.retries,
      'leave retries at 0: the same rules on the same data fail the same way; fix the data and start a new run');
    check.construct(`${prefix}.ruleset`, this.props.ruleset, 'a DataQualityRuleset, such as new DataQualityRuleset(this, "Checks", { table, rules })', { required: true });
    check.integer(`${prefix}.workers`, this.props.workers, 2, MAX_WORKERS, `give a whole number of workers from 2 to ${MAX_WORKERS}`);
    check.text(`${prefix}.partitionPredicate`, this.props.partitionPredicate, 2048,
      'give a Spark SQL condition on the partition keys, for example "dt >= \'2026-01-01\'", or leave it unset');
    const minutes = check.durationIn(`${prefix}.timeout`, this.props.timeout, 'minutes', 'Duration.minutes(30)');
    check.check(minutes === undefined || (Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_TIMEOUT_MINUTES), `${prefix}.timeout`,
      shownDuration(this.props.timeout),
      `give whole minutes, from 1 minute to ${MAX_TIMEOUT_MINUTES / 60} hours (Glue's longest evaluation run)`);
  }

  public addStates(step: StepIdentity, context: StepContext, sink: StepStateSink): void {
    const { ruleset } = this.props;
    const names = Object.fromEntries(Object.entries(STATES).map(([k, v]) => [k, sink.sharedName(v)])) as typeof STATES;
    const fail = (error: string, cause: string) => ({
      Type: 'Pass', Parameters: { 'Error': error, 'Cause.$': cause }, ResultPath: '$.caught', Next: sink.stepFailed,
    });
    const retry = [transientRetry(GLUE_TRANSIENT_ERRORS)];
    const catches = [catchAll(sink.stepFailed)];

    sink.shared(STATES.rulesFailed, fail(DATA_QUALITY_FAILED, 'States.JsonToString($.dq.outcome)'));
    sink.shared(STATES.gate, {
      Type: 'Choice', Choices: [{ Variable: '$.dq.outcome.passed', BooleanEquals: true, Next: sink.afterStep }], Default: names.rulesFailed,
    });
    const registry = context.runRegistry;
    const afterOutcome = registry ? names.record : names.gate;
    if (registry) {
      sink.shared(STATES.record, appendToRunRecord(registry, context.workflowName, 'dataQuality', {
        step: { 'S.$': '$.step.name' },
        passed: { 'BOOL.$': '$.dq.outcome.passed' },
        score: { 'N.$': "States.Format('{}', $.dq.outcome.score)" },
        rules: { 'S.$': 'States.JsonToString($.dq.result.rules)' },
        resultId: { 'S.$': '$.dq.outcome.resultId' },
      }, { Catch: catches, Next: names.gate }));
    }
    const outcome = (passed: boolean) => ({
      Type: 'Pass',
      Parameters: {
        'passed': passed,
        'score.$': '$.dq.result.score',
        // every rule with its result (PASS, FAIL, or ERROR where Glue could not evaluate it) and the
        // values it measured; filtering them would need a JSONPath filter that may match nothing
        ...(passed ? {} : { 'rules.$': '$.dq.result.rules' }),
        'table.$': '$.dq.target.table',
        'ruleset.$': 'States.ArrayGetItem($.dq.target.RulesetNames, 0)',
        'resultId.$': '$.dq.result.id',
      },
      ResultPath: '$.dq.outcome',
      Next: afterOutcome,
    });
    sink.shared(STATES.outcomePassed, outcome(true));
    sink.shared(STATES.outcomeFailed, outcome(false));
    // every rule passed exactly when the score (the share of rules passed) is 1
    sink.shared(STATES.passed, {
      Type: 'Choice', Choices: [{ Variable: '$.dq.result.score', NumericGreaterThanEquals: 1, Next: names.outcomePassed }], Default: names.outcomeFailed,
    });
    sink.shared(STATES.result, task('aws-sdk:glue:getDataQualityResult', { 'ResultId.$': 'States.ArrayGetItem($.dq.look.ResultIds, 0)' }, {
      ResultSelector: { 'score.$': '$.Score', 'id.$': '$.ResultId', 'rules.$': '$.RuleResults' },
      ResultPath: '$.dq.result', Retry: retry, Catch: catches, Next: names.passed,
    }));
    sink.shared(STATES.runFailedWhy, fail(DATA_QUALITY_RUN_FAILED, "States.Format('Glue Data Quality run {} ended {}: {}', $.dq.run.id, $.dq.look.Status, $.dq.look.ErrorString)"));
    sink.shared(STATES.runFailed, {
      Type: 'Choice', Choices: [{ Variable: '$.dq.look.ErrorString', IsPresent: true, Next: names.runFailedWhy }], Default: names.runFailedNoReason,
    });
    sink.shared(STATES.runFailedNoReason, fail(DATA_QUALITY_RUN_FAILED, "States.Format('Glue Data Quality run {} ended {}', $.dq.run.id, $.dq.look.Status)"));
    sink.shared(STATES.timedOut, fail(DATA_QUALITY_TIMED_OUT,
      "States.Format('Glue Data Quality run {} was still {} after {} looks a minute apart', $.dq.run.id, $.dq.look.Status, $.dq.count.looks)"));
    sink.shared(STATES.count, { Type: 'Pass', Parameters: { 'looks.$': 'States.MathAdd($.dq.count.looks, 1)' }, ResultPath: '$.dq.count', Next: names.wait });
    const running = { Or: ['STARTING', 'RUNNING', 'STOPPING'].map((status) => ({ Variable: '$.dq.look.Status', StringEquals: status })) };
    sink.shared(STATES.ended, {
      Type: 'Choice',
      Choices: [
        { Variable: '$.dq.look.Status', StringEquals: 'SUCCEEDED', Next: names.result },
        { And: [running, { Variable: '$.dq.count.looks', NumericLessThanPath: '$.dq.maxLooks' }], Next: names.count },
        { ...running, Next: names.timedOut },
      ],
      Default: names.runFailed,
    });
    sink.shared(STATES.look, task('aws-sdk:glue:getDataQualityRulesetEvaluationRun', { 'RunId.$': '$.dq.run.id' }, {
      ResultPath: '$.dq.look', Retry: retry, Catch: catches, Next: names.ended,
    }));
    sink.shared(STATES.wait, { Type: 'Wait', Seconds: POLL_SECONDS, Next: names.look });
    sink.shared(STATES.start, task('aws-sdk:glue:startDataQualityRulesetEvaluationRun', {
      'RulesetNames.$': '$.dq.target.RulesetNames',
      'DataSource.$': '$.dq.target.DataSource',
      'Role.$': '$.dq.target.Role',
      'NumberOfWorkers.$': '$.dq.target.NumberOfWorkers',
      'Timeout.$': '$.dq.target.Timeout',
      'AdditionalRunOptions.$': '$.dq.options',
    }, { ResultSelector: { 'id.$': '$.RunId' }, ResultPath: '$.dq.run', Retry: retry, Catch: catches, Next: names.wait }));

    const artifacts = context.artifactStore;
    sink.add(step.name, {
      Type: 'Pass',
      Parameters: {
        'target.$': sink.ref({
          RulesetNames: [ruleset.rulesetName],
          DataSource: {
            GlueTable: {
              DatabaseName: ruleset.databaseName,
              TableName: ruleset.tableName,
              ...(this.props.partitionPredicate !== undefined ? { AdditionalOptions: { pushDownPredicate: this.props.partitionPredicate } } : {}),
            },
          },
          Role: ruleset.evaluationRole.roleArn,
          NumberOfWorkers: this.props.workers ?? 2,
          Timeout: this.timeoutMinutes,
          table: `${ruleset.databaseName}.${ruleset.tableName}`,
        }),
        // the full results, rule by rule, beside the run's other artifacts
        'options': {
          CloudWatchMetricsEnabled: false,
          ...(artifacts ? withRunId('ResultsS3Prefix', artifacts.bucket.s3UrlForObject(`${ArtifactStore.runsPrefix(context.workflowName)}{run_id}/${step.name}/`)) : {}),
        },
        // the looks made, the one about to be made included
        'count': { looks: 1 },
        'maxLooks': this.maxPolls,
      },
      ResultPath: '$.dq',
      Next: names.start,
    });
  }

  public grant(stateMachine: sfn.StateMachine, context: StepContext): void {
    this.props.ruleset.grantEvaluate(stateMachine.role);
    context.artifactStore?.grantWriteRun(this.props.ruleset.evaluationRole, context.workflowName);
  }

  public extraHistoryEvents(): number {
    return this.maxPolls * EVENTS_PER_POLL + EVENTS_BESIDE_POLLS;
  }
}
