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

/**
 * The first and last years a day given as input may fall in. No plan needs a day outside them,
 * and every window the app computes from a day (weeks before, recurrences after) stays a
 * four-digit year, which `YYYY-MM-DD` and the database's text ordering rely on.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

/** The outcome of reading a YYYY-MM-DD day given as input: the day, or what is wrong with it. */
export type DayReading = { ok: true; date: string } | { ok: false; message: string };

/**
 * The one reading of a calendar day given as input (query parameters, body fields, imports, the
 * CLI): exactly YYYY-MM-DD, a real day (no 31 February, no month 13), in MIN_YEAR..MAX_YEAR. The
 * message is a sentence without the field's name, which the caller puts in front.
 * @example
 * readIsoDay("2026-03-31") // { ok: true, date: "2026-03-31" }
 * readIsoDay("2026-02-31").ok // false
 * readIsoDay("+275760-09-13").ok // false
 */
export function readIsoDay(s: unknown): DayReading {
  const fix = "Use YYYY-MM-DD, for example 2026-03-31.";
  if (typeof s !== "string") return { ok: false, message: `is not a date. ${fix}` };
  const m = ISO.exec(s);
  if (m === null || !isRealDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return { ok: false, message: `is not a date. ${fix}` };
  }
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { ok: false, message: `is out of range: use a year from ${MIN_YEAR} to ${MAX_YEAR}.` };
  }
  return { ok: true, date: s };
}

/** A year, month and day as YYYY-MM-DD (the numbers are not checked: see `isRealDay`). */
export function formatDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** An instant as a wall clock in some time zone shows it (month 1–12, hour 0–23). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * What a wall clock in an IANA time zone shows at an instant. Throws a RangeError for a zone the
 * runtime does not know.
 * @example
 * wallClock(new Date("2026-11-21T23:30:00Z"), "Europe/Berlin") // { year: 2026, month: 11, day: 22, hour: 0, minute: 30, second: 0 }
 */
export function wallClock(instant: Date, timeZone: string): WallClock {
  // UTC's wall clock is the Date's own UTC fields: no Intl formatter, whose first use loads ICU's
  // data (tens of milliseconds a CLI run). An invalid Date still fails in Intl below.
  if (timeZone === "UTC" && !Number.isNaN(instant.getTime())) {
    return {
      year: instant.getUTCFullYear(),
      month: instant.getUTCMonth() + 1,
      day: instant.getUTCDate(),
      hour: instant.getUTCHours(),
      minute: instant.getUTCMinutes(),
      second: instant.getUTCSeconds(),
    };
  }
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallFormats.set(timeZone, format);
  }
  const part: Record<string, string> = {};
  for (const p of format.formatToParts(instant)) part[p.type] = p.value;
  return {
    year: Number(part.year),
    month: Number(part.month),
    day: Number(part.day),
    hour: Number(part.hour),
    minute: Number(part.minute),
    second: Number(part.second),
  };
}

/**
 * The calendar day of an instant in an IANA time zone, as YYYY-MM-DD: the day a person there calls
 * "today" at that instant.
 * @example
 * dayIn(new Date("2026-11-26T20:00:00Z"), "Pacific/Auckland") // "2026-11-27" (a Friday morning there)
 * dayIn(new Date("2026-11-26T20:00:00Z"), "America/Los_Angeles") // "2026-11-26"
 */
export function dayIn(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return formatDay(w.year, w.month, w.day);
}

/**
 * The calendar day of an instant in this process's own time zone (`TZ`, else the system's), as
 * YYYY-MM-DD: what `dayIn(instant, Intl.DateTimeFormat().resolvedOptions().timeZone)` gives, read
 * through Date's local fields (the same ICU zone) without loading Intl's data. For the command
 * line, whose "today" is the machine's (src/cli/context.ts).
 */
export function machineDay(instant: Date): string {
  return formatDay(instant.getFullYear(), instant.getMonth() + 1, instant.getDate());
}

/** Adds whole days to a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return dayOf(new Date(t));
}

/**
 * Orders two ISO-8601 texts (days `YYYY-MM-DD`, instants of one format) or lower-case ASCII kinds
 * ("step", "commitment") as `localeCompare` orders them, by their characters. Not for names: with
 * mixed case `localeCompare` differs ("a" < "B"). The first `localeCompare` of a process loads
 * ICU's collator, some 5–10 ms of every CLI run's CPU that sorts by day (issue 17, cli26).
 *
 * @example
 * ["2026-12-07", "2026-11-30"].sort(compareIso); // ["2026-11-30", "2026-12-07"]
 */
export function compareIso(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
