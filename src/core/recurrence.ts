/**
 * Steps that repeat. A recurrence is stored as an RFC 5545 RRULE without DTSTART
 * ("FREQ=WEEKLY;BYDAY=MO"); the step's due date is the DTSTART. Everything here works in calendar
 * days (YYYY-MM-DD), treated as UTC midnights inside, so no time zone can shift a day.
 *
 * The series of a step is its due date followed by the rule's days after it: RFC 5545 makes
 * DTSTART the first instance and counts it in COUNT, even when it is not one of the rule's days
 * (rrule.js would leave it out; we put it back, because the step was promised for that day).
 * `alignStart` gives the rule's own first day, for callers that want the two in step.
 */
import * as rruleModule from "rrule";
import { isIsoDay, isRealDay } from "./dates.js";
import type { IsoDate } from "./types.js";

type RRuleLib = typeof rruleModule;
// rrule's "main" is a UMD bundle and it has no "exports": Node's ESM loader sees a single CommonJS
// default export, while bundlers read its "module" build with named exports. Take whichever is there.
const lib: RRuleLib = (rruleModule as RRuleLib & { default?: RRuleLib }).default ?? rruleModule;
type Rule = InstanceType<RRuleLib["RRule"]>;

/** The most occurrences one call returns: the earliest this many of the range (about 2¾ years of a daily step). */
export const MAX_OCCURRENCES = 1000;
/** The largest COUNT a rule may have. */
export const MAX_COUNT = 10_000;
/** The largest INTERVAL a rule may have. */
export const MAX_INTERVAL = 999;
/** A rule must fall on some day within this many years after its start, or it is refused. */
const HORIZON_YEARS = 10;
const MAX_TEXT = 300;

/** What `parseRecurrence` gives back: the stored rule, or a sentence saying how to write one. */
export type RecurrenceReading = { rrule: string } | { error: string };

/** An end given apart from the words (a CLI's `--until`, an API field). */
export interface RecurrenceEnd {
  /** The last day it may fall on, YYYY-MM-DD. */
  until?: IsoDate;
  /** How many times it happens, the first (the start) included. */
  count?: number;
}

const HOW =
  'Write it like "every day", "every weekday", "every Monday and Thursday", "every 2 weeks on Friday", ' +
  '"every month on the 15th" or "every 3 days", optionally ending "until 2027-01-31" or "6 times", ' +
  'or give an RFC 5545 rule such as "FREQ=WEEKLY;BYDAY=MO".';

const DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
type DayCode = (typeof DAY_CODES)[number];
const DAY_NAMES: Record<DayCode, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const WEEKDAY_WORDS: Record<string, DayCode> = {};
for (const code of DAY_CODES) {
  const full = DAY_NAMES[code].toLowerCase();
  for (const w of [full, `${full}s`, full.slice(0, 3)]) WEEKDAY_WORDS[w] = code;
}
Object.assign(WEEKDAY_WORDS, { tues: "TU", thur: "TH", thurs: "TH", weds: "WE" });

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  other: 2,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
};
const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  last: -1,
};

/** The RRULE's parts in the order we write them. */
const PART_ORDER = [
  "FREQ",
  "INTERVAL",
  "BYMONTH",
  "BYWEEKNO",
  "BYYEARDAY",
  "BYMONTHDAY",
  "BYDAY",
  "BYSETPOS",
  "WKST",
  "COUNT",
  "UNTIL",
] as const;
type PartName = (typeof PART_ORDER)[number];
type Parts = Partial<Record<PartName, string>>;
const FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

class RuleError extends Error {}

