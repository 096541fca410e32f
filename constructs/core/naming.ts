import { PropChecker } from './validation-error';

/** Longest team or project name: leaves room for stage and purpose in derived S3 and Glue names. */
export const MAX_NAME_LENGTH = 32;

const NAME_PATTERN = /^[a-z]([a-z0-9]|-(?!-))*$/;

/**
 * Checks a team or project name, which we derive S3 prefixes, Glue databases and
 * Athena workgroups from: 1 to 32 characters, lowercase letters, digits and single
 * hyphens, starting with a letter and not ending with a hyphen.
 */
export function checkName(check: PropChecker, prop: string, value: string, maxLength = MAX_NAME_LENGTH): void {
  check.known(prop, value, 'give a plain string: Glue and Athena names are derived from it at synth time, so it cannot be a token');
  check.check(
    typeof value === 'string' && value.length >= 1 && value.length <= maxLength,
    prop, value, `give 1 to ${maxLength} characters, for example "fraud-models"`,
  );
  check.check(
    typeof value !== 'string' || value.length === 0 || (NAME_PATTERN.test(value) && !value.endsWith('-')),
    prop, value,
    'use lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen, '
    + 'so it stays valid in S3 and Glue names (for example "fraud-models")',
  );
}

const WORKFLOW_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Checks a workflow's name, which its state machine, its runs' key prefix and its parameters take. */
export function checkWorkflowName(check: PropChecker, prop: string, value: unknown): void {
  check.matches(prop, value, WORKFLOW_NAME, 'use 1 to 64 letters, digits, hyphens and underscores, starting with a letter or digit, for example "nightly-training"',
    { required: true });
}

/** A Glue and Athena friendly name: lowercase words joined by underscores. */
export function glueName(...parts: string[]): string {
  return parts.join('_').toLowerCase().replace(/-/g, '_');
}
