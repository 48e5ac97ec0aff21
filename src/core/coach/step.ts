/**
 * Judging one step: is it an action or an outcome, is its verb vague, is it too big. The order:
 *
 * 1. Strip what does not change the meaning: list markers, a leading "Monday:", "I will",
 *    "need to", "please", a name before "to"/"will" ("Raj to send..."). "Try to" is stripped but
 *    remembered, because it makes an action vague.
 * 2. Phrases decide first, longest first: vague openings ("work on"), outcome openings
 *    ("pay off", "be a"), action openings ("reach out", "set up").
 * 3. Then the first word, de-inflected: an outcome verb ("increase") makes an outcome; a verb that
 *    is an outcome only with a metric or state object ("reduce stress", "keep the house tidy")
 *    looks at its object; a known action verb makes an action.
 * 4. Anything else is tagged by compromise: a verb first is an action; a subject followed by a
 *    verb ("customers are happier") is an outcome; a noun phrase is an action when it names a task
 *    ("dentist appointment"), otherwise an outcome ("successful launch").
 */

import {
  ABSOLUTE_STATES,
  ACTION_PHRASES,
  ACTION_VERBS,
  ACTIVITY_NOUNS,
  AGREEING_VERBS,
  APPRAISAL_WORDS,
  ATTENTION_LINKS,
  ATTENTION_NOUNS,
  BIG_OBJECTS,
  BIG_VERBS,
  CLAUSE_JOINERS,
  CLOCK_UNITS,
  COMPARATIVE_WORDS,
  COMPLETION_STATES,
  CONTEXT_OUTCOME_VERBS,
  CONTINUE_LINKS,
  CONTINUE_VERBS,
  COPULAS,
  DEGREE_VERBS,
  DISPOSITIONS,
  EFFORT_ADVERBS,
  EFFORT_COMPARATIVES,
  EFFORT_NOUNS,
  EFFORT_PHRASES,
  EVENT_NOUNS,
  FEASTS,
  GENERIC_PEOPLE,
  HEDGED_AMOUNTS,
  HELD_STATES,
  HOLD_NOUNS,
  HOLDING_VERBS,
  INDEFINITE_AMOUNTS,
  IRREGULAR_PARTICIPLES,
  KNOWING_VERBS,
  LEVEL_MARKS,
  LIFE_AREAS,
  LIGHT_VERBS,
  LINKING_VERBS,
  MANAGING_VERBS,
  MEANS_NOUNS,
  MEASURE_NOUNS,
  MODAL_PREFIXES,
  MONTHS,
  NOUN_LIGHT_VERBS,
  NUMBER_WORDS,
  OFFER_TIMES,
  OPEN_AMOUNTS,
  OPEN_STATES,
  ORDERING_VERBS,
  OUTCOME_NOUNS,
  OUTCOME_PHRASES,
  OUTCOME_VERBS,
  PERSON_STATES,
  PLACE_WORDS,
  PLACEHOLDER_NOUNS,
  PRAISE_WORDS,
  QUESTION_WORDS,
  RECIPIENT_MARKS,
  REQUIRING_MODALS,
  RESULT_VERBS,
  SCOPE_WORDS,
  SESSION_MARKS,
  SHORTHAND,
  SKILL_UP_VERBS,
  STANCE_ADVERBS,
  STANDING_VERBS,
  START_VERBS,
  STATE_VERBS,
  STATE_WORDS,
  STATIVE_VERBS,
  SUBJECTS,
  SYSTEM_AREAS,
  TASK_NOUNS,
  THING_WISH_VERBS,
  THINKING_VERBS,
  TOPIC_HEADS,
  TRY_HEDGES,
  VAGUE_AMOUNTS,
  VAGUE_PHRASES,
  VAGUE_TAILS,
  WEEKDAYS,
  WISH_WORDS,
  WISHED_STATE_VERBS,
} from "./lexicon.js";
import { isLexiconAdjective, lexiconComparative, type Tagged, tag } from "./nlp.js";
import { type Token, tokenize } from "./text.js";

/** What the coach concluded about a step's wording. */
export interface Judgement {
  kind: "action" | "outcome";
  /** The vague words ("work on", "try to") when the step is a vague action, else null. */
  vague: string | null;
  /** Why the step is too big ("several actions", "build ... website"), else null. */
  tooBig: string | null;
  /** The words the judgement was made on, after prefixes were stripped. */
  core: Token[];
}

/**
 * A phrase list split into words and indexed by its first word, so a look-up at one position tries
 * only the phrases that could start there, in the list's own order (so the first one found is the
 * one a walk over the whole list would find).
 */
class Phrases {
  private readonly byFirst = new Map<string, string[][]>();

  constructor(list: readonly string[]) {
    for (const phrase of list) {
      const words = phrase.split(" ");
      const same = this.byFirst.get(words[0]);
      if (same) same.push(words);
      else this.byFirst.set(words[0], [words]);
    }
  }

  /** The first phrase, in list order, that `words` holds at `from`; undefined if none. */
  findAt(words: readonly string[], from = 0): string[] | undefined {
    const same = this.byFirst.get(words[from]);
    if (same) for (const p of same) if (startsWith(words, p, from)) return p;
    return undefined;
  }
}
const phraseTokens = (list: readonly string[]) => list.map((p) => p.split(" "));
const phraseIndex = (list: readonly string[]) => new Phrases(list);
const VAGUE = phraseIndex(VAGUE_PHRASES);
const OUTCOME_OPENINGS = phraseIndex(OUTCOME_PHRASES);
const ACTION_OPENINGS = phraseIndex(ACTION_PHRASES);
const MODALS = phraseIndex(MODAL_PREFIXES);
const HEDGES = phraseIndex(TRY_HEDGES);
const TAILS = phraseTokens(VAGUE_TAILS);
const HEDGES_ANYWHERE = phraseTokens(HEDGED_AMOUNTS);

/** Words that open a setting — when or after what — before the person and the modal. */
const SETTING_OPENERS = new Set(
  "on in at by before after this next tomorrow tonight today later once when during over".split(" "),
);
/** The words of a setting ("On Monday", "After the call", "Tomorrow morning") this long at most. */
const MAX_SETTING = 5;
/** Words a bare time setting is made of: "tomorrow morning", "this weekend", "on Friday". */
const TIME_WORDS = new Set([
  ..."on this next tomorrow tonight today later morning afternoon evening night week weekend month first thing".split(
    " ",
  ),
  ...WEEKDAYS,
]);

/** Verbs of wanting: "I want the offer accepted" names a wanted state, not something done. */
const WANTING = new Set([
  "want",
  "wants",
  "hope",
  "hopes",
  "wish",
  "wishes",
  "need",
  "needs",
  "like",
  "love",
  "expect",
]);

/**
 * The person doing it, in the present (issue 18, third pass): "Tomorrow I pay the bill at the post
 * office", "This evening I translate the contract", "I am calling the landlord tomorrow", "I go
 * to the bank for open an account". Many writers, non-native ones most, say what they will do in
 * the present tense; the first person and a verb of doing say who acts. Returns how many words to
 * skip (the setting, the subject and any "am"/"are" before a verb in -ing) so the verb frame is read
 * as at the start of a step; null when the verb is a state ("I feel", "I know"), a copula or a
 * modal (handled by the modal frame), a verb of wanting, or is negated.
 */
