import { counted } from '../core/counted';
import { editDistance } from '../core/edit-distance';

/*
 * A checker for the part of Glue Data Quality's rule language (DQDL) that a ruleset evaluated
 * against one catalog table uses, so a bad rule fails at synth rather than at the first run.
 * It follows DQDL's grammar and rule types as AWS publishes them (github.com/awslabs/dqdl:
 * configuration/dqdl/DataQualityDefinitionLanguage.g4 and configuration/rules/rules-config.json;
 * docs.aws.amazon.com/glue/latest/dg/dqdl.html), for this subset:
 *
 *   document  := 'Rules' '=' '[' rule (',' rule)* ']' ( 'Analyzers' '=' '[' analyzer (',' analyzer)* ']' )?
 *   rule      := '(' rule ')' (('and' | 'or') '(' rule ')')* | ruleType parameter* condition? where? threshold?
 *   parameter := ('of' | 'and')? ("quoted" | identifier)
 *   condition := 'not'? 'between' operand 'and' operand | ('>' | '>=' | '<' | '<=' | '=' | '!=') operand
 *              | 'not'? 'in' '[' operand (',' operand)* ']' | 'not'? 'matches' "regex"
 *   operand   := number (with + - * / and parentheses) | "text" | "YYYY-MM-DD" | NULL | EMPTY | WHITESPACES_ONLY
 *              | now() | '(' now() ('+' | '-') duration ')' | duration (N days | hours | minutes)
 *   where     := 'where' "SQL condition";  threshold := 'with' 'threshold' condition (on a number)
 *
 * Left out, each refused with its reason: Metadata, DataSources and variables; rule labels;
 * dynamic rules (`last(k)` and other functions, which Glue evaluates in ETL jobs only); rules
 * that compare with a reference dataset (an evaluation of one table has none); file rules.
 */

/** One thing wrong with a ruleset: where, what was found, and the fix. */
export interface DqdlProblem {
  /** `line 3, column 7`. */
  readonly at: string;
  /** The text found there, or `the end` of the ruleset. */
  readonly found: string;
  readonly fix: string;
}

/** What a rule type returns, which decides the condition it takes. */
type Returns = 'number' | 'boolean' | 'string' | 'values' | 'freshness' | 'number or boolean';

interface RuleType {
  /** How many parameters: an exact count, or at least `min` when `varArg`. */
  readonly params: number;
  readonly varArg?: boolean;
  readonly returns: Returns;
  readonly where?: boolean;
  readonly threshold?: boolean;
}

/** The rule types an evaluation of one catalog table runs (rules-config.json). */
const RULE_TYPES: { readonly [name: string]: RuleType } = {
  RowCount: { params: 0, returns: 'number', where: true },
  ColumnCount: { params: 0, returns: 'number' },
  Completeness: { params: 1, returns: 'number', where: true },
  IsComplete: { params: 1, returns: 'boolean', where: true },
  ColumnDataType: { params: 1, returns: 'string', where: true, threshold: true },
  ColumnNamesMatchPattern: { params: 1, returns: 'boolean' },
  ColumnExists: { params: 1, returns: 'boolean' },
  ColumnCorrelation: { params: 2, returns: 'number', where: true },
  Uniqueness: { params: 1, varArg: true, returns: 'number', where: true },
  IsUnique: { params: 1, varArg: true, returns: 'boolean', where: true },
  IsPrimaryKey: { params: 1, varArg: true, returns: 'boolean', where: true },
  Mean: { params: 1, returns: 'number', where: true },
  Sum: { params: 1, returns: 'number', where: true },
  StandardDeviation: { params: 1, returns: 'number', where: true },
  Variance: { params: 1, returns: 'number', where: true },
  Entropy: { params: 1, returns: 'number', where: true },
  DistinctValuesCount: { params: 1, returns: 'number', where: true },
  UniqueValueRatio: { params: 1, returns: 'number', where: true },
  ColumnLength: { params: 1, returns: 'number', where: true },
  ColumnValues: { params: 1, returns: 'values', where: true, threshold: true },
  DataFreshness: { params: 1, returns: 'freshness', where: true },
  CustomSql: { params: 1, returns: 'number or boolean', threshold: true },
  AggregateMatch: { params: 2, returns: 'number' },
  DetectAnomalies: { params: 1, varArg: true, returns: 'boolean' },
};

