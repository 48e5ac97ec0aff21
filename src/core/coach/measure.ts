/**
 * Reading a measure out of free text: "from 1,200 to 2,000 users", "to 60", "by 20%",
 * "under 3%", "10 new clients". Dates, years, times, durations and labels ("chapter 7",
 * "Q3", "1:1") are not measures.
 */

import {
  ACTION_VERBS,
  LABEL_NOUNS,
  MONTHS,
  NOT_UNITS,
  NUMBER_WORDS,
  TIME_SUFFIXES,
  TIME_UNITS,
  UNIT_MODIFIERS,
  WEEKDAYS,
} from "./lexicon.js";
import { judgeStep, lemma } from "./step.js";
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

/**
 * How a goal's text says it can be checked at the end (issue 18, fifth pass):
 * - "number": a number with a target ("from 1,200 to 2,000 users", "10k steps/day", "under £50/mo");
 * - "habit": the only number is a repeated activity's rhythm or length, with no total
 *   ("gym 3x/wk", "practise 40 minutes every evening", "1:1 every 2 wks"): a habit, not a check;
 * - "done-state": no number, but an end a person could confirm: a completion verb with a concrete
 *   object ("ship v2 to all customers", "pass the AWS exam", "pay off the car loan") or a thing put
 *   into a finished state ("spare room painted", "auth refactor merged", "Have the window replaced");
 * - null: none of these (a wish, a direction, a habit without a number).
 */
export type GoalReading = "number" | "habit" | "done-state" | null;

/** "Double", "halve", "by half", "3x": a measure without a number. */
export const MULTIPLIER =
  /\b(?:double|doubling|triple|tripling|quadruple|halve|halving)\b|\bby\s+(?:half|a\s+(?:third|quarter))\b|\b\d+x\b/i;

/** A repeat: every/each day, daily, weekly, "/wk", "a week", "per day". */
const REPEAT =
  /\b(?:every|each)\s+(?:\d+\s+|other\s+|single\s+)?(?:day|morning|evening|night|week|weekend|month|year|mon|tue|wed|thu|fri|sat|sun|shift|sprint|time|wks?|days|weeks|months)|\b(?:daily|weekly|nightly|monthly|fortnightly)\b|\/\s?(?:wk|week|day|d|mo|month)\b|(?<!\b(?:within|in|for|over|after|than|about|under)\s)\b(?:a|per|in the)\s+(?:day|week|wk|month|morning|evening|night)\b|\b(?:once|twice)\s+(?:a|in the|per)\b|\b(?:times?|x)\s+in\s+(?:week|month|day)\b/i;
/** The number is how long or how often the habit is done, not a quantity to reach. */
const RHYTHM_UNITS =
  /^(?:minutes?|mins?|hours?|hrs?|h|x|times?|sessions?|evenings?|mornings?|days?|wks?|weeks?)$/i;
/** A total or a target that turns a habit into something to check: "to", "under", "total", "from … to". */
const TARGET_WORDS =
  /\bto\s+[<>~]?[\d$€£]|\b(?:under|below|over|above|at least|at most|max(?:imum)?|minimum|total|average|reduce|cut|raise|increase|grow|lower|from)\b|[<>≤≥]/i;

/**
 * Reads what makes a goal checkable from its text; `measure` is `parseMeasure(text)` when already
 * read. A measure wins over a done state; a habit's rhythm alone is "habit".
 *
 * @example
 * goalReading("Grow from 1,200 to 2,000 users"); // "number"
 * goalReading("gym 3x/wk"); // "habit"
 * goalReading("Ship v2 to all customers by mid-January"); // "done-state"
 * goalReading("Be a calmer parent"); // null
 */
