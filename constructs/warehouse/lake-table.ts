import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';
import { isColumnType, isPrimitiveColumnType } from './column-type';
import type { LakeZone } from './lake-zone';
import { PartitionProjection } from './partition-projection';
import { TableFormat } from './table-format';
import { GLUE_READ_ACTIONS } from './work-group';

/** A column of a lake table. */
export interface LakeColumn {
  /** Lowercase letters, digits and underscores, starting with a letter. */
  readonly name: string;
  /** An Athena type, for example `bigint`, `decimal(10,2)`, `array<string>`. @jsii suppress reserved-word Go's binding names it Type */
  readonly type: string;
  /**
   * A comment the catalog shows for the column.
   * @default - none
   */
  readonly comment?: string;
}

/** A partition key of a lake table. */
export interface LakePartitionKey extends LakeColumn {
  /**
   * How Athena computes the key's values. When every key has one, the table needs no crawler.
   * @default - partitions are read from the catalog
   */
  readonly projection?: PartitionProjection;
}

/** A table of a lake zone, as `LakeZone.addTable` takes it. */
export interface LakeTableOptions {
  /** Lowercase letters, digits and underscores, starting with a letter; unique in the zone. */
  readonly tableName: string;
  /** The data columns, in the files' order. */
  readonly columns: LakeColumn[];
  /**
   * Hive partition keys; an Iceberg table has none (Iceberg partitions by its own spec).
   * @default - none
   */
  readonly partitionKeys?: LakePartitionKey[];
  /**
   * How the files are stored. `TableFormat.ICEBERG` declares an Apache Iceberg table: declare it
   * once, and evolve its schema and partitioning from Spark or Athena (`ALTER TABLE`), since a
   * changed declaration would make CloudFormation rewrite the table over Iceberg's own metadata.
   * @default TableFormat.PARQUET
   */
  readonly format?: TableFormat;
  /**
   * Where in the zone's bucket the data lies, ending in `/`.
   * @default - `<tableName>/`
   */
  readonly prefix?: string;
  /**
   * The table's description in the catalog.
   * @default - none
   */
  readonly description?: string;
  /**
   * What happens to the table's catalog entry when it leaves the stack; the data stays.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface LakeTableProps extends LakeTableOptions {
  /** The zone whose bucket holds the data and whose database catalogs the table. */
  readonly zone: LakeZone;
}

