/**
 * Numbers and times in the words people use, shared by the pages: "11 days since the last
 * check-in (every 7 days planned)" rather than "11 of 7 days", "34% done; on pace would be 50%
 * today" rather than "34% of 50% expected", "45 days of slack before the due date" rather than
 * "Buffer +45 days", "5 minutes ago" rather than an ISO timestamp. Days and times are read in the
 * browser's time zone (the person's), never shown as ISO strings.
 */
import { daysBetween, fullDay, percent, shortDay, todayIso } from "./dates.js";

/** "1 day", "11 days". */
export function days(n: number): string {
  const a = Math.abs(n);
  return `${a} day${a === 1 ? "" : "s"}`;
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

const TIME = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hour12: false });

/**
 * An instant relative to now, in the browser's time zone: "just now", "5 minutes ago", "3 hours
 * ago", "yesterday at 14:05", "on 3 Mar 2026 at 09:30".
 */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 12) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  const day = todayIso(at);
  const gap = daysBetween(day, todayIso(now));
  const time = TIME.format(at);
  if (gap === 0) return `today at ${time}`;
  if (gap === 1) return `yesterday at ${time}`;
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