export function goalReading(
  text: string,
  measure: Measure | null = parseMeasure(text),
  multiplier: boolean = MULTIPLIER.test(text),
): GoalReading {
  if (typeof text !== "string") return null;
  const lower = text.toLowerCase();
  // "Double weekly active users" is a target; "gym 3x/wk" is a rhythm.
  if (measure === null && multiplier)
    return REPEAT.test(lower) && /\d+\s*x\b/.test(lower) ? "habit" : "number";
  if (measure !== null) {
    return isHabitRhythm(lower, measure) ? "habit" : "number";
  }
  // A repeated doing with no number ("meditate every morning") is a habit with nothing to check.
  if (REPEAT.test(lower)) return null;
  return doneState(lower) ? "done-state" : null;
}

function isHabitRhythm(lower: string, measure: Measure): boolean {
  if (!REPEAT.test(lower)) return false;
  if (
    measure.from !== null ||
    measure.unit === "%" ||
    measure.unit === "$" ||
    measure.unit === "€" ||
    measure.unit === "£"
  )
    return false;
  if (TARGET_WORDS.test(lower)) return false;
  const unit = (measure.unit ?? "").split("/")[0];
  // "3x/wk": the number carries the x; "three times every week", "40 minutes every evening".
  if (/\d+\s*x\b/.test(lower) || /\b(?:times?|x)\s*(?:\/|a|per|every|each|in)\b/.test(lower)) return true;
  return RHYTHM_UNITS.test(unit) || /^\d*(?:min|mins|hrs?|h)$/.test(unit) || repeatedDeed(lower);
}

/** The end of the period a habit is kept up for: "until June", "for the next 6 weeks", "by March". */
const PERIOD_END = /\b(?:until|till|through|by|before)\b|\bfor\s+the\s+(?:rest|next)\b/;

/**
 * A count of a doing, repeated (issue 18, ninth pass): the number counts what the person does each
 * day or week ("Walk 10,000 steps every day", "Send ten follow-up emails every morning", "40
 * dials/day"), with no total and no level, so it is a habit: nothing says when it is reached. The
 * goal read as a step is a clean action, or a terse count per period names a doing the coach knows
 * as a verb ("dials", "calls"), and it opens with a verb of doing. A result counted per period is not a doing ("Sell 40 units a month",
 * "100 signups/week", "Get 20 new clients a month"): it depends on others and stays a number.
 */
function repeatedDeed(lower: string): boolean {
  // "Walk 8,000 steps a day until the end of the year": the period's end makes a total to check.
  if (PERIOD_END.test(lower)) return false;
  const perPeriod = /\b([a-z]+?)s?\s*\/\s?(?:day|d|wk|week|mo|month)\b/.exec(lower);
  if (perPeriod && ACTION_VERBS.has(lemma(perPeriod[1]))) return true;
  const judged = judgeStep(lower);
  const verb = judged.core[0]?.lower ?? "";
  return judged.kind === "action" && judged.vague === null && ACTION_VERBS.has(lemma(verb));
}

/** Verbs whose object, once done, is an end a person can check. */
const COMPLETION_VERB =
  "finish|finalise|finalize|complete|pass|clear|submit|ship|launch|publish|release|sign|close|sell|buy|obtain|migrate|install|replace|paint|renew|file|hand in|pay off|pay|quit|move into|move to|shift to|open|send|merge|book|construct|build|renovate|refurbish|convert|register|remove|kill|upgrade|recover|roll out|deliver|upload|hire|take|make the go-live of|run|get";
