import { calendarDay } from '../core/dates';
import { checkArguments, PropChecker } from '../core/validation-error';
import { isIntegerColumnType } from './column-type';

/** Options of a date partition projection. */
export interface DatePartitionProjectionOptions {
  /** How dates are written in the partition's path, in Java date format. @default 'yyyy-MM-dd' */
  readonly format?: string;
  /** The first partition: a date in `format`, or relative such as `NOW-3YEARS`. @default 'NOW-3YEARS' */
  readonly rangeStart?: string;
  /** The last partition. @default 'NOW' */
  readonly rangeEnd?: string;
  /** Steps between partitions, in `intervalUnit`. @default 1 */
  readonly interval?: number;
  /** Unit of `interval`: YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES or SECONDS. @default 'DAYS' */
  readonly intervalUnit?: string;
}

const INTERVAL_UNITS = ['YEARS', 'MONTHS', 'WEEKS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS'];
/** A range end relative to the query's time, as Athena reads it: NOW, NOW-3YEARS, NOW+1DAY. */
const RELATIVE_DATE = /^NOW([+-]\d+(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?)?$/;

/** What each integer column type holds; bigint as far as a JavaScript number is exact. */
const INTEGER_RANGES: Record<string, [number, number]> = {
  tinyint: [-128, 127], smallint: [-32768, 32767], int: [-(2 ** 31), 2 ** 31 - 1], bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * How Athena computes a partition key's values instead of reading them from the catalog,
 * so no crawler and no `MSCK REPAIR TABLE` is needed as partitions land.
 */
export class PartitionProjection {
  /** Dates or times in a range, for example daily partitions `dt=2026-11-27`. */
  public static date(options: DatePartitionProjectionOptions = {}): PartitionProjection {
    // of the wrong kind, they would read as other text or fail as they are read; their values are judged by `problem`
    const check = new PropChecker('PartitionProjection.date');
    check.struct('options', options, '{ format: "yyyy-MM-dd", rangeStart: "NOW-3YEARS" }');
    check.throwIfAny();
    const text = (prop: keyof DatePartitionProjectionOptions, example: string) =>
      check.check(options[prop] === undefined || typeof options[prop] === 'string', prop, options[prop], `give text, for example "${example}"`);
    text('format', 'yyyy-MM-dd');
    text('rangeStart', 'NOW-3YEARS');
    text('rangeEnd', 'NOW');
    text('intervalUnit', 'DAYS');
    check.check(options.interval === undefined || typeof options.interval === 'number', 'interval', options.interval, 'give a whole number, for example 1');
    check.throwIfAny();
    return new PartitionProjection('date', {
      format: options.format ?? 'yyyy-MM-dd',
      range: `${options.rangeStart ?? 'NOW-3YEARS'},${options.rangeEnd ?? 'NOW'}`,
      interval: String(options.interval ?? 1),
      'interval.unit': options.intervalUnit ?? 'DAYS',
    });
  }

  /** Whole numbers from `min` to `max`, for example hours 0 to 23. */
  public static integer(min: number, max: number): PartitionProjection {
    // their range is judged by `problem`, against the key's type
    checkArguments('PartitionProjection.integer', (check) => check.numbers({ min, max }, 'give a whole number, for example 0'));
    return new PartitionProjection('integer', { range: `${min},${max}` });
  }

  /** A fixed list of values, for example regions. */
  public static enumValues(values: string[]): PartitionProjection {
    checkArguments('PartitionProjection.enumValues', (check) => check.list('values', values, '["eu-west-1", "us-east-1"]', { required: true })
      .forEach((value, i) => check.check(typeof value === 'string', `values[${i}]`, value, 'give the value as text, for example "eu-west-1"')));
    return new PartitionProjection('enum', { values: values.join(',') });
  }

  /** Values the query gives in its WHERE clause, for example ids. */
  public static injected(): PartitionProjection {
    return new PartitionProjection('injected', {});
  }

  private constructor(
    /** `date`, `integer`, `enum` or `injected`. @jsii suppress reserved-word Go's binding names it Type */
    public readonly type: string,
    /** The projection's settings, as `projection.<key>.<setting>` table parameters name them. */
    public readonly settings: { [setting: string]: string },
  ) {}

  /** What is wrong with this projection on a key of `columnType`, or undefined when nothing is. */
  public problem(columnType: string): string | undefined {
    checkArguments('PartitionProjection.problem', (check) => check.check(typeof columnType === 'string', 'columnType', columnType,
      'give the key\'s column type as text, for example "int"'));
    if (this.type === 'date') {
      if (!['string', 'date', 'timestamp'].includes(columnType)) {
        return 'a date projection needs a string, date or timestamp key';
      }
      if (!INTERVAL_UNITS.includes(this.settings['interval.unit'])) {
        return `intervalUnit must be one of ${INTERVAL_UNITS.join(', ')}`;
      }
      if (!/^[1-9][0-9]{0,8}$/.test(this.settings.interval)) {
        return 'interval must be a whole number from 1 to 999999999';
      }
      const ends = this.settings.range.split(',');
      if (this.settings.format.trim() === '' || ends.length !== 2 || ends.some((end) => end.trim() === '')) {
        return 'a date projection needs a format, a rangeStart and a rangeEnd, none of them empty or holding a comma';
      }
      if (this.settings.format === 'yyyy-MM-dd' && !ends.every((end) => RELATIVE_DATE.test(end) || calendarDay(end) !== undefined)) {
        return 'rangeStart and rangeEnd must be days that exist, as yyyy-MM-dd, or relative to now, such as NOW-3YEARS';
      }
    }
    if (this.type === 'integer') {
      const [min, max] = this.settings.range.split(',').map(Number);
      if (!isIntegerColumnType(columnType)) {
        return 'an integer projection needs an integer key (tinyint, smallint, int or bigint)';
      }
      const [lowest, highest] = INTEGER_RANGES[columnType === 'integer' ? 'int' : columnType];
      if (!(Number.isInteger(min) && Number.isInteger(max) && min <= max && min >= lowest && max <= highest)) {
        return `an integer projection needs whole numbers with min <= max, from ${lowest} to ${highest} for a ${columnType} key`;
      }
    }
    // an empty list joins to one empty value
    if (this.type === 'enum' && this.settings.values.split(',').some((v) => v === '')) {
      return 'an enum projection needs at least one value, none of them empty or holding a comma';
    }
    return undefined;
  }
}
