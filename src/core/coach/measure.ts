/**
 * Reading a measure out of free text: "from 1,200 to 2,000 users", "to 60", "by 20%",
 * "under 3%", "10 new clients". Dates, years, times, durations and labels ("chapter 7",
 * "Q3", "1:1") are not measures.
 */

import {
  LABEL_NOUNS,
  MONTHS,
  NOT_UNITS,
  NUMBER_WORDS,
  TIME_SUFFIXES,
  TIME_UNITS,
  UNIT_MODIFIERS,
  WEEKDAYS,
} from "./lexicon.js";
import { type Token, tokenize } from "./text.js";

/** A target read from text: where it starts (if stated), where it should get to, and in what. */
export interface Measure {
  from: number | null;
  to: number;
  unit: string | null;
}

/** A number in the text and what sits around it. */
interface NumberToken {
  /** Position in the token list. */
  at: number;
  value: number;
  /** "%", "$", "kg"... when written on the number itself. */
  unit: string | null;
}

const NUMERIC = /^([$€£])?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z%]+)?$/;
const SCALE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mn: 1e6,
  million: 1e6,
  bn: 1e9,
  billion: 1e9,
};
const ATTACHED_UNITS = new Set([
  "kg",
  "km",
  "lb",
  "lbs",
  "mi",
  "g",
  "l",
  "ml",
  "hrs",
  "hr",
  "min",
  "mins",
  "x",
  "ms",
]);
const COMPARATORS = new Set([
  "under",
  "below",
  "beneath",
  "over",
  "above",
  "max",
  "maximum",
  "minimum",
  "<",
  ">",
  "≤",
  "≥",
]);
const TWO_WORD_COMPARATORS = new Set([
  "less than",
  "fewer than",
  "more than",
  "at least",
  "at most",
  "up to",
  "no more than",
  "greater than",
]);
const LEADS_TO_DATE = new Set([
  "in",
  "within",
  "next",
  "over",
  "after",
  "every",
  "each",
  "per",
  "for",
  "past",
  "last",
]);
const ORDINAL = /^(st|nd|rd|th)$/;

/**
 * Reads the main measure in `text`, or null when it states none. A range ("from X to Y") wins over
 * a target ("to Y", "by 20%", "under 3%"), which wins over a plain count ("10 new clients").
 *
 * @example
 * parseMeasure("Grow from 1,200 to 2,000 users"); // { from: 1200, to: 2000, unit: "users" }
 * parseMeasure("Cut churn to under 3%"); // { from: null, to: 3, unit: "%" }
 * parseMeasure("Launch by March 31"); // null
 */
export function parseMeasure(text: string): Measure | null {
  if (
    typeof text !== "string" ||
    !/\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dozen|thousand)\b/i.test(
      text,
    )
  ) {
    return null;
  }
  return measureFromTokens(tokenize(text.length > 2000 ? text.slice(0, 2000) : text));
}

/** Same as parseMeasure, for callers that already split the text. */
export function measureFromTokens(tokens: Token[]): Measure | null {
  const numbers: NumberToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const n = readNumber(tokens, i);
    if (n) numbers.push(n);
  }
  if (numbers.length === 0) return null;

  for (let k = 0; k < numbers.length - 1; k++) {
    const a = numbers[k];
    const b = numbers[k + 1];
    const link = tokens[a.at + 1]?.lower;
    if (b.at === a.at + 2 && (link === "to" || link === "->" || link === "→" || link === "-")) {
      const unit = b.unit ?? a.unit ?? unitAfter(tokens, b.at);
      return { from: a.value, to: b.value, unit };
    }
  }
  for (const n of numbers) {
    const prev = tokens[n.at - 1]?.lower ?? "";
    const prev2 = n.at >= 2 ? `${tokens[n.at - 2].lower} ${prev}` : "";
    if (prev === "to" || prev === "by" || COMPARATORS.has(prev) || TWO_WORD_COMPARATORS.has(prev2)) {
      return { from: null, to: n.value, unit: n.unit ?? unitAfter(tokens, n.at) };
    }
  }
  const first = numbers[0];
  return { from: null, to: first.value, unit: first.unit ?? unitAfter(tokens, first.at) };
}

function readNumber(tokens: Token[], i: number): NumberToken | null {
  const token = tokens[i];
  const prev = tokens[i - 1]?.lower ?? "";
  const next = tokens[i + 1]?.lower ?? "";
  let value: number;
  let unit: string | null = null;

  const word = NUMBER_WORDS.get(token.lower);
  if (word !== undefined) {
    if (LEADS_TO_DATE.has(prev) && TIME_UNITS.has(next)) return null;
    if (!/^[a-z]/.test(next) || NOT_UNITS.has(next)) return null;
    return { at: i, value: word, unit: null };
  }

  const m = NUMERIC.exec(token.lower.replace(/^[<>≤≥~]/, ""));
  if (!m) return null;
  const [, currency, whole, fraction, suffix] = m;
  value = Number(whole.replace(/,/g, "") + (fraction ?? ""));
  if (currency) unit = currency;

  if (suffix) {
    if (suffix === "%") unit = "%";
    else if (SCALE[suffix] !== undefined) value *= SCALE[suffix];
    else if (ORDINAL.test(suffix) || TIME_SUFFIXES.has(suffix)) return null;
    else if (ATTACHED_UNITS.has(suffix)) unit = unit ?? suffix;
    else return null;
  }
  if (next === "%" || next === "percent" || next === "pct") unit = "%";
  const scaleWord = SCALE[next];
  if (scaleWord !== undefined && next.length > 2) value *= scaleWord;

  if (!currency && !suffix && unit === null) {
    if (LABEL_NOUNS.has(prev) || prev.startsWith("#")) return null;
    if (MONTHS.has(prev) || MONTHS.has(next) || WEEKDAYS.has(prev)) return null;
    if (TIME_SUFFIXES.has(next)) return null;
    if (LEADS_TO_DATE.has(prev) && TIME_UNITS.has(next)) return null;
    if (/^(19|20)\d\d$/.test(whole) && (!/^[a-z]/.test(next) || NOT_UNITS.has(next))) return null;
  }
  return { at: i, value, unit };
}

/** The word after a number that says what is counted: "2,000 users" → "users". */
function unitAfter(tokens: Token[], at: number): string | null {
  let i = at + 1;
  const next = tokens[i]?.lower;
  if (next === "%" || next === "percent" || next === "pct") return "%";
  while (i < tokens.length && UNIT_MODIFIERS.has(tokens[i].lower) && i < at + 3) i++;
  const word = tokens[i];
  if (!word || tokens[i - 1].after !== "") return null;
  if (!/^[\p{L}$€£]/u.test(word.raw) || NOT_UNITS.has(word.lower)) return null;
  if (MONTHS.has(word.lower) || WEEKDAYS.has(word.lower)) return null;
  return word.raw;
}
