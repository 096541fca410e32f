import { isColumnType, isIntegerColumnType, isPrimitiveColumnType } from '../../../constructs/warehouse/column-type';

describe('Athena column types', () => {
  test.each([
    'boolean', 'tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'string', 'date', 'timestamp', 'binary',
    'decimal', 'decimal(1)', 'decimal(38)', 'decimal(10,2)', 'decimal(38,38)', 'decimal(10,0)',
    'char(1)', 'char(255)', 'varchar(1)', 'varchar(65535)',
    'array<string>', 'array<array<int>>', 'map<string,double>', 'map<int,array<string>>', 'map<decimal(10,2),string>',
    'struct<a:int>', 'struct<user_id:bigint,tags:array<string>,_x9:map<string,int>>',
  ])('accepts %s', (type) => {
    expect(isColumnType(type)).toBe(true);
  });

  test.each([
    '', 'text', 'Int', 'int ', ' int', 'intx', 'int<string>',
    'decimal()', 'decimal(0)', 'decimal(39)', 'decimal(10,11)', 'decimal(10,)', 'decimal(10', 'decimal(10,2', 'decimal(-1)',
    'char', 'char()', 'char(0)', 'char(256)', 'varchar(0)', 'varchar(65536)', 'varchar(10', 'varchar 10',
    'array', 'array<>', 'array<string', 'array<text>', 'array<string>>', 'arraystring>',
    'map<string>', 'map<string,>', 'map<array<int>,string>', 'map<string;int>', 'map<string,int',
    'struct<>', 'struct<a>', 'struct<a:>', 'struct<A:int>', 'struct<1a:int>', 'struct<a:int,>', 'struct<a:int', 'struct<a int>',
  ])('refuses %j', (type) => {
    expect(isColumnType(type)).toBe(false);
  });

  test.each([['string', true], ['decimal(10,2)', true], ['varchar(8)', true], ['array<int>', false], ['map<string,int>', false], ['struct<a:int>', false], ['text', false]])(
    'takes %s as a primitive type: %s', (type, primitive) => {
      expect(isPrimitiveColumnType(type)).toBe(primitive);
    });

  test.each([['tinyint', true], ['smallint', true], ['int', true], ['integer', true], ['bigint', true], ['decimal(10,0)', false], ['double', false], ['string', false]])(
    'takes %s as an integer type: %s', (type, integer) => {
      expect(isIntegerColumnType(type)).toBe(integer);
    });
});
