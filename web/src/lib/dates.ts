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
