/** A character IAM takes in a role's description: tab, line ends, and printable Latin-1. */
const ALLOWED = /[\t\n\r\u0020-\u007E\u00A1-\u00FF]/;

/** The longest description IAM takes for a role. */
const MAX_LENGTH = 1000;

/**
 * `text` as IAM takes it for a role's description. Descriptions here name the construct ids a user
 * chose, which may hold any character: each one IAM refuses (a control character, or one beyond
 * Latin-1) shows as `?`, and the text stops at IAM's 1000 characters.
 */
export function roleDescription(text: string): string {
  return [...text].map((c) => (ALLOWED.test(c) ? c : '?')).join('').slice(0, MAX_LENGTH);
}
