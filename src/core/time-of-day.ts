/**
 * A step's time of day: "15:30" on the owner's wall clock. Reading what people type (24-hour
 * "9:05", "15:30"; nothing else, so "3pm-ish" is refused with how to write one) and placing it on a
 * day in a time zone. Pure: the zone and the day are parameters.
 */
import { zonedInstant } from "./nudges.js";

/** How to write a time, for error messages. */
export const TIME_OF_DAY_HELP = "Use 24-hour HH:MM, e.g. 09:00 or 15:30.";

/**
 * The time as stored ("HH:MM", zero-padded), or an error saying how to write one.
 * @example
 * readTimeOfDay("9:05") // { time: "09:05" }
 * readTimeOfDay("25:00") // { error: "..." }
 */
export function readTimeOfDay(text: string): { time: string } | { error: string } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hour = m ? Number(m[1]) : Number.NaN;
  const minute = m ? Number(m[2]) : Number.NaN;
  if (!m || hour > 23 || minute > 59) {
    return { error: `'${text}' is not a time of day. ${TIME_OF_DAY_HELP}` };
  }
  return { time: `${String(hour).padStart(2, "0")}:${m[2]}` };
}

/** Hour and minute of a stored "HH:MM". */
export function hourMinute(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(":");
  return { hour: Number(h), minute: Number(m) };
}

/**
 * The instant a stored time of day falls on a local day in a time zone (a time skipped by a
 * daylight-saving jump lands just after it).
 * @example
 * zonedTime("2026-07-01", "15:30", "Europe/Berlin").toISOString() // "2026-07-01T13:30:00.000Z"
 */
export function zonedTime(date: string, time: string, timeZone: string): Date {
  const { hour, minute } = hourMinute(time);
  return new Date(zonedInstant(date, hour, timeZone).getTime() + minute * 60_000);
}

/**
 * The hour of a person's day-level reminders (a step without a time): when their quiet hours end,
 * when nudges held overnight arrive; 9 without quiet hours.
 * @example
 * nudgeHourOf({ start: 21, end: 8 }) // 8
 */
export function nudgeHourOf(quietHours: { start: number; end: number } | null): number {
  return quietHours && quietHours.start !== quietHours.end ? quietHours.end : 9;
}
