export * from './data-warehouse';
export * from './lake-table';
export * from './lake-zone';
export * from './partition-projection';
export * from './query-target';
export * from './table-format';
