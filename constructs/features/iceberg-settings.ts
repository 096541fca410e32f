/*
 * The Spark settings that make the Glue Data Catalog Spark's metastore and its Iceberg catalog,
 * as the EMR Serverless guide gives them ("Using Apache Iceberg with EMR Serverless").
 */

/** Where each EMR 7 release keeps Iceberg's Spark runtime, with the Glue and S3 clients. */
export const ICEBERG_RUNTIME_JAR = '/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar';

/**
 * `spark-defaults` for the application: Spark tables through Glue (Hive's client), and Iceberg
 * tables through the catalog `catalogName`, whose tables live where their database says, else
 * under `warehouse`.
 */
export function icebergSparkDefaults(catalogName: string, warehouse: string): { [key: string]: string } {
  const catalog = `spark.sql.catalog.${catalogName}`;
  return {
    'spark.jars': ICEBERG_RUNTIME_JAR,
    'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    [catalog]: 'org.apache.iceberg.spark.SparkCatalog',
    [`${catalog}.catalog-impl`]: 'org.apache.iceberg.aws.glue.GlueCatalog',
    [`${catalog}.io-impl`]: 'org.apache.iceberg.aws.s3.S3FileIO',
    [`${catalog}.warehouse`]: warehouse,
    'spark.hadoop.hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
  };
}
