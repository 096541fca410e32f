export { NotebookLimits, NotebookNetworkAccess } from './notebook-limits';
export * from './notebook-domain';
export * from './sandbox-notebook';