/** A wish or a plan before the verb: "I want to", "I'd like to", "To", "Within two weeks I will". */
const LEAD =
  /^(?:(?:finally|also|and)\s+|(?:i|we)\s+(?:really\s+)?(?:want|need|would like|'d like|would love|'d love|hope|plan|am going|'m going|will|'ll|must|have)\s+(?:to\s+)?|to\s+|(?:in|within|by|before)\s+[\w\s]{1,20}?,?\s*(?:i|we)\s+(?:want\s+to|will|'ll)\s+|by\s+[\w\s]{1,20},\s*)/;
/** The object is a standing, a feeling or a whole area of life: no end to check. */
const NOT_CONCRETE =
  /^(?:more|less|better|worse|closer|further|back|into shape|in shape|fit|healthier|fitter|calmer|feeling|the habit|a habit|rid of|control|on top|organi[sz]ed|sorted|my finances|our finances|the finances|finances|money|health|life|myself|good|great|better at|used to|along)\b/;
/** Participles that put a thing into a finished state: "spare room painted", "auth refactor merged". */
const FINISHED_STATE =
  /\b(?:submitted|published|cleared|done|passed|painted|boarded|fixed|unpacked|finished|completed|merged|uploaded|shipped|fitted|approved|signed(?: off)?|held|replaced|refurbished|installed|(?<!\bto )live|rolled out|migrated|paid off|filed|in hand|sold|delivered|launched|released|built|renovated|converted|closed|booked|renewed|repaired|sent|mounted|hired|registered|removed|cancelled|canceled)\b/;
/** Who the goal promotes: "promoted to senior nurse", "promo to senior by Jun". */
const PROMOTION = /\b(?:promoted|promotion|promo)\s+to\b/;

/** A habit given up for good, or a role taken: "quit smoking", "become chair of the association". */
const GIVEN_UP_OR_TAKEN =
  /^(?:stop|quit|give up)\s+(?:completely\s+|for good\s+)?(?:the\s+)?(?:smoking|vaping|drinking|alcohol|cigarettes)\b|^become\s+(?:the\s+)?(?:chair|chairman|chairwoman|president|treasurer|secretary|captain|head|director|partner)\s+of\b/;

/**
 * A time put first (issue 18, tenth pass): "Until 20 May to finish…", "Before the end of June
 * finish…", "Till Friday I submit…", "In six months to have…". Where the time stands does not
 * change the goal; what follows
 * it (a "to", a person or a verb that finishes) is read as the goal. "Until June the site must be
 * faster" keeps its time: no verb that finishes follows.
 */
const FRONTED_TIME = new RegExp(
  `^(?:until|till|before|in|within)\\s+[^,]{1,25}?,?\\s+(?=(?:to|i|we)\\s|(?:${COMPLETION_VERB})\\b)`,
);
/** A person, then a verb that finishes, in the present: "I finish the course", "we launch the shop". */
const PRESENT_PLAN = new RegExp(`^(?:i|we)\\s+(?=(?:${COMPLETION_VERB})\\b)`);

function doneState(lower: string): boolean {
  const text = lower.replace(/[.!]+$/, "").trim();
  if (PROMOTION.test(text)) return true;
  let rest = text;
  for (let i = 0; i < 4; i++) {
    const m = LEAD.exec(rest) ?? FRONTED_TIME.exec(rest) ?? PRESENT_PLAN.exec(rest);
    if (!m || m[0] === "") break;
    rest = rest.slice(m[0].length);
  }
  if (GIVEN_UP_OR_TAKEN.test(rest)) return true;
  if (credentialGained(rest)) return true;
  const verb = new RegExp(`^(?:${COMPLETION_VERB})\\b\\s*(?:and\\s+\\w+\\s+)?`).exec(rest);
  if (verb) {
    const object = rest.slice(verb[0].length);
    if (object !== "" && !NOT_CONCRETE.test(object)) {
      // "get" and "take" need a thing put into a finished state or an exam/diploma after them.
      if (!/^(?:get|take|run|pay)\b/.test(verb[0])) return true;
      if (/^pay\b/.test(verb[0]))
        return (
          /^pay off\b/.test(verb[0]) ||
          /\b(?:debts?|loan|fine|balance|card|bill|overdraft|mortgage)\b/.test(object)
        );
      if (/^run\b/.test(verb[0])) return /\b(?:marathon|half|10k|5k|race)\b/.test(object);
      if (/^take\b/.test(verb[0])) return /\b(?:exam|test|diploma|certificat\w*|order)\b/.test(object);
      return FINISHED_STATE.test(object) || (/^get\b/.test(verb[0]) && thingGotIntoState(object));
    }
    return false;
  }
  // A thing put into a finished state: "spare room painted by Xmas", "Have the window replaced".
  const state = FINISHED_STATE.exec(text);
  if (state && state.index > 0) {
    const before = text.slice(0, state.index).trim();
    return (
      before !== "" &&
      !/\b(?:feel|feeling|look|be|is|am|are|sorted)$/.test(before) &&
      !NOT_CONCRETE.test(before)
    );
  }
  return thingInItsState(text);
}

/**
 * A credential gained (issue 18, eighth pass): "Get the forklift licence", "Take the CKA
 * certification", "Earn the sworn translator accreditation", "obtain a first-aid cert". A
 * document or a rank one either holds or not is an end a person can check.
 */
function credentialGained(rest: string): boolean {
  return /^(?:get|take|earn|obtain|gain|win|have)\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+)?(?:[\w-]+\s+){0,3}?(?:licen[cs]e|certificate|certification|cert|accreditation|belt|diploma|degree|qualification)\b/.test(
    rest,
  );
}

/** Words a thing's state may be followed by: the end, a time, a purpose, another state. */
const AFTER_STATE = new Set([
  "by",
  "before",
  "until",
  "til",
  "till",
  "for",
  "so",
  "and",
  "in",
  "within",
  "on",
  "at",
  "tomorrow",
  "this",
  "next",
  "to",
]);

/**
 * A thing in its finished state, whatever the verb (issue 18, eighth pass): "guest room ready by
 * Xmas", "Have the boiler serviced tomorrow", "Get the back fence fully rebuilt so the dog stays in",
 * "loft insulation complete". `FINISHED_STATE` lists the usual participles; any past participle of
 * a known verb, or "ready" / "complete", after a noun (not a determiner, a copula or a verb of
 * feeling) and before the end, a time or a purpose, reads the same way. "Have a relaxed
 * Christmas" (a participle before its noun) and "more clean and organised" (a direction) do not.
 */
function thingInItsState(text: string): boolean {
  const words = text.split(/\s+/).map((w) => w.replace(/[,.;:!?]+$/, ""));
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    const participle = w.length > 4 && w.endsWith("ed") && lemma(w) !== w;
    if (!participle && w !== "ready" && w !== "complete") continue;
    const before = words[i - 1] === "fully" || words[i - 1] === "all" ? words[i - 2] : words[i - 1];
    if (
      /^(?:a|an|the|my|our|your|their|his|her|be|is|am|are|was|were|been|feel|feeling|look|get|got|have)$/.test(
        before,
      )
    )
      continue;
    if (words.slice(0, i).some((x) => /^(?:more|less|better|worse)$/.test(x))) return false;
    const after = words[i + 1];
    if (after === undefined || AFTER_STATE.has(after)) return !NOT_CONCRETE.test(words.slice(0, i).join(" "));
  }
  return false;
}

/**
 * A thing got into a finished state by others (issue 18, eleventh pass): "Get my first crossword
 * accepted by a national newspaper", "Get the village bus service restored before March", "Get the
 * whole house rewired before we move in". "Get" with a thing and then any past participle of a
 * known verb (not only those `FINISHED_STATE` lists) names a state that is reached or not on a given
 * day. Not an open comparative ("Get the shop noticed by more businesses"), a time only arranged for
 * a doing still ahead ("Get the MRI scheduled": the scan is not had), or a thing sorted ("Get our
 * paperwork sorted": `NOT_CONCRETE` already reads "sorted" as a tidy-up with no end).
 */
function thingGotIntoState(object: string): boolean {
  if (/\b(?:more|less|better|worse)\b/.test(object)) return false;
  if (/\b(?:scheduled|planned|arranged|organi[sz]ed|sorted)\b/.test(object)) return false;
  return thingInItsState(object);
}
