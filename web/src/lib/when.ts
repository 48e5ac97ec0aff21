/**
 * Dates and times in words, in the person's time zone (their setting, which the goal page's answer
 * carries): "today", "yesterday", "in 3 days", "Tue 4 Mar", "2 hours ago".
 */
import { todayIn } from "./words.js";

/** Today as YYYY-MM-DD in a time zone (one reading of the zone for every page: lib/words.ts). */
export { todayIn };

/** The calendar day an instant falls on in a time zone. */
export function dayIn(at: Date, timeZone: string): string {
  return todayIn(timeZone, at);
}

const noon = (day: string) => new Date(`${day.slice(0, 10)}T12:00:00Z`);

/** Whole days from day a to day b (b − a). */
export function daysFrom(a: string, b: string): number {
  return Math.round((noon(b).getTime() - noon(a).getTime()) / 86_400_000);
}

/** "1 day", "3 days". */
export function days(n: number): string {
  return `${n} day${Math.abs(n) === 1 ? "" : "s"}`;
}

/**
 * A calendar day in words relative to today in the zone: "today", "tomorrow", "yesterday",
 * "in 3 days", "4 days ago" within a week, else "Tue 4 Mar" (with the year when not this year).
 */
export function dayInWords(day: string | null | undefined, timeZone: string, now: Date = new Date()): string {
  if (!day) return "no date";
  const today = todayIn(timeZone, now);
  const d = daysFrom(today, day);
  if (d === 0) return "today";
  if (d === 1) return "tomorrow";
  if (d === -1) return "yesterday";
  if (d > 1 && d < 7) return `in ${d} days`;
  if (d < -1 && d > -7) return `${-d} days ago`;
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    timeZone: "UTC",
  }).format(noon(day));
}

/**
 * An instant in words in the zone: "just now", "5 minutes ago", "3 hours ago", "yesterday at
 * 14:05", else "4 Mar at 09:12" (with the year when not this year).
 */
export function whenInWords(iso: string, timeZone: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const minutes = Math.round((now.getTime() - at.getTime()) / 60_000);
  if (minutes >= 0 && minutes < 1) return "just now";
  if (minutes >= 0 && minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const sameDay = dayIn(at, timeZone) === dayIn(now, timeZone);
  const hours = Math.round(minutes / 60);
  if (sameDay && hours >= 1 && hours < 24) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  let time: string;
  try {
    time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone }).format(at);
  } catch {
    time = at.toISOString().slice(11, 16);
  }
  const day = dayIn(at, timeZone);
  if (daysFrom(day, dayIn(now, timeZone)) === 1) return `yesterday at ${time}`;
  const sameYear = day.slice(0, 4) === dayIn(now, timeZone).slice(0, 4);
  const date = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    timeZone: "UTC",
  }).format(noon(day));
  return `${date} at ${time}`;
}
