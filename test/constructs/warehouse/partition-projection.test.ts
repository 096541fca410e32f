import { PartitionProjection, TableFormat } from '../../../constructs/warehouse';

describe('PartitionProjection', () => {
  test('projects days of the last three years until today unless told otherwise', () => {
    expect(PartitionProjection.date()).toMatchObject({
      type: 'date', settings: { 'format': 'yyyy-MM-dd', 'range': 'NOW-3YEARS,NOW', 'interval': '1', 'interval.unit': 'DAYS' },
    });
    expect(PartitionProjection.date({ format: 'yyyy/MM/dd/HH', rangeStart: '2026/01/01/00', rangeEnd: 'NOW+1DAY', interval: 6, intervalUnit: 'HOURS' })).toMatchObject({
      type: 'date', settings: { 'format': 'yyyy/MM/dd/HH', 'range': '2026/01/01/00,NOW+1DAY', 'interval': '6', 'interval.unit': 'HOURS' },
    });
  });

  test('projects whole numbers, listed values and injected ones with the settings Athena reads', () => {
    expect(PartitionProjection.integer(0, 23)).toMatchObject({ type: 'integer', settings: { range: '0,23' } });
    expect(PartitionProjection.enumValues(['eu', 'us'])).toMatchObject({ type: 'enum', settings: { values: 'eu,us' } });
    expect(PartitionProjection.injected()).toMatchObject({ type: 'injected', settings: {} });
  });

  describe('of dates', () => {
    test.each(['string', 'date', 'timestamp'])('fits a %s key', (type) => {
      expect(PartitionProjection.date().problem(type)).toBeUndefined();
    });
    test.each(['int', 'varchar(10)'])('refuses a %s key', (type) => {
      expect(PartitionProjection.date().problem(type)).toBe('a date projection needs a string, date or timestamp key');
    });

    test.each(['YEARS', 'MONTHS', 'WEEKS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS'])('steps in %s', (intervalUnit) => {
      expect(PartitionProjection.date({ intervalUnit }).problem('string')).toBeUndefined();
    });
    test.each(['DAY', 'days', ''])('refuses the unit %j', (intervalUnit) => {
      expect(PartitionProjection.date({ intervalUnit }).problem('string')).toBe('intervalUnit must be one of YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES, SECONDS');
    });

    test.each([1, 999_999_999])('steps by %d', (interval) => {
      expect(PartitionProjection.date({ interval }).problem('string')).toBeUndefined();
    });
    test.each([0, 1_000_000_000, 1.5, -1])('refuses a step of %d', (interval) => {
      expect(PartitionProjection.date({ interval }).problem('string')).toBe('interval must be a whole number from 1 to 999999999');
    });

    test.each([
      { format: ' ' }, { rangeStart: '' }, { rangeEnd: ' ' }, { rangeStart: 'NOW-1YEARS,NOW-2YEARS' },
    ])('refuses an empty format or range end, or one holding a comma: %j', (options) => {
      expect(PartitionProjection.date(options).problem('string'))
        .toBe('a date projection needs a format, a rangeStart and a rangeEnd, none of them empty or holding a comma');
    });

    test.each(['2024-02-29', 'NOW', 'NOW-3YEARS', 'NOW+1DAY', 'NOW-1YEAR', 'NOW-12HOURS'])('reads a day or a time relative to now: %s', (rangeStart) => {
      expect(PartitionProjection.date({ rangeStart }).problem('string')).toBeUndefined();
    });
    test.each(['2026-02-29', '2026-2-01', 'NOW-3', 'NOW-3DECADES', 'now', 'TODAY', 'UNTIL NOW'])('refuses %j as a day', (rangeEnd) => {
      expect(PartitionProjection.date({ rangeEnd }).problem('string'))
        .toBe('rangeStart and rangeEnd must be days that exist, as yyyy-MM-dd, or relative to now, such as NOW-3YEARS');
    });
    test('leaves the range ends of another format to Athena', () => {
      expect(PartitionProjection.date({ format: 'yyyy/MM', rangeStart: '2026/13', rangeEnd: 'NOW' }).problem('string')).toBeUndefined();
    });
  });

  describe('of whole numbers', () => {
    test.each([
      ['tinyint', -128, 127], ['smallint', -32768, 32767], ['int', -(2 ** 31), 2 ** 31 - 1], ['integer', -(2 ** 31), 2 ** 31 - 1],
      ['bigint', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ])('fits a %s key from %d to %d and not a step past either end', (type, lowest, highest) => {
      const message = `an integer projection needs whole numbers with min <= max, from ${type === 'integer' ? -(2 ** 31) : lowest} to ${highest} for a ${type} key`;
      expect(PartitionProjection.integer(lowest, highest).problem(type)).toBeUndefined();
      expect(PartitionProjection.integer(lowest - 1, highest).problem(type)).toBe(message);
      expect(PartitionProjection.integer(lowest, highest + 1).problem(type)).toBe(message);
    });
    test('takes one value, and refuses a range backwards or of fractions', () => {
      expect(PartitionProjection.integer(5, 5).problem('int')).toBeUndefined();
      expect(PartitionProjection.integer(6, 5).problem('int')).toMatch(/^an integer projection needs whole numbers with min <= max/);
      expect(PartitionProjection.integer(0, 1.5).problem('int')).toMatch(/^an integer projection needs whole numbers/);
      expect(PartitionProjection.integer(0.5, 1).problem('int')).toMatch(/^an integer projection needs whole numbers/);
    });
    test.each(['string', 'double', 'decimal(10,0)'])('refuses a %s key', (type) => {
      expect(PartitionProjection.integer(0, 1).problem(type)).toBe('an integer projection needs an integer key (tinyint, smallint, int or bigint)');
    });
  });

  describe('of listed values', () => {
    test('takes one value or more', () => {
      expect(PartitionProjection.enumValues(['eu']).problem('string')).toBeUndefined();
      expect(PartitionProjection.enumValues(['eu', 'us', 'ap']).problem('string')).toBeUndefined();
    });
    test.each([[[]], [['']], [['eu', '']], [['', 'eu']]])('refuses %j', (values) => {
      expect(PartitionProjection.enumValues(values).problem('string')).toBe('an enum projection needs at least one value, none of them empty or holding a comma');
    });
  });

  test('of injected values, fits any key', () => {
    expect(PartitionProjection.injected().problem('string')).toBeUndefined();
    expect(PartitionProjection.injected().problem('int')).toBeUndefined();
  });
});

describe('TableFormat', () => {
  const hive = 'org.apache.hadoop.hive.ql.io';
  const parquet = { inputFormat: `${hive}.parquet.MapredParquetInputFormat`, outputFormat: `${hive}.parquet.MapredParquetOutputFormat`, serializationLibrary: `${hive}.parquet.serde.ParquetHiveSerDe` };
  const text = { inputFormat: 'org.apache.hadoop.mapred.TextInputFormat', outputFormat: `${hive}.HiveIgnoreKeyTextOutputFormat` };

  test.each([
    ['Parquet', TableFormat.PARQUET, { classification: 'parquet', ...parquet, serdeParameters: {}, tableParameters: {}, iceberg: false }],
    ['CSV', TableFormat.CSV, {
      classification: 'csv', ...text, serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      serdeParameters: { 'field.delim': ',' }, tableParameters: { 'skip.header.line.count': '1' }, iceberg: false,
    }],
    ['JSON', TableFormat.JSON, { classification: 'json', ...text, serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', serdeParameters: {}, tableParameters: {}, iceberg: false }],
    ['Iceberg', TableFormat.ICEBERG, { classification: 'iceberg', ...parquet, serdeParameters: {}, tableParameters: {}, iceberg: true }],
  ])('reads %s with its own classes and parameters', (_, format, expected) => {
    expect({ ...format }).toEqual(expected);
  });
});
