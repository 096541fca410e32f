/**
 * The dependency table and SendTaskSuccess as the lanes of a workflow use them
 * (constructs/scheduler/lane-executor.ts), in memory: each request is checked against the
 * expressions DynamoDB would evaluate, applied to one item at a time as DynamoDB does, and
 * answered as the service would. A waiting step's task resolves only when its token is sent.
 */
export class DependencyRecords {
  private readonly items = new Map<string, { done: Set<string>; token?: string }>();
  private readonly waiting = new Map<string, { resolve: (output: object) => void; reject: (error: Error) => void }>();
  private tokens = 0;

  /** The records still in the table, by `run/step`. */
  public get keys(): string[] {
    return [...this.items.keys()];
  }

  /** Task handlers for the lanes' dependency states, by state name. */
  public handlers(): Record<string, (input: any) => any> {
    return {
      'Wait for dependencies': (input) => this.wait(input),
      'Forget dependencies': (input) => {
        this.items.delete(keyOf(input));
        return {};
      },
      'Count dependency': (input) => this.count(input),
      'Start dependent': (input) => this.start(input),
    };
  }

  private wait(input: any): Promise<object> {
    expectEqual(input.UpdateExpression, 'SET #token = :token');
    expectEqual(input.ConditionExpression, 'attribute_not_exists(#done) OR size(#done) < :waits');
    expectEqual(input.ExpressionAttributeNames, { '#token': 'token', '#done': 'done' });
    // DynamoDB takes an attribute value of exactly one type: the token is text
    const given = input.ExpressionAttributeValues[':token'];
    if (typeof given?.S !== 'string' || Object.keys(given).length !== 1) {
      throw serviceError('DynamoDB.AmazonDynamoDBException', `ExpressionAttributeValues contains invalid value for key :token: ${JSON.stringify(given)}`);
    }
    const waits = Number(input.ExpressionAttributeValues[':waits'].N);
    const key = keyOf(input);
    const item = this.items.get(key) ?? { done: new Set<string>() };
    if (item.done.size >= waits) {
      throw serviceError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    // Step Functions gives each waiting task a token of its own
    const token = `token-${++this.tokens}`;
    item.token = token;
    this.items.set(key, item);
    return new Promise((resolve, reject) => this.waiting.set(token, { resolve, reject }));
  }

  private count(input: any): object {
    expectEqual(input.UpdateExpression, 'ADD #done :step');
    expectEqual(input.ExpressionAttributeNames, { '#done': 'done' });
    expectEqual(input.ReturnValues, 'ALL_NEW');
    const key = keyOf(input);
    const item = this.items.get(key) ?? { done: new Set<string>() };
    input.ExpressionAttributeValues[':step'].SS.forEach((step: string) => item.done.add(step));
    this.items.set(key, item);
    return {
      Attributes: {
        run: input.Key.run, step: input.Key.step, done: { SS: [...item.done] },
        ...(item.token ? { token: { S: item.token } } : {}),
      },
    };
  }

  private start(input: any): object {
    expectEqual(input.Output, '{}');
    const waiting = this.waiting.get(input.TaskToken);
    if (!waiting) {
      throw serviceError('Sfn.TaskTimedOutException', 'Task Timed Out: the task was closed');
    }
    this.waiting.delete(input.TaskToken);
    waiting.resolve({});
    return {};
  }

  /** How many tasks wait for their token. */
  public get waitingTasks(): number {
    return this.waiting.size;
  }

  /**
   * Fails the tasks still waiting for their token, with `why`: once their run has ended, as Step
   * Functions closes an ended run's tasks (the emulator would otherwise hold each one's timer,
   * 60 s, open), or when no step is left to send one.
   */
  public closeWaits(why = 'the run ended'): void {
    this.waiting.forEach(({ reject }) => reject(serviceError('States.Timeout', why)));
    this.waiting.clear();
  }
}

function keyOf(input: any): string {
  if (typeof input.TableName !== 'string' || input.TableName.length === 0) {
    throw new Error(`no table named in ${JSON.stringify(input)}`);
  }
  return `${input.Key.run.S}/${input.Key.step.S}`;
}

function expectEqual(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`the emulated table does not know ${JSON.stringify(actual)}; it knows ${JSON.stringify(expected)}`);
  }
}

/** An error a Task fails with, named as Step Functions names service errors. */
export function serviceError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