/** Rule types this subset refuses, and why. */
const REFUSED_RULE_TYPES: { readonly [name: string]: string } = {
  RowCountMatch: 'it compares with a reference dataset, and an evaluation of one catalog table has none',
  ReferentialIntegrity: 'it compares with a reference dataset, and an evaluation of one catalog table has none',
  DatasetMatch: 'it compares with a reference dataset, and an evaluation of one catalog table has none',
  SchemaMatch: 'it compares with a reference dataset, and an evaluation of one catalog table has none',
  FileMatch: 'file rules check S3 files, not a catalog table, and are experimental',
  FileUniqueness: 'file rules check S3 files, not a catalog table, and are experimental',
  FileFreshness: 'file rules check S3 files, not a catalog table, and are experimental',
  FileSize: 'file rules check S3 files, not a catalog table, and are experimental',
  AllStatistics: 'it is an analyzer, not a rule: put it in an `Analyzers = [ ... ]` section',
};

/** The rules DetectAnomalies watches (docs.aws.amazon.com/glue/latest/dg/dqdl-rule-types-DetectAnomalies.html). */
const ANOMALY_RULES = ['RowCount', 'Completeness', 'Uniqueness', 'Mean', 'Sum', 'StandardDeviation', 'Entropy', 'DistinctValuesCount',
  'UniqueValueRatio', 'ColumnLength', 'ColumnValues', 'ColumnCorrelation', 'CustomSql', 'ColumnCount'];

const KEYWORDS = new Set(['and', 'AND', 'or', 'OR', 'of', 'OF', 'between', 'in', 'not', 'matches', 'where', 'with', 'labels', 'NULL', 'null',
  'EMPTY', 'empty', 'WHITESPACES_ONLY', 'whitespaces_only']);
const DURATION_UNITS = new Set(['days', 'hours', 'minutes']);
const SIZE_UNITS = new Set(['B', 'KB', 'MB', 'GB', 'TB']);
const VALUE_KEYWORDS = new Set(['NULL', 'null', 'EMPTY', 'empty', 'WHITESPACES_ONLY', 'whitespaces_only']);
const DATE = /^"\d{4}-\d{2}-\d{2}"$/;
const TIME = /^"(\d{1,2}:\d{2} (AM|PM)|\d{2}:\d{2})"$/;

interface Token {
  readonly kind: 'text' | 'number' | 'word' | 'symbol' | 'end';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** The kinds of value an operand or a condition can be. */
type ValueKind = 'number' | 'string' | 'date' | 'duration';

/** Why a rule cannot be read further: its problem is recorded, the checker moves to the next rule. */
class Unreadable extends Error {}

/** The problems of a DQDL ruleset in the subset above: none for a good one. */
export function dqdlProblems(ruleset: string): DqdlProblem[] {
  return new DqdlChecker(ruleset).check();
}

class DqdlChecker {
  private readonly tokens: Token[];
  private readonly problems: DqdlProblem[] = [];
  private position = 0;

  constructor(text: string) {
    this.tokens = tokenize(text, this.problems);
  }

  public check(): DqdlProblem[] {
    if (this.problems.length === 0) {
      this.document();
    }
    return this.problems;
  }

  private document(): void {
    const first = this.peek();
    if (first.text !== 'Rules' && first.text.toLowerCase() === 'rules') {
      this.problem(first, 'start the ruleset with `Rules = [` (DQDL is case sensitive)');
      return;
    }
    // Metadata, DataSources, DefaultLabels and any other section
    if (first.kind === 'word' && this.peek(1).text === '=' && !['Rules', 'Analyzers'].includes(first.text)) {
      this.problem(first, `${first.text} is outside the DQDL this library checks (Rules and Analyzers): write values inline, and leave reference datasets out`);
      return;
    }
    if (first.text !== 'Rules') {
      this.problem(first, 'start the ruleset with `Rules = [` (DQDL is case sensitive)');
      return;
    }
    try {
      this.section('Rules', () => this.topLevelRule());
      if (this.peek().text === 'Analyzers') {
        this.section('Analyzers', () => this.analyzer());
      }
      if (this.peek().kind !== 'end') {
        this.problem(this.peek(), 'end the ruleset after its `]`, or follow `Rules = [ ... ]` with `Analyzers = [ ... ]` only');
      }
    } catch (error) {
      if (!(error instanceof Unreadable)) {
        throw error;
      }
    }
  }

