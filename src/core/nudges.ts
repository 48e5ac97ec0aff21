/**
 * The pure rules behind nudges: local days and hours in a person's time zone (with the built-in
 * `Intl`), quiet hours, snooze, the weekly prompt's time, and which reminder a step or a check-in
 * calls for on a local day. Time is always a parameter.
 */
import { addDays, formatDay, wallClock } from "./dates.js";

/** Every kind of nudge; preferences are kept per kind and channel. */
export const NUDGE_KINDS = [
  "step-due-tomorrow",
  "step-due-today",
  "step-overdue",
  "checkin-due",
  "checkin-missed",
  "goal-stalled",
  "obstacle-hit",
  "weekly-prompt",
  "weekly-digest",
  "notice",
  // The weekly review email
  "weekly-review",
] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

/** How many days after a due day an overdue step or a missed check-in is still worth a nudge. */
export const OVERDUE_LOOKBACK_DAYS = 7;

/** A moment as a person's wall clock shows it. */
export interface LocalTime {
  /** The local calendar day, YYYY-MM-DD. */
  date: string;
  /** 0 to 23. */
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/**
 * True when `tz` is an IANA time zone this runtime knows ("Europe/Berlin", "UTC").
 * @example
 * isTimeZone("America/New_York") // true
 * isTimeZone("Mars/Olympus") // false
 */
export function isTimeZone(tz: string): boolean {
  if (tz.trim() === "" || tz !== tz.trim()) return false;
  try {
    wallClock(new Date(0), tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The local day, hour, minute and weekday of an instant in a time zone.
 * @example
 * localTime(new Date("2026-11-21T23:30:00Z"), "Europe/Berlin") // { date: "2026-11-22", hour: 0, minute: 30, weekday: 0 }
 */
export function localTime(at: Date, timeZone: string): LocalTime {
  const w = wallClock(at, timeZone);
  const date = formatDay(w.year, w.month, w.day);
  return { date, hour: w.hour, minute: w.minute, weekday: new Date(`${date}T00:00:00Z`).getUTCDay() };
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - (at.getTime() - at.getUTCMilliseconds());
}

/**
 * The instant a local day and hour begins in a time zone. An hour skipped by a daylight-saving
 * jump maps to the first instant after the jump; a repeated hour to its first occurrence.
 * @example
 * zonedInstant("2026-07-01", 9, "Europe/Berlin").toISOString() // "2026-07-01T07:00:00.000Z"
 */
export function zonedInstant(date: string, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
  // The zone's offsets around that day (a day holds at most one jump) give the candidates.
  const day = 86_400_000;
  const candidates = [wall - day, wall, wall + day].map((at) => wall - offsetMs(new Date(at), timeZone));
  const exact = candidates
    .filter((c) => {
      const local = localTime(new Date(c), timeZone);
      return local.date === date && local.hour === hour;
    })
    .sort((a, b) => a - b);
  // A repeated hour: its first occurrence. A skipped hour: the offset from before the jump, which
  // lands on the first instant after it.
  return new Date(exact[0] ?? Math.max(...candidates));
}

/** Quiet hours: from `start` to `end` local hour (start inclusive, end exclusive); may wrap past midnight. */
export interface QuietHours {
  start: number;
  end: number;
}

/**
 * True when a local hour falls in quiet hours (equal start and end means none).
 * @example
 * inQuietHours(23, { start: 21, end: 8 }) // true
 * inQuietHours(8, { start: 21, end: 8 }) // false
 */
export function inQuietHours(hour: number, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  return quiet.start < quiet.end
    ? hour >= quiet.start && hour < quiet.end
    : hour >= quiet.start || hour < quiet.end;
}

/** What decides when a nudge may be delivered. */
export interface DeliveryRules {
  timeZone: string;
  quietHours: QuietHours | null;
  /** ISO instant before which nothing is delivered; null when not snoozed. */
  snoozeUntil: string | null;
}

/**
 * The earliest instant at or after `now` a nudge may be delivered: after a snooze, then outside
 * quiet hours (the local hour they end).
 * @example
 * deliverAt(new Date("2026-11-21T22:00:00Z"), { timeZone: "UTC", quietHours: { start: 21, end: 8 }, snoozeUntil: null })
 * // 2026-11-22T08:00:00.000Z
 */
export function deliverAt(now: Date, rules: DeliveryRules): Date {
  let at = now;
  if (rules.snoozeUntil !== null) {
    const until = new Date(rules.snoozeUntil);
    if (until.getTime() > at.getTime()) at = until;
  }
  const local = localTime(at, rules.timeZone);
  if (rules.quietHours && inQuietHours(local.hour, rules.quietHours)) {
    const endDay = local.hour >= rules.quietHours.end ? addDays(local.date, 1) : local.date;
    const end = zonedInstant(endDay, rules.quietHours.end, rules.timeZone);
    if (end.getTime() > at.getTime()) at = end;
  }
  return at;
}

/** When a person wants the weekly "one small step" prompt. */
export interface WeeklySlot {
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  /** Local hour, 0 to 23. */
  hour: number;
}

/**
 * The local day of this week's prompt when it is due at `now` (on the chosen weekday, at or after
 * the chosen hour), else null. The day names the occurrence, so each week's prompt is queued once.
 * @example
 * weeklyOccurrence(new Date("2026-11-23T09:05:00Z"), { timeZone: "UTC", day: 1, hour: 9 }) // "2026-11-23"
 */
export function weeklyOccurrence(now: Date, slot: WeeklySlot): string | null {
  const local = localTime(now, slot.timeZone);
  return local.weekday === slot.day && local.hour >= slot.hour ? local.date : null;
}

/**
 * The next instant the weekly prompt is due, strictly after `now`.
 * @example
 * nextWeeklyPrompt(new Date("2026-11-21T10:00:00Z"), { timeZone: "UTC", day: 1, hour: 9 }).toISOString()
 * // "2026-11-23T09:00:00.000Z"
 */
export function nextWeeklyPrompt(now: Date, slot: WeeklySlot): Date {
  const local = localTime(now, slot.timeZone);
  for (let i = 0; i <= 7; i++) {
    const day = addDays(local.date, i);
    if (new Date(`${day}T00:00:00Z`).getUTCDay() !== slot.day) continue;
    const at = zonedInstant(day, slot.hour, slot.timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  return zonedInstant(addDays(local.date, 7), slot.hour, slot.timeZone);
}

/**
 * Which reminder an open step due on `due` calls for on the owner's local day `today`: the day
 * before, the day itself, or once after (within the lookback); else null.
 * @example
 * stepNudge("2026-11-22", "2026-11-21") // "step-due-tomorrow"
 */
export function stepNudge(
  due: string,
  today: string,
): "step-due-tomorrow" | "step-due-today" | "step-overdue" | null {
  if (due === addDays(today, 1)) return "step-due-tomorrow";
  if (due === today) return "step-due-today";
  if (due < today && due >= addDays(today, -OVERDUE_LOOKBACK_DAYS)) return "step-overdue";
  return null;
}

/**
 * The check-in reminder a goal calls for on the owner's local day `today`. Check-ins are expected
 * every `cadenceDays` after the last one (or the start): "due" on such a day, "missed" on a later
 * day when the latest expected day passed without one (once per expected day, within the lookback;
 * not for daily cadences, where the next day is due again anyway). `dueDay` names the occurrence.
 * @example
 * checkinNudge({ lastCheckin: "2026-11-14", startDate: "2026-11-01", cadenceDays: 7 }, "2026-11-21")
 * // { kind: "checkin-due", dueDay: "2026-11-21" }
 */
export function checkinNudge(
  goal: { lastCheckin: string | null; startDate: string; cadenceDays: number },
  today: string,
): { kind: "checkin-due" | "checkin-missed"; dueDay: string } | null {
  const base =
    goal.lastCheckin !== null && goal.lastCheckin > goal.startDate ? goal.lastCheckin : goal.startDate;
  const cadence = Math.max(1, Math.round(goal.cadenceDays));
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${base}T00:00:00Z`)) / 86_400_000);
  if (days < cadence) return null;
  const periods = Math.floor(days / cadence);
  const latest = addDays(base, periods * cadence);
  if (latest === today) return { kind: "checkin-due", dueDay: today };
  if (cadence >= 2 && days - periods * cadence <= OVERDUE_LOOKBACK_DAYS)
    return { kind: "checkin-missed", dueDay: latest };
  return null;
}
