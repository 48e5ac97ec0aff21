/** Calendar days in the browser: today in local time, and friendly formats. */

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

const DAY_FORMAT = new Intl.DateTimeFormat("en", { weekday: "short", day: "numeric", month: "short" });
const FULL_FORMAT = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", year: "numeric" });

function parseDay(day: string): Date {
  return new Date(`${day.slice(0, 10)}T12:00:00`);
}

/** "Mon 3 Mar" for a YYYY-MM-DD day. */
export function shortDay(day: string | null | undefined): string {
  return day ? DAY_FORMAT.format(parseDay(day)) : "no date";
}

/** "3 Mar 2026" for a day or a timestamp. */
export function fullDay(day: string | null | undefined): string {
  return day ? FULL_FORMAT.format(parseDay(day)) : "no date";
}

/** A YYYY-MM-DD day plus n days. */
export function addDaysIso(day: string, n: number): string {
  const d = parseDay(day);
  d.setDate(d.getDate() + n);
  return todayIso(d);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((parseDay(b).getTime() - parseDay(a).getTime()) / 86_400_000);
}

/** Percent with no decimals: 0.357 → "36%". */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? "–" : `${Math.round(v * 100)}%`;
}

// --- Issue 15 (notifications): instants and days in words, in the person's time zone. ---

/** The YYYY-MM-DD day of an instant in a time zone (the browser's when none is given). */
function dayInZone(at: Date, timeZone?: string): string {
  // en-CA writes days as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/**
 * When something happened, in words in a time zone: "today at 14:05", "yesterday at 09:10",
 * "Thu 3 Dec at 10:00", with the year when it is not this year.
 */
export function whenInWords(iso: string, timeZone?: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(at);
  const day = dayInZone(at, timeZone);
  const today = dayInZone(now, timeZone);
  if (day === today) return `today at ${time}`;
  if (day === addDaysIso(today, -1)) return `yesterday at ${time}`;
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  const words = new Intl.DateTimeFormat("en", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(at);
  return `${words} at ${time}`;
}

/** A text with its YYYY-MM-DD days written in words ("by 2026-12-04" → "by Fri 4 Dec"). */
export function daysInWords(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b(?!T)/g, (day) => shortDay(day));
}
