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
    public readonly inputFormat: string,
    public readonly outputFormat: string,
    public readonly serializationLibrary: string,
    public readonly serdeParameters: { [key: string]: string },
    public readonly tableParameters: { [key: string]: string } = {},
  ) {}
}
