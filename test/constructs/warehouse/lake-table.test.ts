import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { DataWarehouse, LakeColumn, LakePartitionKey, LakeTable, PartitionProjection, TableFormat } from '../../../lib';
import { resourceId } from '../../support/resources';
import { newTestApp } from '../../support/synth';
import { problemsOf, validationErrorOf, problemLines } from '../../support/validation';

function lake() {
  const stack = new Stack(newTestApp(), 'Lake');
  return { stack, warehouse: new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' }) };
}

describe('LakeTable', () => {
  test('declares a partitioned Parquet table with date projection, so no crawler is needed', () => {
    const { stack, warehouse } = lake();
    warehouse.curated.addTable('Features', {
      tableName: 'features',
      columns: [{ name: 'user_id', type: 'string' }, { name: 'score', type: 'double' }],
      partitionKeys: [
        { name: 'dt', type: 'string', projection: PartitionProjection.date() },
        { name: 'hour', type: 'int', projection: PartitionProjection.integer(0, 23) },
      ],
    });
    Template.fromStack(stack).hasResource('AWS::Glue::Table', {
      Properties: {
        DatabaseName: 'team_curated',
        TableInput: Match.objectLike({
          Name: 'features',
          TableType: 'EXTERNAL_TABLE',
          PartitionKeys: [{ Name: 'dt', Type: 'string' }, { Name: 'hour', Type: 'int' }],
          Parameters: Match.objectLike({
            'classification': 'parquet',
            'projection.enabled': 'true',
            'projection.dt.type': 'date',
            'projection.dt.range': 'NOW-3YEARS,NOW',
            'projection.dt.format': 'yyyy-MM-dd',
            'projection.hour.type': 'integer',
            'projection.hour.range': '0,23',
            'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/features/dt=${dt}/hour=${hour}/']] },
          }),
          StorageDescriptor: Match.objectLike({
            Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^WarehouseCuratedZoneBucket') }, '/features/']] },
            SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' }),
          }),
        }),
      },
      DeletionPolicy: 'Retain',
    });
  });

  test.each([
    [TableFormat.CSV, 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', 'csv'],
    [TableFormat.JSON, 'org.openx.data.jsonserde.JsonSerDe', 'json'],
  ])('stores %s tables with their SerDe', (format, serde, classification) => {
    const { stack, warehouse } = lake();
    warehouse.raw.addTable('T', { tableName: 'landing', columns: [{ name: 'line', type: 'string' }], format, prefix: 'in/landing/' });
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Parameters: Match.objectLike({ classification }),
        StorageDescriptor: Match.objectLike({ SerdeInfo: Match.objectLike({ SerializationLibrary: serde }) }),
      }),
    });
  });

  test.each([
    ['a table name with capitals', { tableName: 'Features' }, 'tableName = "Features": use lowercase letters, digits and underscores, starting with a letter, at most 128 characters'],
    ['an unknown column type', { columns: [{ name: 'a', type: 'text' }] }, 'columns[0].type = "text": give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>'],
    ['an unclosed array type', { columns: [{ name: 'a', type: 'array<string' }] }, 'columns[0].type = "array<string": give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>'],
    ['a decimal with scale above precision', { columns: [{ name: 'a', type: 'decimal(4,6)' }] }, 'columns[0].type = "decimal(4,6)": give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>'],
    ['a complex partition key', { partitionKeys: [{ name: 'p', type: 'array<int>' }] }, 'partitionKeys[0].type = "array<int>": give a primitive Athena type such as string, int, bigint or date'],
    ['a duplicate column', { columns: [{ name: 'a', type: 'int' }, { name: 'a', type: 'int' }] }, 'columns[1].name = "a": give each column and partition key its own name'],
    ['an integer projection on a string key', { partitionKeys: [{ name: 'h', type: 'string', projection: PartitionProjection.integer(0, 23) }] },
      'partitionKeys[0].projection = "integer": an integer projection needs an integer key (tinyint, smallint, int or bigint)'],
    ['projection on only some keys', { partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date() }, { name: 'r', type: 'string' }] },
      'partitionKeys = ["dt","r"]: give every partition key a projection, or none: Athena projects all keys of a table or none'],
    ['a prefix with a leading slash', { prefix: '/events/' }, 'prefix = "/events/": give a key prefix of up to 1024 characters such as "events/daily/": path segments ending in "/", no leading "/"'],
    ['a prefix whose last segment has no "/"', { prefix: 'events/daily' },
      'prefix = "events/daily": give a key prefix of up to 1024 characters such as "events/daily/": path segments ending in "/", no leading "/"'],
    ['a date range starting on a day that does not exist', { partitionKeys: [{ name: 'dt', type: 'string', projection: PartitionProjection.date({ rangeStart: '2024-02-30' }) }] },
      'partitionKeys[0].projection = "date": rangeStart and rangeEnd must be days that exist, as yyyy-MM-dd, or relative to now, such as NOW-3YEARS'],
    ['an enum projection with an empty value', { partitionKeys: [{ name: 'r', type: 'string', projection: PartitionProjection.enumValues(['eu', '']) }] },
      'partitionKeys[0].projection = "enum": an enum projection needs at least one value, none of them empty or holding a comma'],
    ['an integer range past the key\'s type', { partitionKeys: [{ name: 'h', type: 'tinyint', projection: PartitionProjection.integer(0, 1000) }] },
      'partitionKeys[0].projection = "integer": an integer projection needs whole numbers with min <= max, from -128 to 127 for a tinyint key'],
    ['a comment longer than Glue keeps', { columns: [{ name: 'a', type: 'int', comment: 'x'.repeat(256) }] }, 'columns[0].comment = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": give 1 to 255 characters, or leave it unset'],
    // from JavaScript: names that are no text, however they print
    ['no table name', { tableName: undefined as any },
      'tableName = undefined: use lowercase letters, digits and underscores, starting with a letter, at most 128 characters'],
    ['a table name in a list', { tableName: ['events'] as any },
      'tableName = ["events"]: use lowercase letters, digits and underscores, starting with a letter, at most 128 characters'],
    ['a column type that is no text', { columns: [{ name: 'id', type: 42 as any }] },
      'columns[0].type = 42: give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>'],
    ['columns as one string', { columns: 'id string' as any }, 'columns = "id string": give a list, for example [{ name: "id", type: "string" }]'],
    ['a prefix in a list', { prefix: ['events/'] as any },
      'prefix = ["events/"]: give a key prefix of up to 1024 characters such as "events/daily/": path segments ending in "/", no leading "/"'],
    ['partition keys as one string', { partitionKeys: 'dt' as any }, 'partitionKeys = "dt": give a list, for example [{ name: "dt", type: "string" }]'],
    ['a format by its name', { format: 'PARQUET' as any }, 'format = "PARQUET": use TableFormat.PARQUET, TableFormat.CSV, TableFormat.JSON or TableFormat.ICEBERG'],
    ['a column name in a list', { columns: [{ name: ['id'] as any, type: 'string' }] },
      'columns[0].name = ["id"]: use lowercase letters, digits and underscores, starting with a letter, at most 128 characters'],
  ])('rejects %s', (_, props, message) => {
    const { warehouse } = lake();
    expect(problemLines(() => warehouse.raw.addTable('T', { tableName: 'events', columns: [{ name: 'id', type: 'string' }], ...props })))
      .toEqual([message].flat());
  });

  test('declares a CSV table whole: in this account\'s catalog once its database exists, with its description, comments and formats', () => {
    const { stack, warehouse } = lake();
    warehouse.raw.addTable('Landing', {
      tableName: 'landing', description: 'Files as partners send them', format: TableFormat.CSV, prefix: 'in/landing/',
      columns: [{ name: 'line', type: 'string', comment: 'one record' }, { name: 'n', type: 'int' }],
    });
    const template = Template.fromStack(stack);
    const database = resourceId(template, 'AWS::Glue::Database', 'WarehouseRawZoneDatabase');
    const [table] = Object.values(template.findResources('AWS::Glue::Table'));
    expect(table.DependsOn).toEqual([database]);
    expect(table.Properties).toEqual({
      CatalogId: { Ref: 'AWS::AccountId' },
      DatabaseName: 'team_raw',
      TableInput: {
        Name: 'landing', Description: 'Files as partners send them', TableType: 'EXTERNAL_TABLE',
        Parameters: { 'classification': 'csv', 'EXTERNAL': 'TRUE', 'skip.header.line.count': '1' },
        PartitionKeys: [],
        StorageDescriptor: {
          Columns: [{ Name: 'line', Type: 'string', Comment: 'one record' }, { Name: 'n', Type: 'int' }],
          Location: { 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^WarehouseRawZoneBucket/) }, '/in/landing/']] },
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': ',' } },
        },
      },
    });
  });

  test('a table partitioned without projection has its keys and no projection parameters: Athena reads its partitions from the catalog', () => {
    const { stack, warehouse } = lake();
    warehouse.raw.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }], partitionKeys: [{ name: 'dt', type: 'string' }] });
    const [table] = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table'));
    expect(table.Properties.TableInput.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(Object.keys(table.Properties.TableInput.Parameters).filter((k) => k.startsWith('projection.') || k === 'storage.location.template')).toEqual([]);
  });

  test('names every projection setting of every key for Athena, each under its key', () => {
    const { stack, warehouse } = lake();
    warehouse.raw.addTable('Events', {
      tableName: 'events', columns: [{ name: 'id', type: 'string' }],
      partitionKeys: [
        { name: 'dt', type: 'string', projection: PartitionProjection.date({ interval: 2, intervalUnit: 'WEEKS' }) },
        { name: 'region', type: 'string', projection: PartitionProjection.enumValues(['eu', 'us']) },
        { name: 'id_bucket', type: 'string', projection: PartitionProjection.injected() },
      ],
    });
    const [table] = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table'));
    const { 'storage.location.template': template, ...parameters } = table.Properties.TableInput.Parameters;
    expect(parameters).toEqual({
      'classification': 'parquet', 'EXTERNAL': 'TRUE', 'projection.enabled': 'true',
      'projection.dt.type': 'date', 'projection.dt.format': 'yyyy-MM-dd', 'projection.dt.range': 'NOW-3YEARS,NOW',
      'projection.dt.interval': '2', 'projection.dt.interval.unit': 'WEEKS',
      'projection.region.type': 'enum', 'projection.region.values': 'eu,us',
      'projection.id_bucket.type': 'injected',
    });
    expect(template['Fn::Join'][1][2]).toBe('/events/dt=${dt}/region=${region}/id_bucket=${id_bucket}/');
  });

  test('takes names of up to 128 characters, for the table and each column, and refuses each fault whole', () => {
    const { warehouse } = lake();
    const longest = `t${'x'.repeat(127)}`;
    expect(() => warehouse.raw.addTable('Longest', { tableName: longest, columns: [{ name: longest, type: 'string' }] })).not.toThrow();
    const fix = 'use lowercase letters, digits and underscores, starting with a letter, at most 128 characters';
    expect(validationErrorOf(() => warehouse.raw.addTable('Longer', {
      tableName: `${longest}x`, columns: [{ name: `${longest}x`, type: 'string' }], partitionKeys: [{ name: 'p', type: 'map<string,int>' }],
    })).message).toBe(`Invalid props for LakeTable '${longest}x':\n`
      + `  - tableName = "${longest}x": ${fix}\n`
      + `  - columns[0].name = "${longest}x": ${fix}\n`
      + '  - partitionKeys[0].type = "map<string,int>": give a primitive Athena type such as string, int, bigint or date');
    expect(validationErrorOf(() => warehouse.raw.addTable('Bare', { tableName: 'bare', columns: [{ name: 'a', type: 'text' }], prefix: 'bare' })).message)
      .toBe('Invalid props for LakeTable \'bare\':\n'
        + '  - prefix = "bare": give a key prefix of up to 1024 characters such as "events/daily/": path segments ending in "/", no leading "/"\n'
        + '  - columns[0].type = "text": give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>');
    expect(validationErrorOf(() => warehouse.raw.addTable('Empty', { tableName: 'empty', columns: [] })).message)
      .toBe('Invalid props for LakeTable \'empty\':\n  - columns = 0: give at least one column');
  });

  test('refuses props of the wrong kind, and each bound passed, whole, each with its fix', () => {
    const { stack, warehouse } = lake();
    const table = (props: Record<string, unknown>, id = 'Refused') => new LakeTable(stack, id, { tableName: 'events', columns: [{ name: 'id', type: 'string' }], ...props } as any);
    expect(problemLines(() => table({
      zone: undefined, prefix: `${'p/'.repeat(512)}x/`, description: 42, removalPolicy: 'keep',
      columns: [{ type: 'string' }], partitionKeys: [{ name: 'dt', type: 'string', projection: 'date' }],
    }))).toEqual([
      'zone = undefined: give a LakeZone, such as warehouse.raw',
      `prefix = "${'p/'.repeat(512)}x/": give a key prefix of up to 1024 characters such as "events/daily/": path segments ending in "/", no leading "/"`,
      'description = 42: give 1 to 2048 characters, or leave it unset',
      'removalPolicy = "keep": use RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE or RemovalPolicy.DESTROY: nothing here can be snapshotted',
      'columns[0].name = undefined: use lowercase letters, digits and underscores, starting with a letter, at most 128 characters',
      'partitionKeys[0].projection = "date": give a PartitionProjection, such as PartitionProjection.date()',
    ]);
    // a prefix of 1024 characters is the longest S3 keys allow
    expect(() => table({ zone: warehouse.raw, prefix: `${'p/'.repeat(511)}x/` }, 'Events')).not.toThrow();
  });

  test('refuses a second table of one name in a zone, which Glue would refuse, and an id the zone has', () => {
    const { warehouse } = lake();
    warehouse.raw.addTable('Events', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] });
    expect(problemLines(() => warehouse.raw.addTable('Again', { tableName: 'events', columns: [{ name: 'id', type: 'string' }] })))
      .toEqual(['tableName = "events": the raw zone has a table of that name already, which Glue would refuse: give each table of a zone its own name']);
    expect(problemLines(() => warehouse.raw.addTable('Events', { tableName: 'others', columns: [{ name: 'id', type: 'string' }] })))
      .toEqual(['id = "Events": Lake/Warehouse/RawZone already has a child "Events": give each table an id of its own']);
  });
});

