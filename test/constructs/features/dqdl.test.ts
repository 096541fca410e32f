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
  'ColumnValues "note" in [NULL, null, EMPTY, empty, WHITESPACES_ONLY, whitespaces_only, "x"]',
  'ColumnValues "note" != whitespaces_only',
  'ColumnValues "load_dt" > (now() - 3 days)',
  'ColumnValues "load_dt" between "2022-06-01" and "2022-06-30"',
  'ColumnValues "opens" > "9:30 AM"',
  'ColumnValues "opens" < "12:45 PM"',
  'ColumnValues "closes" between "17:30" and "23:59"',
  // a backslash before any character but a quote or a backslash stays in the pattern, as DQDL's grammar reads it
  'ColumnValues "a" matches "\\(\\d+"',
  'ColumnValues "email" matches "^[\\w.]+@\\w+\\.com$"',
  'ColumnValues "name" matches "a\\ b"',
  // an escaped backslash is one backslash: this pattern is `\(x`, a parenthesis and then x
  'ColumnValues "a" matches "\\\\(x"',
  'DataFreshness "updated_at" <= 24 hours',
  'DataFreshness "updated_at" between 2 days and 4 days',
  'CustomSql "select count(*) from primary" > 10',
  'CustomSql "select id from primary where amount < 0" with threshold > 0.99',
  'AggregateMatch "sum(amount)" "sum(total)" >= 0.9',
  'DetectAnomalies "RowCount"',
  'DetectAnomalies "ColumnLength" "id"',
  // values of every kind NULL can stand for, and text that reads as a date
  'ColumnValues "a" in [1, NULL]',
  'ColumnValues "a" in ["x", null]',
  'ColumnValues "d" in [(now() - 1 days), NULL]',
  'ColumnValues "d" in ["2022-06-01", "x"]',
  'ColumnValues "a" not matches "[a-z]+"',
  // now() bare, in parentheses alone, and plus a duration
  'ColumnValues "load_dt" <= now()',
  'ColumnValues "load_dt" > (now())',
  'ColumnValues "load_dt" < (now() + 2 hours)',
  'ColumnValues "amount" > (1 + 2) * 3',
  'RowCount between (10 * 1000) and 50000',
];

const ruleset = (rules: string[]) => `Rules = [\n  ${rules.join(',\n  ')}\n]`;

