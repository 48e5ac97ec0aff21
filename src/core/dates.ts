/**
 * Calendar days written as YYYY-MM-DD: checking them, the day of an instant, adding days. Pure and
 * light, so every layer may import it; reading dates in words is `read-date.ts`, which loads
 * chrono-node.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when y-m-d names a real calendar day. */
export function isRealDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** True when `s` is a real calendar day written as YYYY-MM-DD. */
export function isIsoDay(s: string): boolean {
  const m = ISO.exec(s);
  return m !== null && isRealDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A year, month and day as YYYY-MM-DD (the numbers are not checked: see `isRealDay`). */
export function formatDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Adds whole days to a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return dayOf(new Date(t));
}
