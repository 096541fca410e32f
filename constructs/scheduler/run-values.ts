import type { PropChecker } from '../core/validation-error';
import { RUN_ID_PATH, SNAPSHOTS_PATH } from './step-states';
import type { StepContext } from './step-types';

/*
 * The run's values in a step's text: `{run_id}`, and `{snapshot:<table>}` for the snapshots the
 * run recorded, put in place by States.Format as the step starts.
 */

/** What `{run_id}` in a step's text becomes: the run's id. */
const RUN_ID_PLACEHOLDER = '{run_id}';

/** `{snapshot:<table>}` in a step's text: the id of the table's snapshot the run recorded as it started. */
const SNAPSHOT_PLACEHOLDER = /\{snapshot:([a-z][a-z0-9_]*)\}/g;

/** The tables a step's text names with `{snapshot:<table>}`. */
export function snapshotPlaceholders(text: string): string[] {
  return [...text.matchAll(SNAPSHOT_PLACEHOLDER)].map((m) => m[1]);
}

/** Records a problem for each `{snapshot:<table>}` in `text` that names no table whose snapshot the run records. */
export function checkSnapshotPlaceholders(check: PropChecker, prop: string, text: string, context: StepContext): void {
  // text that is no text is the prop's own check's to refuse
  if (typeof text !== 'string') {
    return;
  }
  const recorded = context.snapshotTables ?? [];
  for (const table of snapshotPlaceholders(text)) {
    check.check(recorded.includes(table), prop, `{snapshot:${table}}`, recorded.length > 0
      ? `name a table whose snapshot the run records: ${recorded.map((t) => `{snapshot:${t}}`).join(', ')}`
      : 'give the workflow tableSnapshots naming the Iceberg table: a run hands steps the snapshots it recorded');
  }
}

/**
 * A Parameters field holding `text`: plain, or, where the text says `{run_id}`, a
 * States.Format that puts the run id there. States.Format takes `'`, `{`, `}` and `\`
 * literally only when escaped; CDK tokens (bucket names and such) are left whole.
 */
export function withRunId(field: string, text: string): { [field: string]: string } {
  return formatField(field, text, /(\{run_id\})/);
}

/** As `withRunId`, and `{snapshot:<table>}` becomes the id of the table's snapshot the run recorded. */
export function withRunValues(field: string, text: string): { [field: string]: string } {
  return formatField(field, text, RUN_VALUE);
}

/** Whether `text` has a placeholder of the run's values, `{run_id}` or `{snapshot:<table>}`. */
export function hasRunValues(text: string): boolean {
  return RUN_VALUE.test(text);
}

/**
 * `text` as an argument of an intrinsic function, such as an item of States.Array: a quoted
 * string, or a States.Format of the run's values where it has placeholders.
 */
export function runValueArgument(text: string): string {
  return formatArgument(text, RUN_VALUE);
}

/** The placeholders, captured so that a split keeps them. */
const RUN_VALUE = /(\{run_id\}|\{snapshot:[a-z][a-z0-9_]*\})/;

function formatArgument(text: string, placeholders: RegExp): string {
  const parts = text.split(placeholders);
  if (parts.length === 1) {
    return `'${escapeFormatLiteral(text)}'`;
  }
  const literals = parts.filter((_, i) => i % 2 === 0).map(escapeFormatLiteral);
  const paths = parts.filter((_, i) => i % 2 === 1).map(placeholderPath);
  return `States.Format('${literals.join('{}')}', ${paths.join(', ')})`;
}

function placeholderPath(placeholder: string): string {
  return placeholder === RUN_ID_PLACEHOLDER ? RUN_ID_PATH : `${SNAPSHOTS_PATH}.ids.${placeholder.slice('{snapshot:'.length, -1)}`;
}

function formatField(field: string, text: string, placeholders: RegExp): { [field: string]: string } {
  return text.split(placeholders).length === 1 ? { [field]: text } : { [`${field}.$`]: formatArgument(text, placeholders) };
}

function escapeFormatLiteral(text: string): string {
  return text.split(/(\$\{Token\[[^\]]+\]\})/).map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\'{}]/g, (c) => `\\${c}`))).join('');
}