function presentFrame(words: string[]): number | null {
  let at = 0;
  if (SETTING_OPENERS.has(words[0])) {
    while (at < MAX_SETTING && at < words.length && words[at] !== "i" && words[at] !== "we") at++;
  }
  if (words[at] !== "i" && words[at] !== "we") return null;
  let verbAt = at + 1;
  if ((words[verbAt] === "am" || words[verbAt] === "are") && /ing$/.test(words[verbAt + 1] ?? "")) verbAt++;
  if (WANTING.has(words[verbAt]) || /^(?:don't|dont|never|not)$/.test(words[verbAt] ?? "")) return null;
  if (words[verbAt + 1] === "not" || words[verbAt + 1] === "n't") return null;
  const verb = lemma(words[verbAt] ?? "");
  const known =
    ALL_VERBS.has(verb) || tag(words.slice(at, verbAt + 2).join(" "))[verbAt - at]?.tags.has("Verb");
  if (!known || COPULAS.has(verb) || STATIVE_VERBS.has(verb) || STATE_VERBS.has(verb)) return null;
  if (MODALS.findAt(words, verbAt)) return null;
  return verbAt;
}

/**
 * Where the person-and-modal frame starts after a leading setting ("On Monday I'll…", "Before
 * Friday I have to…"), and how long the frame is; null when there is none. The frame is the
 * same verb frame as at the start of a step, so only the setting's words are skipped.
 */
function frameAfterSetting(words: string[]): { at: number; length: number } | null {
  if (!SETTING_OPENERS.has(words[0])) return null;
  for (let at = 1; at <= MAX_SETTING && at < words.length - 1; at++) {
    const subject = SUBJECTS.has(words[at]) ? 1 : 0;
    const modal = MODALS.findAt(words, at + subject);
    if (modal && (subject === 1 || modal[0].includes("'"))) return { at, length: subject + modal.length };
    // "Tomorrow send the calendar", "this weekend clean the gutters": a bare time, then the verb.
    const bareTime = at <= 3 && words.slice(0, at).every((w) => TIME_WORDS.has(w));
    if (bareTime && !TIME_WORDS.has(words[at]) && ACTION_VERBS.has(lemma(words[at])))
      return { at, length: 0 };
  }
  return null;
}

const ALL_VERBS = new Set([...ACTION_VERBS, ...OUTCOME_VERBS, ...CONTEXT_OUTCOME_VERBS]);
for (const p of [...VAGUE_PHRASES, ...OUTCOME_PHRASES, ...ACTION_PHRASES]) ALL_VERBS.add(p.split(" ")[0]);

const DETERMINERS = new Set([
  "the",
  "a",
  "an",
  "my",
  "our",
  "your",
  "his",
  "her",
  "their",
  "its",
  "this",
  "that",
  "these",
  "those",
  "all",
  "some",
  "every",
  "each",
  "it",
  "them",
  "him",
  "me",
  "us",
  "up",
  "out",
  "off",
  "back",
  "down",
]);
const PREPOSITIONS = new Set([
  "for",
  "with",
  "to",
  "about",
  "at",
  "on",
  "in",
  "from",
  "by",
  "before",
  "after",
  "of",
  "into",
  "so",
  "because",
  "until",
  "during",
  "via",
  "through",
  "between",
  "without",
  "within",
  "per",
  "that",
  "who",
]);
const BULLET = /^\s*(?:(?:[-*•–—>+]+|\d{1,3}[.)]|[a-z][.)](?=\s)|\[[^\]]{0,3}\]|\(\s?\)|#+)\s*)+/i;
/** Particles of a phrasal verb: "help out", "tidy up". */
const PARTICLES = new Set(["up", "out", "off", "back", "down", "in", "on", "around"]);
const CHANGE_WORDS = new Set(["up", "down", "above", "below", "under", "over"]);

function startsWith(words: readonly string[], phrase: readonly string[], from = 0): boolean {
  if (words.length - from < phrase.length) return false;
  for (let i = 0; i < phrase.length; i++) if (words[from + i] !== phrase[i]) return false;
  return true;
}

function firstMatch(words: readonly string[], phrases: Phrases): string[] | null {
  return phrases.findAt(words) ?? null;
}

/** The base form of a verb if any word list knows it ("emailing" → "email"), else the word. */
export function lemma(word: string): string {
  if (ALL_VERBS.has(word)) return word;
  let known = LEMMAS.get(word);
  if (known === undefined) {
    // Every rule asks for the lemma of the words it reads; worked out once a word, the answer kept.
    if (LEMMAS.size >= MAX_LEMMAS) LEMMAS.clear();
    known = lemmaOf(word);
    LEMMAS.set(word, known);
  }
  return known;
}

/** Lemmas already worked out, by word; cleared when full, so it stays small whatever is linted. */
const LEMMAS = new Map<string, string>();
const MAX_LEMMAS = 5000;

function lemmaOf(word: string): string {
  const tries: string[] = [];
  if (word.endsWith("ing")) {
    const base = word.slice(0, -3);
    tries.push(base, `${base}e`, base.slice(0, -1));
  } else if (word.endsWith("ied")) tries.push(`${word.slice(0, -3)}y`);
  else if (word.endsWith("ed")) tries.push(word.slice(0, -2), word.slice(0, -1), word.slice(0, -3));
  else if (word.endsWith("ies")) tries.push(`${word.slice(0, -3)}y`);
  else if (word.endsWith("es")) tries.push(word.slice(0, -2), word.slice(0, -1));
  else if (word.endsWith("s") && !word.endsWith("ss")) tries.push(word.slice(0, -1));
  for (const t of tries) if (ALL_VERBS.has(t)) return t;
  return word;
}

function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Removes list markers, labels, modals and names-before-"to"; notes a "try to". */
function stripPrefixes(text: string): {
  core: Token[];
  tried: string | null;
  wished: boolean;
  able: boolean;
  taskLabel: boolean;
} {
  let tokens = tokenize(text.replace(BULLET, "")).map((t) => {
    const long = SHORTHAND.get(t.lower);
    return long ? { ...t, lower: long } : t;
  });
  let tried: string | null = null;
  let wished = false;
  let able = false;
  let taskLabel = false;
  for (let round = 0; round < 8 && tokens.length > 0; round++) {
    const words = tokens.map((t) => t.lower);
    const before = tokens.length;
    // "Monday: ...", "Q1 - ...", "Next step: ...": a short label ending in a colon or a dash.
    const label = tokens.slice(0, 3).findIndex((t) => t.after === ":" || t.after === "-");
    // "re:" is "about" ("call plumber re: boiler noise"), not the end of a label.
    const labelled = label >= 0 && label < tokens.length - 1 && !/^(?:\d+:\d+|re)$/.test(tokens[label].lower);
    const dashed = !labelled && tokens.length > 2 && /^[-–—]$/.test(tokens[1].raw);
    // Worked out once a round, and only when the cheaper label tests above did not match.
    const labelEnd = labelled || dashed ? 0 : terseLabel(tokens);
    if (labelled) {
      if (round === 0) taskLabel = namesTask(tokens.slice(0, label + 1));
      tokens = tokens.slice(label + 1);
    } else if (dashed) {
      tokens = tokens.slice(2);
    } else if (labelEnd > 0) {
      // Issue 18, sixth pass: "dentist recall - call back", "school forms - sign + return".
      tokens = tokens.slice(labelEnd);
    } else if (/^[-–—]+$/.test(tokens[0].raw)) {
      tokens = tokens.slice(1);
    } else {
      let subject = SUBJECTS.has(words[0])
        ? 1
        : startsWith(words, ["the", "team"]) || (/^(?:our|my)$/.test(words[0]) && words[1] === "team")
          ? 2
          : 0;
      // "I really want to", "we still need to": a stance adverb between the person and the modal.
      if (subject > 0 && STANCE_ADVERBS.has(words[subject])) subject++;
      const modal = MODALS.findAt(words, subject);
      const hedge = HEDGES.findAt(words);
      const setting = modal || hedge ? null : frameAfterSetting(words);
      const present = modal || hedge || setting ? null : presentFrame(words);
      if (modal) {
        const end = subject + modal.length;
        if (modal.some((w) => WISH_WORDS.has(w))) wished = true;
        if (modal.length === 1 && modal[0] === "can") able = true;
        // "I must to fill the form": a "to" after a modal that takes none.
        const to = words[end] === "to" && ALL_VERBS.has(lemma(words[end + 1] ?? "")) ? 1 : 0;
        tokens = tokens.slice(end + to);
      } else if (setting) tokens = tokens.slice(setting.at + setting.length);
      else if (present !== null) tokens = tokens.slice(present);
      else if (hedge) {
        tried = hedge.join(" ");
        tokens = tokens.slice(hedge.length);
      } else if (
        tokens.length > 2 &&
        /^\p{Lu}/u.test(tokens[0].raw) &&
        !ALL_VERBS.has(lemma(words[0])) &&
        // "Not to waste money": a prohibition (`prohibition`), not a name before "to".
        words[0] !== "not" &&
        /^(?:to|will|should|must|can|needs?|'ll)$/.test(words[1])
      ) {
        tokens = tokens.slice(words[1] === "needs" || words[1] === "need" ? 3 : 2);
      }
    }
    if (tokens.length === before) break;
  }
  return { core: tokens, tried, wished, able, taskLabel };
}

/** The first clause: words up to the first comma, semicolon, "and", "then" or "so that". */
function firstClause(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (out.length > 0 && (t.lower === "and" || t.lower === "then" || t.lower === "&")) break;
    out.push(t);
    if (t.after === "," || t.after === ";" || t.after === "." || out.length >= 14) break;
  }
  return out;
}

/** The object of the first verb: the words after it up to the first preposition. */
function objectWindow(clause: Token[], from: number): Token[] {
  const out: Token[] = [];
  for (let i = from; i < clause.length; i++) {
    if (PREPOSITIONS.has(clause[i].lower) && out.length > 0) break;
    out.push(clause[i]);
  }
  return out;
}

/** True when an object names a metric, a state or an amount: "costs", "tidy", "more", "$5,000", "to 60". */
function signalsOutcome(object: Token[]): boolean {
  for (const [i, t] of object.entries()) {
    const w = t.lower;
    if (i > 0 && object[i - 1].lower === "to" && /^\d/.test(w)) return true;
    if (OUTCOME_NOUNS.has(w) || OUTCOME_NOUNS.has(singular(w)) || STATE_WORDS.has(w)) return true;
    if (/^[$€£]|%$/.test(w)) return true;
  }
  return false;
}

/**
 * Kind of a clause that does not open with a known verb. `subjectFirst` says the first word is
 * a subject even if compromise tags it as a verb ("Deploys take ten minutes").
 */
function nounPhraseKind(clause: Token[], subjectFirst = false): "action" | "outcome" {
  const first = clause[0].lower;
  if (STATE_WORDS.has(first)) return "outcome";
  const tagged = clauseTags(clause);
  for (let i = 0; i < tagged.length; i++) {
    const t = tagged[i];
    const word = t.normal.toLowerCase();
    // A subject and its verb come before any preposition: "huddle with the night nurses" has none.
    if (i > 0 && t.tags.has("Preposition")) break;
    if (!t.tags.has("Verb") || TASK_NOUNS.has(word) || TASK_NOUNS.has(singular(word))) continue;
    if (i > 0 && tagged[i - 1].normal === "to") continue;
    if (i === 0 && subjectFirst) continue;
    if (i === 0) {
      if (t.tags.has("Copula") || t.tags.has("Modal") || t.tags.has("Auxiliary") || t.tags.has("PastTense")) {
        return "outcome";
      }
      return OUTCOME_VERBS.has(lemma(word)) ? "outcome" : "action";
    }
    return "outcome";
  }
  if (clause.some((t) => STATE_WORDS.has(t.lower) && !TASK_NOUNS.has(t.lower))) {
    const firstTask = clause.findIndex((t) => TASK_NOUNS.has(t.lower) || TASK_NOUNS.has(singular(t.lower)));
    const firstState = clause.findIndex((t) => STATE_WORDS.has(t.lower));
    if (firstTask < 0 || firstState < firstTask) return "outcome";
  }
  return clause.some((t) => TASK_NOUNS.has(t.lower) || TASK_NOUNS.has(singular(t.lower)))
    ? "action"
    : "outcome";
}

/** A verb-first step whose first word is really a noun: "Call volume down 10%", "Launch is on time". */
function isNounCompound(clause: Token[]): boolean {
  if (clause.length < 2 || DETERMINERS.has(clause[1].lower) || /^\p{Lu}/u.test(clause[1].raw)) return false;
  for (let i = 1; i < Math.min(clause.length, 5); i++) {
    const w = clause[i].lower;
    if (COPULAS.has(w) && w !== "get" && w !== "stay" && w !== "look") return true;
    if (levelIsCondition(clause, i)) return false;
    if (CHANGE_WORDS.has(w) && /^[$€£]?\d/.test(clause[i + 1]?.lower ?? "")) return true;
    // "test coverage 80%+": a metric and the level it should be at.
    if (i >= 2 && /^[<>~]?\d[\d.,]*%\+?$/.test(w)) return true;
  }
  return false;
}

function vagueAmount(clause: Token[]): string | null {
  const words = clause.map((t) => t.lower);
  const amount = (w: string | undefined) =>
    w !== undefined && (VAGUE_AMOUNTS.has(w) || EFFORT_COMPARATIVES.has(w));
  if (words.length >= 2 && amount(words[1])) return `${words[0]} ${words[1]}`;
  // "help out more", "take care more of": a particle or a bare noun, then the vague amount.
  const second = clause[1];
  if (
    second &&
    amount(words[2]) &&
    (!DETERMINERS.has(words[1]) || PARTICLES.has(words[1])) &&
    !/^\d/.test(words[1]) &&
    !NUMBER_WORDS.has(words[1]) &&
    !/^\p{Lu}/u.test(second.raw)
  )
    return `${words[0]} ${words[1]} ${words[2]}`;
  for (const hedge of HEDGES_ANYWHERE) {
    for (let i = 1; i + hedge.length <= words.length; i++) {
      if (startsWith(words, hedge, i)) return `${words[0]} … ${hedge.join(" ")}`;
    }
  }
  for (const tail of TAILS) {
    if (words.length > tail.length && startsWith(words, tail, words.length - tail.length)) {
      return `${words[0]} … ${tail.join(" ")}`;
    }
  }
  return null;
}

/** True for a past participle: "approved", "signed", "done", "gone" (an -ed word whose verb is known). */
function isParticiple(word: string): boolean {
  if (IRREGULAR_PARTICIPLES.has(word)) return true;
  return word.length > 4 && word.endsWith("ed") && lemma(word) !== word;
}

/**
 * Effort with no concrete action named (issue 18): carrying on ("continue with the course",
 * "keep going w/ french", "go on improving"), a placeholder object ("refactor stuff", "do
 * something for the garden"), a light verb with an indefinite amount ("do some revision", "spend
 * some time on it"), "cut down/back" with no number, or "needs handling". Returns the vague words.
 */
function effortFrame(words: string[]): string | null {
  const [first, second = "", third = ""] = words;
  const verb = lemma(first);
  if (CONTINUE_VERBS.has(verb)) {
    const link = CONTINUE_LINKS.has(second) && !(verb === "go" && /^(?:a|an|the)$/.test(third));
    const gerund = second.endsWith("ing") && second.length > 4;
    if (verb === "continue" || (verb !== "go" && verb !== "stick" && (link || gerund)))
      return `${first} ${second}`.trim();
    if ((verb === "go" && second === "on" && !/^(?:a|an|the)$/.test(third)) || (verb === "stick" && link))
      return `${first} ${second}`;
  }
  // The object, after any particle or opening preposition ("follow up on stuff"), up to the next
  // preposition: "clean the oven with the stuff Maria recommended" names the oven.
  let content = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (PREPOSITIONS.has(w) || PARTICLES.has(w)) {
      if (content) break;
      continue;
    }
    if (PLACEHOLDER_NOUNS.has(w) && !/^\d/.test(words[i - 1]) && !NUMBER_WORDS.has(words[i - 1]))
      return `${first} … ${w}`;
    if (!DETERMINERS.has(w)) content = true;
  }
  // "be smarter with money", "get better at math", "get more involved with the PTA": a better way
  // of behaving towards something, with no action named.
  if (verb === "be" || verb === "get") {
    const comparative = second === "more" || second === "better" || /^\w{3,}er$/.test(second);
    const towards = words.slice(2, 5).some((w) => w === "at" || w === "with" || w === "about");
    if (comparative && towards && !TASK_NOUNS.has(third)) return `${first} ${second}`;
  }
  // "more reading", "more prospecting": more or less of an activity, with no amount.
  if ((first === "more" || first === "less") && second.endsWith("ing") && second.length > 5)
    return `${first} ${second}`;
  if (LIGHT_VERBS.has(verb) && INDEFINITE_AMOUNTS.has(second)) return `${first} ${second}`;
  if (
    verb === "make" &&
    INDEFINITE_AMOUNTS.has(second) &&
    (TASK_NOUNS.has(third) || TASK_NOUNS.has(singular(third)))
  )
    return `${first} ${second}`;
  if (verb === "cut" && (second === "down" || second === "back") && !words.some((w) => /\d/.test(w)))
    return `${first} ${second}`;
  // "Bigger deals should be my focus", "Networking deserves more energy from me": attention
  // promised to something, with no action named (issue 18, third pass).
  const attention = words.findIndex(
    (w, i) =>
      i >= 2 &&
      i <= 8 &&
      ATTENTION_NOUNS.has(w) &&
      words.slice(Math.max(1, i - 4), i).some((l) => ATTENTION_LINKS.has(l)) &&
      !words.some((n) => /\d/.test(n)),
  );
  if (attention > 0 && !ALL_VERBS.has(verb)) return `… ${words[attention]}`;
  const needs = words.findIndex((w, i) => i <= 4 && (w === "needs" || w === "need"));
  if (needs >= 0) {
    const what = words[needs + 1] ?? "";
    if ((what.endsWith("ing") && what.length > 4) || what === "attention" || what === "some")
      return `needs ${what}`;
  }
  return null;
}

/**
 * True when a clause names an amount: a number, a sum, a percentage, a number word ("two more
 * wheelchairs"). A name with a digit in it ("k8s", "Q1") is not an amount.
 */
function namesAmount(words: readonly string[]): boolean {
  return words.some(
    (w, i) =>
      i > 0 &&
      (/^[<>~≥≤]?[$€£]?\d|%$/.test(w) ||
        NUMBER_WORDS.has(w) ||
        w === "half" ||
        w === "percent" ||
        w === "zero"),
  );
}

/**
 * Effort in the manner, not the deed (issue 18, fourth pass): an adverb of effort, depth or
 * "some day" ("learn k8s properly", "take my mental health more seriously", "invest someday"), or
 * a comparative of manner after the verb's object ("answer the emails more quick", "write the code
 * more clean"). Whatever the verb, the step says how hard or how well, not what to do or by when,
 * so it is vague even when its verb would name a state ("understand … properly"). Returns the words.
 */