const NAME = /^[a-z][a-z0-9_]{0,127}$/;
const PREFIX = /^([A-Za-z0-9!_.*'()-]+\/)+$/;

/** A Glue table over files in a lake zone, queryable from Athena. */
export class LakeTable extends Construct {
  /** The table's name in its database. */
  public readonly tableName: string;
  /** The Glue database that catalogs the table. */
  public readonly databaseName: string;
  /** The zone whose bucket holds the data and whose database catalogs the table. */
  public readonly zone: LakeZone;
  /** Where in the zone's bucket the data lies, for example `events/`. */
  public readonly prefix: string;
  /** The S3 URL of the table's data. */
  public readonly location: string;
  /** The Glue table. */
  public readonly table: glue.CfnTable;
  /** How the table's files are stored. */
  public readonly format: TableFormat;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `LakeTableProps`
   */
  constructor(scope: Construct, id: string, props: LakeTableProps) {
    super(scope, id);
    checkPropsStruct('LakeTable', props, '{ zone, tableName: "events", columns: [{ name: "id", type: "string" }] }', { required: true });
    const format = props.format ?? TableFormat.PARQUET;
    const prefix = props.prefix ?? `${props.tableName}/`;
    const partitionKeys = props.partitionKeys ?? [];
    validate(props, prefix, partitionKeys, format);

    this.tableName = props.tableName;
    this.databaseName = props.zone.databaseName;
    this.format = format;
    this.zone = props.zone;
    this.prefix = prefix;
    this.location = props.zone.bucket.s3UrlForObject(prefix);
    const projected = partitionKeys.filter((key) => key.projection);
    const projectionParameters: { [key: string]: string } = projected.length === 0 ? {} : {
      'projection.enabled': 'true',
      'storage.location.template': `${this.location}${partitionKeys.map((key) => `${key.name}=\${${key.name}}/`).join('')}`,
      ...Object.fromEntries(projected.flatMap((key) => [
        [`projection.${key.name}.type`, key.projection!.type],
        ...Object.entries(key.projection!.settings).map(([setting, value]) => [`projection.${key.name}.${setting}`, value]),
      ])),
    };

    this.table = format.iceberg ? this.icebergTable(props) : new glue.CfnTable(this, 'Table', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.zone.databaseName,
      tableInput: {
        name: props.tableName,
        description: props.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: format.classification, EXTERNAL: 'TRUE', ...format.tableParameters, ...projectionParameters },
        partitionKeys: partitionKeys.map(column),
        storageDescriptor: {
          columns: props.columns.map(column),
          location: this.location,
          inputFormat: format.inputFormat,
          outputFormat: format.outputFormat,
          serdeInfo: { serializationLibrary: format.serializationLibrary, parameters: format.serdeParameters },
        },
      },
    });
    this.table.node.addDependency(props.zone.database);
    this.table.applyRemovalPolicy(statefulRemovalPolicy(props.removalPolicy));
  }

  /**
   * Lets `grantee` read this table, as a query planner and engine do: its schema and partitions
   * in the catalog, and the objects under its prefix. No other table, no other prefix.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantCatalog(grantee, GLUE_READ_ACTIONS).combine(this.zone.grantRead(grantee, this.prefix));
  }

  /*
   * Apache Iceberg tables: their declaration and their own grants.
   */

  /**
   * Lets `grantee` read this Iceberg table at any of its snapshots: its data and metadata files,
   * and its catalog entry (which names the current metadata). Nothing else.
   */
  public grantReadSnapshots(grantee: iam.IGrantable): iam.Grant {
    this.checkIceberg('grantReadSnapshots');
    return this.zone.grantRead(grantee, this.prefix)
      .combine(this.grantCatalog(grantee, ['glue:GetDatabase', 'glue:GetTable']));
  }

  /**
   * Lets `grantee` commit snapshots to this Iceberg table, as Spark and Athena writes, merges and
   * schema changes do: read it, write (never delete) its files, and point its catalog entry at the
   * new metadata (`glue:UpdateTable`, this table only).
   */
  public grantCommit(grantee: iam.IGrantable): iam.Grant {
    this.checkIceberg('grantCommit');
    return this.grantReadSnapshots(grantee)
      .combine(this.zone.grantWrite(grantee, this.prefix))
      .combine(this.grantCatalog(grantee, ['glue:UpdateTable']));
  }

  /**
   * An Iceberg table as Glue creates it from a table input: the columns (Glue converts their
   * Hive types) and the location, where Glue writes the first metadata file.
   */
  private icebergTable(props: LakeTableProps): glue.CfnTable {
    return new glue.CfnTable(this, 'Table', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.zone.databaseName,
      tableInput: {
        name: props.tableName,
        description: props.description,
        tableType: 'EXTERNAL_TABLE',
        storageDescriptor: { columns: props.columns.map(column), location: this.location },
      },
      openTableFormatInput: { icebergInput: { metadataOperation: 'CREATE', version: '2' } },
    });
  }

  /** Glue `actions` on this table, its database and the catalog, as Glue authorizes a table's calls. */
  private grantCatalog(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` }),
      ],
    });
  }

  private checkIceberg(method: string): void {
    const check = new PropChecker(`LakeTable '${this.tableName}'.${method}`);
    check.check(this.format.iceberg, 'format', this.format.classification,
      'declare the table with format: TableFormat.ICEBERG; a table of plain files has no snapshots (grant its zone\'s prefix instead)');
    check.throwIfAny();
  }
}

function column(c: LakeColumn): glue.CfnTable.ColumnProperty {
  return { name: c.name, type: c.type, comment: c.comment };
}

/** Types Iceberg has no counterpart of, anywhere in a column's type. */
const NOT_ICEBERG = /\b(tinyint|smallint|char|varchar)\b/;

function validate(props: LakeTableProps, prefix: string, givenKeys: LakePartitionKey[], format: TableFormat): void {
  const check = new PropChecker(`LakeTable '${props.tableName}'`);
  const columns = check.list('columns', props.columns, '[{ name: "id", type: "string" }]');
  const partitionKeys = check.list('partitionKeys', givenKeys, '[{ name: "dt", type: "string" }]');
  const nameFix = 'use lowercase letters, digits and underscores, starting with a letter, at most 128 characters';
  check.matches('tableName', props.tableName, NAME, nameFix, { required: true });
  check.oneOf('format', props.format, [TableFormat.PARQUET, TableFormat.CSV, TableFormat.JSON, TableFormat.ICEBERG],
    'use TableFormat.PARQUET, TableFormat.CSV, TableFormat.JSON or TableFormat.ICEBERG');
  check.construct('zone', props.zone, 'a LakeZone, such as warehouse.raw', { required: true });
  const tables = (Construct.isConstruct(props.zone) ? tablesOf.get(props.zone) : undefined) ?? new Set<string>();
  check.check(!tables.has(props.tableName), 'tableName', props.tableName,
    `the ${props.zone?.zoneName} zone has a table of that name already, which Glue would refuse: give each table of a zone its own name`);
  check.check(typeof prefix === 'string' && PREFIX.test(prefix) && prefix.length <= 1024, 'prefix', prefix,
    'give a key prefix of up to 1024 characters such as "events/daily/": path segments ending in "/", no leading "/"');
  check.text('description', props.description, 2048);
  check.removalPolicy('removalPolicy', props.removalPolicy);
  check.nonEmpty('columns', props.columns, 'give at least one column');
  const seen = new Set<string>();
  const each = (list: LakeColumn[], prop: string, primitiveOnly: boolean) => list.forEach((c, i) => {
    check.matches(`${prop}[${i}].name`, c.name, NAME, nameFix, { required: true });
    check.check(!seen.has(c.name), `${prop}[${i}].name`, c.name, 'give each column and partition key its own name');
    check.text(`${prop}[${i}].comment`, c.comment, 255);
    seen.add(c.name);
    check.check(primitiveOnly ? isPrimitiveColumnType(c.type) : isColumnType(c.type), `${prop}[${i}].type`, c.type,
      primitiveOnly
        ? 'give a primitive Athena type such as string, int, bigint or date'
        : 'give an Athena type such as string, bigint, double, decimal(10,2), timestamp, array<string>, struct<a:int>');
  });
  each(columns, 'columns', false);
  each(partitionKeys, 'partitionKeys', true);
  partitionKeys.forEach((key, i) => {
    const prop = `partitionKeys[${i}].projection`;
    check.instance(prop, key.projection, 'problem', 'a PartitionProjection, such as PartitionProjection.date()');
    const problem = typeof key.projection?.problem === 'function' ? key.projection.problem(key.type) : undefined;
    check.check(problem === undefined, prop, key.projection?.type, problem ?? '');
  });
  const projected = partitionKeys.filter((key) => key.projection).length;
  check.check(projected === 0 || projected === partitionKeys.length, 'partitionKeys', partitionKeys.map((k) => k.name),
    'give every partition key a projection, or none: Athena projects all keys of a table or none');
  if (format.iceberg) {
    check.check(partitionKeys.length === 0, 'partitionKeys', partitionKeys.map((k) => k.name),
      'an Iceberg table is partitioned by its own spec, not by Hive keys: leave partitionKeys out and partition it from Spark '
      + '(ALTER TABLE ... ADD PARTITION FIELD days(<column>)) or with PARTITIONED BY in an Athena CREATE TABLE');
    columns.forEach((c, i) => check.check(typeof c.type !== 'string' || !NOT_ICEBERG.test(c.type), `columns[${i}].type`, c.type,
      'Iceberg has no tinyint, smallint, char or varchar: use int or string'));
  }
  check.throwIfAny();
  tablesOf.set(props.zone, tables.add(props.tableName));
}

/** The table names of each zone, which Glue holds unique per database. */
const tablesOf = new WeakMap<LakeZone, Set<string>>();
