/**
 * The time at which the day `text` (YYYY-MM-DD, UTC) begins, in ms; undefined unless the day
 * exists. Date.UTC rolls 2027-02-30 over into March, so a day that exists is one that reads back
 * as itself.
 */
export function calendarDay(text: unknown): number | undefined {
  const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!match) {
    return undefined;
  }
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(day).toISOString().slice(0, 10) === text ? day : undefined;
}

/** The UTC day `days` from today, as YYYY-MM-DD: a new sandbox's default expiry. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