const EFFORT_PHRASE_TOKENS = EFFORT_PHRASES.map((p) => p.split(" "));

function effortManner(words: string[]): string | null {
  if (namesAmount(words)) return null;
  // Issue 18, fifth pass: the same in a phrase ("at some point", "in depth", "all the time").
  for (let i = 1; i < words.length - 1; i++) {
    const phrase = EFFORT_PHRASE_TOKENS.find((p) => startsWith(words, p, i));
    // "in general" ends what it qualifies; "in general chat" names a place.
    if (phrase && phrase[1] === "general" && i + 2 < words.length) continue;
    if (phrase) return `${words[0]} … ${phrase.join(" ")}`;
  }
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (EFFORT_ADVERBS.has(w)) return `${words[0]} … ${words[i - 1] === "more" ? "more " : ""}${w}`;
    // "more deeply", "less often": a comparative of a manner adverb.
    if ((w === "more" || w === "less") && /\wly$/.test(words[i + 1] ?? "") && words[i + 1] !== "only")
      return `${words[0]} … ${w} ${words[i + 1]}`;
  }
  return null;
}

/**
 * A habit to break, not a deed (issue 18, fourth pass): "stop" or "quit" before what the person
 * keeps doing ("stop snacking after dinner", "quit doomscrolling", "stop to buy …"), or a
 * prohibition ("don't buy lunch out", "try not to overspend"). Stopping names no action to take
 * and no state anyone could check on a given day, so it is vague; "stop the trial subscription"
 * (a thing, not a doing) stays an action.
 */
function habitToBreak(words: string[]): string | null {
  const [first = "", second = "", third = ""] = words;
  if (first === "stop" || first === "quit") {
    if (second.endsWith("ing") && second.length > 4) return `${first} ${second}`;
    if (second === "to" && ALL_VERBS.has(lemma(third))) return `${first} to ${third}`;
    if (second === "being") return `${first} being`;
  }
  if (first === "don't" || first === "dont" || (first === "do" && second === "not"))
    return first === "do" ? "do not" : first;
  if (first === "try" && second === "not") return "try not";
  return null;
}

/** Verbs that put their object into a state: "make the hall brighter", "keep the desk clearer". */
const RESULTATIVE_VERBS = new Set(["make", "keep", "get", "render"]);

/**
 * A wish for a thing to be better, with no measure (issue 18, fourth pass): a verb that puts its
 * object into a state, then a comparative as that state ("make the hall brighter", "get the
 * spare room less cluttered", "make the intake form less confusing for parents"). The comparative
 * stands after the object, at the clause's end or before a preposition, so "make a shorter
 * version" (a thing to make) is not one. With an amount ("make the page 2s faster") it is left
 * to the outcome rules. Returns the vague words.
 */
function betterThing(clause: Token[], words: string[]): string | null {
  if (!RESULTATIVE_VERBS.has(lemma(words[0])) || namesAmount(words)) return null;
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    const predicative = (at: number) => at >= words.length || PREPOSITIONS.has(words[at]);
    if ((w === "more" || w === "less") && next && predicative(i + 2) && !DETERMINERS.has(words[i - 1]))
      return `${words[0]} … ${w}`;
    if (COMPARATIVE_WORDS.has(w) || !predicative(i + 1) || DETERMINERS.has(words[i - 1])) continue;
    if (w === "better" || w === "worse" || (/\w{3,}er$/.test(w) && isComparative(clause, i)))
      return `${words[0]} … ${w}`;
  }
  return null;
}

/**
 * More of a doing, in its manner (issue 18, fourth pass): whatever the verb, "more" or "less" after
 * its object and before nothing or a preposition ("call my sister more", "walk the dog more in the
 * evenings", "reply to emails more fast"), or a comparative straight after the verb ("cook
 * healthier", "write tidier commits"). It says do it more or better, not what to do, so it is
 * vague. "order two more chairs" names an amount; "buy more milk" is left to the amount rules.
 */
function moreOfADoing(clause: Token[], words: string[]): string | null {
  const verb = lemma(words[0]);
  if (namesAmount(words) || !ALL_VERBS.has(verb) || STATE_VERBS.has(verb)) return null;
  const ends = (at: number) => at >= words.length || PREPOSITIONS.has(words[at]) || PARTICLES.has(words[at]);
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    if ((w !== "more" && w !== "less") || DETERMINERS.has(words[i - 1]) || PREPOSITIONS.has(words[i - 1]))
      continue;
    if (ends(i + 1) || (ends(i + 2) && !ALL_VERBS.has(words[i + 1]))) return `${words[0]} … ${w}`;
  }
  const second = words[1] ?? "";
  const comparative =
    /\w{3,}er$/.test(second) && !ALL_VERBS.has(lemma(second)) && !/^\p{Lu}/u.test(clause[1]?.raw ?? "");
  if (second === "better" || (comparative && isComparative(clause, 1))) return `${words[0]} ${second}`;
  return null;
}

let lastClause = "";
let lastTags: Tagged[] = [];

/**
 * The clause as compromise tags it. Several rules may ask about the same clause of one step; the
 * last clause's tags are kept so compromise, the slow part of the coach, parses it once.
 */
function clauseTags(clause: Token[]): Tagged[] {
  const text = clause.map((t) => t.raw).join(" ");
  if (text !== lastClause) {
    lastTags = tag(text);
    lastClause = text;
  }
  return lastTags;
}

/** True when compromise reads word `at` of the clause as a comparative ("cosier", "nicer"; not "corner"). */
function isComparative(clause: Token[], at: number): boolean {
  return clauseTags(clause)[at]?.tags.has("Comparative") ?? false;
}

/**
 * A wish for oneself to be more of something (issue 18, fourth pass): after "I want to", "I'd
 * like to", "I hope to", a verb of being, feeling or knowing and a comparative with no measure
 * ("I'd like to feel calmer at work", "I want to know more about wine", "we hope to be less
 * rushed"). The person wishes; nothing says what they will do or when it is reached, so it is
 * vague. Plainly stated ("Feel less stressed") it stays an outcome, and a wish for someone else
 * or a thing ("I want our street to be safer") is read by the other rules. Returns the words.
 */
function wishedState(clause: Token[], words: string[], wished: boolean): string | null {
  const verb = lemma(words[0]);
  // Knowing and being need no wish: "know the suppliers better", "be tidier" want more of a
  // state with no measure. Feeling does ("Feel less stressed" is a state to check on oneself).
  const stative = STATIVE_VERBS.has(words[0]) || STATIVE_VERBS.has(verb);
  if (!(wished ? WISHED_STATE_VERBS.has(verb) : stative) || namesAmount(words)) return null;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (COMPARATIVE_WORDS.has(w) || w === "better" || w === "worse") return `${words[0]} … ${w}`;
    if (/\w{3,}(?:er|ier)$/.test(w) && isComparative(clause, i)) return `${words[0]} … ${w}`;
  }
  return null;
}

/**
 * More or less of a habit or a kind of work, written as a direction with no verb and no amount
 * (issue 18, fourth pass): "more fruit at breakfast", "fewer late-night snacks", "better
 * standups", "tidier commits". It points a way but names neither a deed nor a level anyone could
 * check, so it is vague. A comparative of a measure ("fewer readmissions", "higher retention",
 * "better grades": the nouns the coach knows as metrics) is an outcome, as before.
 */
function moreOfSomething(clause: Token[], words: string[]): string | null {
  const first = words[0];
  if (words.length < 2 || !/^(?:more|less|fewer|better|worse|\w{3,}er)$/.test(first) || namesAmount(words))
    return null;
  const object = objectWindow(clause, 1).map((t) => t.lower);
  if (object.some((w) => OUTCOME_NOUNS.has(w) || OUTCOME_NOUNS.has(singular(w)))) return null;
  const head = object[object.length - 1] ?? "";
  if (singular(head) !== head) return null;
  // Only now ask compromise, the slow part, whether an -er word is a comparative ("tidier", not "order").
  const comparative =
    COMPARATIVE_WORDS.has(first) ||
    first === "better" ||
    first === "worse" ||
    (!ALL_VERBS.has(lemma(first)) && isComparative(clause, 0));
  return comparative ? `${first} ${words[1]}` : null;
}

/**
 * A verb of looking after or putting in order, on a whole area of life (issue 18, fourth pass):
 * "tidy the whole flat", "organise my finances", "take care of my health", "get my money in
 * order", "take control of our spending". The verb is concrete only with a bounded object ("sort
 * the receipts", "fix the flaky login test"); on an area no sitting can finish it names no deed,
 * so it is vague. The area must be the object's head: "sort the garden shed" is an action.
 */
function areaOfLife(words: string[]): string | null {
  const first = words[0];
  const verb = lemma(first);
  let from = 1;
  if ((verb === "take" || verb === "took") && /^(?:care|control|charge)$/.test(words[1]) && words[2] === "of")
    from = 3;
  else if (verb === "get" && words[1] === "a" && words[2] === "handle" && words[3] === "on") from = 4;
  else if (verb === "get") {
    // "get my money in order", "get the garden sorted": the area, then the state it is put into.
    const order = words.findIndex(
      (w, i) => i > 1 && (w === "sorted" || (w === "in" && words[i + 1] === "order")),
    );
    if (order < 0) return null;
    return LIFE_AREAS.has(words[order - 1]) ? `${first} … ${words[order - 1]} ${words[order]}` : null;
  } else if (!MANAGING_VERBS.has(verb)) return null;
  if (from === 1 && (words[1] === "up" || words[1] === "out")) from = 2;
  if (namesAmount(words)) return null;
  // "build a house", "open a business": a new thing to make, not an area to look after.
  if (words[from] === "a" || words[from] === "an") return null;
  let head = "";
  for (let i = from; i < words.length; i++) {
    const w = words[i];
    if (PREPOSITIONS.has(w) || PARTICLES.has(w)) break;
    head = w;
  }
  return LIFE_AREAS.has(head) ? `${first} … ${head}` : null;
}

/**
 * A skill to improve, with no end (issue 18, fourth pass): "read up on tax rules", "swot up on
 * chemistry" (a verb, then "up on" a subject), "learn about wine", "know about pensions" (a verb
 * of knowing about a topic rather than a thing to know), "get good at chess". None says what will
 * be done or what will be known, so it is vague. "follow up on the leads" is an action phrase and
 * stays one; "learn the 50 irregular verbs" names what is learnt.
 */
function skillWithNoEnd(words: string[]): string | null {
  const [first = "", second = "", third = ""] = words;
  const verb = lemma(first);
  if (second === "up" && third === "on" && !ACTION_PHRASES.includes(`${verb} up`)) return `${first} up on`;
  if (second === "up" && SKILL_UP_VERBS.has(verb)) return `${first} up`;
  if (KNOWING_VERBS.has(verb) && second === "about") return `${first} about`;
  if ((verb === "get" || verb === "be") && second === "good" && third === "at") return `${first} good at`;
  return null;
}

/**
 * An outcome phrased as a state to be in, a standing to reach or a result won in an event
 * (issue 18): someone else acts ("get the budget approved", "get the landlord to fix the
 * heating"), a stative verb ("know all 50 capitals", "be moved into the flat", "have a house of my
 * own"), a result in an event ("pass driving theory test", "complete the half marathon"), or a
 * thing followed by its finished state ("all reviews done before the holidays", "back pain gone").
 */
function stateFrame(clause: Token[], words: string[]): boolean {
  const first = words[0];
  const verb = lemma(first);
  if (verb === "get" || verb === "have") {
    for (let i = 2; i < Math.min(words.length, 9); i++) {
      const prev = words[i - 1];
      if (DETERMINERS.has(prev) || PREPOSITIONS.has(prev)) continue;
      if (isParticiple(words[i]) || (verb === "get" && words[i] === "back" && i > 1)) return true;
      if (words[i] === "to" && i + 1 < words.length && ACTION_VERBS.has(words[i + 1])) return true;
    }
  }
  if (STATIVE_VERBS.has(first) || STATIVE_VERBS.has(verb)) return true;
  if (verb === "have" && words.length > 1 && !/^\p{Lu}/u.test(clause[1].raw)) {
    const object = objectWindow(clause, 1).map((t) => t.lower);
    if (!object.some((w) => TASK_NOUNS.has(w) || TASK_NOUNS.has(singular(w)))) return true;
  }
  if (RESULT_VERBS.has(verb)) {
    const object = objectWindow(clause, 1);
    const head = object[object.length - 1]?.lower ?? "";
    if (EVENT_NOUNS.has(head) || EVENT_NOUNS.has(singular(head))) return true;
  }
  // "hiring for ops role closed", "grade 5 piano done": not an instruction with an object after its
  // verb, but a thing and the state it should be in, with at most a time after it.
  if (words.length >= 2 && !DETERMINERS.has(words[1])) {
    // An unknown verb's past counts only after a thing: "Call HMRC … my tax code changed" is an order.
    const thingFirstPast = (w: string) => !ALL_VERBS.has(verb) && pastOfUnknownVerb(w);
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      // "past paper timed" is how the sitting is done, not a finished state (`timedSession`).
      if (!(COMPLETION_STATES.has(w) || isParticiple(w) || thingFirstPast(w)) || SESSION_MARKS.has(w))
        continue;
      if (DETERMINERS.has(words[i - 1]) || PREPOSITIONS.has(words[i - 1])) break;
      const rest = words[i + 1];
      if (rest === undefined || PREPOSITIONS.has(rest) || rest === "asap" || rest === "by") return true;
      break;
    }
  }
  return false;
}

