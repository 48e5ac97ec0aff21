/**
 * Numbers and times in the words people use, shared by the pages: "11 days since the last
 * check-in (every 7 days planned)" rather than "11 of 7 days", "34% done; on pace would be 50%
 * today" rather than "34% of 50% expected", "45 days of slack before the due date" rather than
 * "Buffer +45 days", "5 minutes ago" rather than an ISO timestamp. Times and "today" are read in
 * the person's time zone (their setting, from the session; the browser's when none is given), and
 * never shown as ISO strings.
 */
import { daysBetween, fullDay, percent, shortDay, todayIso } from "./dates.js";

/** "1 day", "11 days". */
export function days(n: number): string {
  const a = Math.abs(n);
  return `${a} day${a === 1 ? "" : "s"}`;
}

/** Today (YYYY-MM-DD) in a time zone; the browser's when none is given or it is unknown. */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  if (!timeZone) return todayIso(now);
  try {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(now);
  } catch {
    return todayIso(now);
  }
}

/** A calendar day relative to today: "today", "yesterday", "tomorrow", else "on Mon 3 Mar". */
export function dayInWords(day: string | null | undefined, today: string = todayIso()): string {
  if (!day) return "no date";
  const d = daysBetween(today, day.slice(0, 10));
  if (d === 0) return "today";
  if (d === -1) return "yesterday";
  if (d === 1) return "tomorrow";
  return `on ${shortDay(day)}`;
}

function clock(at: Date, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hour12: false };
  try {
    return new Intl.DateTimeFormat("en", timeZone ? { ...opts, timeZone } : opts).format(at);
  } catch {
    return new Intl.DateTimeFormat("en", opts).format(at);
  }
}

/**
 * An instant relative to now, in the person's time zone: "just now", "5 minutes ago", "3 hours
 * ago", "yesterday at 14:05", "on 3 Mar 2026 at 09:30"; in the future "in 2 minutes", "tomorrow at 09:00".
 */
export function timeAgo(iso: string, timeZone?: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  const ahead = seconds < 0;
  const span = Math.abs(seconds);
  if (span < 45) return "just now";
  const minutes = Math.round(span / 60);
  const say = (n: number, unit: string) => {
    const amount = `${n} ${unit}${n === 1 ? "" : "s"}`;
    return ahead ? `in ${amount}` : `${amount} ago`;
  };
  if (minutes < 60) return say(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 12) return say(hours, "hour");
  const day = todayIn(timeZone, at);
  const gap = daysBetween(day, todayIn(timeZone, now));
  const time = clock(at, timeZone);
  if (gap === 0) return `today at ${time}`;
  if (gap === 1) return `yesterday at ${time}`;
  if (gap === -1) return `tomorrow at ${time}`;
  return `on ${fullDay(day)} at ${time}`;
}

/** "11 days since the last check-in (every 7 days planned)"; "No check-in yet (every 7 days planned)". */
export function checkinGap(
  lastCheckin: string | null,
  cadenceDays: number,
  since: string,
  today: string = todayIso(),
): string {
  const plan = `every ${cadenceDays === 1 ? "day" : days(cadenceDays)} planned`;
  if (!lastCheckin) return `No check-in since the start ${dayInWords(since, today)} (${plan})`;
  const gap = daysBetween(lastCheckin, today);
  if (gap <= 0) return `Checked in today (${plan})`;
  return `${days(gap)} since the last check-in (${plan})`;
}

/** "34% done; on pace would be 50% today" (or just "34% done" when the goal has no due date). */
export function progressAgainstPace(progress: number, expected: number | null | undefined): string {
  const done = `${percent(progress)} done`;
  if (expected === null || expected === undefined) return done;
  return `${done}; on pace would be ${percent(expected)} today`;
}

/** "45 days of slack before the due date", "12 days behind what the due date needs", "right on the line". */
export function slackInWords(bufferDays: number | null | undefined): string {
  if (bufferDays === null || bufferDays === undefined) return "Not enough progress yet to tell";
  if (bufferDays === 0) return "Exactly on pace for the due date";
  if (bufferDays > 0) return `${days(bufferDays)} of slack before the due date`;
  return `${days(bufferDays)} behind what the due date needs`;
}

const PACE: Record<string, string> = { ahead: "ahead of pace", "on-track": "on pace", behind: "behind pace" };

/** "ahead of pace", "on pace", "behind pace". */
export function paceInWords(pace: string): string {
  return PACE[pace] ?? pace;
}

const STALL: Record<string, string> = {
  behind: "well behind the pace its due date needs",
  silent: "nothing moved for longer than its check-in rhythm allows",
  "carried-over": "the same next step was carried over again",
};

/** Why a goal stalled, as a phrase: "well behind the pace its due date needs; nothing moved …". */
export function stallReasonsInWords(reasons: readonly string[]): string {
  return reasons.map((r) => STALL[r] ?? r).join("; ");
}
