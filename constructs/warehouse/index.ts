export * from './data-warehouse';
export * from './lake-zone';