/**
 * A change with no end (issue 18, third pass): a verb of degree with no amount ("improve code
 * quality", "grow my business"), or a verb followed by an unbounded comparative ("save more",
 * "make the house more nice", "learn faster", "be a better neighbour"), names neither a concrete
 * action nor a state anyone could check, so it is vague. It returns the vague words, or null when
 * the clause names an amount ("reduce churn to 2%", "save $200 more a month") or a state the person
 * is in ("feel less stressed", "have better work-life balance"): those are outcomes.
 */
function openChange(clause: Token[], words: string[], head: string): string | null {
  if (STATE_VERBS.has(head)) return null;
  const amount = words.some(
    (w, i) =>
      i > 0 &&
      (/\d|[$€£%]/.test(w) || NUMBER_WORDS.has(w) || w === "half" || w === "percent" || w === "zero"),
  );
  if (amount) return null;
  // "Expand into the German market" names where to get to: an end.
  if (DEGREE_VERBS.has(head)) return words[1] === "into" ? null : words[0];
  const comparative = words.findIndex((w, i) => i > 0 && COMPARATIVE_WORDS.has(w));
  if (comparative > 0) return `${words[0]} … ${words[comparative]}`;
  // compromise is the slow part of the coach: ask it only when a word could be a comparative.
  if (!words.some((w, i) => i > 0 && /(?:er|better|worse)$/.test(w))) return null;
  const tagged = clauseTags(clause);
  const er = tagged.findIndex((t, i) => i > 0 && t.tags.has("Comparative"));
  return er > 0 ? `${words[0]} … ${tagged[er].normal}` : null;
}

/**
 * Decides the kind and any vague words of the first clause. `tried` is set after "try to": a verb
 * that is an outcome only in context ("save more") is then read as effort, i.e. a vague action.
 */
function classify(
  core: Token[],
  tried: boolean,
  wished = false,
): { kind: "action" | "outcome"; vague: string | null } {
  const clause = firstClause(core);
  const words = clause.map((t) => t.lower);
  const vague = firstMatch(words, VAGUE);
  if (vague) return { kind: "action", vague: meansNamed(words) ? null : vague.join(" ") };
  // "30 min walk at lunch": a time-boxed stretch of doing something is an action.
  if (/^\d+$/.test(words[0]) && CLOCK_UNITS.has(words[1] ?? "")) return { kind: "action", vague: null };
  const effort =
    effortFrame(words) ??
    effortManner(words) ??
    habitToBreak(words) ??
    betterThing(clause, words) ??
    openStateOfThing(words) ??
    requiredStateOfThing(words) ??
    moreOfADoing(clause, words) ??
    wishedState(clause, words, wished) ??
    areaOfLife(words) ??
    skillWithNoEnd(words) ??
    moreOfSomething(clause, words) ??
    terseShape(clause, core, words) ??
    effortDoing(clause, core, words);
  if (effort) return { kind: "action", vague: effort };
  if (stateWordAsVerb(clause, words)) return { kind: "action", vague: vagueAmount(clause) };
  if (firstMatch(words, OUTCOME_OPENINGS)) return outcomeOrOpen(clause, words, lemma(words[0]));
  if (firstMatch(words, ACTION_OPENINGS)) return { kind: "action", vague: vagueAmount(clause) };
  if (stateFrame(clause, words) || stateReached(words) || statedState(words) || groupState(words))
    return { kind: "outcome", vague: null };

  const head = redoneVerb(words[0]) ?? lemma(words[0]);
  // An instruction never starts with a verb in its -s form: "Deploys take ten minutes" is a statement.
  const sForm = head !== words[0] && words[0].endsWith("s") && !words[0].endsWith("ss");
  if (sForm) return { kind: nounPhraseKind(clause, true), vague: null };
  if (OUTCOME_VERBS.has(head)) return outcomeOrOpen(clause, words, head);
  if (CONTEXT_OUTCOME_VERBS.has(head)) {
    return !tried && signalsOutcome(objectWindow(clause, 1))
      ? outcomeOrOpen(clause, words, head)
      : { kind: "action", vague: vagueAmount(clause) };
  }
  if (ACTION_VERBS.has(head)) {
    if (isNounCompound(clause)) return { kind: "outcome", vague: null };
    return { kind: "action", vague: vagueAmount(clause) };
  }
  if (levelHeld(words)) return { kind: "outcome", vague: null };
  if (terseTask(words) || timedSession(core)) return { kind: "action", vague: vagueAmount(clause) };
  const kind = nounPhraseKind(clause);
  return { kind, vague: kind === "action" ? vagueAmount(clause) : null };
}

/** An outcome verb's clause: an outcome, unless it is a change with no end (`openChange`). */
function outcomeOrOpen(
  clause: Token[],
  words: string[],
  head: string,
): { kind: "action" | "outcome"; vague: string | null } {
  const open = openChange(clause, words, head);
  return open ? { kind: "action", vague: open } : { kind: "outcome", vague: null };
}

/** "Call Dana and email Raj", "Draft the agenda, book the room and send invites". */
function severalActions(core: Token[]): boolean {
  let actions = 0;
  let segment: Token[] = [];
  const segments: Token[][] = [];
  for (const t of core) {
    if (
      segment.length > 0 &&
      (t.lower === "and" || t.lower === "then" || t.lower === "&" || t.lower === "plus")
    ) {
      segments.push(segment);
      segment = [];
      continue;
    }
    segment.push(t);
    if (t.after === "," || t.after === ";") {
      segments.push(segment);
      segment = [];
    }
  }
  if (segment.length > 0) segments.push(segment);
  for (const [i, seg] of segments.entries()) {
    const words = seg.map((t) => t.lower).filter((w) => w !== "then" && w !== "also" && w !== "and");
    if (words.length < 2) continue;
    const verb = lemma(words[0]);
    if (i === 0) {
      actions++;
      continue;
    }
    if (!ACTION_VERBS.has(verb) && !CONTEXT_OUTCOME_VERBS.has(verb)) continue;
    const second = seg.find((t) => t.lower === words[1]);
    if (DETERMINERS.has(words[1]) || (second && /^\p{Lu}/u.test(second.raw)) || /^\d/.test(words[1]))
      actions++;
  }
  return actions >= 2;
}

function tooBig(core: Token[]): string | null {
  if (severalActions(core)) return "several actions";
  const clause = firstClause(core);
  if (clause.length < 2) return null;
  let verbAt = 0;
  if (clause[1] && /^(?:up|out|together)$/.test(clause[1].lower)) verbAt = 1;
  const verb = lemma(clause[0].lower);
  if (!BIG_VERBS.has(verb)) return null;
  const object = objectWindow(clause, verbAt + 1);
  // The head noun decides ("the garage shelves" is shelves); a scope word anywhere makes it big.
  const head = object[object.length - 1];
  const big =
    object.find((t) => SCOPE_WORDS.has(t.lower)) ?? (head && BIG_OBJECTS.has(head.lower) ? head : undefined);
  return big ? `${clause[0].raw} … ${big.raw}` : null;
}

/** The words after a later "I will", "I'll", "I need to" once a clause has ended; null if none. */
function laterCommitment(core: Token[]): Token[] | null {
  const words = core.map((t) => t.lower);
  for (let k = 2; k < words.length - 1; k++) {
    const boundary = /[,;]/.test(core[k - 1].after) || /^(?:so|and|but)$/.test(words[k - 1]);
    if (!boundary) continue;
    let at = k;
    while (at < words.length && (SETTING_OPENERS.has(words[at]) || TIME_WORDS.has(words[at])) && at < k + 3)
      at++;
    const subject = words[at] === "i" || words[at] === "we" ? 1 : 0;
    const modal = MODALS.findAt(words, at + subject);
    if (modal && (subject === 1 || modal[0].includes("'"))) {
      const rest = core.slice(at + subject + modal.length);
      if (rest.length > 0) return rest;
    }
  }
  return null;
}

/**
 * A doing framed by a bare "To" (issue 18, fifth pass): "To improve my English for the work", "To
 * save more money for the future", "To optimise the performance of the application". The
 * infinitive names a goal, so the step reads as an outcome; but after a verb of doing (not one of
 * being, having or getting: `STANDING_VERBS`) what is named is still a doing, and when that doing
 * is vague on its own the "To" adds no end anyone could check. Returns the vague words, or null
 * when the doing is clean ("To close the contract with the hotel chain" stays an outcome).
 */
function toDoing(core: Token[]): string | null {
  if (core.length < 3 || core[0].lower !== "to") return null;
  const verb = lemma(core[1].lower);
  if (STANDING_VERBS.has(verb) || DETERMINERS.has(core[1].lower)) return null;
  const inner = classify(core.slice(1), false, true);
  return inner.kind === "action" ? inner.vague : null;
}

/**
 * Judges the wording of a step (already cleaned by `prepare`). Exposed for the goal checks and the
 * tests; callers outside the coach use `lintStep`.
 */
export function judgeStep(text: string): Judgement {
  const { core, tried, wished, able, taskLabel } = stripPrefixes(text);
  if (core.length === 0) return { kind: "action", vague: null, tooBig: null, core };
  let { kind, vague } = classify(core, tried !== null, wished);
  if (able && kind === "action" && vague === null && abilityStated(core, text))
    return { kind: "outcome", vague: null, tooBig: null, core };
  if (kind === "outcome" && taskLabel && objectOfTask(core))
    return { kind: "action", vague: null, tooBig: tooBig(core), core };
  if (kind === "outcome") {
    const doing = toDoing(core);
    if (doing) return { kind: "action", vague: doing, tooBig: tooBig(core), core };
    if (toErrand(core)) return { kind: "action", vague: null, tooBig: tooBig(core), core };
    // "My vocabulary is weak, so this week I'll spend more time on it": the first clause states
    // the problem; the step is what the person then says they will do.
    const commitment = laterCommitment(core) ?? frontedThing(core);
    if (!commitment) return { kind, vague: null, tooBig: null, core };
    ({ kind, vague } = classify(commitment, false));
    if (kind === "outcome") return { kind, vague: null, tooBig: null, core };
  }
  return { kind, vague: vague ?? tried, tooBig: tooBig(core), core };
}

// --- Issue 18, sixth pass: terse noun phrases and wished-for standings ---

/** Words that tie a step to an occasion: a day, a time of day, a month. */
const OCCASION_WORDS = new Set([
  ..."today tonight tomorrow am pm eod eow weekend morning evening".split(" "),
  ...WEEKDAYS,
  ...MONTHS,
]);

/**
 * A topic, not a step (issue 18, sixth pass): a noun phrase whose head names an area of work or an
 * activity ("pipeline hygiene", "stakeholder mgmt", "house admin", "territory planning",
 * "relationship building with CFOs") or a measure with no level at all ("mental health", "tech
 * debt", "core strength"), with no occasion, no amount and no name to act on. It points at a subject
 * but names neither a deed nor a state anyone could check, so it is vague. The same head after a
 * verb of doing ("fix pipeline hygiene") is no more concrete. "dentist appointment" (a task noun),
 * "offer letter from Stripe" (a thing), "inbox zero" (a level), "house on market" (a state) and
 * "gutter clearing Saturday" (an occasion) keep their reading. Returns the vague words.
 */
