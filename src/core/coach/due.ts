/**
 * Reading a due date out of free text ("by Friday", "end of Q1", "in 6 weeks") relative to a
 * reference day. chrono-node reads ordinary dates; the patterns here cover what it misses or
 * reads differently from how planners mean it (quarters, "end of the month", "next week",
 * month-only and year-only deadlines). Pure: the reference day is a parameter.
 */

import * as chrono from "chrono-node";
import { MONTHS, WEEKDAYS } from "./lexicon.js";

/** A day as year, month (1-12) and day of month. */
interface Day {
  y: number;
  m: number;
  d: number;
}

/** A date found in the text, with where it starts and ends. */
interface Candidate {
  start: number;
  end: number;
  day: Day;
  /** Weak candidates ("EOD") are used only when nothing else is found. */
  weak?: boolean;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD into a Day, or null when it is not a real calendar day. */
export function parseIsoDay(iso: string): Day | null {
  const m = typeof iso === "string" ? ISO_DAY.exec(iso) : null;
  if (!m) return null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const check = new Date(Date.UTC(day.y, day.m - 1, day.d));
  return check.getUTCFullYear() === day.y && check.getUTCMonth() === day.m - 1 && check.getUTCDate() === day.d
    ? day
    : null;
}

/** True when `iso` is a real calendar day written as YYYY-MM-DD. */
export function isIsoDay(iso: unknown): iso is string {
  return typeof iso === "string" && parseIsoDay(iso) !== null;
}

function toIso(day: Day): string {
  return `${String(day.y).padStart(4, "0")}-${String(day.m).padStart(2, "0")}-${String(day.d).padStart(2, "0")}`;
}

function fromDate(date: Date): Day {
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

function utc(day: Day): Date {
  return new Date(Date.UTC(day.y, day.m - 1, day.d, 12));
}

function addDays(day: Day, n: number): Day {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + n);
  return fromDate(date);
}

function endOfMonth(y: number, m: number): Day {
  const y2 = y + Math.floor((m - 1) / 12);
  const m2 = ((((m - 1) % 12) + 12) % 12) + 1;
  return { y: y2, m: m2, d: new Date(Date.UTC(y2, m2, 0)).getUTCDate() };
}

function compare(a: Day, b: Day): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** Friday of the week (Monday to Sunday) that contains `day`, plus `weeks` weeks. */
function fridayOf(day: Day, weeks: number): Day {
  const weekday = (utc(day).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, 4 - weekday + weeks * 7);
}

function quarterEnd(y: number, q: number): Day {
  return endOfMonth(y, q * 3);
}

/** The end of quarter `q` that has not passed yet (this year's, or next year's). */
function nextQuarterEnd(now: Day, q: number): Day {
  const end = quarterEnd(now.y, q);
  return compare(end, now) >= 0 ? end : quarterEnd(now.y + 1, q);
}

/** The next `month`/`day` on or after `now`. */
function nextYearly(now: Day, month: number, day: number): Day {
  const date = { y: now.y, m: month, d: day };
  return compare(date, now) >= 0 ? date : { ...date, y: now.y + 1 };
}

function yearOf(text: string | undefined, now: Day): number | null {
  if (!text) return null;
  const n = Number(text);
  return text.length === 2 ? 2000 + n : n >= 1900 && n <= 2200 ? n : now.y;
}

/** Words that make a quarter, month or year a deadline rather than a label ("Q3 budget"). */
const DEADLINE_LEAD = String.raw`\b(?:by|before|until|till|til|in|during|for|within|through|due|end of|the end of|ending)\s+(?:the\s+)?`;

type Rule = { re: RegExp; day: (m: RegExpExecArray, now: Day) => Day | null; weak?: boolean };

/**
 * Planner phrases chrono misses or reads differently. Order does not matter: every rule runs and
 * the earliest match in the text wins, as with chrono's results.
 */
const RULES: Rule[] = [
  {
    // "by 2027-03-31": an ISO day means that day. The match starts at its deadline word, so it
    // outranks "by 2027" (a year alone) read from the same words.
    re: new RegExp(String.raw`(?:${DEADLINE_LEAD}|\b(?:on|at)\s+)?(?<!\d)(\d{4}-\d{2}-\d{2})(?![\d-])`, "gi"),
    day: (m) => parseIsoDay(m[1]),
  },
  {
    // "end of Q1", "by Q3 2027", "Q2 FY27", "Q4:" at the start
    re: new RegExp(
      String.raw`(?:${DEADLINE_LEAD}|^(?=q[1-4]\s*[:\-–—]))q([1-4])(?!\d)(?:\s*(?:of\s+)?(?:fy\s*)?'?(\d{4}|\d{2})\b)?`,
      "gi",
    ),
    day: (m, now) => {
      const q = Number(m[1]);
      const y = yearOf(m[2], now);
      return y === null ? nextQuarterEnd(now, q) : quarterEnd(y, q);
    },
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:current\s+)?|this\s+)quarter\b|\beoq\b|\bquarter[\s-]end\b/gi,
    day: (_m, now) => quarterEnd(now.y, Math.ceil(now.m / 3)),
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+)?)?next\s+quarter\b/gi,
    day: (_m, now) => endOfMonth(now.y, Math.ceil(now.m / 3) * 3 + 3),
  },
  {
    re: new RegExp(String.raw`(?:${DEADLINE_LEAD}|^(?=h[12]\s*[:\-–—]))h([12])(?!\d)(?:\s*(\d{4}))?\b`, "gi"),
    day: (m, now) => {
      const h = Number(m[1]);
      const y = yearOf(m[2], now);
      const end = endOfMonth(y ?? now.y, h * 6);
      return y === null && compare(end, now) < 0 ? endOfMonth(now.y + 1, h * 6) : end;
    },
  },
  {
    // "in the first half of next year", "the second semester", "1st half of 2027"
    re: /\b(?:(?:by|in|during|within|for|before|until|till|through|(?:the\s+)?end\s+of)\s+)?(?:the\s+)?(first|second|1st|2nd)\s+(?:half|semester)(?:\s+of\s+(?:(next|this|the)\s+year|(20\d{2})))?\b/gi,
    day: (m, now) => {
      const half = /^(?:first|1st)$/i.test(m[1]) ? 1 : 2;
      const y = m[3] ? Number(m[3]) : m[2]?.toLowerCase() === "next" ? now.y + 1 : null;
      const end = endOfMonth(y ?? now.y, half * 6);
      // The coming one when no year is named and this year's has passed.
      return y === null && m[2]?.toLowerCase() !== "this" && compare(end, now) < 0
        ? endOfMonth(now.y + 1, half * 6)
        : end;
    },
  },
  {
    re: /\b(?:when\s+the\s+year\s+(?:closes|ends)|(?:the\s+)?close\s+of\s+(?:the\s+)?year)\b/gi,
    day: (_m, now) => ({ y: now.y, m: 12, d: 31 }),
  },
  {
    re: /\b(?:(?:the\s+)?(?:end|rest)\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+)?year|this\s+year|(?:the\s+)?year[\s-]end|eoy)\b/gi,
    day: (_m, now) => ({ y: now.y, m: 12, d: 31 }),
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+)?next\s+year\b/gi,
    day: (_m, now) => ({ y: now.y + 1, m: 12, d: 31 }),
  },
  {
    // "by 2027", "in 2027", "end of 2027", "in the 2027"
    re: /\b(?:by|before|until|till|in|during|through|within)\s+(?:the\s+end\s+of\s+)?(?:the\s+)?(?:(?:early|mid|late)[\s-])?(20\d{2})\b(?![\d,])/gi,
    day: (m) => ({ y: Number(m[1]), m: 12, d: 31 }),
  },
  {
    // "the budget for 2027", "the plan of 2027": the year names a period; it is the due date only
    // when the text names no other ("budget for 2027 done by Friday" is due Friday).
    re: /\b(?:for|of)\s+(?:the\s+end\s+of\s+)?(?:(?:early|mid|late)[\s-])?(20\d{2})\b(?![\d,])/gi,
    day: (m) => ({ y: Number(m[1]), m: 12, d: 31 }),
    weak: true,
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|this\s+month|(?:the\s+)?month[\s-]end|eom)\b/gi,
    day: (_m, now) => endOfMonth(now.y, now.m),
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+)?next\s+month\b/gi,
    day: (_m, now) => endOfMonth(now.y, now.m + 1),
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:work\s+)?week|this\s+week|eow)\b/gi,
    day: (_m, now) => {
      const friday = fridayOf(now, 0);
      return compare(friday, now) >= 0 ? friday : now;
    },
  },
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+)?next\s+week\b/gi,
    day: (_m, now) => fridayOf(now, 1),
  },
  {
    // "in the next 3 months", "over the next 2 years": that span from today.
    re: /\b(?:in|within|over|during)\s+(?:the\s+)?next\s+(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(day|week|month|year)s?\b/gi,
    day: (m, now) => {
      const n = /^\d+$/.test(m[1]) ? Number(m[1]) : NUMBER_WORDS.indexOf(m[1].toLowerCase()) + 2;
      const unit = m[2].toLowerCase();
      if (unit === "day") return addDays(now, n);
      if (unit === "week") return addDays(now, 7 * n);
      const months = unit === "month" ? n : 12 * n;
      const end = endOfMonth(now.y, now.m + months);
      return { ...end, d: Math.min(now.d, end.d) };
    },
  },
  {
    // "the first week of December": that week's Friday (weeks run Monday to Sunday).
    re: /\b(first|second|third|fourth|last)\s+week\s+of\s+(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b/gi,
    day: (m, now) => {
      const month = monthNumber(m[2]);
      const y = month >= now.m ? now.y : now.y + 1;
      const which = m[1].toLowerCase();
      if (which === "last") return fridayOf(endOfMonth(y, month), 0);
      return fridayOf({ y, m: month, d: 1 }, ["first", "second", "third", "fourth"].indexOf(which));
    },
  },
  {
    re: /\b(?:in|within)\s+(?:a|one)\s+fortnight\b|\bfortnight\b/gi,
    day: (_m, now) => addDays(now, 14),
  },
  {
    re: /\b(?:mid[\s-]|(?:the\s+)?middle\s+of\s+)(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b/gi,
    day: (m, now) => {
      const month = monthNumber(m[1]);
      const day = { y: now.y, m: month, d: 15 };
      return compare(day, now) >= 0 ? day : { ...day, y: now.y + 1 };
    },
  },
  {
    // "by the 15th", "by 30th" (not "by 15th January", which is chrono's)
    re: /\b(?:by|on|before|until|till|due)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b(?!\s+of\b)(?!\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b)/gi,
    day: (m, now) => {
      const d = Number(m[1]);
      if (d < 1 || d > 31) return null;
      for (let k = 0; k < 3; k++) {
        const end = endOfMonth(now.y, now.m + k);
        if (d <= end.d && compare({ ...end, d }, now) >= 0) return { ...end, d };
      }
      return null;
    },
  },
  {
    re: /\b(by|before|until|till|for|over|on|after|at)\s+(?:the\s+)?(christmas|new\s+year'?s?)(?:\s+(eve|day))?\b/gi,
    day: (m, now) => {
      const christmas = m[2].toLowerCase() === "christmas";
      const eve = m[3]?.toLowerCase() === "eve";
      // "before the new year" is the old year's last day; "by New Year's Day" is the day itself.
      if (!christmas && !eve && m[1].toLowerCase() === "before") return nextYearly(now, 12, 31);
      if (!christmas && !eve) return nextYearly(now, 1, 1);
      return nextYearly(now, 12, christmas ? (eve ? 24 : 25) : 31);
    },
  },
  {
    // "by May", "in June", "end of March": the last day of that month (chrono skips "by May").
    re: /\b(?:by|in|until|till|through|during|over|(?:the\s+)?end\s+of)\s+(?:the\s+end\s+of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b(?!\s*\d|\s+(?:the\s+)?\d)/gi,
    day: (m, now) => {
      const month = monthNumber(m[1]);
      return endOfMonth(month >= now.m ? now.y : now.y + 1, month);
    },
  },
  {
    // "before April": the last day of the month before.
    re: /\bbefore\s+(?:the\s+(?:start|beginning)\s+of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b(?!\s*\d)/gi,
    day: (m, now) => {
      const month = monthNumber(m[1]);
      const y = month > now.m ? now.y : now.y + 1;
      return endOfMonth(y, month - 1);
    },
  },
  {
    re: /\b(?:eod|cob|end\s+of\s+(?:the\s+)?(?:day|today)|close\s+of\s+business)\b/gi,
    day: (_m, now) => now,
    weak: true,
  },
];

/** Number words from two, for "the next three months". */
const NUMBER_WORDS = [
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];

const MONTH_INDEX = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
] as const;

function monthNumber(name: string): number {
  return MONTH_INDEX.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTH_INDEX)[number]) + 1;
}

/** Cheap test before running chrono: no digit and no date word means no date. */
const DATEISH =
  /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tonight|tomorrow|week|month|year|quarter|weekend|eo[dwmqy]|cob|noon|midnight|morning|afternoon|evening|fortnight|christmas|day|days|h[12]|q[1-4]|now|new year|wks?|yrs?|xmas|half|semester)/i;

/** Month and weekday words that are also ordinary words ("you may", "sat down"). */
const AMBIGUOUS_DATE_WORDS = new Set([
  "may",
  "march",
  "mar",
  "sat",
  "sun",
  "wed",
  "mon",
  "jan",
  "jun",
  "dec",
  "sept",
]);

const PREPOSITION_BEFORE =
  /\b(?:by|on|before|until|till|til|due|next|this|in|of|from|end of|for|after|during|through|within)\s+$/i;
/**
 * Before a month alone, only a deadline word makes it a deadline: "by March", "in June", "end of
 * April". After "for", "of" or "from" it names a period ("the numbers for March"), not a due day.
 */
const MONTH_DEADLINE_BEFORE = /\b(?:by|before|until|till|til|due|in|end of|through|within|next|this)\s+$/i;
const REPEATING_BEFORE = /\b(?:every|each|per|a|an|times|twice|weekly|daily)\s+(?:other\s+)?$/i;
const EACH_BEFORE = /\b(?:every|each|any)\s+\w+/i;
/** A span of a day or a few, as a service level is ("within one day", "within 2 business days"). */
const SHORT_SPAN = /^within\s+(?:a|one|two|three|[1-3])\s+(?:business\s+|working\s+)?days?\b/i;
const REPEATING_AFTER = /^\s*(?:of\s+)?(?:every|each)\s+(?:other\s+)?(?:day|week|month|quarter|year)\b/i;
const BARE_DURATION =
  /^(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|few|couple(?: of)?)\s+(?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s?$/i;
const NUMBER_ONLY = /^[$€£]?[\d.,]+\s*[a-z]{0,2}$/i;
const RATE = /\b(?:a|an|per|each|every)\s+(?:day|week|month|year)$/i;
const SUB_DAY = /\b(?:sec(?:ond)?|min(?:ute)?|hour|hr)s?\b|\d\s*h\b/i;
const RELATIVE = /\b(?:in|within|from now|later|after|ago)\b/i;
const HAS_CLOCK = /\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d:\d\d|\bnoon\b|\bmidnight\b|o'?clock/i;

const referenceCache = new Map<string, Day>();

function referenceDay(now: string): Day {
  let day = referenceCache.get(now);
  if (!day) {
    const parsed = parseIsoDay(now);
    if (!parsed)
      throw new RangeError(`Reference date '${now}' is not a date. Use YYYY-MM-DD, e.g. '2026-11-18'.`);
    day = parsed;
    if (referenceCache.size > 64) referenceCache.clear();
    referenceCache.set(now, day);
  }
  return day;
}

/**
 * Reads the first due date in `text`, relative to the day `now` (YYYY-MM-DD), and returns it as
 * YYYY-MM-DD, or null when the text names no date. Deadlines that name a period mean its last
 * day ("March" is March 31, "Q1" is March 31, "next week" is next week's Friday); weekdays and
 * partial dates mean the next one on or after `now`. Repeating times ("every Monday") and bare
 * durations ("45 minutes") are not dates. Throws a RangeError only when `now` is not a date.
 *
 * @example
 * parseDue("Send the deck by Friday", "2026-11-18"); // "2026-11-20"
 * parseDue("Hit quota by end of Q1", "2026-11-18"); // "2027-03-31"
 * parseDue("Call Dana", "2026-11-18"); // null
 */
export function parseDue(text: string, now: string): string | null {
  const ref = referenceDay(now);
  if (typeof text !== "string" || !DATEISH.test(text)) return null;
  // "3 wks", "next wk": task-list shorthand for weeks, which chrono does not know.
  const source = (text.length > 2000 ? text.slice(0, 2000) : text)
    .replace(/\bwks\b/gi, "weeks")
    .replace(/\bwk\b/gi, "week")
    .replace(/\byrs\b/gi, "years")
    .replace(/\byr\b/gi, "year")
    .replace(/\bxmas\b/gi, "Christmas");
  const found = findDates(source, ref);
  return found ? toIso(found) : null;
}

function findDates(text: string, now: Day): Day | null {
  const candidates: Candidate[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const day = rule.day(m, now);
      if (day) candidates.push({ start: m.index, end: m.index + m[0].length, day, weak: rule.weak });
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
  for (const c of chronoDates(text, now)) {
    if (!candidates.some((o) => c.start < o.end && o.start < c.end)) candidates.push(c);
  }
  // "on the 1st every month", "the 15th of each month": a day that repeats is not a due date.
  // "answer every call within one day": how fast each is handled, a service level, not a due day.
  const once = candidates.filter(
    (c) =>
      !REPEATING_AFTER.test(text.slice(c.end, c.end + 40)) &&
      !(SHORT_SPAN.test(text.slice(c.start)) && EACH_BEFORE.test(text.slice(0, c.start))),
  );
  const strong = once.filter((c) => !c.weak);
  const pool = strong.length > 0 ? strong : once;
  if (pool.length === 0) return null;
  pool.sort((a, b) => a.start - b.start || b.end - a.end);
  return pool[0].day;
}

function chronoDates(text: string, now: Day): Candidate[] {
  let results: chrono.ParsedResult[];
  try {
    results = chrono.casual.parse(text, { instant: utc(now), timezone: 0 }, { forwardDate: true });
  } catch {
    return [];
  }
  const out: Candidate[] = [];
  for (const r of results) {
    const before = text.slice(Math.max(0, r.index - 24), r.index);
    const words = r.text.trim();
    const lower = words.toLowerCase();
    const start = r.start;
    if (REPEATING_BEFORE.test(before) || BARE_DURATION.test(lower) || lower === "24/7") continue;
    // "1.2M", "2M": amounts chrono reads as minutes; "1 hour a day": a rate, not a date.
    if ((NUMBER_ONLY.test(lower) && !HAS_CLOCK.test(lower)) || (RATE.test(lower) && !RELATIVE.test(lower)))
      continue;
    // "within 4 hours" is a service level, not a due day: a due date is never finer than a day.
    if (SUB_DAY.test(lower) && !HAS_CLOCK.test(lower)) continue;
    const knowsDay = start.isCertain("day") || start.isCertain("weekday");
    const knowsMonth = start.isCertain("month");
    const relative = RELATIVE.test(lower);
    if (!knowsDay && !knowsMonth && !relative) {
      // A time with no day ("at 3pm") means today; a bare number chrono read as an hour does not.
      if (start.isCertain("hour") && HAS_CLOCK.test(words)) {
        out.push({ start: r.index, end: r.index + r.text.length, day: now });
      }
      continue;
    }
    const single = /^[a-z]+$/i.test(words);
    if (single && (MONTHS.has(lower) || WEEKDAYS.has(lower))) {
      const atLabel = r.index === 0 && /^\s*[:\-–—]/.test(text.slice(r.index + r.text.length));
      const capital = words[0] !== lower[0];
      if (AMBIGUOUS_DATE_WORDS.has(lower) && !capital && !PREPOSITION_BEFORE.test(before) && !atLabel) {
        continue;
      }
      if (MONTHS.has(lower) && !MONTH_DEADLINE_BEFORE.test(before) && !atLabel) continue;
    }
    let day = fromDate(start.date());
    if (knowsMonth && !knowsDay && !relative) {
      // "by March": the deadline is the end of the month, and only when a preposition says so.
      if (!MONTH_DEADLINE_BEFORE.test(before) && !(r.index === 0)) continue;
      day = endOfMonth(day.y, day.m);
    }
    out.push({ start: r.index, end: r.index + r.text.length, day });
  }
  return out;
}
