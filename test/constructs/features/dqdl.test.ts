import * as fc from 'fast-check';
import { dqdlProblems } from '../../../constructs/features/dqdl';

/** Rules as the DQDL reference writes them (docs.aws.amazon.com/glue/latest/dg/dqdl.html), each of a type this library checks. */
const GOOD_RULES = [
  'RowCount > 0',
  'RowCount between 1000 and 50000',
  'RowCount = 100 where "colA > 100"',
  'ColumnCount >= 3',
  'Completeness "user_id" > 0.95',
  'Completeness of col_1 not between 0.5 and 0.8',
  'IsComplete "user_id"',
  'IsComplete "user_id" where "dt = \'2026-11-27\'"',
  'ColumnDataType "amount" = "Double"',
  'ColumnDataType "col_1" in ["Date","String"] with threshold > 0.9',
  'ColumnNamesMatchPattern "aws_.*_[a-zA-Z0-9]+"',
  'ColumnExists "load_dt"',
  'ColumnCorrelation "col_1" "col_2" between -0.44 and 0.88',
  'ColumnCorrelation of col_1 and "col abc" between 0.4 and 0.8',
  'Uniqueness "col_1" "col_2" > 0.5',
  'IsUnique "order_id"',
  'IsPrimaryKey "colA" "colB"',
  'Mean "amount" between 10 and 20',
  'Sum "amount" > -100.0',
  'StandardDeviation "amount" <= 10.0',
  'Variance "amount" < 4',
  'Entropy "category" > 1',
  'DistinctValuesCount "state" > 3',
  'UniqueValueRatio "user_id" < 0.5',
  'ColumnLength "zip" = 5',
  'ColumnValues "state" in ["CA", "NY", NULL]',
  'ColumnValues "order_id" not in [1, 2, 3]',
  'ColumnValues "code" matches "[A-Z]{3}"',
  'ColumnValues "amount" > 0 with threshold > 0.98',
  'ColumnValues "note" != EMPTY',
  'ColumnValues "load_dt" > (now() - 3 days)',
  'ColumnValues "load_dt" between "2022-06-01" and "2022-06-30"',
  'ColumnValues "opens" > "9:30 AM"',
  'DataFreshness "updated_at" <= 24 hours',
  'DataFreshness "updated_at" between 2 days and 4 days',
  'CustomSql "select count(*) from primary" > 10',
  'CustomSql "select id from primary where amount < 0" with threshold > 0.99',
  'AggregateMatch "sum(amount)" "sum(total)" >= 0.9',
  'DetectAnomalies "RowCount"',
  'DetectAnomalies "ColumnLength" "id"',
];

const ruleset = (rules: string[]) => `Rules = [\n  ${rules.join(',\n  ')}\n]`;