function bareTopic(clause: Token[], words: string[]): string | null {
  if (namesAmount(words) || /^[$€£]?\d/.test(words[0])) return null;
  if (words.some((w) => OCCASION_WORDS.has(w))) return null;
  // A name to act on ("LinkedIn msg to Priya"): a capital after the first word.
  if (clause.some((t, i) => i > 0 && /^\p{Lu}\p{Ll}/u.test(t.raw))) return null;
  const first = lemma(words[0]);
  // Only a verb of looking after or of knowing takes a topic as its object ("fix backlog hygiene",
  // "understand ML basics"); "share onboarding improvements with HR" hands over a thing.
  // An -ing form before a noun names a kind of work ("onboarding improvements"), not an order.
  const verbFirst = ALL_VERBS.has(first) && !words[0].endsWith("ing") && words.length > 1;
  if (verbFirst && !MANAGING_VERBS.has(first) && !KNOWING_VERBS.has(first)) return null;
  let end = verbFirst ? 1 : 0;
  while (end < words.length && !PREPOSITIONS.has(words[end]) && !PARTICLES.has(words[end])) end++;
  const phrase = words.slice(verbFirst ? 1 : 0, end);
  // "maths needs work", "the docs need work": a subject, then a call for work on it.
  const needs = words.findIndex((w) => w === "needs" || w === "need");
  if (needs > 0 && TOPIC_HEADS.has(words[needs + 1] ?? "") && needs + 2 >= words.length)
    return `${words[needs]} ${words[needs + 1]}`;
  const head = phrase[phrase.length - 1] ?? "";
  if (
    phrase.length === 0 ||
    DETERMINERS.has(phrase[0]) ||
    TASK_NOUNS.has(head) ||
    TASK_NOUNS.has(singular(head))
  )
    return null;
  // "hiring for ops role closed": a thing and its finished state.
  if (words.some((w) => STATE_WORDS.has(w) || COMPLETION_STATES.has(w) || isParticiple(w))) return null;
  // A question word ("understand how the cache works") opens a clause, not a topic.
  if (phrase.length > 4 || phrase.some((w) => /^(?:how|what|why|where|when|who)$/.test(w))) return null;
  if (TOPIC_HEADS.has(head)) return `${verbFirst ? `${words[0]} … ` : ""}${head}`;
  if (verbFirst) return null;
  // A lone -ing word with more after it is a doing in progress ("calling to the landlord").
  const ing = head.length > 5 && head.endsWith("ing") && (phrase.length > 1 || end === words.length);
  const alone = end === words.length && phrase.length <= 3;
  const measure = alone && (OUTCOME_NOUNS.has(head) || LIFE_AREAS.has(head)) && !ABSOLUTE_STATES.has(head);
  // "kids sleeping through the night": a plural before the -ing word is its subject, not a topic.
  const before = phrase[phrase.length - 2];
  if (!(ing && (before === undefined || singular(before) === before)) && !measure) return null;
  // Only now ask compromise, the slow part: "repaint bathroom ceiling" opens with a verb, and
  // "ceiling" is no activity.
  const tagged = clauseTags(clause);
  if (tagged[0]?.tags.has("Imperative") || (tagged[0]?.tags.has("Infinitive") && phrase.length > 1))
    return null;
  if (measure) return head;
  const gerund = tagged[phrase.length - 1]?.tags.has("Gerund") || ALL_VERBS.has(lemma(head));
  return gerund ? head : null;
}

/**
 * A direction written as a noun phrase (issue 18, sixth pass): a comparative with no amount opening
 * the step, whatever its head — "more referrals", "fewer impulse buys", "better tests", "less of the
 * late nights", "better with deadlines". `moreOfSomething` already reads a mass head; a plural or a
 * measure ("fewer missed deadlines", "higher retention") points the same way and names no level
 * either, so it is vague too. With an amount ("20% fewer returns", "fewer than 3 incidents") it is an
 * outcome. Returns the vague words.
 */
function directionNoun(clause: Token[], words: string[]): string | null {
  // "have more automation in the tests", "To have less clutter": having more of it is the same direction.
  const at = words[0] === "have" ? 1 : words[0] === "to" && words[1] === "have" ? 2 : 0;
  const first = words[at] ?? "";
  const next = words[at + 1];
  if (next === undefined || namesAmount(words) || words.includes("than")) return null;
  // "Have better work-life balance" is a state the person is in; more or less of a thing is not.
  const plain = COMPARATIVE_WORDS.has(first) || (at === 0 && (first === "better" || first === "worse"));
  if (plain) return `${at > 0 ? "have " : ""}${first} ${next}`;
  if (at > 0 || !/^\w{3,}er$/.test(first) || ALL_VERBS.has(lemma(first))) return null;
  return isComparative(clause, 0) ? `${first} ${next}` : null;
}

/**
 * A wished-for standing with no end (issue 18, sixth pass): to be or become a person praised with
 * no measure ("be a good neighbour", "become a trusted advisor to my clients", "be the go-to person
 * for billing", "become expert in Kubernetes"), to get or be in a bodily or personal state that has
 * no level ("get fit", "get back in shape", "be in form again", "get organised"), or, after a bare
 * "To", to be or become more or less of something ("To be more patient with customers"). None can
 * be confirmed on a given day, so each is vague. A rank ("be the best seller of the team", "become
 * the top rep"), an office ("become a director", "be elected chair") or a yes-or-no state ("be
 * debt-free", "be promoted") stays an outcome. Returns the vague words.
 */
function personStanding(words: string[]): string | null {
  const at = words[0] === "to" ? 1 : 0;
  const verb = words[at] ?? "";
  if (!/^(?:be|become|becoming|being|get|getting)$/.test(verb)) return null;
  let i = at + 1;
  const back = words[i] === "back" ? "back " : "";
  if (back) i++;
  if (words[i] === "in" && (words[i + 1] === "shape" || words[i + 1] === "form"))
    return `${verb} ${back}in ${words[i + 1]}`;
  if (PERSON_STATES.has(words[i]) && words[i] !== "shape" && words[i] !== "form")
    return `${verb} ${words[i]}`;
  if (verb.startsWith("get")) return null;
  if (at === 1 && (words[i] === "more" || words[i] === "less")) return `to ${verb} ${words[i]}`;
  const article = /^(?:a|an|the)$/.test(words[i]) ? 1 : 0;
  const praise = words[i + article] ?? "";
  if (!PRAISE_WORDS.has(praise)) return null;
  let end = i;
  while (end < words.length && !PREPOSITIONS.has(words[end])) end++;
  return namesAmount(["", ...words.slice(i, end)]) ? null : `${verb} … ${praise}`;
}

/**
 * The sixth pass's shapes, asked after the earlier effort shapes and before the outcome and action
 * openings: a wished-for standing, a direction as a noun phrase, a topic. One place to hook them in.
 */
function terseShape(clause: Token[], core: Token[], words: string[]): string | null {
  return (
    personStanding(words) ??
    directionNoun(clause, words) ??
    bareTopic(clause, words) ??
    bareActivity(core) ??
    bareArea(clause, core, words)
  );
}

/** Quantifiers that open a state of a group, not an order: "half the team trained", "all the invoices paid". */
const QUANTIFIERS = new Set(["half", "all", "both", "most", "every", "each", "no", "none", "some", "any"]);

/**
 * A terse task written as a thing or with a verb the lists do not know (issue 18, sixth pass): a
 * noun phrase handed to someone ("ethics form to committee", "thank-you cards to sponsors", "msg to
 * Priya"), or an unknown first word straight before a determiner, which only an order has ("bin the
 * crisps in the cupboard": a noun is not followed by "the"). Not when the clause names a state
 * ("promo to senior approved", "half the team trained") or the head is a measure or a standing
 * ("promotion to senior engineer").
 */
function terseTask(words: string[]): boolean {
  const first = words[0];
  if (words.length < 3 || DETERMINERS.has(first) || QUANTIFIERS.has(first) || /^[$€£]?\d/.test(first))
    return false;
  if (SUBJECTS.has(first) || ALL_VERBS.has(lemma(first)) || COPULAS.has(first)) return false;
  if (words.some((w) => STATE_WORDS.has(w) || COMPLETION_STATES.has(w) || isParticiple(w))) return false;
  if (/^(?:the|my|our|your|his|her|their)$/.test(words[1])) return true;
  // A target met or a thing left in a state: "quota hit for Nov", "error budget unspent for Nov".
  if (words.some((w) => w === "hit" || (w.length > 5 && w.startsWith("un") && isParticiple(w.slice(2)))))
    return false;
  const to = recipientAt(words);
  if (to < 1 || to > 4 || to === words.length - 1) return false;
  const phrase = words.slice(0, to);
  if (phrase.some((w) => PREPOSITIONS.has(w) || COPULAS.has(w))) return false;
  const head = phrase[phrase.length - 1];
  if (OUTCOME_NOUNS.has(head) || OUTCOME_NOUNS.has(singular(head))) return false;
  // "to" before a verb is a purpose or a wish ("team to be happier"), not a recipient.
  const after = words[to + 1];
  return !ALL_VERBS.has(lemma(after)) && !COPULAS.has(after) && !STATIVE_VERBS.has(after);
}

/**
 * How many words a short label before a free-standing dash takes, dash included ("dentist recall -
 * call back" is 3); 0 when there is none or the dash ends the text. One word before the dash is
 * handled where labels are stripped.
 */
function terseLabel(tokens: Token[]): number {
  // "outline essay 2 — 5 bullet pts" opens with a verb: an order with a note after it, not a label.
  if (ALL_VERBS.has(lemma(tokens[0]?.lower ?? ""))) return 0;
  for (let i = 2; i <= 3 && i < tokens.length - 1; i++) if (/^[-–—]+$/.test(tokens[i].raw)) return i + 1;
  return longLabel(tokens);
}

// --- Issue 18, seventh pass: vague doings on concrete-looking objects ---

/** An "-ish" on a word, not a time or a number: "declutter-ish", "fitter-ish" (not "5pm-ish"). */
const ISH = /^[a-z][a-z'-]*[a-z]-ish$/;

/**
 * A finish left open by the writer (issue 18, seventh pass): an "-ish" on a word ("reorganise the
 * shed-ish", "inbox zero-ish"), "generally" after the doing ("declutter, generally"), or a question
 * left as the step ("meal plan system?"). Whatever the doing, the writer says it is only roughly
 * this, or not decided, so there is no done state to tick off. A time or a number with "-ish"
 * ("5pm-ish", "20-ish pages") and a question with an occasion or an amount ("dentist Tues?") keep
 * their reading. Returns the vague words.
 */
function hedgedFinish(core: Token[]): string | null {
  const words = core.map((t) => t.lower);
  const ish = words.find((w) => ISH.test(w));
  if (ish) return ish;
  const last = words.length - 1;
  if (last >= 1 && words[last] === "generally") return `${words[0]} … generally`;
  const asked = core.findIndex((t) => t.after.includes("?"));
  if (asked < 0 || namesAmount(words) || words.some((w) => OCCASION_WORDS.has(w))) return null;
  return core.some((t, i) => i > 0 && /^\p{Lu}/u.test(t.raw)) ? null : `${core[asked].raw}?`;
}

/**
 * Starting or going back to a doing with no object (issue 18, seventh pass): "start running
 * again", "begin thinking about my pension", "resume journaling", "get back into cycling". A habit
 * taken up has no day on which it is done. With an object the gerund names a task ("start drafting
 * the report", "begin packing the boxes") and stays an action. Returns the vague words.
 */
function startedHabit(words: string[]): string | null {
  const [first = "", second = "", third = "", fourth = ""] = words;
  if (lemma(first) === "get" && second === "back" && third === "into") {
    return DETERMINERS.has(fourth) && fourth !== "some" ? null : `${first} back into`;
  }
  if (!START_VERBS.has(lemma(first)) || !second.endsWith("ing") || second.length < 5) return null;
  const next = words[2];
  const open = next === undefined || next === "again" || PREPOSITIONS.has(next) || PARTICLES.has(next);
  return open ? `${first} ${second}` : null;
}

/**
 * Getting into or staying in a disposition (issue 18, seventh pass): "get involved with the
 * residents' group", "get serious about Spanish", "stay motivated", "be more proactive", and coming
 * to grips ("get a grip on the budget", "get my head around pensions"). It is a way of being, not a
 * deed, and no day confirms it. Returns the vague words.
 */
function disposition(words: string[]): string | null {
  const [first = "", second = "", third = "", fourth = ""] = words;
  const verb = lemma(first);
  if (!/^(?:get|getting|got|stay|staying|be|become|keep|remain)$/.test(verb)) return null;
  const at = second === "more" || second === "back" ? 2 : 1;
  if (DISPOSITIONS.has(words[at] ?? "")) return `${first} ${words[at]}`;
  if (verb.startsWith("get") || verb === "got") {
    if (second === "a" && third === "grip" && fourth === "on") return `${first} a grip on`;
    if (/^(?:my|our|his|her|their|your)$/.test(second) && third === "head" && fourth === "around")
      return `${first} ${second} head around`;
  }
  return null;
}

/**
 * A light verb whose doing is all in an effort noun (issue 18, seventh pass): "make an effort with
 * the neighbours", "pay more attention to spelling", "make progress in chemistry", "do my bit for
 * the club", "give the best to every guest". Effort, attention and progress are given, never
 * finished ("make the control of the eyes", a check-up, is not one). With an amount it is left to
 * the other rules. Returns the words.
 */
function effortNoun(words: string[]): string | null {
  if (!NOUN_LIGHT_VERBS.has(lemma(words[0])) || namesAmount(words)) return null;
  for (let i = 1; i < Math.min(words.length, 4); i++) {
    const w = words[i];
    if (EFFORT_NOUNS.has(w)) return `${words[0]} … ${w}`;
    if (!DETERMINERS.has(w) && !COMPARATIVE_WORDS.has(w)) return null;
  }
  return null;
}

/**
 * Looking for a way rather than a thing (issue 18, seventh pass): "find a way to save on
 * heating", "find a solution for the damp", "search for the right approach", "find the motivation
 * to revise". A plumber or a receipt can be found and ticked off; a way is found only by the
 * doings the step does not name. Returns the vague words.
 */
function meansSought(words: string[]): string | null {
  const verb = lemma(words[0]);
  if (verb !== "find" && verb !== "search" && !(verb === "look" && words[1] === "for")) return null;
  for (let i = 1; i < Math.min(words.length, 5); i++) {
    const w = words[i];
    if (MEANS_NOUNS.has(w)) return `${words[0]} … ${w}`;
    if (!DETERMINERS.has(w) && w !== "for" && w !== "some" && w !== "new" && w !== "right") return null;
  }
  return null;
}

/**
 * Putting in order with no bounded object (issue 18, seventh pass): an ordering verb with nothing
 * after it but a particle or an adverb ("declutter", "tidy up", "give back", "simplify generally"),
 * or whose object is a working system as a whole or an area of work ("clean up the codebase",
 * "streamline our processes", "fix comms with suppliers", "clean up tech debt"). "clean the oven",
 * "tidy up the desk", "fix the login bug" name a thing one finishes. Returns the vague words.
 */
function orderingWithoutEnd(words: string[]): string | null {
  const first = words[0];
  const verb = lemma(first);
  if (!ORDERING_VERBS.has(verb)) return null;
  let at = 1;
  if (PARTICLES.has(words[at] ?? "")) at++;
  const rest = words.slice(at);
  const adverbs = rest.every((w) => /\wly$/.test(w) || w === "again" || w === "more");
  if (rest.length === 0 || adverbs) return verb === "give" && at === 1 ? null : words.slice(0, at).join(" ");
  if (verb === "give" || namesAmount(words)) return null;
  let head = "";
  for (const w of rest) {
    if (PREPOSITIONS.has(w)) break;
    head = w;
  }
  return SYSTEM_AREAS.has(head) || TOPIC_HEADS.has(head) ? `${first} … ${head}` : null;
}

/**
 * Helping with no task named (issue 18, seventh pass): "help out", "help out at the shelter",
 * "help people in the area", "help others with their forms". Help is given, not finished, until
 * a task, a person or an occasion is named ("help Sam move on Saturday", "help out at the fair
 * 9–12 Sat"). Returns the vague words.
 */
function helpWithNoTask(clause: Token[], words: string[]): string | null {
  if (lemma(words[0]) !== "help") return null;
  let at = 1;
  if (words[at] === "out") at++;
  if (namesAmount(words) || words.some((w) => OCCASION_WORDS.has(w))) return null;
  if (clause.some((t, i) => i > 0 && /^\p{Lu}/u.test(t.raw))) return null;
  const next = words[at];
  if (next === undefined) return words.slice(0, at).join(" ");
  if (GENERIC_PEOPLE.has(next)) return `${words[0]} ${next}`;
  if (at === 2 && /^(?:at|in|around|with)$/.test(next)) return `help out ${next}`;
  return null;
}

/**
 * The seventh pass's shapes: a vague doing on a concrete-looking object, asked after the earlier
 * effort shapes and before the outcome and action openings. One place to hook them in.
 */
function effortDoing(clause: Token[], core: Token[], words: string[]): string | null {
  return (
    hedgedFinish(core) ??
    startedHabit(words) ??
    disposition(words) ??
    effortNoun(words) ??
    meansSought(words) ??
    orderingWithoutEnd(words) ??
    helpWithNoTask(clause, words) ??
    appraisedThing(words) ??
    comparativeManner(clause, words) ??
    measuredChange(words) ??
    thinkingWithNoProduct(words) ??
    mannerWay(words) ??
    wishedThing(words) ??
    prohibition(words) ??
    knowingWithNoEnd(words) ??
    holdKept(words) ??
    careTaken(words)
  );
}

/**
 * A thing to be made pleasing or set going, with no check (issue 18, seventh pass): a verb that
 * puts its object into a state, then a word of appraisal ("make the hallway welcoming", "get the
 * shop window looking nice") or a doing that only goes on ("get the book club going", "keep the
 * conversation flowing"). "keep the kitchen clean" and "get the fence painted" name a state one
 * can check and keep their reading. Returns the vague words.
 */
function appraisedThing(words: string[]): string | null {
  if (!RESULTATIVE_VERBS.has(lemma(words[0])) || words.length < 3 || namesAmount(words)) return null;
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    if (PREPOSITIONS.has(w)) break;
    const ends = i + 1 >= words.length || PREPOSITIONS.has(words[i + 1]);
    if (APPRAISAL_WORDS.has(w) && !DETERMINERS.has(words[i - 1]) && ends) return `${words[0]} … ${w}`;
    // "get the new rota moving": the object, then a doing in -ing that only goes on.
    if (ends && i >= 2 && w.length >= 5 && w.endsWith("ing") && !DETERMINERS.has(words[i - 1]))
      return ALL_VERBS.has(lemma(w)) || /^(?:moving|going|rolling|flowing|ticking)$/.test(w)
        ? `${words[0]} … ${w}`
        : null;
  }
  return null;
}

