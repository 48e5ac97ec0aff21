/**
 * Reading dates people type: strict YYYY-MM-DD, or everyday words ("today", "next Friday"),
 * relative to a reference day given by the caller. Impossible dates are refused, never rolled over.
 * Kept apart from `dates.ts` because chrono-node is heavy to load: only what reads typed dates
 * pays for it.
 */
import * as chrono from "chrono-node";
import { dayIn, dayOf, formatDay, isIsoDay, isRealDay, readIsoDay } from "./dates.js";

/** The outcome of reading a date: the ISO day, or a message saying how to fix the input. */
export type DateReading = { ok: true; date: string } | { ok: false; message: string };

const NUMERIC = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/;

/**
 * Reads a date typed by a person, relative to `today` (YYYY-MM-DD, their own day). Words and wall
 * times name the day as written; a time with its own offset ("2026-12-05T15:00:00Z", as tools
 * export instants) is an instant, read as the day it is in the person's `timeZone` (default UTC).
 * @example
 * readDate("next Friday", "2026-11-21") // { ok: true, date: "2026-11-27" }
 * readDate("31/02/2026", "2026-11-21").ok // false
 * readDate("2026-12-05T15:00:00Z", "2026-11-21", "Due", "Asia/Tokyo") // { ok: true, date: "2026-12-06" }
 */
export function readDate(input: string, today: string, label = "Date", timeZone = "UTC"): DateReading {
  const text = input.trim();
  const fix = `Use YYYY-MM-DD or words like 'next Friday'.`;
  const bad = (): DateReading => ({ ok: false, message: `${label} '${input}' is not a date. ${fix}` });
  if (text === "") return { ok: false, message: `${label} is empty. ${fix}` };
  const reading = read(text, today, timeZone, `${label} '${input}'`);
  if (reading === null) return bad();
  if (typeof reading === "object") return reading;
  // Every day read, however it was written, goes through the one check of a day given as input.
  const day = readIsoDay(reading);
  return day.ok ? day : { ok: false, message: `${label} '${input}' ${day.message}` };
}

/** The day `text` names as YYYY-MM-DD (unchecked), null when it is not a date, or an ambiguity. */
function read(text: string, today: string, timeZone: string, what: string): string | null | DateReading {
  // An impossible YYYY-MM-DD day falls through to NUMERIC, which refuses it.
  if (isIsoDay(text)) return text;
  const num = NUMERIC.exec(text);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    const c = Number(num[3]);
    if (num[1]?.length === 4) return isRealDay(a, b, c) ? formatDay(a, b, c) : null;
    const year = c < 100 ? 2000 + c : c;
    const dayFirst = isRealDay(year, b, a) ? formatDay(year, b, a) : null;
    const monthFirst = isRealDay(year, a, b) ? formatDay(year, a, b) : null;
    if (!dayFirst && !monthFirst) return null;
    if (dayFirst && monthFirst && dayFirst !== monthFirst) {
      return { ok: false, message: `${what} could be ${dayFirst} or ${monthFirst}. Use YYYY-MM-DD.` };
    }
    return (dayFirst ?? monthFirst) as string;
  }
  const ref = new Date(`${today}T12:00:00Z`);
  const parsed = chrono.parse(text, { instant: ref, timezone: 0 }, { forwardDate: true });
  const first = parsed[0];
  // Only accept when the words are (almost) all date: "next Friday", not "Friday-ish maybe".
  if (!first || first.text.length < text.replace(/^(by|on|before|due)\s+/i, "").length - 1) return null;
  const when = first.date();
  if (Number.isNaN(when.getTime())) return null;
  const instant = first.start.isCertain("timezoneOffset");
  return instant ? dayIn(when, timeZone) : dayOf(when);
}