describe('DQDL checker', () => {
  test.each(GOOD_RULES)('takes %s', (rule) => {
    expect(dqdlProblems(ruleset([rule]))).toEqual([]);
  });

  // each rule type as the DQDL reference gives it: its parameters, what it returns, and whether it takes a where clause and a threshold
  test.each<[string, number, 'number' | 'boolean' | 'string' | 'values' | 'freshness' | 'either', boolean, boolean]>([
    ['RowCount', 0, 'number', true, false], ['ColumnCount', 0, 'number', false, false], ['Completeness', 1, 'number', true, false],
    ['IsComplete', 1, 'boolean', true, false], ['ColumnDataType', 1, 'string', true, true], ['ColumnNamesMatchPattern', 1, 'boolean', false, false],
    ['ColumnExists', 1, 'boolean', false, false], ['ColumnCorrelation', 2, 'number', true, false], ['Uniqueness', 1, 'number', true, false],
    ['IsUnique', 1, 'boolean', true, false], ['IsPrimaryKey', 1, 'boolean', true, false], ['Mean', 1, 'number', true, false], ['Sum', 1, 'number', true, false],
    ['StandardDeviation', 1, 'number', true, false], ['Variance', 1, 'number', true, false], ['Entropy', 1, 'number', true, false],
    ['DistinctValuesCount', 1, 'number', true, false], ['UniqueValueRatio', 1, 'number', true, false], ['ColumnLength', 1, 'number', true, false],
    ['ColumnValues', 1, 'values', true, true], ['DataFreshness', 1, 'freshness', true, false], ['CustomSql', 1, 'either', false, true],
    ['AggregateMatch', 2, 'number', false, false], ['DetectAnomalies', 1, 'boolean', false, false],
  ])('%s takes %d parameters, returns %s, and a where clause (%s) and a threshold (%s) as the reference says', (type, params, returns, where, threshold) => {
    const rule = `${type}${' "RowCount"'.repeat(params)}`;
    const condition = { number: ' > 0', boolean: '', string: ' = "Integer"', values: ' > 0', freshness: ' <= 24 hours', either: ' > 0' }[returns];
    const fixes = (text: string) => dqdlProblems(ruleset([text])).map((p) => p.fix);
    expect(fixes(`${rule}${condition}`)).toEqual([]);
    // a rule of a fixed count takes no parameter more
    expect(fixes(`${rule} "extra"${condition}`)).toEqual(type === 'Uniqueness' || type === 'IsUnique' || type === 'IsPrimaryKey' || type === 'DetectAnomalies' ? []
      : [`${type} takes ${params === 0 ? 'no parameter' : `${params} parameter${params === 1 ? '' : 's'} (quoted column names or SQL)`}, ${params + 1} given`]);
    expect(fixes(`${rule}`)).toEqual({
      number: [`${type} returns a number: give a condition, for example \`${type}${' "column"'.repeat(params)} > 0\``],
      boolean: [], either: [],
      string: [`${type} returns a type name: give a condition, for example \`= "Integer"\``],
      values: [`${type} checks each value: give a condition, for example \`in ["a", "b"]\` or \`> 0\``],
      freshness: [`${type} returns an age: give a condition, for example \`<= 24 hours\``],
    }[returns]);
    if (returns === 'boolean') {
      expect(fixes(`${rule} > 0`)).toEqual([`${type} passes or fails by itself: remove the condition`]);
    }
    expect(fixes(`${rule}${condition} where "a > 1"`)).toEqual(where ? [] : [`${type} takes no where clause`]);
    expect(fixes(`${rule}${condition} with threshold > 0.5`)).toEqual(threshold ? [] : [`${type} takes no threshold`]);
  });

  test.each(['RowCount', 'Completeness', 'Uniqueness', 'Mean', 'Sum', 'StandardDeviation', 'Entropy', 'DistinctValuesCount', 'UniqueValueRatio', 'ColumnLength',
    'ColumnValues', 'ColumnCorrelation', 'CustomSql', 'ColumnCount'])('DetectAnomalies watches %s, in any case', (watched) => {
    expect(dqdlProblems(ruleset([`DetectAnomalies "${watched}"`, `DetectAnomalies "${watched.toLowerCase()}" "c"`]))).toEqual([]);
  });

  test.each(['between', 'in', 'not', 'matches', 'where', 'with', 'labels', 'NULL', 'null', 'EMPTY', 'empty', 'WHITESPACES_ONLY', 'whitespaces_only', 'or', 'OR',
    'of and', 'of AND', 'of of', 'of OF'])('%s is never read as a column name', (words) => {
    expect(dqdlProblems(ruleset([`Completeness ${words} > 0.5`]))[0].fix).toBe('Completeness takes 1 parameter (quoted column names or SQL), 0 given');
  });

  test('connectors in capitals, and durations in minutes, are read', () => {
    expect(dqdlProblems(ruleset(['ColumnCorrelation OF a AND b > 0.5', 'Completeness OF c > 0.5', 'DataFreshness "a" <= 30 minutes']))).toEqual([]);
  });

  test.each(['B', 'KB', 'GB', 'TB'])('a size in %s is refused as a file rule\'s', (unit) => {
    expect(dqdlProblems(ruleset([`ColumnValues "a" > 5 ${unit}`])).map((p) => [p.found, p.fix])).toEqual([[unit, 'sizes belong to file rules, which are not checked here']]);
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
    ['a dynamic rule', 'RowCount > avg(last(10))', 'avg', 'dynamic rules (last(k), avg(...) and other functions) run in Glue ETL jobs only, not in evaluations of a catalog table: give a fixed number'],
    ['a rule comparing with a reference dataset', 'RowCountMatch "reference" = 1.0', 'RowCountMatch', 'RowCountMatch is not checked here: it compares with a reference dataset, and an evaluation of one catalog table has none'],
    ['a file rule', 'FileFreshness "s3://bucket/" > (now() - 1 days)', 'FileFreshness', 'FileFreshness is not checked here: file rules check S3 files, not a catalog table, and are experimental'],
    ['parameters missing', 'ColumnCorrelation "a" > 0.5', 'ColumnCorrelation', 'ColumnCorrelation takes 2 parameters (quoted column names or SQL), 1 given'],
    ['a parameter too many', 'RowCount "id" > 0', 'RowCount', 'RowCount takes no parameter, 1 given'],
    ['rules joined without parentheses', 'IsComplete "a" and IsUnique "a"', 'and', 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`'],
    ['rules joined by or without parentheses', 'IsComplete "a" or IsUnique "a"', 'or', 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`'],
    ['a condition joined without parentheses', 'RowCount > 0 and IsComplete "a"', 'and', 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`'],
    ['and mixed with or', '(IsComplete "a") and (IsUnique "a") or (RowCount > 0)', 'or', 'nest rules in parentheses to mix `and` with `or`: `(A) and ((B) or (C))`'],
    ['text compared by order', 'ColumnDataType "c" > "Integer"', '>', 'compare text with `=`, `!=`, `in` or `matches`; `>`, `<` and `between` take numbers, dates or durations'],
    ['a freshness without a unit', 'DataFreshness "c" > 3', '>', 'DataFreshness returns an age: compare it with a duration such as 24 hours'],
    ['a where clause a rule does not take', 'ColumnCount > 0 where "x > 1"', 'where', 'ColumnCount takes no where clause'],
    ['a threshold a rule does not take', 'Mean "x" > 0 with threshold > 0.5', 'with', 'Mean takes no threshold'],
    ['a pattern against a number', 'RowCount matches "[0-9]+"', 'matches', 'RowCount returns a number: compare it with a number'],
    ['now() after a minus', 'ColumnValues "d" > -now()', '-', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days'],
    ['a regular expression that does not parse', 'ColumnValues "a" matches "[a-"', '"[a-"', 'give a regular expression that parses'],
    ['values of mixed kinds', 'ColumnValues "a" in [1, "b"]', 'in', 'give values of one kind: all numbers, all quoted text or all dates'],
    ['two rules without a comma', 'RowCount > 0 IsComplete "a"', 'IsComplete', 'separate rules with commas'],
    ['labels', 'IsComplete "a" labels=["team"="x"]', 'labels', 'labels are outside the DQDL this library checks: remove them'],
    ['a watched rule DetectAnomalies does not know', 'DetectAnomalies "Banana"', '"Banana"', 'DetectAnomalies watches one of RowCount, Completeness, Uniqueness, Mean, Sum, StandardDeviation, Entropy, DistinctValuesCount, UniqueValueRatio, ColumnLength, ColumnValues, ColumnCorrelation, CustomSql, ColumnCount'],
  ])('refuses %s, naming where and the fix', (_, rule, found, fix) => {
    const problems = dqdlProblems(ruleset([rule]));
    expect(problems).toEqual([expect.objectContaining({ at: expect.stringMatching(/^line 2, column \d+$/), found })]);
    expect(problems.map((p) => p.fix)).toEqual([fix]);
  });

  test.each([
    ['no Rules section', 'RowCount > 0', 'RowCount', 'start the ruleset with `Rules = [` (DQDL is case sensitive)'],
    ['Rules in the wrong case', 'rules = [ RowCount > 0 ]', 'rules', 'start the ruleset with `Rules = [` (DQDL is case sensitive)'],
    ['Rules in quotes', '"Rules" = [ RowCount > 0 ]', '"Rules"', 'start the ruleset with `Rules = [` (DQDL is case sensitive)'],
    ['a Metadata section', 'Metadata = { "Version": "1.0" } Rules = [ RowCount > 0 ]', 'Metadata', 'Metadata is outside the DQDL this library checks (Rules and Analyzers): write values inline, and leave reference datasets out'],
    ['no rule', 'Rules = [ ]', ']', 'give at least one rule: an empty ruleset checks nothing'],
    ['an unclosed list', 'Rules = [ RowCount > 0', 'the end', 'close the Rules list with `]`'],
    ['unclosed quotes', 'Rules = [ IsComplete "a ]', '"a ]', 'close the quoted text with `"`'],
    ['text after the ruleset', 'Rules = [ RowCount > 0 ] RowCount', 'RowCount', 'end the ruleset after its `]`, or follow `Rules = [ ... ]` with `Analyzers = [ ... ]` only'],
  ])('refuses %s', (_, text, found, fix) => {
    const problems = dqdlProblems(text);
    expect(problems).toEqual([expect.objectContaining({ found })]);
    expect(problems.map((p) => p.fix)).toEqual([fix]);
  });

  // each problem whole: where, what was found there, and the fix
  test.each([
    ['a threshold without a condition', 'ColumnValues "a" > 1 with threshold', [['line 3, column 1', ']', 'give the threshold a condition, for example `with threshold > 0.95`']]],
    ['a threshold on text', 'ColumnValues "a" > 1 with threshold > "x"', [
      ['line 2, column 39', '>', 'compare text with `=`, `!=`, `in` or `matches`; `>`, `<` and `between` take numbers, dates or durations'],
      ['line 2, column 39', '>', 'give the threshold a number condition, for example `with threshold > 0.95`'],
    ]],
    ['a size after a word', 'ColumnValues "a" > big MB', [['line 2, column 22', 'big', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ...['"x\\"2024-06-01"', '"2024-06-01\\"x"', '"x\\"9:30 AM"', '"9:30 AM\\"x"', '"x\\"17:30"'].map((text): [string, string, string[][]] => [`text that holds a date or time: ${text}`, `ColumnValues "d" > ${text}`,
      [['line 2, column 20', '>', 'compare text with `=`, `!=`, `in` or `matches`; `>`, `<` and `between` take numbers, dates or durations']]]),
    ['a tag other than threshold', 'ColumnValues "a" > 1 with weight > 0.5', [['line 2, column 29', 'weight', 'the only tag this library checks is `with threshold`, for example `with threshold > 0.95`']]],
    ['an unquoted where clause', 'ColumnValues "a" > 1 where amount > 0', [['line 2, column 30', 'amount', 'give the where clause as a quoted SQL condition: `where "amount > 0"`']]],
    ['a variable', 'ColumnValues "a" > $limit', [['line 2, column 22', '$', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ['not before a comparison', 'ColumnValues "a" not > 1', [['line 2, column 24', '>', 'follow `not` with `between`, `in` or `matches`']]],
    ['between without and', 'ColumnValues "a" between 1 or 3', [['line 2, column 30', 'or', 'write `between <low> and <high>`']]],
    ['values without brackets', 'ColumnValues "a" in 1, 2', [
      ['line 2, column 23', '1', 'give the values in brackets: `in [1, 2, 3]` or `in ["a", "b"]`'],
      ['line 2, column 26', '2', 'give a rule type, for example `RowCount > 0` or `IsComplete "id"`'],
    ]],
    ['an unquoted pattern', 'ColumnValues "a" matches abc', [['line 2, column 28', 'abc', 'give the pattern quoted: `matches "[a-z]+"`']]],
    ['a bare !', 'ColumnValues "a" ! 1', [['line 2, column 22', '1', 'write `!=`']]],
    ['values without a condition', 'ColumnValues "a"', [['line 2, column 3', 'ColumnValues', 'ColumnValues checks each value: give a condition, for example `in ["a", "b"]` or `> 0`']]],
    ['a size', 'ColumnValues "a" > 5 MB', [['line 2, column 24', 'MB', 'sizes belong to file rules, which are not checked here']]],
    ['a duration in weeks', 'ColumnValues "a" > (now() - 3 weeks)', [['line 2, column 31', '3', 'give a duration after now(): `(now() - 3 days)`, in days, hours or minutes']]],
    ['a date expression left open', 'ColumnValues "a" > (now() - 3 days', [['line 3, column 1', ']', 'close the date expression: `(now() - 3 days)`']]],
    ['an arithmetic parenthesis left open', 'ColumnValues "a" > (1 + 2', [['line 3, column 1', ']', 'close the parenthesis']]],
    ['a comparison without a value', 'ColumnValues "a" >', [['line 3, column 1', ']', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ['values compared with a duration', 'ColumnValues "a" > 3 days', [['line 2, column 20', '>', 'ColumnValues compares values with numbers, text or dates, not durations']]],
    ['now without parentheses', 'ColumnValues "a" = now', [['line 3, column 1', ']', 'write `now()`']]],
    ['a freshness without a condition', 'DataFreshness "a"', [['line 2, column 3', 'DataFreshness', 'DataFreshness returns an age: give a condition, for example `<= 24 hours`']]],
    ['a type without a condition', 'ColumnDataType "a"', [['line 2, column 3', 'ColumnDataType', 'ColumnDataType returns a type name: give a condition, for example `= "Integer"`']]],
    ['a type compared with a number', 'ColumnDataType "a" = 3', [['line 2, column 22', '=', 'ColumnDataType returns a type name: compare it with quoted text such as "Integer"']]],
    ['a count compared with text', 'RowCount > "x"', [['line 2, column 12', '>', 'compare text with `=`, `!=`, `in` or `matches`; `>`, `<` and `between` take numbers, dates or durations']]],
    ['a rule\'s parenthesis left open', '(IsComplete "a"', [['line 3, column 1', ']', 'close the parenthesis of this rule']]],
    ['labels on a composite rule', '(IsComplete "a") labels=["x"="y"]', [['line 2, column 20', 'labels', 'labels are outside the DQDL this library checks: remove them']]],
    ['a condition without a rule type', '> 3', [['line 2, column 3', '>', 'give a rule type, for example `RowCount > 0` or `IsComplete "id"`']]],
    ['a character DQDL lacks', 'IsComplete "a" @', [['line 2, column 18', '@', 'remove this character: DQDL has no such symbol']]],
    ['an analyzer among the rules', 'AllStatistics "a"', [['line 2, column 3', 'AllStatistics', 'AllStatistics is not checked here: it is an analyzer, not a rule: put it in an `Analyzers = [ ... ]` section']]],
    ['values of two kinds', 'ColumnValues "a" in ["a", 1]', [['line 2, column 20', 'in', 'give values of one kind: all numbers, all quoted text or all dates']]],
    ['bounds of two kinds', 'ColumnValues "a" between "2022-01-01" and 3', [['line 2, column 20', 'between', 'give both bounds of one kind: two numbers, two dates or two durations']]],
    ['a freshness between a duration and a number', 'DataFreshness "a" between 1 days and 2', [['line 2, column 21', 'between', 'give both bounds of one kind: two numbers, two dates or two durations']]],
    ['a list of values left open', 'ColumnValues "a" in [1, 2 3]', [
      ['line 2, column 29', '3', 'close the list of values with `]`'],
      ['line 3, column 1', ']', 'end the ruleset after its `]`, or follow `Rules = [ ... ]` with `Analyzers = [ ... ]` only'],
    ]],
    ['a variable among the parameters', 'IsComplete $x', [['line 2, column 14', '$', 'variables are outside the DQDL this library checks: write the value inline']]],
    ['a custom query compared with a duration', 'CustomSql "select 1" > 3 days', [['line 2, column 24', '>', 'CustomSql returns a number: compare it with a number']]],
    ['a custom query between dates', 'CustomSql "select 1" between "2022-01-01" and "2022-02-01"', [['line 2, column 24', 'between', 'CustomSql returns a number: compare it with a number']]],
    ['a count compared with a duration', 'RowCount > 3 hours', [['line 2, column 12', '>', 'RowCount returns a number: compare it with a number']]],
    ['a mean compared with a date', 'Mean "x" > "2022-01-01"', [['line 2, column 12', '>', 'Mean returns a number: compare it with a number']]],
    ['a rule of a varying count without parameters', 'Uniqueness > 0', [['line 2, column 3', 'Uniqueness', 'Uniqueness takes at least 1 parameter (quoted column names or SQL), 0 given']]],
    ['a rule of two parameters given three', 'ColumnCorrelation "a" "b" "c" > 0', [['line 2, column 3', 'ColumnCorrelation', 'ColumnCorrelation takes 2 parameters (quoted column names or SQL), 3 given']]],
    ...['RowCountMatch', 'ReferentialIntegrity', 'DatasetMatch', 'SchemaMatch'].map((type): [string, string, string[][]] => [`a ${type} rule`, `${type} "reference" = 1.0`,
      [['line 2, column 3', type, `${type} is not checked here: it compares with a reference dataset, and an evaluation of one catalog table has none`]]]),
    ...['FileMatch', 'FileUniqueness', 'FileFreshness', 'FileSize'].map((type): [string, string, string[][]] => [`a ${type} rule`, `${type} "s3://bucket/" > 1`,
      [['line 2, column 3', type, `${type} is not checked here: file rules check S3 files, not a catalog table, and are experimental`]]]),
    ['a rule joined by AND without parentheses', 'IsComplete "a" AND IsUnique "a"', [['line 2, column 18', 'AND', 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`']]],
    ['a refused rule joined without parentheses', 'IsComplete "a" and RowCountMatch "r"', [['line 2, column 18', 'and', 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`']]],
    ['DetectAnomalies without a rule to watch', 'DetectAnomalies', [['line 2, column 3', 'DetectAnomalies', 'DetectAnomalies takes at least 1 parameter (quoted column names or SQL), 0 given']]],
    ['a type compared with now()', 'ColumnDataType "a" = now()', [['line 2, column 22', '=', 'ColumnDataType returns a type name: compare it with quoted text such as "Integer"']]],
    ['a date expression left open after now(', 'ColumnValues "a" = now(', [['line 3, column 1', ']', 'write `now()`']]],
    ['a word where the duration\'s number goes', 'ColumnValues "d" > (now() - hours days)', [['line 2, column 31', 'hours', 'give a duration after now(): `(now() - 3 days)`, in days, hours or minutes']]],
    ['a word before a duration unit', 'DataFreshness "a" <= x hours', [['line 2, column 24', 'x', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ['a minus before a word', 'RowCount > -x', [['line 2, column 14', '-', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ['a symbol before a parenthesis, which is no function', 'RowCount > * (1)', [['line 2, column 14', '*', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ['a word for a number', 'RowCount > x', [['line 2, column 14', 'x', 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days']]],
    ['values of a number and EMPTY', 'ColumnValues "a" in [1, EMPTY]', [['line 2, column 20', 'in', 'give values of one kind: all numbers, all quoted text or all dates']]],
    // a name up to 2 edits from a rule type is suggested, and a long one up to a quarter of its letters
    ['a short name 2 edits off', 'Maen "x" > 1', [['line 2, column 3', 'Maen', 'Maen is not a DQDL rule type: did you mean Mean?']]],
    ['a long name 4 edits off', 'StandardDxxxxtion "x" > 1', [['line 2, column 3', 'StandardDxxxxtion', 'StandardDxxxxtion is not a DQDL rule type: did you mean StandardDeviation?']]],
  ])('names %s whole', (_, rule, expected) => {
    expect(dqdlProblems(ruleset([rule])).map((p) => [p.at, p.found, p.fix])).toEqual(expected);
  });

  test.each([
    ['an empty analyzers section', 'Rules = [ RowCount > 0 ] Analyzers = [ ]', [['line 1, column 40', ']', 'give at least one analyzer, or leave the section out']]],
    ['an analyzer that is none', 'Rules = [ RowCount > 0 ] Analyzers = [ Banana ]', [['line 1, column 40', 'Banana', 'give an analyzer: a rule type such as Completeness, or AllStatistics; rule types: '
      + 'RowCount, ColumnCount, Completeness, IsComplete, ColumnDataType, ColumnNamesMatchPattern, ColumnExists, ColumnCorrelation, Uniqueness, IsUnique, '
      + 'IsPrimaryKey, Mean, Sum, StandardDeviation, Variance, Entropy, DistinctValuesCount, UniqueValueRatio, ColumnLength, ColumnValues, DataFreshness, '
      + 'CustomSql, AggregateMatch, DetectAnomalies, AllStatistics']]],
    ['a DataSources section', 'DataSources = { } Rules = [ RowCount > 0 ]', [['line 1, column 1', 'DataSources',
      'DataSources is outside the DQDL this library checks (Rules and Analyzers): write values inline, and leave reference datasets out']]],
    ['default labels', 'DefaultLabels = [] Rules = [ RowCount > 0 ]', [['line 1, column 1', 'DefaultLabels',
      'DefaultLabels is outside the DQDL this library checks (Rules and Analyzers): write values inline, and leave reference datasets out']]],
    ['analyzers before the rules', 'Analyzers = [ RowCount ] Rules = [ RowCount > 0 ]', [['line 1, column 1', 'Analyzers', 'start the ruleset with `Rules = [` (DQDL is case sensitive)']]],
    ['Rules without =', 'Rules [ RowCount > 0 ]', [['line 1, column 7', '[', 'write `Rules = [`']]],
    ['Rules without [', 'Rules = RowCount > 0', [['line 1, column 9', 'RowCount', 'write `Rules = [`']]],
    ['Analyzers without =', 'Rules = [ RowCount > 0 ] Analyzers [ RowCount ]', [['line 1, column 36', '[', 'write `Analyzers = [`']]],
    ['an unclosed list, at its end', 'Rules = [\n  RowCount > 0  ', [['line 2, column 17', 'the end', 'close the Rules list with `]`']]],
    ['a line after blanks and trailing spaces', 'Rules = [  \n\t\n  RowCount > 0,  \n   IsCompete "a" ]', [['line 4, column 4', 'IsCompete', 'IsCompete is not a DQDL rule type: did you mean IsComplete?']]],
    ['a pattern that parses only in its quotes', 'Rules = [ ColumnValues "a" matches "*" ]', [['line 1, column 36', '"*"', 'give a regular expression that parses']]],
    ['a comma after the last rule', 'Rules = [ RowCount > 0, ]', [['line 1, column 25', ']', 'remove the comma before `]`: DQDL takes none after the last rule']]],
    ['a comma after the last analyzer', 'Rules = [ RowCount > 0 ] Analyzers = [ RowCount, ]', [['line 1, column 50', ']', 'remove the comma before `]`: DQDL takes none after the last analyzer']]],
    ['a second rule joined without parentheses', 'Rules = [ (RowCount > 0) and RowCount > 1 ]', [['line 1, column 30', 'RowCount',
      'put each rule that `and` or `or` joins in parentheses']]],
  ])('names %s whole', (_, text, expected) => {
    expect(dqdlProblems(text).map((p) => [p.at, p.found, p.fix])).toEqual(expected);
  });

  test.each([
    ['rules joined by AND and OR in capitals', '(IsComplete "a") AND (IsUnique "a")'],
    ['three rules joined by one word, in either case', '(IsComplete "a") and (IsUnique "a") AND (RowCount > 0)'],
    ['three rules joined by or', '(IsComplete "a") or (IsUnique "a") OR (RowCount > 0)'],
  ])('takes %s', (_, rule) => {
    expect(dqdlProblems(ruleset([rule]))).toEqual([]);
  });

  test('a name too far from every rule type lists them all, a long one too', () => {
    const types = 'RowCount, ColumnCount, Completeness, IsComplete, ColumnDataType, ColumnNamesMatchPattern, ColumnExists, ColumnCorrelation, Uniqueness, IsUnique, '
      + 'IsPrimaryKey, Mean, Sum, StandardDeviation, Variance, Entropy, DistinctValuesCount, UniqueValueRatio, ColumnLength, ColumnValues, DataFreshness, '
      + 'CustomSql, AggregateMatch, DetectAnomalies';
    expect(dqdlProblems(ruleset(['Mxxx "x" > 1', 'StandardDxxxxxion "x" > 1'])).map((p) => p.fix)).toEqual([
      `Mxxx is not a DQDL rule type; rule types: ${types}`, `StandardDxxxxxion is not a DQDL rule type; rule types: ${types}`,
    ]);
  });

  test('a rule that fails inside parentheses, or inside a function\'s, still has the rules after it read', () => {
    expect(dqdlProblems(ruleset(['ColumnValues "a" > (now() - 3 weeks)', 'RowCount > avg(last(10), 3)', 'IsCompete "x"'])).map((p) => [p.at, p.found])).toEqual([
      ['line 2, column 31', '3'], ['line 3, column 14', 'avg'], ['line 4, column 3', 'IsCompete'],
    ]);
  });

  test('a rule run on from the one before still has the rules after it read', () => {
    expect(dqdlProblems(ruleset(['RowCount > 0 IsComplete "a"', 'IsCompete "b"', 'RowCount > 1'])).map((p) => [p.at, p.found, p.fix])).toEqual([
      ['line 2, column 16', 'IsComplete', 'separate rules with commas'],
      ['line 3, column 3', 'IsCompete', 'IsCompete is not a DQDL rule type: did you mean IsComplete?'],
    ]);
  });

  test('an analyzer that is quoted text is refused without a list of names to pick from', () => {
    expect(dqdlProblems('Rules = [ RowCount > 0 ] Analyzers = [ "RowCount" ]').map((p) => [p.at, p.found, p.fix]))
      .toEqual([['line 1, column 40', '"RowCount"', 'give an analyzer: a rule type such as Completeness, or AllStatistics']]);
  });

  test('quoted text left open is named where it opens', () => {
    expect(dqdlProblems('Rules = [\n  IsComplete "a ]').map((p) => [p.at, p.found, p.fix])).toEqual([['line 2, column 14', '"a ]', 'close the quoted text with `"`']]);
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