/**
 * A doing in a better manner, where the comparative reads as a noun (issue 18, seventh pass): "eat
 * cleaner", "write cleaner commits" — compromise takes "cleaner" for the person who cleans. When
 * the first word is a verb and the -er word's stem is an adjective, the step says do it better,
 * not what to do. "hire cleaner" (compromise reads "hire" as a noun there) and "book a cleaner"
 * keep their reading. Returns the vague words.
 */
function comparativeManner(clause: Token[], words: string[]): string | null {
  const second = words[1] ?? "";
  if (!/^[a-z]{3,}er$/.test(second) || ALL_VERBS.has(lemma(second)) || namesAmount(words)) return null;
  // A look-up first ("clean" is an adjective, "suppli" nothing); the tagger only when it says yes.
  const stem = second.endsWith("ier") ? `${second.slice(0, -3)}y` : second.slice(0, -2);
  if (!isLexiconAdjective(stem) && !isLexiconAdjective(second.slice(0, -1))) return null;
  const tags = clauseTags(clause);
  return tags[0]?.tags.has("Verb") && tags[1]?.tags.has("Actor") ? `${words[0]} ${second}` : null;
}

/**
 * A change of a measure with no level (issue 18, seventh pass): a verb of degree on "the amount
 * of", "the number of", "our profile", "the visibility of" ("cut the number of handoffs", "raise
 * the profile of the choir"). The measure names no level to reach, so there is no end. With an
 * amount ("reduce the number of handoffs to 2") it is an outcome. Returns the vague words.
 */
function measuredChange(words: string[]): string | null {
  const verb = lemma(words[0]);
  if (!DEGREE_VERBS.has(verb) && verb !== "cut" && verb !== "build") return null;
  if (namesAmount(words)) return null;
  for (let i = 1; i < Math.min(words.length, 4); i++) {
    if (MEASURE_NOUNS.has(words[i])) return `${words[0]} … ${words[i]}`;
    if (!DETERMINERS.has(words[i])) return null;
  }
  return null;
}

/**
 * Thinking with nothing to produce (issue 18, seventh pass): a verb of thinking with a
 * preposition or nothing after it ("think in the pension", "reflect on the year", "ponder the
 * move"): attention, not a deed. "think of three names for the shop" names an amount and is left
 * to the other rules. Returns the vague words.
 */
function thinkingWithNoProduct(words: string[]): string | null {
  if (!THINKING_VERBS.has(words[0]) || namesAmount(words)) return null;
  const next = words[1];
  return next === undefined || PREPOSITIONS.has(next) || next === "ahead" || next === "more"
    ? `${words[0]}${next ? ` ${next}` : ""}`
    : null;
}

/**
 * A manner, not a deed (issue 18, seventh pass): "in a nice way", "in a better manner", "in a
 * more organised way" after the doing ("decorate the flat in a nice way"). It says how well, and
 * no day confirms it. Returns the vague words.
 */
function mannerWay(words: string[]): string | null {
  for (let i = 1; i < words.length - 2; i++) {
    if (words[i] !== "in" || (words[i + 1] !== "a" && words[i + 1] !== "an")) continue;
    const end = words.findIndex((w, j) => j > i + 1 && j <= i + 4 && (w === "way" || w === "manner"));
    if (end > 0) return `${words[0]} … in ${words.slice(i + 1, end + 1).join(" ")}`;
  }
  return null;
}

/**
 * A wish for a thing to be more so (issue 18, seventh pass): "I want the flat to feel more like
 * ours", "we'd like the shop to look nicer", "I want the kids to be happier at school". The person
 * wishes a quality on a thing, with no deed and no level, so it is vague. A wish with a checkable
 * state ("I want the offer accepted", "I want the loft to be finished by May") keeps its reading.
 * Returns the vague words.
 */
