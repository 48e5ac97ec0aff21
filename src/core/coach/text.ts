/**
 * Text preparation shared by every check: cleaning, the length cap, and telling readable English
 * from empty, unreadable or foreign text. Nothing here throws, whatever the input.
 */

import { type Finding, finding } from "./findings.js";
import { ENGLISH_WORDS, FOREIGN_WORDS } from "./lexicon.js";

/** Longest text the coach judges; the rest is ignored and a `too-long` finding says so. */
export const MAX_CHARS = 2000;

/** What `prepare` found: the cleaned text to judge and whether it can be judged at all. */
export interface Prepared {
  /** Cleaned text, at most MAX_CHARS long. */
  text: string;
  /** "ok" means judge it; anything else means report `findings` and stop. */
  status: "ok" | "empty" | "unreadable" | "not-english";
  /** Findings about the text itself (too-long, empty, unreadable, not-english). */
  findings: Finding[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /[\p{Cc}\uFFFD]/gu;
const INVISIBLE = /[\p{Cf}]/gu;
const LETTER = /\p{L}/gu;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F]/g;
/**
 * Printable ASCII only: no surrogates, controls or format characters to clean, and the letters are
 * exactly A-Z and a-z, all Latin. Most steps are written so; for them the Unicode passes below
 * are skipped, with the same result.
 */
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/** Cleans `raw` and decides whether it can be judged. Accepts anything (non-strings become ""). */
export function prepare(raw: unknown): Prepared {
  const input = typeof raw === "string" ? raw : "";
  const findings: Finding[] = [];
  if (input.trim() === "") return { text: "", status: "empty", findings: [finding("empty")] };

  let text = input.length > MAX_CHARS * 2 ? input.slice(0, MAX_CHARS * 2) : input;
  const ascii = PRINTABLE_ASCII.test(text);
  let controls = 0;
  if (ascii) text = text.replace(/\s+/g, " ").trim();
  else {
    text = text.replace(LONE_SURROGATE, "\uFFFD");
    controls = (text.match(CONTROL) ?? []).filter((c) => c !== "\n" && c !== "\r" && c !== "\t").length;
    text = text.replace(CONTROL, " ").replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  }

  if (input.length > MAX_CHARS) {
    const cut = text.slice(0, MAX_CHARS);
    const space = cut.lastIndexOf(" ");
    text = space > MAX_CHARS * 0.8 ? cut.slice(0, space) : cut;
    findings.push(finding("too-long", String(MAX_CHARS)));
  }

  const letters = ascii ? asciiLetters(text) : (text.match(LETTER)?.length ?? 0);
  if (letters === 0 || controls > Math.max(2, text.length * 0.1)) {
    return { text, status: "unreadable", findings: [...findings, finding("unreadable")] };
  }
  if (!looksEnglish(text, letters, ascii)) {
    return { text, status: "not-english", findings: [...findings, finding("not-english")] };
  }
  return { text, status: "ok", findings };
}

/**
 * A cheap language check: mostly Latin letters, and English function words at least as common
 * as those of the other languages written in the Latin alphabet.
 */
function looksEnglish(text: string, letters: number, ascii: boolean): boolean {
  const latin = ascii ? letters : (text.match(LATIN_LETTER)?.length ?? 0);
  if (latin < letters * 0.6) return false;
  let english = 0;
  let foreign = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}']+/u)) {
    if (ENGLISH_WORDS.has(word)) english++;
    else if (FOREIGN_WORDS.has(word)) foreign++;
  }
  return (
    !(foreign >= 2 && foreign > english) && !(foreign >= 1 && english === 0 && !ascii && hasAccents(text))
  );
}

/** How many letters an ASCII text has (what `LETTER` counts there), without building an array. */
function asciiLetters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) n++;
  }
  return n;
}

function hasAccents(text: string): boolean {
  return /[\u00C0-\u024F]/.test(text);
}

/** A word of the text with its lower-case form and its position in the cleaned text. */
export interface Token {
  /** As written, without surrounding punctuation. */
  raw: string;
  /** Lower case, curly apostrophes made straight. */
  lower: string;
  /** Offset of `raw` in the text it came from. */
  index: number;
  /** Punctuation that followed the word (",", ";", ":"...), "" when none. */
  after: string;
}

const TOKEN = /[^\s]+/g;
const EDGE_PUNCT = /^[("'“‘[{<]+|[)"'”’\]}>.,;:!?…]+$/g;

/** Splits text into words, keeping where each one was and the punctuation after it. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const piece = match[0];
    const trailing = /[.,;:!?…)"'”’\]]+$/.exec(piece)?.[0] ?? "";
    const raw = piece.replace(EDGE_PUNCT, "");
    if (raw === "") continue;
    const lead = piece.indexOf(raw);
    tokens.push({
      raw,
      lower: raw.toLowerCase().replace(/[’‘]/g, "'"),
      index: (match.index ?? 0) + Math.max(0, lead),
      after: trailing.replace(/["'”’)\]]/g, ""),
    });
  }
  return tokens;
}
