/**
 * Whole-UTC-day arithmetic on "YYYY-MM-DD" strings. The engine never reads the clock: every
 * "today" arrives as a parameter, and every date is a calendar day with no time zone.
 */
import type { IsoDate, IsoTimestamp } from "../types.js";

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Turns a calendar day into its day number (days since 1970-01-01), throwing on anything that
 * is not a real YYYY-MM-DD day.
 *
 * @example
 * parseIsoDate("1970-01-02"); // 1
 * parseIsoDate("2024-02-30"); // throws: not a date
 */
export function parseIsoDate(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [, y, m, d] = match;
    const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
    const day = ms / MS_PER_DAY;
    // Date.UTC rolls 2024-02-30 over to March; a round trip catches it.
    if (Number.isInteger(day) && formatIsoDate(day) === date) return day;
  }
  throw new RangeError(`Date '${date}' is not a date. Use YYYY-MM-DD, for example 2024-03-15.`);
}

/**
 * Writes a day number (days since 1970-01-01) as YYYY-MM-DD.
 *
 * @example
 * formatIsoDate(0); // "1970-01-01"
 */
export function formatIsoDate(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Whether a string is a real calendar day written as YYYY-MM-DD.
 *
 * @example
 * isIsoDate("2024-02-29"); // true
 * isIsoDate("2023-02-29"); // false
 */
export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The day `days` after `date` (before it when negative).
 *
 * @example
 * addDays("2024-02-28", 2); // "2024-03-01"
 */
export function addDays(date: IsoDate, days: number): IsoDate {
  return formatIsoDate(parseIsoDate(date) + Math.trunc(days));
}

/**
 * Whole days from `from` to `to`: positive when `to` is later.
 *
 * @example
 * diffDays("2024-01-01", "2024-01-08"); // 7
 */
export function diffDays(from: IsoDate, to: IsoDate): number {
  return parseIsoDate(to) - parseIsoDate(from);
}

/**
 * The Monday that starts the ISO week containing `date`.
 *
 * @example
 * isoWeekStart("2024-01-07"); // "2024-01-01" (a Sunday belongs to the week before)
 */
export function isoWeekStart(date: IsoDate): IsoDate {
  const day = parseIsoDate(date);
  // 1970-01-01 was a Thursday, so (day + 3) mod 7 counts days since Monday.
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return formatIsoDate(day - sinceMonday);
}

/**
 * A UTC timestamp on a day that exists in every month (the 1st to the 28th), e.g.
 * 2024-03-15T09:00:00.000Z: its day is its first ten characters. Other timestamps are parsed.
 */
const UTC_STAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?Z$/;

/**
 * The UTC calendar day of an ISO-8601 timestamp.
 *
 * @example
 * dayOfTimestamp("2024-03-15T23:30:00-02:00"); // "2024-03-16"
 */
export function dayOfTimestamp(timestamp: IsoTimestamp): IsoDate {
  // Stored timestamps are UTC (toISOString); parsing every one was most of the team view's time.
  if (UTC_STAMP.test(timestamp)) return timestamp.slice(0, 10);
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) {
    throw new RangeError(
      `Timestamp '${timestamp}' is not a timestamp. Use ISO-8601, e.g. 2024-03-15T09:00:00Z.`,
    );
  }
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The earlier of two days.
 *
 * @example
 * minDate("2024-01-02", "2024-01-01"); // "2024-01-01"
 */
export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

/**
 * The later of two days.
 *
 * @example
 * maxDate("2024-01-02", "2024-01-01"); // "2024-01-02"
 */
export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}