function wishedThing(words: string[]): string | null {
  let at = SUBJECTS.has(words[0].replace(/'d$/, "")) ? 1 : 0;
  if (words[at] === "would" || words[at] === "'d") at++;
  if (!THING_WISH_VERBS.has(words[at] ?? "") || namesAmount(words)) return null;
  const to = words.indexOf("to", at + 2);
  if (to < 0 || to > at + 6 || !/^(?:feel|be|look|seem|become|get)$/.test(words[to + 1] ?? "")) return null;
  const quality = words[to + 2] ?? "";
  return openComparativeAt(words, to + 2) || APPRAISAL_WORDS.has(quality)
    ? `${words[at]} … ${words[to + 1]} ${quality}`
    : null;
}

/**
 * A rule kept, not a deed done (issue 18, seventh pass): "not to" or "never" before the doing
 * ("Not to eat after nine", "never skip the warm-up"). Like "don't" (`habitToBreak`) it names no
 * action to take and no day on which it is done. Returns the vague words.
 */
function prohibition(words: string[]): string | null {
  if (words[0] === "not" && words[1] === "to") return "not to";
  if (words[0] === "never" && words.length > 1 && !COPULAS.has(words[1])) return "never";
  return null;
}

/**
 * The concrete doing named after a vague verb (issue 18, seventh pass): "handle the complaint by
 * refunding the deposit", "deal with the leak by calling the plumber". The "by" and its verb in
 * -ing say what will be done, so the step has a done state. True when the clause names one.
 */
function meansNamed(words: string[]): boolean {
  const by = words.indexOf("by");
  const means = words[by + 1] ?? "";
  return by > 0 && means.length > 4 && means.endsWith("ing") && ALL_VERBS.has(lemma(means));
}

/**
 * A session at a set time or for a set length, written as a note (issue 18, seventh pass): "blood
 * draw fasting 7am", "mock paper 2021 timed", "scales practice, 20 min", "long run Sun am". With no
 * verb and a clock time, a length or "timed", the note names a sitting one does and ticks off. A
 * level ("sub 25 min 5k", "resting HR under 60") makes it a result to reach, and a number with no
 * unit or a date does not count as a time. True when the note is such a session.
 */
function timedSession(core: Token[]): boolean {
  const words = core.map((t) => t.lower);
  // A level, or a copula ("bedtime is 8 pm"): a state to reach, not a sitting.
  if (words.some((w) => LEVEL_MARKS.has(w) || /[<>%]/.test(w) || /^(?:is|are|was|were|be)$/.test(w)))
    return false;
  // "am" and "pm" only after a number or a day ("8 am", "Sat am"): "I am" is no time.
  const day = (w: string | undefined) =>
    w !== undefined && (/^\d/.test(w) || WEEKDAYS.has(w) || OCCASION_WORDS.has(w));
  return words.some(
    (w, i) =>
      (SESSION_MARKS.has(w) && (!/^(?:am|pm)$/.test(w) || day(words[i - 1]))) ||
      /^\d{1,2}(?::\d\d)?(?:am|pm)$/.test(w) ||
      /^\d+(?:h|hr|hrs|min|mins)$/.test(w) ||
      (/^\d+$/.test(w) && CLOCK_UNITS.has(words[i + 1] ?? "")),
  );
}

/**
 * An errand framed by a bare "To" (issue 18, seventh pass): "To post the deposit to the landlord",
 * "To renew the parking permit at the town hall". Non-native English lists what is to be done
 * with "To"; after a verb of plain doing on a given object ("the", "my") the step is the errand
 * itself. A verb that is an outcome, a result in an event or depends on its object ("To close the
 * contract", "To finish the marathon", "To have the permit"), and a doing with a counterparty ("To
 * sign the lease with the agency") keep the outcome reading, as `toDoing` leaves it. True for an
 * errand.
 */
function toErrand(core: Token[]): boolean {
  if (core.length < 3 || core[0].lower !== "to") return false;
  const verb = lemma(core[1].lower);
  if (!ACTION_VERBS.has(verb) || OUTCOME_VERBS.has(verb) || CONTEXT_OUTCOME_VERBS.has(verb)) return false;
  if (STANDING_VERBS.has(verb) || DEGREE_VERBS.has(verb) || RESULT_VERBS.has(verb)) return false;
  // "To sign the contract with the supermarket chain": a counterparty must agree, so it is a result.
  if (AGREEING_VERBS.has(verb) && core.some((t) => t.lower === "with")) return false;
  return errandObjectAt(core) > 0;
}

// --- Issue 18, eighth pass: the action/outcome boundary in terse and non-native notes ---

/**
 * An ability stated (issue 18, eighth pass): "I can swim a mile without stopping", "can read
 * menus in Portuguese unaided". "Can" here says what the person is able to do at a moment: a state
 * reached over time, true or not on a given day, not a doing to tick off. Called once the modal is
 * stripped and the rest reads as a clean action. Not an offer tied to an occasion ("I can drop the
 * keys off tomorrow"), a request or a question ("Can you send the deck?").
 */
function abilityStated(core: Token[], text: string): boolean {
  if (/\?\s*$/.test(text) || SUBJECTS.has(core[0].lower)) return false;
  return !core.some(
    (t) => OFFER_TIMES.has(t.lower) || WEEKDAYS.has(t.lower) || /^\d{1,2}(?::\d\d)?(?:am|pm)$/.test(t.lower),
  );
}

/**
 * A state reached, written in the past (issue 18, eighth pass): "accepted onto the nursing course",
 * "moved into the new flat", "added to the on-call rota", "Finished the course of first aid with
 * certificate". A note of what is to be done is written as an order; a past form opening it, with
 * where or by whom after it, reports a state that is true from then on. The word must be a past
 * form of a known verb ("bleed", "shred" are orders) and be followed by a preposition or a
 * determiner ("Updated CV" names a thing).
 */
function stateReached(words: string[]): boolean {
  const first = words[0];
  if (words.length < 3 || !first.endsWith("ed") || IRREGULAR_PARTICIPLES.has(first)) return false;
  if (lemma(first) === first) return false;
  return PREPOSITIONS.has(words[1]) || words[1] === "onto" || DETERMINERS.has(words[1]);
}

/**
 * Knowing with no end (issue 18, eighth pass): a verb of knowing whose object is a question left
 * open ("learn how the housing market works", "understand what the tenants really want"), a skill
 * to be picked up ("learn to negotiate") or an amount with no end ("learn some Go", "learn a bit
 * of welding"). No day comes when such a step is done. A named subject ("learn Python"), a counted
 * list ("learn the 30 verbs") or a thing ("learn the lines for Act 2") keeps its reading.
 */
function knowingWithNoEnd(words: string[]): string | null {
  const verb = lemma(words[0]);
  if (!KNOWING_VERBS.has(verb) || words.length < 3 || namesAmount(words)) return null;
  const next = words[1];
  if (QUESTION_WORDS.has(next)) return `${words[0]} ${next}`;
  if (next === "to" && !DETERMINERS.has(words[2])) return `${words[0]} to`;
  if (OPEN_AMOUNTS.has(next) || (next === "a" && OPEN_AMOUNTS.has(words[2]))) return `${words[0]} ${next}`;
  return null;
}

/**
 * A thing named first, then the order (issue 18, eighth pass): "JLPT workbook, buy at the station
 * bookshop", "last night's logs, check for timeouts", "Gym near the office, I sign up there tonight".
 * Terse and non-native notes often front the object; the first part alone reads as a state, but
 * the later part says what the person does. Returns that later part when it opens with an order (a
 * known verb of doing in its base form, not a state) or "I"/"we" and one; null otherwise.
 */
function frontedThing(core: Token[]): Token[] | null {
  const words = core.map((t) => t.lower);
  const first = lemma(words[0]);
  if (ALL_VERBS.has(first) || SUBJECTS.has(words[0]) || COPULAS.has(words[0])) return null;
  for (let k = 1; k < Math.min(words.length - 1, 8); k++) {
    if (!/[,:;]/.test(core[k - 1].after)) continue;
    if (core.slice(0, k).some((t) => COPULAS.has(t.lower) || isParticiple(t.lower))) return null;
    const at = words[k] === "i" || words[k] === "we" ? k + 1 : k;
    const verb = words[at] ?? "";
    if (!ACTION_VERBS.has(verb) || STATE_VERBS.has(verb) || STATIVE_VERBS.has(verb)) return null;
    return core.slice(at);
  }
  return null;
}

/**
 * An area named and nothing else (issue 18, eighth pass): a whole note of two or three nouns that
 * names a field, a quality or a push, with nothing to act on and no end: "site speed", "supplier
 * comms", "donor enablement", "accessibility push". The definitions call it vague: no finishing
 * act, no state that is true or not, no level. Kept: a task noun ("dentist appointment"), a level
 * or a yes-or-no state ("inbox zero", "Financial independence"), a thing in a finished state ("roof
 * fixed"), an occasion, an amount, a name to act on, a question, a first word the lists know as a
 * verb ("defrost freezer", "email landlord") and any word compromise tags as a verb.
 */
function bareArea(clause: Token[], core: Token[], words: string[]): string | null {
  // The whole note, not its first clause: "gym near the office, sign up tonight" goes on.
  // A question left as the step is `hedgedFinish`'s ("pottery class??").
  if (core.length !== clause.length || core.some((t) => t.after.includes("?"))) return null;
  let end = 0;
  while (end < words.length && !PREPOSITIONS.has(words[end])) end++;
  const phrase = words.slice(0, end);
  if (phrase.length < 2 || phrase.length > 3 || end < words.length) return null;
  if (namesAmount(words) || words.some((w) => /\d/.test(w) || DETERMINERS.has(w) || OCCASION_WORDS.has(w)))
    return null;
  if (clause.some((t, i) => i > 0 && /^\p{Lu}\p{Ll}/u.test(t.raw))) return null;
  const head = phrase[phrase.length - 1];
  if (TASK_NOUNS.has(head) || TASK_NOUNS.has(singular(head)) || ABSOLUTE_STATES.has(head)) return null;
  // A note may open with its verb and no determiner ("defrost freezer", "hoover stairs"), and
  // compromise often takes that verb for a noun: a first word the lists know as a verb is an order.
  if (ALL_VERBS.has(lemma(words[0])) || words.some((w) => w.includes("'"))) return null;
  if (
    words.some(
      (w) =>
        STATE_WORDS.has(w) ||
        COMPLETION_STATES.has(w) ||
        isParticiple(w) ||
        SUBJECTS.has(w) ||
        COPULAS.has(w),
    )
  )
    return null;
  const tagged = clauseTags(clause);
  if (tagged.length !== words.length) return null;
  if (tagged.some((t) => (t.tags.has("Verb") && !t.tags.has("Gerund")) || t.tags.has("Adverb"))) return null;
  if (!tagged[tagged.length - 1].tags.has("Noun")) return null;
  return head;
}

/** Words that open a clause inside a step ("the lamp that is broken", "ask why the delivery is late"). */
const CLAUSE_OPENERS = new Set([
  "that",
  "which",
  "who",
  "whether",
  "why",
  "if",
  "so",
  "because",
  "when",
  "what",
  "how",
]);

/**
 * A state stated (issue 18, eighth pass): a thing as the subject, then "is", "are" or "has been"
 * and its state: "The boiler is serviced and safe", "All the invoices of October are paid",
 * "Planning consent for the loft has been granted", "The leak is not coming back anymore". The
 * definitions call a state that is true or not an outcome; an order opens with its verb ("Change
 * the lamp that is broken", "Ask why the delivery is late"), so a copula reached before any verb,
 * clause opener or comma says the step states how things are. Not "I"/"we" (a doing in progress,
 * "We are calling the families").
 */
function statedState(words: string[]): boolean {
  const first = words[0];
  if (SUBJECTS.has(first) || ALL_VERBS.has(first) || COPULAS.has(first)) return false;
  for (let i = 1; i < Math.min(words.length - 1, 9); i++) {
    const w = words[i];
    if (CLAUSE_OPENERS.has(w) || SUBJECTS.has(w)) return false;
    if (w === "is" || w === "are") return true;
    if ((w === "has" || w === "have") && words[i + 1] === "been") return true;
    // "the book", "of the order": after a determiner or a preposition a verb's form is a noun.
    if (ALL_VERBS.has(w) && !DETERMINERS.has(words[i - 1]) && !PREPOSITIONS.has(words[i - 1])) return false;
  }
  return false;
}

// --- Issue 18, ninth pass: the boundaries left on held-out text ---

/**
 * A thing to have, keep, get or make in an open comparative (issue 18, ninth pass): the verb, its
 * object, then "more" or "less" and a quality ("Have the garage more tidy", "get the inbox more
 * under control") or a quality in -er ("keep the desk cleaner"). `betterThing` reads the same frame
 * when compromise tags the -er word a comparative; it often tags it a noun ("cleaner"), and "have"
 * is no resultative verb there. Nothing says how tidy is tidy enough: a change with no end, so
 * vague. With an amount ("keep the fridge 2 degrees colder") it is left to the outcome rules; "have
 * the shed tidy" (no comparative) stays an outcome. Returns the vague words.
 */
function openStateOfThing(words: string[]): string | null {
  const from = words[0] === "to" ? 1 : 0;
  const verb = lemma(words[from] ?? "");
  if (!(RESULTATIVE_VERBS.has(verb) || verb === "have") || namesAmount(words)) return null;
  // "Have the flat more cosy for Christmas": an occasion is the finish line, so it is an outcome.
  if (words.some((w, i) => FINISH_LINKS.has(words[i - 1]) && (OCCASION_WORDS.has(w) || FEASTS.has(w))))
    return null;
  for (let i = from + 2; i < words.length; i++) {
    const w = words[i];
    const before = words[i - 1];
    // "make a more detailed plan", "get the cleaner in": a thing to make or fetch, not its state.
    if (DETERMINERS.has(before) || PREPOSITIONS.has(before)) continue;
    if (w === "more" || w === "less") {
      const quality = words[i + 1] ?? "";
      if (
        isLexiconAdjective(quality) ||
        isParticiple(quality) ||
        OPEN_STATES.has(`${quality} ${words[i + 2]}`)
      )
        return `${words[from]} … ${w} ${quality}`;
    }
    if (/^[a-z]{3,}(?:er|ier)$/.test(w) && comparativeOfQuality(w)) return `${words[from]} … ${w}`;
  }
  return null;
}

/** Words that tie a state to the moment it is due: "for Christmas", "by Friday", "before May". */
const FINISH_LINKS: ReadonlySet<string> = new Set(["for", "by", "before", "until", "till"]);

/**
 * True for an -er word compromise's lexicon lists as a comparative ("tidier"), or, when it lists it as
 * no noun, whose base it lists as an adjective ("cleaner"); not "number" (a noun) nor "later".
 */
function comparativeOfQuality(word: string): boolean {
  const listed = lexiconComparative(word);
  if (listed !== null) return listed === "comparative";
  if (TIME_WORDS.has(word)) return false;
  const bases = [word.slice(0, -2), word.slice(0, -1), `${word.slice(0, -3)}y`, word.slice(0, -3)];
  return bases.some((b) => b.length >= 3 && isLexiconAdjective(b));
}

/**
 * A group's state (issue 18, ninth pass): a group of other people or things, then "all", then what
 * they do or are ("The new starters all know where the fire exits are", "the bins all emptied",
 * "All of the volunteers can use the till"). Who acts is the group, not the writer, and what is
 * said is true or not at a moment: an outcome. An order opens with its verb ("Email all of the
 * volunteers", "Tell the new starters all the fire exits"), so the first word must be no verb.
 */
function groupState(words: string[]): boolean {
  const first = words[0];
  if (SUBJECTS.has(first) || ALL_VERBS.has(lemma(first))) return false;
  const saysWhat = (w: string | undefined) =>
    w !== undefined &&
    (ALL_VERBS.has(lemma(w)) ||
      COPULAS.has(w) ||
      /^(?:can|have|has|know|are)$/.test(w) ||
      COMPLETION_STATES.has(w) ||
      isParticiple(w) ||
      pastOfUnknownVerb(w));
  if (first === "all" && words[1] === "of") {
    for (let i = 3; i < Math.min(words.length, 8); i++) {
      if (DETERMINERS.has(words[i - 1]) || PREPOSITIONS.has(words[i - 1])) continue;
      if (/^(?:can|are|have|has|know)$/.test(words[i])) return true;
    }
    return false;
  }
  for (let i = 2; i < Math.min(words.length - 1, 10); i++) {
    if (words[i] !== "all") continue;
    const before = words[i - 1];
    if (DETERMINERS.has(before) || PREPOSITIONS.has(before) || ALL_VERBS.has(lemma(before))) return false;
    return saysWhat(words[i + 1]) || (words[i + 1] === "up" && words[i + 2] === "to");
  }
  return false;
}

/**
 * A verb done again (issue 18, ninth pass): "re-" and a verb of doing the coach knows ("re-run the
 * export", "re-send the invoice", "re-book the van"). Doing a thing again is as concrete as doing
 * it. Returns the known verb, or null.
 */
function redoneVerb(word: string): string | null {
  if (!word.startsWith("re-") || word.length < 5) return null;
  const base = lemma(word.slice(3));
  return ACTION_VERBS.has(base) ? base : null;
}

/**
 * A level held (issue 18, ninth pass): a terse note that names a measure and the level it should be
 * at, with no verb ("resting pulse under 60", "churn below 2%", "sub 90 min half", "rent back to
 * £900", "NPS 40+"). The definitions call a state true or not at a moment an outcome; a count of a
 * doing ("40 flashcards", "5k run, easy pace") sets no level and is left to the terse rules.
 * Reached only when the first word is no verb the coach knows.
 */
function levelHeld(words: string[]): boolean {
  if (words.length < 2) return false;
  const number = (w: string | undefined) => w !== undefined && /^[<>~≥≤]?[$€£]?\d/.test(w);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    // "alert for disk > 85%": a level after a preposition is when something happens, not a state.
    if (i > 0 && PREPOSITIONS.has(w) && !(w === "to" && words[i - 1] === "back") && !LEVEL_MARKS.has(w))
      return false;
    if (/^(?:≥|≤|<|>|>=|<=)$/.test(w) && number(words[i + 1])) return true;
    if (LEVEL_MARKS.has(w) && w !== "within" && w !== "than" && number(words[i + 1])) return true;
    if (w === "back" && words[i + 1] === "to" && number(words[i + 2])) return true;
    if (i >= 2 && /^\d[\d.,]*(?:%|\+|%\+)$/.test(w)) return true;
  }
  return false;
}

/**
 * True when the level at word `at` of a verb-first clause stands after a preposition ("add alert
 * for disk 85%", "page on-call when errors 5%"): it says when the thing acts, not a state the
 * first word is in (`isNounCompound`).
 */
function levelIsCondition(clause: Token[], at: number): boolean {
  const w = clause[at].lower;
  if (
    !/^[<>~]?\d[\d.,]*%\+?$/.test(w) &&
    !(CHANGE_WORDS.has(w) && /^[$€£]?\d/.test(clause[at + 1]?.lower ?? ""))
  )
    return false;
  for (let i = 1; i < at; i++)
    if (PREPOSITIONS.has(clause[i].lower) || clause[i].lower === "when") return true;
  return false;
}

/**
 * The past form of a verb no list knows, as a thing's state (issue 18, ninth pass): "tax refund
 * received", "consent granted", "lease countersigned". `isParticiple` knows a participle only when
 * the coach knows its verb; this takes any -ed word of six letters or more, not "-eed" ("speed",
 * "need") nor a number ("hundred"), read only where `stateFrame` reads a finished state after a
 * thing.
 */
function pastOfUnknownVerb(word: string): boolean {
  return /^[a-z]{4,}[^e]ed$/.test(word) && !NUMBER_WORDS.has(word);
}

// --- Issue 18, tenth pass: wished states of things, holds kept, skills brushed up, activity nouns ---

/**
 * True when word `at` opens an open comparative: "more", "less" or "fewer" before a word, "better",
 * "worse", or an -er word compromise's lexicon reads as a comparative of quality ("safer", "calmer";
 * not "number" nor "later").
 */
function openComparativeAt(words: string[], at: number): boolean {
  const w = words[at] ?? "";
  if (COMPARATIVE_WORDS.has(w)) return at + 1 < words.length && words[at + 1] !== "than";
  if (w === "better" || w === "worse") return true;
  return /^[a-z]{3,}(?:er|ier)$/.test(w) && comparativeOfQuality(w);
}

/**
 * A state required of a thing, in an open comparative (issue 18, tenth pass): a thing or a group,
 * a modal that requires ("must", "should", "has to", "needs to"), a verb that links it to a state,
 * then more of a quality ("The website must be more modern", "the stairs should look cleaner",
 * "Our reports need to be clearer"). Like a wish for a thing (`wishedThing`), it says which way the
 * thing should change, not what anyone does or when it is reached: vague. A level or a finished
 * state ("The bill should be under £80", "The boxes should be unpacked"), a comparison ("faster
 * than last year") or an occasion as the finish line keep their reading. Returns the vague words.
 */
function requiredStateOfThing(words: string[]): string | null {
  let modal = -1;
  for (let i = 1; i < Math.min(words.length, 6); i++) {
    if (REQUIRING_MODALS.has(words[i])) {
      modal = i;
      break;
    }
  }
  if (modal < 0) return null;
  // "Tell the team must …" is no thing's state: an order opens with its verb and a determiner.
  if (ALL_VERBS.has(words[0]) && DETERMINERS.has(words[1])) return null;
  const link = words[modal + 1] === "to" ? modal + 2 : modal + 1;
  if (!LINKING_VERBS.has(words[link] ?? "") || !openComparativeAt(words, link + 1)) return null;
  if (namesAmount(words) || words.includes("than") || dueForOccasion(words)) return null;
  return `${words[modal]} ${words[link]} ${words[link + 1]}`;
}

/** True when the words tie a state to an occasion as its finish line: "for Christmas", "by Friday". */
function dueForOccasion(words: string[]): boolean {
  return words.some((w, i) => FINISH_LINKS.has(words[i - 1]) && (OCCASION_WORDS.has(w) || FEASTS.has(w)));
}

/**
 * A hold kept on a thing (issue 18, tenth pass): keep, get, take or have, then a hold ("a closer
 * eye on the overtime", "a firm grip on the budget", "control over the stock", "to grips with
 * Docker") or the thing held in a state ("the costs under control", "my spending in check"). A hold
 * is kept, never finished: no sitting ends it and nothing shows it done, so it is vague, whatever
 * the object. A thing stated to be in that state ("Her sugar levels are under control") is an
 * outcome, read elsewhere. Returns the vague words.
 */
function holdKept(words: string[]): string | null {
  const from = words[0] === "to" ? 1 : 0;
  const verb = words[from] ?? "";
  if (!HOLDING_VERBS.has(lemma(verb)) || namesAmount(words)) return null;
  for (let i = from + 1; i < Math.min(words.length - 1, from + 9); i++) {
    const w = words[i];
    const next = words[i + 1];
    if (HELD_STATES.has(`${w} ${next}`)) return `${verb} … ${w} ${next}`;
    if (w === "to" && next === "grips" && words[i + 2] === "with") return `${verb} to grips with`;
    const hold =
      HOLD_NOUNS.has(w) && (next === "on" || next === "over" || (w === "control" && next === "of"));
    if (!hold) continue;
    // The hold is the verb's own object: "keep a closer eye on", not "get the eye drops on".
    const between = words.slice(from + 1, i);
    const plain = between.every(
      (b) =>
        b === "a" ||
        b === "an" ||
        b === "the" ||
        b === "my" ||
        b === "our" ||
        isLexiconAdjective(b) ||
        comparativeOfQuality(b),
    );
    return plain ? `${verb} … ${w} ${next}` : null;
  }
  return null;
}

/**
 * A kind of work named by its activity noun alone (issue 18, tenth pass): a terse note of two to four
 * words, no determiner, preposition, number, day or name, whose last word is an activity that goes
 * on ("payroll cleanup", "admin catch-up", "coding practice"). It names the kind of work, not a deed
 * with a done state, so it is vague. A day, a count or a name makes it a task ("meal prep Sun",
 * "CRM cleanup: merge the duplicates", "follow-up with Dana"); a known verb first ("send
 * follow-ups", "schedule practice") is an order with its object and keeps its reading. Returns the
 * activity noun.
 */
function bareActivity(core: Token[]): string | null {
  // The whole note, not its first clause: "piano practice, 20 min" is a timed session.
  const words = core.map((t) => t.lower);
  const head = words[words.length - 1];
  if (words.length < 2 || words.length > 4 || !ACTIVITY_NOUNS.has(head)) return null;
  if (ALL_VERBS.has(lemma(words[0])) && !words[0].endsWith("ing")) return null;
  for (const w of words)
    if (DETERMINERS.has(w) || PREPOSITIONS.has(w) || OCCASION_WORDS.has(w) || /\d/.test(w)) return null;
  if (core.some((t, i) => i > 0 && /^\p{Lu}\p{Ll}/u.test(t.raw))) return null;
  return head;
}

/**
 * A longer label before a free-standing dash, when an order follows it (issue 18, tenth pass): "ref
 * letter for the new tenant — write + sign", "quiz night at the Crown — book the room". The label
 * names what the order is about; its length does not make it a state. Four to six words, and the
 * word after the dash must be a verb of doing the coach knows in its base form, so "tip run — old
 * mattress" and "garden - do something w/ it" are left to the other rules. Returns the words to
 * strip, dash included, or 0.
 */
function longLabel(tokens: Token[]): number {
  for (let i = 4; i <= 6 && i < tokens.length - 1; i++) {
    if (!/^[-–—]+$/.test(tokens[i].raw)) continue;
    const next = tokens[i + 1].lower;
    return ACTION_VERBS.has(next) && !LIGHT_VERBS.has(next) ? i + 1 : 0;
  }
  return 0;
}

/**
 * Care taken of something (issue 18, tenth pass): "take care of", "about" or "for", then what is
 * looked after ("take care of the situation with the landlord", "take care for the back pain",
 * "To take care of the customers after delivery"). Looking after goes on; it names no deed and no
 * done state, so it is vague. A task as the object ("take care of the invoice for the plumber",
 * "take care of the booking") is a deed to tick off and keeps its reading. Returns the vague words.
 */
function careTaken(words: string[]): string | null {
  const from = words[0] === "to" ? 1 : 0;
  if (lemma(words[from] ?? "") !== "take" || words[from + 1] !== "care") return null;
  const link = words[from + 2] ?? "";
  if (link !== "of" && link !== "about" && link !== "for") return null;
  for (let i = from + 3; i < words.length; i++) {
    const w = words[i];
    if (PREPOSITIONS.has(w) || PARTICLES.has(w)) break;
    if (TASK_NOUNS.has(w) || TASK_NOUNS.has(singular(w))) return null;
  }
  return `${words[from]} care ${link}`;
}

// --- Issue 18, eleventh pass: doings written as states, labels that name the task, "To" errands ---

/**
 * A word that names a state, used as the verb of an order (issue 18, eleventh pass): "Fit a draught
 * excluder to the back door", "fit smoke alarm in the hall", "calm the dog before the vet". A state word first
 * is read as a state to reach ("fit by summer", "calm in meetings"); but followed by its object (a
 * determiner, or a noun then a place) it is an order one person carries out and ticks off: an
 * action. Asked only when the first word is a state word that compromise tags as a verb here, so
 * "fit and healthy", "fit enough to hike" and "fit into my old jeans" keep their reading. True for
 * an order.
 */
function stateWordAsVerb(clause: Token[], words: string[]): boolean {
  const first = words[0];
  // A comparative as a verb ("Lower my blood pressure", "better our odds") is a change with no end.
  if (!STATE_WORDS.has(first) || words.length < 3 || /er$|^(?:more|less|most|least|best|worst)$/.test(first))
    return false;
  const next = words[1];
  if (STATE_WORDS.has(next) || PREPOSITIONS.has(next) || PARTICLES.has(next) || CLAUSE_JOINERS.has(next))
    return false;
  if (/^(?:enough|again|and|as|or|than)$/.test(next) || /^\d/.test(next)) return false;
  const object = /^(?:the|a|an|my|our|your|his|her|their|this|these|those)$/.test(next);
  const placed = words.slice(2, 6).some((w) => PLACE_WORDS.has(w));
  if (!object && !placed) return false;
  return clauseTags(clause)[0]?.tags.has("Verb") ?? false;
}

/**
 * True when a short label before a colon names a task or a time box (issue 18, eleventh pass): "PR
 * review: …", "2h spike: …", "flashcards: …". What follows the colon is then the task's object,
 * not a state.
 */
function namesTask(label: Token[]): boolean {
  const head = label[label.length - 1].lower;
  if (TASK_NOUNS.has(head) || TASK_NOUNS.has(singular(head))) return true;
  return label.some((t) => /^\d+(?:-?(?:h|hr|hrs|min|mins))$/.test(t.lower));
}

/**
 * The object of a task named in its label (issue 18, eleventh pass): "PR review: Sam's cache patch",
 * "2h spike: Loki vs ELK, 1-page summary", "flashcards: 50 Spanish verbs". The label says what is
 * done; the words after it name what it is done to, so the note is an action. Not when the words
 * after the label state a result ("PR review: merged", "audit: all receipts filed", "review: team
 * is happy") or a level. True for such an object.
 */
function objectOfTask(core: Token[]): boolean {
  return !core.some(
    (t) =>
      STATE_WORDS.has(t.lower) ||
      COMPLETION_STATES.has(t.lower) ||
      COPULAS.has(t.lower) ||
      LEVEL_MARKS.has(t.lower) ||
      isParticiple(t.lower) ||
      /%$/.test(t.lower),
  );
}

/**
 * Where a "To" errand's object starts (issue 18, eleventh pass), or 0: a determiner ("To wash the
 * carpets"), a count of two to ten or "one" ("To watch one video", "To post 3 letters"), or a particle then a determiner
 * ("To put in the system the new prices"). Non-native English lists errands this way; a few things
 * or a moved particle do not make the errand a result, but a large amount does ("To collect 300
 * kilos of food" is a target).
 */
function errandObjectAt(core: Token[]): number {
  const w = core[2].lower;
  if (/^(?:the|my|our|a|an|one)$/.test(w)) return 2;
  // A few things handled ("To watch two videos"); a large amount is a target ("To collect 300 kilos").
  const count = /^\d+$/.test(w) ? Number(w) : (NUMBER_WORDS.get(w) ?? 0);
  if (count >= 2 && count <= 10) return 2;
  const after = core[3]?.lower ?? "";
  return PARTICLES.has(w) && /^(?:the|my|our|a|an)$/.test(after) ? 3 : 0;
}

/**
 * Where a terse task names whom or where it is for (issue 18, eleventh pass): "to", or "for" and "@"
 * ("DBS forms for 2 new leaders", "flu jab @ pharmacy", "rota for Sat food bank shift"). The first
 * of them, or -1. `terseTask` then asks of the words before it what it asked before "to".
 */
function recipientAt(words: string[]): number {
  for (let i = 1; i < words.length && i <= 4; i++) if (RECIPIENT_MARKS.has(words[i])) return i;
  return -1;
}
