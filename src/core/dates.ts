/**
 * Reading dates people type: strict YYYY-MM-DD, or everyday words ("today", "next Friday"),
 * relative to a reference day given by the caller. Impossible dates are refused, never rolled over.
 */
import * as chrono from "chrono-node";

/** The outcome of reading a date: the ISO day, or a message saying how to fix the input. */
export type DateReading = { ok: true; date: string } | { ok: false; message: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/;

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

function iso(y: number, m: number, d: number): string {
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

/**
 * Reads a date typed by a person, relative to `today` (YYYY-MM-DD).
 * @example
 * readDate("next Friday", "2026-11-21") // { ok: true, date: "2026-11-27" }
 * readDate("31/02/2026", "2026-11-21").ok // false
 */
export function readDate(input: string, today: string, label = "Date"): DateReading {
  const text = input.trim();
  const fix = `Use YYYY-MM-DD or words like 'next Friday'.`;
  const bad = (): DateReading => ({ ok: false, message: `${label} '${input}' is not a date. ${fix}` });
  if (text === "") return { ok: false, message: `${label} is empty. ${fix}` };
  const isoMatch = ISO.exec(text);
  if (isoMatch) {
    const [y, m, d] = [Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3])];
    return isRealDay(y, m, d) ? { ok: true, date: iso(y, m, d) } : bad();
  }
  const num = NUMERIC.exec(text);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    const c = Number(num[3]);
    if (num[1]?.length === 4) return isRealDay(a, b, c) ? { ok: true, date: iso(a, b, c) } : bad();
    const year = c < 100 ? 2000 + c : c;
    const dayFirst = isRealDay(year, b, a) ? iso(year, b, a) : null;
    const monthFirst = isRealDay(year, a, b) ? iso(year, a, b) : null;
    if (!dayFirst && !monthFirst) return bad();
    if (dayFirst && monthFirst && dayFirst !== monthFirst) {
      return {
        ok: false,
        message: `${label} '${input}' could be ${dayFirst} or ${monthFirst}. Use YYYY-MM-DD.`,
      };
    }
    return { ok: true, date: (dayFirst ?? monthFirst) as string };
  }
  const ref = new Date(`${today}T12:00:00Z`);
  const parsed = chrono.parse(text, { instant: ref, timezone: 0 }, { forwardDate: true });
  const first = parsed[0];
  // Only accept when the words are (almost) all date: "next Friday", not "Friday-ish maybe".
  if (!first || first.text.length < text.replace(/^(by|on|before|due)\s+/i, "").length - 1) return bad();
  return { ok: true, date: dayOf(first.date()) };
}
