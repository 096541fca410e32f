/**
 * The run registry's table in memory, for local runs: it takes the putItem and updateItem requests
 * a run sends, refuses what DynamoDB refuses (a placeholder left undefined or defined and unused, an
 * empty attribute name, an attribute value that is not exactly one typed value, a failed condition),
 * and applies SET expressions as DynamoDB does. The records a run leaves are what a reader of the
 * registry would see.
 */
import { serviceError } from './dependency-records';

type AttributeValue = { [type: string]: any };
type Item = { [name: string]: AttributeValue };

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

export class RunTable {
  private readonly items = new Map<string, Item>();

  /** The record of a run, as the table holds it. */
  public record(workflow: string, runId: string): Item | undefined {
    return this.items.get(`${workflow}/${runId}`);
  }

  /** Task handlers answering these states as the table. */
  public handlers(puts: string[], updates: string[]): Record<string, (input: any) => object> {
    return {
      ...Object.fromEntries(puts.map((state) => [state, (input: any) => this.put(input)])),
      ...Object.fromEntries(updates.map((state) => [state, (input: any) => this.update(input)])),
    };
  }

  public put(request: { TableName: string; Item: Item }): object {
    checkTable(request.TableName);
    Object.values(request.Item).forEach(checkValue);
    this.items.set(keyOf(request.Item), structuredClone(request.Item));
    return {};
  }

  public update(request: {
    TableName: string; Key: Item; UpdateExpression: string; ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item;
  }): object {
    checkTable(request.TableName);
    const names = request.ExpressionAttributeNames ?? {};
    const values = request.ExpressionAttributeValues ?? {};
    const expressions = `${request.UpdateExpression} ${request.ConditionExpression ?? ''}`;
    const usedNames = new Set(expressions.match(/#\w+/g) ?? []);
    const usedValues = new Set(expressions.match(/:\w+/g) ?? []);
    expectSame('attribute names', usedNames, Object.keys(names));
    expectSame('attribute values', usedValues, Object.keys(values));
    Object.values(names).forEach((name) => {
      if (typeof name !== 'string' || name === '') {
        throw new Error(`ValidationException: an attribute name is empty: ${JSON.stringify(names)}`);
      }
    });
    Object.values(values).forEach(checkValue);
    const key = keyOf(request.Key);
    const item: Item = structuredClone(this.items.get(key) ?? request.Key);
    const name = (path: string) => (path.startsWith('#') ? names[path] : path);
    if (request.ConditionExpression) {
      const [, left, right] = /^(#?\w+) = (:\w+)$/.exec(request.ConditionExpression) ?? [];
      if (!left || JSON.stringify(item[name(left)]) !== JSON.stringify(values[right])) {
        throw serviceError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
      }
    }
    const set = /^SET (.+)$/.exec(request.UpdateExpression);
    if (!set) {
      throw new Error(`ValidationException: not a SET expression: ${request.UpdateExpression}`);
    }
    for (const clause of set[1].split(/,\s*(?![^()]*\))/)) {
      const [, path, operand] = /^(#?\w+) = (.+)$/.exec(clause.trim()) ?? [];
      if (!path) {
        throw new Error(`ValidationException: cannot read "${clause}"`);
      }
      item[name(path)] = evaluate(operand.trim(), item, name, values);
    }
    this.items.set(key, item);
    return {};
  }
}

function evaluate(operand: string, item: Item, name: (path: string) => string, values: Item): AttributeValue {
  const call = /^(\w+)\((.+)\)$/.exec(operand);
  if (!call) {
    return operand.startsWith(':') ? values[operand] : item[name(operand)];
  }
  const [first, second] = call[2].split(/,\s*(?![^()]*\))/).map((arg) => arg.trim());
  if (call[1] === 'if_not_exists') {
    return item[name(first)] ?? evaluate(second, item, name, values);
  }
  if (call[1] === 'list_append') {
    return { L: [...evaluate(first, item, name, values).L, ...evaluate(second, item, name, values).L] };
  }
  throw new Error(`ValidationException: unknown function ${call[1]}`);
}

function checkTable(tableName: unknown): void {
  if (typeof tableName !== 'string' || tableName === '') {
    throw new Error(`ValidationException: TableName ${JSON.stringify(tableName)}`);
  }
}

function checkValue(value: AttributeValue): void {
  const types = Object.keys(value ?? {});
  if (types.length !== 1 || !TYPES.includes(types[0])) {
    throw new Error(`ValidationException: an attribute value needs exactly one type: ${JSON.stringify(value)}`);
  }
  const [type] = types;
  if (type === 'SS' && (!Array.isArray(value.SS) || value.SS.length === 0 || new Set(value.SS).size !== value.SS.length)) {
    throw new Error(`ValidationException: a string set needs distinct strings: ${JSON.stringify(value)}`);
  }
  if (type === 'L') {
    (value.L as AttributeValue[]).forEach(checkValue);
  }
  if (type === 'M') {
    Object.values(value.M as Item).forEach(checkValue);
  }
}

function keyOf(item: Item): string {
  const { workflow, runId } = item;
  if (typeof workflow?.S !== 'string' || typeof runId?.S !== 'string' || !workflow.S || !runId.S) {
    throw new Error(`ValidationException: the key needs workflow and runId strings: ${JSON.stringify({ workflow, runId })}`);
  }
  return `${workflow.S}/${runId.S}`;
}

function expectSame(what: string, used: Set<string>, defined: string[]): void {
  const undefinedOnes = [...used].filter((p) => !defined.includes(p));
  const unused = defined.filter((p) => !used.has(p));
  if (undefinedOnes.length > 0 || unused.length > 0) {
    throw new Error(`ValidationException: expression ${what} undefined ${undefinedOnes} or unused ${unused}`);
  }
}