  /** `Name = [ item, item ]`, reading each item and, past a bad one, going on at the next comma. */
  private section(name: string, item: () => void): void {
    // the section's name, which the caller has seen
    this.next();
    this.expect('=', `write \`${name} = [\``);
    this.expect('[', `write \`${name} = [\``);
    if (this.peek().text === ']') {
      this.problem(this.peek(), name === 'Rules' ? 'give at least one rule: an empty ruleset checks nothing' : 'give at least one analyzer, or leave the section out');
    }
    while (this.peek().text !== ']') {
      try {
        item();
      } catch (error) {
        if (!(error instanceof Unreadable)) {
          throw error;
        }
        this.skipToItemEnd();
      }
      const next = this.peek();
      if (next.text === ',') {
        this.position++;
        if (this.peek().text === ']') {
          this.problem(this.peek(), `remove the comma before \`]\`: DQDL takes none after the last ${name === 'Rules' ? 'rule' : 'analyzer'}`);
        }
      } else if (next.text !== ']') {
        this.problem(next, next.kind === 'end' ? `close the ${name} list with \`]\`` : 'separate rules with commas');
        if (next.kind === 'end') {
          throw new Unreadable();
        }
        this.skipToItemEnd();
        if (this.peek().text === ',') {
          this.position++;
        }
      }
    }
    this.position++;
  }