function utc(day: IsoDate): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function isoOf(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

/** A day about `years` after `day` (the 28th of its month, which every month has): a search horizon. */
function yearsAfter(day: IsoDate, years: number): IsoDate {
  const year = Math.min(9999, Number(day.slice(0, 4)) + years);
  return `${String(year).padStart(4, "0")}${day.slice(4, 7)}-28`;
}

function serialize(parts: Parts): string {
  return PART_ORDER.filter((k) => parts[k] !== undefined)
    .map((k) => `${k}=${parts[k]}`)
    .join(";");
}

function listOf(value: string, part: string, item: RegExp, range?: [number, number]): string[] {
  const items = value.split(",");
  for (const it of items) {
    const ok = item.test(it);
    const n = Number(it.replace(/[A-Z]+$/, "") || "1");
    if (!ok || (range && (n === 0 || Math.abs(n) < range[0] || Math.abs(n) > range[1]))) {
      throw new RuleError(`${part}=${value} has "${it}", which is not allowed there.`);
    }
  }
  return items;
}

/** Reads and checks a raw RRULE; throws RuleError with what is wrong. */
function readParts(text: string): Parts {
  const body = text.trim().replace(/^RRULE:/i, "");
  if (/[\r\n]/.test(body) || /DTSTART|RDATE|EXDATE/i.test(body)) {
    throw new RuleError(
      "Give only the rule (FREQ=...), without DTSTART or other lines: the due date is the start.",
    );
  }
  const parts: Parts = {};
  for (const raw of body.split(";")) {
    if (raw === "") continue;
    const eq = raw.indexOf("=");
    const key = (eq < 0 ? raw : raw.slice(0, eq)).trim().toUpperCase();
    const value =
      eq < 0
        ? ""
        : raw
            .slice(eq + 1)
            .trim()
            .toUpperCase();
    if (/^BY(HOUR|MINUTE|SECOND)$/.test(key)) {
      throw new RuleError(`${key} sets a time of day, and a step repeats on days: leave it out.`);
    }
    if (!(PART_ORDER as readonly string[]).includes(key))
      throw new RuleError(`"${key}" is not a part of an RRULE.`);
    if (value === "") throw new RuleError(`${key} has no value.`);
    if (parts[key as PartName] !== undefined) throw new RuleError(`${key} is given twice.`);
    parts[key as PartName] = value;
  }
  const freq = parts.FREQ;
  if (freq === undefined) throw new RuleError("It has no FREQ (DAILY, WEEKLY, MONTHLY or YEARLY).");
  if (!FREQS.includes(freq)) {
    throw new RuleError(
      /^(HOURLY|MINUTELY|SECONDLY)$/.test(freq)
        ? `FREQ=${freq} repeats within a day, and a step repeats on days: use DAILY, WEEKLY, MONTHLY or YEARLY.`
        : `FREQ=${freq} is not DAILY, WEEKLY, MONTHLY or YEARLY.`,
    );
  }
  if (parts.INTERVAL !== undefined) {
    const n = Number(parts.INTERVAL);
    if (!/^\d+$/.test(parts.INTERVAL) || n < 1 || n > MAX_INTERVAL) {
      throw new RuleError(`INTERVAL=${parts.INTERVAL} is not a whole number from 1 to ${MAX_INTERVAL}.`);
    }
    parts.INTERVAL = n === 1 ? undefined : String(n);
  }
  if (parts.COUNT !== undefined) {
    const n = Number(parts.COUNT);
    if (!/^\d+$/.test(parts.COUNT) || n < 1 || n > MAX_COUNT) {
      throw new RuleError(`COUNT=${parts.COUNT} is not a whole number from 1 to ${MAX_COUNT}.`);
    }
    parts.COUNT = String(n);
  }
  if (parts.UNTIL !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(parts.UNTIL);
    if (!m || !isRealDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
      throw new RuleError(`UNTIL=${parts.UNTIL} is not a day written YYYYMMDD.`);
    }
    // Steps live on days: a time in UNTIL only ever meant "through that day".
    parts.UNTIL = `${m[1]}${m[2]}${m[3]}`;
  }
  if (parts.COUNT !== undefined && parts.UNTIL !== undefined) {
    throw new RuleError("It has both COUNT and UNTIL; RFC 5545 allows one or the other.");
  }
  const ordinalDays = parts.BYDAY
    ? listOf(parts.BYDAY, "BYDAY", /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/, [1, 53])
    : [];
  if (ordinalDays.some((d) => /\d/.test(d)) && freq !== "MONTHLY" && freq !== "YEARLY") {
    throw new RuleError(`BYDAY=${parts.BYDAY} numbers its days, which only a MONTHLY or YEARLY rule may do.`);
  }
  if (parts.BYDAY) parts.BYDAY = ordinalDays.map((d) => d.replace(/^\+/, "")).join(",");
  if (parts.BYMONTHDAY !== undefined) {
    if (freq === "WEEKLY") throw new RuleError("BYMONTHDAY can't be used with FREQ=WEEKLY.");
    listOf(parts.BYMONTHDAY, "BYMONTHDAY", /^[+-]?\d{1,2}$/, [1, 31]);
  }
  if (parts.BYMONTH !== undefined) listOf(parts.BYMONTH, "BYMONTH", /^\d{1,2}$/, [1, 12]);
  if (parts.BYYEARDAY !== undefined) {
    if (freq !== "YEARLY") throw new RuleError("BYYEARDAY can only be used with FREQ=YEARLY.");
    listOf(parts.BYYEARDAY, "BYYEARDAY", /^[+-]?\d{1,3}$/, [1, 366]);
  }
  if (parts.BYWEEKNO !== undefined) {
    if (freq !== "YEARLY") throw new RuleError("BYWEEKNO can only be used with FREQ=YEARLY.");
    listOf(parts.BYWEEKNO, "BYWEEKNO", /^[+-]?\d{1,2}$/, [1, 53]);
  }
  if (parts.BYSETPOS !== undefined) {
    if (!parts.BYDAY && !parts.BYMONTHDAY && !parts.BYMONTH && !parts.BYYEARDAY && !parts.BYWEEKNO) {
      throw new RuleError("BYSETPOS needs another BY part (such as BYMONTHDAY) to pick from.");
    }
    listOf(parts.BYSETPOS, "BYSETPOS", /^[+-]?\d{1,3}$/, [1, 366]);
  }
  if (parts.WKST !== undefined && !(DAY_CODES as readonly string[]).includes(parts.WKST)) {
    throw new RuleError(`WKST=${parts.WKST} is not a day (MO to SU).`);
  }
  return parts;
}

function ruleOf(parts: Parts, dtstart: Date, count?: number): Rule {
  const options = lib.RRule.parseString(serialize({ ...parts, COUNT: undefined }));
  return new lib.RRule({ ...options, dtstart, count: count ?? null });
}

/** A step's series: its start, and the rule whose days follow it (null when COUNT leaves only the start). */
interface Series {
  start: IsoDate;
  /** Expands to the rule's days from the start (the start too, when it is one of them). */
  rule: Rule | null;
}

/** A stored rule's parts; a RangeError for one `parseRecurrence` would have refused (a caller's bug, not input). */
function partsOrThrow(rrule: string): Parts {
  try {
    return readParts(rrule);
  } catch (e) {
    if (e instanceof RuleError) throw new RangeError(`The recurrence '${rrule}' is not valid: ${e.message}`);
    throw e;
  }
}

function seriesOf(rrule: string, start: IsoDate): Series {
  if (!isIsoDay(start)) throw new RangeError(`The start '${start}' is not a day written YYYY-MM-DD.`);
  const parts = partsOrThrow(rrule);
  const dtstart = utc(start);
  const count = parts.COUNT === undefined ? undefined : Number(parts.COUNT);
  const probe = ruleOf(parts, dtstart, count);
  const first = probe.after(dtstart, true);
  const onRule = first !== null && first.getTime() === dtstart.getTime();
  if (onRule || count === undefined) return { start, rule: probe };
  // The start took one of the COUNT places though the rule would not have made it.
  return { start, rule: count > 1 ? ruleOf(parts, dtstart, count - 1) : null };
}

/**
 * The days a step repeating by `rrule` from `start` falls on between `from` and `to`, both
 * included, in order: the start itself, then the rule's days after it. At most
 * `MAX_OCCURRENCES` (the earliest ones); throws a RangeError for a rule `parseRecurrence` would refuse.
 * @example
 * occurrencesBetween("FREQ=WEEKLY;BYDAY=MO", "2026-11-02", "2026-11-10", "2026-11-30")
 * // ["2026-11-16", "2026-11-23", "2026-11-30"]
 */
export function occurrencesBetween(rrule: string, start: IsoDate, from: IsoDate, to: IsoDate): IsoDate[] {
  const series = seriesOf(rrule, start);
  if (!isIsoDay(from) || !isIsoDay(to))
    throw new RangeError(`The range ${from}..${to} is not two YYYY-MM-DD days.`);
  if (to < from || to < start) return [];
  const out: IsoDate[] = [];
  if (from <= start) out.push(start);
  if (series.rule) {
    const after = utc(from > start ? from : start);
    const days = series.rule.between(after, utc(to), true, (_d, i) => i <= MAX_OCCURRENCES);
    for (const d of days) {
      const day = isoOf(d);
      if (day !== start) out.push(day);
    }
  }
  return out.slice(0, MAX_OCCURRENCES);
}

/**
 * Every day the step falls on from its start through `to` (included): what a follow-through count
 * up to a day reads. At most `MAX_OCCURRENCES`.
 * @example
 * occurrencesThrough("FREQ=DAILY;COUNT=3", "2026-11-20", "2026-12-31") // ["2026-11-20", "2026-11-21", "2026-11-22"]
 */
export function occurrencesThrough(rrule: string, start: IsoDate, to: IsoDate): IsoDate[] {
  return occurrencesBetween(rrule, start, start, to);
}

/**
 * The first day on or after `day` that the rule itself falls on, ignoring COUNT and UNTIL: a due
 * date that keeps DTSTART in step with the rule, as RFC 5545 wants (a Todoist "every saturday"
 * read on a Wednesday starts on Saturday). Null when the rule falls on no day within ten years.
 * @example
 * alignStart("FREQ=WEEKLY;BYDAY=SA", "2026-11-18") // "2026-11-21"
 */
export function alignStart(rrule: string, day: IsoDate): IsoDate | null {
  if (!isIsoDay(day)) throw new RangeError(`The day '${day}' is not a day written YYYY-MM-DD.`);
  const parts = partsOrThrow(rrule);
  const rule = ruleOf({ ...parts, UNTIL: undefined }, utc(day));
  const first = rule.between(utc(day), utc(yearsAfter(day, HORIZON_YEARS)), true, (_d, i) => i < 1)[0];
  return first ? isoOf(first) : null;
}

function numberOf(word: string): number | null {
  if (/^\d+$/.test(word)) return Number(word);
  const ord = /^(\d+)(st|nd|rd|th)$/.exec(word);
  if (ord) return Number(ord[1]);
  return NUMBER_WORDS[word] ?? null;
}

function weekdaysOf(text: string): DayCode[] | null {
  const words = text.split(/\s*(?:,|\band\b|&|\/|\+)\s*|\s+/).filter((w) => w !== "");
  if (words.length === 0) return null;
  const codes = new Set<DayCode>();
  for (const w of words) {
    const code = WEEKDAY_WORDS[w];
    if (!code) return null;
    codes.add(code);
  }
  return DAY_CODES.filter((c) => codes.has(c));
}

/** BYMONTHDAY for "on the Nth": past the 28th it falls back to the month's last day when the month is shorter. */
function monthDay(n: number): Parts {
  if (n <= 28) return { BYMONTHDAY: String(n) };
  const days = [];
  for (let d = 28; d <= n; d++) days.push(d);
  return { BYMONTHDAY: days.join(","), BYSETPOS: "-1" };
}

/** "the 15th", "day 3", "the last day", "the first Monday": the day of a month, as rule parts. */
function dayOfMonth(text: string): Parts | null {
  const t = text.replace(/^(on\s+)?(the\s+)?/, "").replace(/\s+of\s+(the|each|every)\s+month$/, "");
  if (/^last(\s+day)?$/.test(t)) return { BYMONTHDAY: "-1" };
  const byNumber = /^(?:day\s+)?(\d{1,2})(?:st|nd|rd|th)?$/.exec(t);
  if (byNumber) {
    const n = Number(byNumber[1]);
    return n >= 1 && n <= 31 ? monthDay(n) : null;
  }
  const nth = /^(\w+)\s+(\w+)$/.exec(t);
  if (nth) {
    const pos =
      ORDINAL_WORDS[nth[1] as string] ??
      (/^[1-5](st|nd|rd|th)$/.test(nth[1] as string) ? Number.parseInt(nth[1] as string, 10) : null);
    const day = WEEKDAY_WORDS[nth[2] as string];
    if (pos !== null && pos !== undefined && day) return { BYDAY: `${pos}${day}` };
  }
  return null;
}

const UNIT_FREQ: Record<string, string> = {
  day: "DAILY",
  days: "DAILY",
  week: "WEEKLY",
  weeks: "WEEKLY",
  month: "MONTHLY",
  months: "MONTHLY",
  year: "YEARLY",
  years: "YEARLY",
};
const ADVERB: Record<string, Parts> = {
  daily: { FREQ: "DAILY" },
  weekly: { FREQ: "WEEKLY" },
  fortnightly: { FREQ: "WEEKLY", INTERVAL: "2" },
  monthly: { FREQ: "MONTHLY" },
  yearly: { FREQ: "YEARLY" },
  annually: { FREQ: "YEARLY" },
};
const WEEKDAYS: Parts = { FREQ: "WEEKLY", BYDAY: "MO,TU,WE,TH,FR" };

/** "<period>" or "<period> on <when>": "week", "2 weeks on Friday", "monthly on the 15th", "other month". */
function periodParts(body: string): Parts | null {
  const m =
    /^(?:(\S+)\s+)?(days?|weeks?|months?|years?|daily|weekly|fortnightly|monthly|yearly|annually)(?:\s+(.+))?$/.exec(
      body,
    );
  if (!m) return null;
  const countWord = m[1];
  const unit = m[2] as string;
  const rest = m[3]?.replace(/^on\s+/, "");
  let parts: Parts;
  const adverb = ADVERB[unit];
  if (adverb) {
    if (countWord !== undefined) return null;
    parts = { ...adverb };
  } else {
    const n = countWord === undefined ? 1 : numberOf(countWord);
    if (n === null || n < 1 || n > MAX_INTERVAL) return null;
    parts = { FREQ: UNIT_FREQ[unit] as string, INTERVAL: n > 1 ? String(n) : undefined };
  }
  if (rest === undefined) return parts;
  if (parts.FREQ === "WEEKLY") {
    const on = weekdaysOf(rest);
    return on ? { ...parts, BYDAY: on.join(",") } : null;
  }
  if (parts.FREQ === "MONTHLY") {
    const day = dayOfMonth(rest);
    return day ? { ...parts, ...day } : null;
  }
  return null;
}

/** The words between "every" and the end, as rule parts (without COUNT/UNTIL), or null. */
function wordsToParts(body: string): Parts | null {
  if (/^(week ?days?|work ?days?|working days?|business days?)$/.test(body)) return { ...WEEKDAYS };
  if (/^weekends?( days?)?$/.test(body)) return { FREQ: "WEEKLY", BYDAY: "SA,SU" };
  const days = weekdaysOf(body);
  if (days) return { FREQ: "WEEKLY", BYDAY: days.join(",") };

  const periodic = periodParts(body);
  if (periodic) return periodic;
  const other = /^other (.+)$/.exec(body);
  const otherDays = other ? weekdaysOf(other[1] as string) : null;
  if (otherDays) return { FREQ: "WEEKLY", INTERVAL: "2", BYDAY: otherDays.join(",") };
  // Todoist's short forms: "every 15th", "every last day", "every 3rd friday", "every first monday of the month".
  const day = dayOfMonth(body);
  if (day && !/^(on\s+)?(the\s+)?\d{1,2}$/.test(body)) return { FREQ: "MONTHLY", ...day };
  return null;
}

/** Adds the day a bare "every month" or "every year" keeps when the start's day is missing from shorter months. */
function clampToStart(parts: Parts, start: IsoDate): Parts {
  const day = Number(start.slice(8, 10));
  const month = Number(start.slice(5, 7));
  if (parts.FREQ === "MONTHLY" && !parts.BYMONTHDAY && !parts.BYDAY && day > 28)
    return { ...parts, ...monthDay(day) };
  if (parts.FREQ === "YEARLY" && !parts.BYMONTH && month === 2 && day === 29) {
    return { ...parts, BYMONTH: "2", BYMONTHDAY: "28,29", BYSETPOS: "-1" };
  }
  return parts;
}

function compactDay(day: IsoDate): string {
  return day.replace(/-/g, "");
}

function dayOfCompact(value: string): IsoDate {
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/**
 * Reads how a step repeats — words ("every Monday", "every 2 weeks on Friday", "monthly on the
 * 15th", "every 3 days until 2027-01-31", "every day, 6 times") or a raw RFC 5545 rule, with or
 * without "RRULE:" — into the RRULE stored with the step, whose due date `start` is the first
 * time. `end` adds an until day or a count given apart from the words. Days past the 28th fall back
 * to a shorter month's last day.
 * @example
 * parseRecurrence("every Monday and Thursday", "2026-11-02") // { rrule: "FREQ=WEEKLY;BYDAY=MO,TH" }
 * parseRecurrence("every month", "2027-01-31") // { rrule: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1" }
 * parseRecurrence("every fortnite", "2026-11-02") // { error: "\"every fortnite\" is not a repeat Throughline reads. Write it like ..." }
 */
export function parseRecurrence(text: string, start: IsoDate, end: RecurrenceEnd = {}): RecurrenceReading {
  if (!isIsoDay(start)) return { error: `The first day '${start}' is not a date. Use YYYY-MM-DD.` };
  const input = text.trim();
  if (input === "") return { error: `The repeat is empty. ${HOW}` };
  if (input.length > MAX_TEXT) return { error: `The repeat is longer than ${MAX_TEXT} characters. ${HOW}` };

  let parts: Parts;
  if (/^(RRULE:)?FREQ=|=/i.test(input)) {
    try {
      parts = readParts(input);
    } catch (e) {
      if (e instanceof RuleError)
        return { error: `The rule "${input}" is not one Throughline can use: ${e.message} ${HOW}` };
      throw e;
    }
  } else {
    let body = input
      .toLowerCase()
      .replace(/[.!]+$/, "")
      .replace(/\s+/g, " ");
    let until: string | undefined;
    let count: number | undefined;
    const untilMatch = /,?\s*\b(?:until|till|through|ending)\s+(.+)$/.exec(body);
    if (untilMatch) {
      const day = untilMatch[1] as string;
      if (!isIsoDay(day)) {
        return {
          error: `The end "${day}" in "${input}" is not a date: write it YYYY-MM-DD, as in "every Monday until 2027-01-31".`,
        };
      }
      until = day;
      body = body.slice(0, untilMatch.index);
    }
    const countMatch =
      /,?\s*(?:for\s+)?(\S+)\s+(?:times|occurrences)$/.exec(body) ?? /,?\s*(once)$/.exec(body);
    if (countMatch) {
      const n = countMatch[1] === "once" ? 1 : numberOf(countMatch[1] as string);
      if (n === null || n < 1 || n > MAX_COUNT) {
        return {
          error: `"${countMatch[1]}" in "${input}" is not a number of times from 1 to ${MAX_COUNT}: write it as in "every day, 6 times".`,
        };
      }
      count = n;
      body = body.slice(0, countMatch.index);
    }
    body = body
      .replace(/^(repeat(s|ing)?\s+)?(every|each)\s+/, "")
      .replace(/,$/, "")
      .trim();
    const read = wordsToParts(body);
    if (!read) return { error: `"${input}" is not a repeat Throughline reads. ${HOW}` };
    parts = clampToStart(read, start);
    if (until !== undefined) parts.UNTIL = compactDay(until);
    if (count !== undefined) parts.COUNT = String(count);
    if (parts.UNTIL && parts.COUNT)
      return { error: `"${input}" has both an end day and a number of times: give one of them.` };
  }

  if (end.until !== undefined) {
    if (!isIsoDay(end.until))
      return { error: `The end '${end.until}' is not a date. Use YYYY-MM-DD, as in 2027-01-31.` };
    const u = compactDay(end.until);
    if (parts.UNTIL !== undefined && parts.UNTIL !== u) {
      return {
        error: `The repeat ends on ${dayOfCompact(parts.UNTIL)} and the end given is ${end.until}: give one end.`,
      };
    }
    parts.UNTIL = u;
  }
  if (end.count !== undefined) {
    if (!Number.isInteger(end.count) || end.count < 1 || end.count > MAX_COUNT) {
      return { error: `The number of times, ${end.count}, is not a whole number from 1 to ${MAX_COUNT}.` };
    }
    if (parts.COUNT !== undefined && parts.COUNT !== String(end.count)) {
      return {
        error: `The repeat says ${parts.COUNT} times and the count given is ${end.count}: give one count.`,
      };
    }
    parts.COUNT = String(end.count);
  }
  if (parts.UNTIL !== undefined && parts.COUNT !== undefined) {
    return { error: "Give an end day or a number of times, not both (RFC 5545 allows one)." };
  }
  if (parts.UNTIL !== undefined && dayOfCompact(parts.UNTIL) < start) {
    return {
      error: `The end ${dayOfCompact(parts.UNTIL)} is before the first day, ${start}: give an end on or after it.`,
    };
  }
  const rrule = serialize(parts);
  // Bounded, because rrule.js would otherwise walk day by day to the year 9999 for a rule that never falls.
  const horizon = utc(yearsAfter(start, HORIZON_YEARS));
  const rule = ruleOf({ ...parts, UNTIL: undefined }, utc(start));
  if (rule.between(utc(start), horizon, false, (_d, i) => i < 1).length === 0) {
    return { error: `"${input}" never falls on a day within ${HORIZON_YEARS} years after ${start}. ${HOW}` };
  }
  return { rrule };
}

function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

const POSITION: Record<string, string> = {
  "1": "first",
  "2": "second",
  "3": "third",
  "4": "fourth",
  "5": "fifth",
  "-1": "last",
};

/** "every 2 weeks", "every month": the frequency and interval in words, or null for an unknown FREQ. */
function period(freq: string, interval: number): string {
  const unit = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" }[freq] as string;
  return interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
}

function describeMonthDay(parts: Parts): string | null {
  if (parts.BYDAY) {
    if (parts.BYMONTHDAY || parts.BYSETPOS) return null;
    const items = parts.BYDAY.split(",").map((d) => {
      const m = /^(-?\d+)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(d);
      const pos = m?.[1] ? POSITION[m[1]] : undefined;
      return m && pos ? `the ${pos} ${DAY_NAMES[m[2] as DayCode]}` : null;
    });
    return items.every((x) => x !== null) ? joinAnd(items as string[]) : null;
  }
  if (!parts.BYMONTHDAY) return null;
  if (parts.BYMONTHDAY === "-1" && !parts.BYSETPOS) return "the last day";
  const days = parts.BYMONTHDAY.split(",").map(Number);
  if (parts.BYSETPOS === "-1" && days[0] === 28 && days.every((d, i) => d === 28 + i) && days.length > 1) {
    return `the ${ordinal(days[days.length - 1] as number)} (or the month's last day)`;
  }
  if (parts.BYSETPOS || days.some((d) => d < 1)) return null;
  return `the ${joinAnd(days.map(ordinal))}`;
}

/**
 * A short English description of a stored rule: "every Monday", "every 2 weeks on Friday, until
 * 31 Jan 2027", "every day, 6 times". Rules written by hand that it has no words for are read by
 * rrule's own describer.
 * @example
 * describeRecurrence("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270131") // "every 2 weeks on Friday, until 31 Jan 2027"
 */
export function describeRecurrence(rrule: string): string {
  let parts: Parts;
  try {
    parts = readParts(rrule);
  } catch {
    return `by the rule ${rrule}`;
  }
  const freq = parts.FREQ as string;
  const interval = Number(parts.INTERVAL ?? "1");
  const days = parts.BYDAY?.split(",") ?? [];
  let text: string | null = null;
  const other = parts.BYMONTH || parts.BYWEEKNO || parts.BYYEARDAY || parts.WKST;
  if (freq === "DAILY" && !parts.BYDAY && !parts.BYMONTHDAY && !parts.BYSETPOS && !other) {
    text = period(freq, interval);
  } else if (freq === "WEEKLY" && !parts.BYSETPOS && !other) {
    if (days.length === 0) text = period(freq, interval);
    else if (interval === 1 && parts.BYDAY === "MO,TU,WE,TH,FR") text = "every weekday";
    else if (interval === 1) text = `every ${joinAnd(days.map((d) => DAY_NAMES[d as DayCode]))}`;
    else text = `${period(freq, interval)} on ${joinAnd(days.map((d) => DAY_NAMES[d as DayCode]))}`;
  } else if (freq === "MONTHLY" && !other) {
    if (!parts.BYDAY && !parts.BYMONTHDAY && !parts.BYSETPOS) text = period(freq, interval);
    else {
      const on = describeMonthDay(parts);
      text = on ? `${period(freq, interval)} on ${on}` : null;
    }
  } else if (freq === "YEARLY" && !parts.BYDAY && !parts.BYWEEKNO && !parts.BYYEARDAY && !parts.WKST) {
    if (!parts.BYMONTH && !parts.BYMONTHDAY && !parts.BYSETPOS) text = period(freq, interval);
    else if (parts.BYMONTH === "2" && parts.BYMONTHDAY === "28,29" && parts.BYSETPOS === "-1") {
      text = `${period(freq, interval)} on 29 Feb (28 Feb when there is none)`;
    }
  }
  if (text === null) {
    const rule = lib.RRule.fromString(serialize(parts));
    // rrule's describer says nothing of BYSETPOS ("the first Monday" would read "Monday"), so such rules are shown as written.
    const readable = !parts.BYSETPOS && rule.isFullyConvertibleToText();
    return readable ? rule.toText() : `by the rule ${serialize(parts)}`;
  }
  if (parts.UNTIL) {
    const u = dayOfCompact(parts.UNTIL);
    text += `, until ${Number(u.slice(8, 10))} ${MONTHS[Number(u.slice(5, 7)) - 1]} ${u.slice(0, 4)}`;
  } else if (parts.COUNT) {
    text += parts.COUNT === "1" ? ", once" : `, ${parts.COUNT} times`;
  }
  return text;
}
