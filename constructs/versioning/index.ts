export * from './artifact-store';