  /** A rule, or rules joined by `and` or `or`, each in parentheses. */
  private topLevelRule(): void {
    if (this.peek().text !== '(') {
      this.rule();
      if (['and', 'AND', 'or', 'OR'].includes(this.peek().text)) {
        this.problem(this.peek(), 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`');
        throw new Unreadable();
      }
      return;
    }
    let joiner: string | undefined;
    for (;;) {
      this.expect('(', 'put each rule that `and` or `or` joins in parentheses');
      this.topLevelRule();
      this.expect(')', 'close the parenthesis of this rule');
      if (this.peek().text === 'labels') {
        this.problem(this.peek(), 'labels are outside the DQDL this library checks: remove them');
        throw new Unreadable();
      }
      const next = this.peek();
      if (!['and', 'AND', 'or', 'OR'].includes(next.text)) {
        return;
      }
      const word = next.text.toLowerCase();
      if (joiner !== undefined && joiner !== word) {
        this.problem(next, 'nest rules in parentheses to mix `and` with `or`: `(A) and ((B) or (C))`');
        throw new Unreadable();
      }
      joiner = word;
      this.position++;
    }
  }

  private rule(): void {
    const name = this.peek();
    if (name.kind !== 'word' || KEYWORDS.has(name.text)) {
      this.problem(name, 'give a rule type, for example `RowCount > 0` or `IsComplete "id"`');
      throw new Unreadable();
    }
    this.position++;
    const type = RULE_TYPES[name.text];
    if (!type) {
      this.problem(name, REFUSED_RULE_TYPES[name.text] !== undefined
        ? `${name.text} is not checked here: ${REFUSED_RULE_TYPES[name.text]}`
        : `${name.text} is not a DQDL rule type${suggestion(name.text, Object.keys(RULE_TYPES))}`);
      throw new Unreadable();
    }
    const params = this.parameters();
    const arity = type.varArg ? params.length >= type.params : params.length === type.params;
    if (!arity) {
      const wanted = type.params === 0 ? 'no parameter' : `${type.varArg ? 'at least ' : ''}${counted(type.params, 'parameter')} (quoted column names or SQL)`;
      this.problem(name, `${name.text} takes ${wanted}, ${params.length} given`);
    }
    if (name.text === 'DetectAnomalies' && params.length > 0) {
      const watched = params[0].text.replace(/^"|"$/g, '');
      if (!ANOMALY_RULES.some((r) => r.toLowerCase() === watched.toLowerCase())) {
        this.problem(params[0], `DetectAnomalies watches one of ${ANOMALY_RULES.join(', ')}`);
      }
    }
    const condition = this.peekCondition() ? this.condition() : undefined;
    this.checkCondition(name, type, condition);
    if (this.peek().text === 'where') {
      const where = this.peek();
      this.position++;
      if (this.peek().kind !== 'text') {
        this.problem(this.peek(), 'give the where clause as a quoted SQL condition: `where "amount > 0"`');
        throw new Unreadable();
      }
      this.position++;
      if (!type.where) {
        this.problem(where, `${name.text} takes no where clause`);
      }
    }
    while (this.peek().text === 'with') {
      const withToken = this.peek();
      this.position++;
      this.expect('threshold', 'the only tag this library checks is `with threshold`, for example `with threshold > 0.95`');
      if (!this.peekCondition()) {
        this.problem(this.peek(), 'give the threshold a condition, for example `with threshold > 0.95`');
        throw new Unreadable();
      }
      const threshold = this.condition();
      if (!type.threshold) {
        this.problem(withToken, `${name.text} takes no threshold`);
      } else if (!threshold.kinds.includes('number')) {
        this.problem(threshold.at, 'give the threshold a number condition, for example `with threshold > 0.95`');
      }
    }
    if (this.peek().text === 'labels') {
      this.problem(this.peek(), 'labels are outside the DQDL this library checks: remove them');
      throw new Unreadable();
    }
  }

  private analyzer(): void {
    const name = this.peek();
    if (name.kind !== 'word' || (RULE_TYPES[name.text] === undefined && name.text !== 'AllStatistics')) {
      this.problem(name, `give an analyzer: a rule type such as Completeness, or AllStatistics${name.kind === 'word' ? suggestion(name.text, [...Object.keys(RULE_TYPES), 'AllStatistics']) : ''}`);
      throw new Unreadable();
    }
    this.position++;
    this.parameters();
  }

  /** Parameters, each quoted or a bare name, perhaps after `of` or `and`. */
  private parameters(): Token[] {
    const params: Token[] = [];
    for (;;) {
      const token = this.peek();
      const connector = ['of', 'OF', 'and', 'AND'].includes(token.text);
      const value = connector ? this.peek(1) : token;
      if (connector && ['and', 'AND'].includes(token.text) && (RULE_TYPES[value.text] !== undefined || REFUSED_RULE_TYPES[value.text] !== undefined)) {
        this.problem(token, 'put each rule that `and` or `or` joins in parentheses: `(IsComplete "a") and (IsUnique "a")`');
        throw new Unreadable();
      }
      if (value.kind === 'text' || (value.kind === 'word' && !KEYWORDS.has(value.text))) {
        params.push(value);
        this.position += connector ? 2 : 1;
      } else if (value.text === '$') {
        this.problem(value, 'variables are outside the DQDL this library checks: write the value inline');
        throw new Unreadable();
      } else {
        return params;
      }
    }
  }

  private peekCondition(): boolean {
    return ['between', 'in', 'not', 'matches', '>', '>=', '<', '<=', '=', '!'].includes(this.peek().text);
  }

  /** A condition, and the kinds of value it compares with. */
  private condition(): { at: Token; kinds: ValueKind[] } {
    const at = this.peek();
    if (this.peek().text === 'not') {
      this.position++;
      if (!['between', 'in', 'matches'].includes(this.peek().text)) {
        this.problem(this.peek(), 'follow `not` with `between`, `in` or `matches`');
        throw new Unreadable();
      }
    }
    const operator = this.next();
    switch (operator.text) {
      case 'between': {
        const low = this.operand();
        this.expect('and', 'write `between <low> and <high>`');
        const high = this.operand();
        const kinds = intersect(low, high);
        if (kinds.length === 0) {
          this.problem(at, 'give both bounds of one kind: two numbers, two dates or two durations');
        }
        return { at, kinds: this.ordered(at, kinds) };
      }
      case 'in': {
        this.expect('[', 'give the values in brackets: `in [1, 2, 3]` or `in ["a", "b"]`');
        let kinds = this.operand();
        while (this.peek().text === ',') {
          this.position++;
          kinds = intersect(kinds, this.operand());
        }
        this.expect(']', 'close the list of values with `]`');
        if (kinds.length === 0) {
          this.problem(at, 'give values of one kind: all numbers, all quoted text or all dates');
        }
        return { at, kinds };
      }
      case 'matches': {
        if (this.peek().kind !== 'text') {
          this.problem(this.peek(), 'give the pattern quoted: `matches "[a-z]+"`');
          throw new Unreadable();
        }
        const pattern = this.next();
        try {
          new RegExp(unquote(pattern.text));
        } catch {
          this.problem(pattern, 'give a regular expression that parses');
        }
        return { at, kinds: ['string'] };
      }
      case '!':
        this.expect('=', 'write `!=`');
        return { at, kinds: this.operand() };
      case '=':
        return { at, kinds: this.operand() };
      default:
        // `>`, `>=`, `<` or `<=`: peekCondition lets no other operator through
        return { at, kinds: this.ordered(at, this.operand()) };
    }
  }

  /** Kinds compared by order (`>`, `between`): text is compared only for equality. */
  private ordered(at: Token, kinds: ValueKind[]): ValueKind[] {
    const ordered = kinds.filter((k) => k !== 'string');
    if (kinds.length > 0 && ordered.length === 0) {
      this.problem(at, 'compare text with `=`, `!=`, `in` or `matches`; `>`, `<` and `between` take numbers, dates or durations');
    }
    return ordered;
  }

  /** One operand, and the kinds of value it can be. */
  private operand(): ValueKind[] {
    const token = this.peek();
    if (token.kind === 'text') {
      this.position++;
      return DATE.test(token.text) || TIME.test(token.text) ? ['string', 'date'] : ['string'];
    }
    if (VALUE_KEYWORDS.has(token.text)) {
      this.position++;
      return token.text.toUpperCase() === 'NULL' ? ['number', 'string', 'date'] : ['string'];
    }
    if (token.text === 'now' || (token.text === '(' && this.peek(1).text === 'now')) {
      this.dateExpression();
      return ['date'];
    }
    if (token.kind === 'number' && DURATION_UNITS.has(this.peek(1).text)) {
      this.position += 2;
      return ['duration'];
    }
    if (token.kind === 'number' && SIZE_UNITS.has(this.peek(1).text)) {
      this.problem(this.peek(1), 'sizes belong to file rules, which are not checked here');
      throw new Unreadable();
    }
    this.numberExpression();
    return ['number'];
  }

  private dateExpression(): void {
    const parenthesized = this.peek().text === '(';
    // past `now`, which operand() saw
    this.position += parenthesized ? 2 : 1;
    this.expect('(', 'write `now()`');
    this.expect(')', 'write `now()`');
    if (parenthesized) {
      if (['+', '-'].includes(this.peek().text)) {
        this.position++;
        if (this.peek().kind !== 'number' || !DURATION_UNITS.has(this.peek(1).text)) {
          this.problem(this.peek(), 'give a duration after now(): `(now() - 3 days)`, in days, hours or minutes');
          throw new Unreadable();
        }
        this.position += 2;
      }
      this.expect(')', 'close the date expression: `(now() - 3 days)`');
    }
  }

  /** A number: literals, `+ - * /` and parentheses; a function is a dynamic rule, refused. */
  private numberExpression(): void {
    this.numberTerm();
    while (['+', '-', '*', '/'].includes(this.peek().text)) {
      this.position++;
      this.numberTerm();
    }
  }

  private numberTerm(): void {
    const token = this.peek();
    if (token.text === '-' && this.peek(1).kind === 'number') {
      this.position += 2;
    } else if (token.kind === 'number') {
      this.position++;
    } else if (token.text === '(') {
      this.position++;
      this.numberExpression();
      this.expect(')', 'close the parenthesis');
    } else if (token.kind === 'word' && this.peek(1).text === '(') {
      this.problem(token, 'dynamic rules (last(k), avg(...) and other functions) run in Glue ETL jobs only, not in evaluations of a catalog table: give a fixed number');
      throw new Unreadable();
    } else {
      this.problem(token, 'give a value: a number, quoted text, a date such as "2024-01-31", now(), or a duration such as 3 days');
      throw new Unreadable();
    }
  }

  /** Whether the condition suits what the rule returns. */
  private checkCondition(name: Token, type: RuleType, condition: { at: Token; kinds: ValueKind[] } | undefined): void {
    const takes = (kinds: ValueKind[]) => condition === undefined || condition.kinds.some((k) => kinds.includes(k)) || condition.kinds.length === 0;
    switch (type.returns) {
      case 'boolean':
        if (condition) {
          this.problem(condition.at, `${name.text} passes or fails by itself: remove the condition`);
        }
        return;
      case 'number or boolean':
        if (!takes(['number'])) {
          this.problem(condition!.at, `${name.text} returns a number: compare it with a number`);
        }
        return;
      case 'number':
        if (!condition) {
          this.problem(name, `${name.text} returns a number: give a condition, for example \`${name.text}${' "column"'.repeat(type.params)} > 0\``);
        } else if (!takes(['number'])) {
          this.problem(condition.at, `${name.text} returns a number: compare it with a number`);
        }
        return;
      case 'string':
        if (!condition) {
          this.problem(name, `${name.text} returns a type name: give a condition, for example \`= "Integer"\``);
        } else if (!takes(['string'])) {
          this.problem(condition.at, `${name.text} returns a type name: compare it with quoted text such as "Integer"`);
        }
        return;
      case 'freshness':
        if (!condition) {
          this.problem(name, `${name.text} returns an age: give a condition, for example \`<= 24 hours\``);
        } else if (!takes(['duration'])) {
          this.problem(condition.at, `${name.text} returns an age: compare it with a duration such as 24 hours`);
        }
        return;
      case 'values':
        if (!condition) {
          this.problem(name, `${name.text} checks each value: give a condition, for example \`in ["a", "b"]\` or \`> 0\``);
        } else if (!takes(['number', 'string', 'date'])) {
          this.problem(condition.at, `${name.text} compares values with numbers, text or dates, not durations`);
        }
    }
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    this.position = Math.min(this.position + 1, this.tokens.length - 1);
    return token;
  }