describe('DQDL checker', () => {
  test.each(GOOD_RULES)('takes %s', (rule) => {
    expect(dqdlProblems(ruleset([rule]))).toEqual([]);
  });

  test('takes composite rules, comments and an analyzers section', () => {
    expect(dqdlProblems([
      '# checks of the events table',
      'Rules = [',
      '  (IsComplete "a") and (IsUnique "a"),  # both',
      '  (RowCount > 0) or ((IsComplete "a") and (Mean "x" between 1 and 3))',
      ']',
      'Analyzers = [ AllStatistics "amount", RowCount ]',
    ].join('\n'))).toEqual([]);
  });

  test.each([
    ['a misspelt rule type', 'IsCompete "id"', 'IsCompete', 'IsCompete is not a DQDL rule type: did you mean IsComplete?'],
    ['a number rule without a condition', 'Mean "amount"', 'Mean', 'Mean returns a number: give a condition, for example `Mean "column" > 0`'],
    ['a condition on a rule that passes or fails by itself', 'IsUnique "id" > 1', '>', 'IsUnique passes or fails by itself: remove the condition'],
    ['a dynamic rule', 'RowCount > avg(last(10))', 'avg', 'dynamic rules (last(k), avg(...) and other functions) run in Glue ETL jobs only'],
    ['a rule comparing with a reference dataset', 'RowCountMatch "reference" = 1.0', 'RowCountMatch', 'it compares with a reference dataset'],
    ['a file rule', 'FileFreshness "s3://bucket/" > (now() - 1 days)', 'FileFreshness', 'file rules check S3 files'],
    ['parameters missing', 'ColumnCorrelation "a" > 0.5', 'ColumnCorrelation', 'ColumnCorrelation takes 2 parameters (quoted column names or SQL), 1 given'],
    ['a parameter too many', 'RowCount "id" > 0', 'RowCount', 'RowCount takes no parameter, 1 given'],
    ['rules joined without parentheses', 'IsComplete "a" and IsUnique "a"', 'and', 'put each rule that `and` or `or` joins in parentheses'],
    ['and mixed with or', '(IsComplete "a") and (IsUnique "a") or (RowCount > 0)', 'or', 'nest rules in parentheses to mix `and` with `or`'],
    ['text compared by order', 'ColumnDataType "c" > "Integer"', '>', 'compare text with `=`, `!=`, `in` or `matches`'],
    ['a freshness without a unit', 'DataFreshness "c" > 3', '>', 'DataFreshness returns an age: compare it with a duration'],
    ['a where clause a rule does not take', 'ColumnCount > 0 where "x > 1"', 'where', 'ColumnCount takes no where clause'],
    ['a threshold a rule does not take', 'Mean "x" > 0 with threshold > 0.5', 'with', 'Mean takes no threshold'],
    ['a regular expression that does not parse', 'ColumnValues "a" matches "[a-"', '"[a-"', 'give a regular expression that parses'],
    ['values of mixed kinds', 'ColumnValues "a" in [1, "b"]', 'in', 'give values of one kind'],
    ['two rules without a comma', 'RowCount > 0 IsComplete "a"', 'IsComplete', 'separate rules with commas'],
    ['labels', 'IsComplete "a" labels=["team"="x"]', 'labels', 'labels are outside the DQDL this library checks'],
    ['a watched rule DetectAnomalies does not know', 'DetectAnomalies "Banana"', '"Banana"', 'DetectAnomalies watches one of RowCount'],
  ])('refuses %s, naming where and the fix', (_, rule, found, fix) => {
    const problems = dqdlProblems(ruleset([rule]));
    expect(problems).toEqual([expect.objectContaining({ at: expect.stringMatching(/^line 2, column \d+$/), found })]);
    expect(problems[0].fix).toContain(fix);
  });

  test.each([
    ['no Rules section', 'RowCount > 0', 'RowCount', 'start the ruleset with `Rules = [`'],
    ['Rules in the wrong case', 'rules = [ RowCount > 0 ]', 'rules', 'start the ruleset with `Rules = [` (DQDL is case sensitive)'],
    ['a Metadata section', 'Metadata = { "Version": "1.0" } Rules = [ RowCount > 0 ]', 'Metadata', 'Metadata is outside the DQDL this library checks'],
    ['no rule', 'Rules = [ ]', ']', 'give at least one rule'],
    ['an unclosed list', 'Rules = [ RowCount > 0', 'the end', 'close the Rules list with `]`'],
    ['unclosed quotes', 'Rules = [ IsComplete "a ]', '"a ]', 'close the quoted text'],
    ['text after the ruleset', 'Rules = [ RowCount > 0 ] RowCount', 'RowCount', 'end the ruleset after its `]`'],
  ])('refuses %s', (_, text, found, fix) => {
    const problems = dqdlProblems(text);
    expect(problems).toEqual([expect.objectContaining({ found })]);
    expect(problems[0].fix).toContain(fix);
  });

  test('reports every bad rule of a ruleset, each at its line', () => {
    const problems = dqdlProblems(ruleset(['RowCount > 0', 'IsCompete "id"', 'Mean "x"', 'IsUnique "id"', 'RowCount > last(3)']));
    expect(problems.map((p) => [p.at, p.found])).toEqual([['line 3, column 3', 'IsCompete'], ['line 4, column 3', 'Mean'], ['line 6, column 14', 'last']]);
  });

  test('any mix of good rules, composite or not, passes', () => {
    const rule = fc.constantFrom(...GOOD_RULES);
    const composite = fc.tuple(rule, rule, fc.constantFrom('and', 'or')).map(([a, b, op]) => `(${a}) ${op} (${b})`);
    fc.assert(fc.property(fc.array(fc.oneof(rule, composite), { minLength: 1, maxLength: 12 }), (rules) => {
      expect(dqdlProblems(ruleset(rules))).toEqual([]);
    }));
  });

  test('any text is read without throwing, and a cut ruleset never passes', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const problems = dqdlProblems(text);
      expect(Array.isArray(problems)).toBe(true);
    }));
    const whole = ruleset(GOOD_RULES);
    fc.assert(fc.property(fc.integer({ min: 1, max: whole.length - 2 }), (cut) => {
      const text = whole.slice(0, cut);
      // a prefix that ends inside the list leaves it unclosed
      expect(dqdlProblems(text).length).toBeGreaterThan(0);
    }));
  });
});
