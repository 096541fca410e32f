export * from './metaflow-profile';
