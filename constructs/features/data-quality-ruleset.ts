import { ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeRoleInlinePolicies } from '../core/compliance';
import { acknowledgeResourceWildcard } from '../core/grants';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import type { LakeTable } from '../warehouse/lake-table';
import { dqdlProblems } from './dqdl';

export interface DataQualityRulesetProps {
  /**
   * The table the rules check: a table of a lake zone, which Glue Data Quality reads by its
   * database and table name, Hive-style or Apache Iceberg alike.
   */
  readonly table: LakeTable;
  /**
   * The rules, in Glue Data Quality's DQDL, for example
   * `Rules = [ RowCount > 0, IsComplete "user_id", ColumnValues "amount" >= 0 ]`.
   * Checked at synth: rule types, parameters, conditions, where clauses and thresholds.
   */
  readonly rules: string;
  /**
   * What the rules are for, shown with the ruleset in Glue; up to 2,048 characters.
   * @default - none
   */
  readonly description?: string;
}

/** DQDL rulesets are up to 65,536 characters (AWS::Glue::DataQualityRuleset Ruleset). */
const MAX_RULESET_LENGTH = 65_536;

/**
 * Data-quality rules declared with a lake table (`AWS::Glue::DataQualityRuleset`, which bills
 * nothing until evaluated), and the role Glue evaluates them as: it reads that table and
 * nothing else. `WorkflowStep.dataQuality` evaluates them as a gate in a workflow.
 */
export class DataQualityRuleset extends Construct {
  /** The ruleset's name in Glue, made from its construct path. */
  public readonly rulesetName: string;
  /** The ruleset's ARN, which `grantEvaluate` and the evaluation role's policy name. */
  public readonly rulesetArn: string;
  /** The Glue database of the table the rules check. */
  public readonly databaseName: string;
  /** The name of the table the rules check. */
  public readonly tableName: string;
  /** The `AWS::Glue::DataQualityRuleset` resource. */
  public readonly ruleset: glue.CfnDataQualityRuleset;
  /** The role Glue evaluates the rules as: it reads the table and publishes this ruleset's results. */
  public readonly evaluationRole: iam.Role;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the ruleset's name derives from it, so keep it once deployed
   * @param props its settings, see `DataQualityRulesetProps`
   */
  constructor(scope: Construct, id: string, props: DataQualityRulesetProps) {
    super(scope, id);
    checkPropsStruct('DataQualityRuleset', props, '{ table, rules: "Rules = [ RowCount > 0 ]" }', { required: true });
    const check = new PropChecker(`DataQualityRuleset '${id}'`);
    check.construct('table', props.table, 'a LakeTable, such as warehouse.raw.addTable("Events", { tableName: "events", columns })', { required: true });
    check.known('rules', props.rules, 'give the DQDL as a plain string: it is checked at synth time');
    check.check(typeof props.rules === 'string', 'rules', props.rules, 'give the DQDL as a string, for example "Rules = [ RowCount > 0 ]"');
    if (typeof props.rules === 'string' && !Token.isUnresolved(props.rules)) {
      check.check(props.rules.length <= MAX_RULESET_LENGTH, 'rules', `${props.rules.length} characters`, `give at most ${MAX_RULESET_LENGTH} characters, Glue's limit`);
      for (const problem of dqdlProblems(props.rules)) {
        check.check(false, 'rules', problem.found, `at ${problem.at}: ${problem.fix}`);
      }
    }
    check.text('description', props.description, 2048);
    check.throwIfAny();

    acknowledgeRoleInlinePolicies(this);
    this.databaseName = props.table.databaseName;
    this.tableName = props.table.tableName;
    this.rulesetName = Names.uniqueResourceName(this, { maxLength: 255, separator: '-' });
    this.ruleset = new glue.CfnDataQualityRuleset(this, 'Ruleset', {
      name: this.rulesetName,
      description: props.description,
      ruleset: props.rules,
      targetTable: { databaseName: this.databaseName, tableName: this.tableName },
    });
    this.ruleset.node.addDependency(props.table);
    this.rulesetArn = Stack.of(this).formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: this.rulesetName });

    this.evaluationRole = new iam.Role(this, 'EvaluationRole', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Evaluates data-quality ruleset ${this.rulesetName} on ${this.databaseName}.${this.tableName}`,
    });
    props.table.grantRead(this.evaluationRole);
    this.evaluationRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'], resources: [this.rulesetArn],
    }));
    const logGroups = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.evaluationRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroups],
    }));
    acknowledgeResourceWildcard(this.evaluationRole, logGroups, 'Glue writes the evaluation run\'s logs to log groups it names under /aws-glue/.');
  }

  /**
   * Lets `grantee` evaluate these rules: start runs of this ruleset as its evaluation role,
   * and read runs and results (which name a run or result id, not the ruleset).
   */
  public grantEvaluate(grantee: iam.IGrantable): iam.Grant {
    const anyRuleset = Stack.of(this).formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: '*' });
    acknowledgeResourceWildcard(grantee, anyRuleset, 'Reading an evaluation run or its result names the run or result id, not a ruleset; reads only.');
    return iam.Grant.addToPrincipal({ grantee, actions: ['glue:StartDataQualityRulesetEvaluationRun'], resourceArns: [this.rulesetArn] })
      .combine(iam.Grant.addToPrincipal({
        grantee, actions: ['glue:GetDataQualityRulesetEvaluationRun', 'glue:GetDataQualityResult'], resourceArns: [anyRuleset],
      }))
      .combine(iam.Grant.addToPrincipal({
        grantee, actions: ['iam:PassRole'], resourceArns: [this.evaluationRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
      }));
  }
}