describe('table declarations, property-based', () => {
  const primitive = fc.constantFrom('boolean', 'int', 'bigint', 'double', 'string', 'date', 'timestamp', 'decimal(10,2)', 'varchar(64)');
  const type: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
    type: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      primitive,
      tie('type').map((t) => `array<${t}>`),
      fc.tuple(primitive, tie('type')).map(([k, v]) => `map<${k},${v}>`),
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), tie('type')), { minLength: 1, maxLength: 3 })
        .map((fields) => `struct<${[...new Map(fields)].map(([n, t]) => `${n}:${t}`).join(',')}>`)),
  })).type;
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);
  const columns = fc.uniqueArray(fc.record({ name, type }), { minLength: 1, maxLength: 6, selector: (c) => c.name });

  test('valid declarations synthesize, with every column and its type in the table', () => {
    fc.assert(fc.property(name, columns, (tableName, cols) => {
      const { stack, warehouse } = lake();
      warehouse.curated.addTable('T', { tableName, columns: cols });
      const table = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table'))[0];
      expect(table.Properties.TableInput.StorageDescriptor.Columns).toEqual(cols.map((c) => ({ Name: c.name, Type: c.type })));
    }), { numRuns: 40 });
  });

  test('a broken type fails with an error naming the column and its type', () => {
    const breakType = fc.constantFrom((t: string) => `${t}>`, (t: string) => t.replace('<', '('), (t: string) => `${t} x`, () => 'array<>', () => 'strnig');
    fc.assert(fc.property(type, breakType, (t, mangle) => {
      const broken = mangle(t);
      fc.pre(broken !== t);
      const { warehouse } = lake();
      const columnsWithBad: LakeColumn[] = [{ name: 'ok', type: 'string' }, { name: 'bad', type: broken }];
      expect(() => warehouse.raw.addTable('T', { tableName: 't', columns: columnsWithBad }))
        .toThrow(expect.objectContaining({ problems: [expect.objectContaining({ prop: 'columns[1].type', value: broken })] }));
    }), { numRuns: 60 });
  });

  test('every problem of a declaration is reported at once', () => {
    const { warehouse } = lake();
    const keys: LakePartitionKey[] = [{ name: 'Bad', type: 'map<string,int>' }];
    expect(problemsOf(() => warehouse.raw.addTable('T', { tableName: '1t', columns: [], partitionKeys: keys })).map((p) => p.prop))
      .toEqual(['tableName', 'columns', 'partitionKeys[0].name', 'partitionKeys[0].type']);
  });
});
