const PARQUET_INPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
const PARQUET_OUTPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

/** How a table's files are stored, and so how Athena reads them. */
export class TableFormat {
  /** Apache Parquet: columnar and compressed, the cheapest to scan. */
  public static readonly PARQUET = new TableFormat('parquet', PARQUET_INPUT, PARQUET_OUTPUT, PARQUET_SERDE, {});

  /** Comma-separated values with a header line. */
  public static readonly CSV = new TableFormat('csv',
    'org.apache.hadoop.mapred.TextInputFormat',
    'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', { 'field.delim': ',' }, { 'skip.header.line.count': '1' });

  /** One JSON object per line. */
  public static readonly JSON = new TableFormat('json',
    'org.apache.hadoop.mapred.TextInputFormat',
    'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    'org.openx.data.jsonserde.JsonSerDe', {});

  /**
   * Apache Iceberg (format version 2) over Parquet files: every commit is a snapshot, which Athena
   * (engine 3) and Spark read, merge into and time-travel (`FOR VERSION AS OF`). Glue writes the
   * table's first metadata; its partitioning is Iceberg's own, declared by Spark or Athena.
   */
  public static readonly ICEBERG = new TableFormat('iceberg', PARQUET_INPUT, PARQUET_OUTPUT, PARQUET_SERDE, {}, {}, true);

  private constructor(
    /** The Glue classification, for example `parquet`. */
    public readonly classification: string,
    /** The Hive input format of the data files. */
    public readonly inputFormat: string,
    /** The Hive output format of the data files. */
    public readonly outputFormat: string,
    public readonly serializationLibrary: string,
    public readonly serdeParameters: { [key: string]: string },
    public readonly tableParameters: { [key: string]: string } = {},
    /** Whether the table is an Apache Iceberg table, whose metadata names its files, schema and partitions. */
    public readonly iceberg: boolean = false,
  ) {}
}