  private expect(text: string, fix: string): void {
    if (this.peek().text !== text) {
      this.problem(this.peek(), fix);
      throw new Unreadable();
    }
    this.position++;
  }

  /**
   * Past the rest of a rule that cannot be read: to the comma or `]` of its list, outside
   * parentheses. A rule may have failed inside parentheses it opened: their `)` takes it no
   * deeper than the list.
   */
  private skipToItemEnd(): void {
    let depth = 0;
    for (;;) {
      const token = this.peek();
      if (token.kind === 'end' || (depth === 0 && (token.text === ',' || token.text === ']'))) {
        return;
      }
      depth = Math.max(depth + (token.text === '(' || token.text === '[' ? 1 : token.text === ')' || token.text === ']' ? -1 : 0), 0);
      this.position++;
    }
  }

  private problem(token: Token, fix: string): void {
    this.problems.push({ at: `line ${token.line}, column ${token.column}`, found: token.kind === 'end' ? 'the end' : token.text, fix });
  }
}

/** DQDL's tokens: quoted text (a backslash keeps the character after it in the text), numbers, words, symbols; `#` comments to the end of the line. */
function tokenize(text: string, problems: DqdlProblem[]): Token[] {
  const tokens: Token[] = [];
  const pattern = /(\s+)|(#[^\n]*)|("(?:\\[\s\S]|[^"\\])*")|(\d+(?:\.\d+)?(?![A-Za-z_.]))|([A-Za-z0-9_.]+)|(>=|<=|[[\](){},=<>!+\-*/:$])|(")|(.)/gy;
  let line = 1;
  let lineStart = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const [whole, space, comment, quoted, number, word, symbol, openQuote] = match;
    const column = match.index - lineStart + 1;
    if (space !== undefined || comment !== undefined) {
      // counted below
    } else if (quoted !== undefined) {
      tokens.push({ kind: 'text', text: quoted, line, column });
    } else if (number !== undefined) {
      tokens.push({ kind: 'number', text: number, line, column });
    } else if (word !== undefined) {
      tokens.push({ kind: 'word', text: word, line, column });
    } else if (symbol !== undefined) {
      tokens.push({ kind: 'symbol', text: symbol, line, column });
    } else if (openQuote !== undefined) {
      problems.push({ at: `line ${line}, column ${column}`, found: text.slice(match.index, match.index + 20), fix: 'close the quoted text with `"`' });
      break;
    } else {
      problems.push({ at: `line ${line}, column ${column}`, found: whole, fix: 'remove this character: DQDL has no such symbol' });
    }
    for (let i = whole.indexOf('\n'); i !== -1; i = whole.indexOf('\n', i + 1)) {
      line++;
      lineStart = match.index + i + 1;
    }
  }
  tokens.push({ kind: 'end', text: '', line, column: text.length - lineStart + 1 });
  return tokens;
}

function intersect(a: ValueKind[], b: ValueKind[]): ValueKind[] {
  return a.filter((k) => b.includes(k));
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** `: did you mean IsComplete?` for a name a letter or two from a known one. */
function suggestion(name: string, known: string[]): string {
  const best = known.map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? `: did you mean ${best.k}?` : `; rule types: ${known.join(', ')}`;
}
