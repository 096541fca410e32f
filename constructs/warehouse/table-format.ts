/** How a table's files are stored, and so how Athena reads them. */
export class TableFormat {
  /** Apache Parquet: columnar and compressed, the cheapest to scan. */
  public static readonly PARQUET = new TableFormat('parquet',
    'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', {});

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

  private constructor(
    /** The Glue classification, for example `parquet`. */
    public readonly classification: string,
    /** The Hadoop input format class. */
    public readonly inputFormat: string,
    /** The Hadoop output format class. */
    public readonly outputFormat: string,
    /** The SerDe class that reads and writes rows. */
    public readonly serializationLibrary: string,
    /** The SerDe's parameters. */
    public readonly serdeParameters: { [key: string]: string },
    /** Parameters of every table in this format. */
    public readonly tableParameters: { [key: string]: string } = {},
  ) {}
}
