/**
 * The one cleaning of free text people write (titles, steps, notes, names, comments, imports):
 * what is stored is what a reader sees. Pure, so the app's schemas, imports and the CLI share it.
 */

/** Line breaks of every platform, read as "\n". */
const NEWLINES = /\r\n?/g;

/**
 * Control characters (C0 and C1) other than tab, line feed and NUL (NUL is refused with its own
 * message by the schemas), removed: they are invisible, and some terminals run them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0001-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Invisible format characters that carry no meaning in a title or a note and can hide or reorder
 * text: zero-width space, word joiner, byte-order mark, invisible operators, the Mongolian vowel
 * separator, bidirectional embeddings, overrides and isolates (the "Trojan Source" characters),
 * deprecated format characters and interlinear annotation marks. The zero-width joiner and
 * non-joiner (emoji sequences, Persian and Indic scripts), soft hyphens and the left-to-right and
 * right-to-left marks are kept where they sit between visible characters.
 */
const INVISIBLE = /[\u200b\u2060-\u2064\ufeff\u180e\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]/g;

/** Joiners and marks that mean something between two characters, and nothing at either end or beside a space. */
const JOINERS = "\u200c\u200d\u200e\u200f\u061c\u00ad";
const STRAY_JOINER = new RegExp(`(^|\\s)[${JOINERS}]+|[${JOINERS}]+(?=\\s|$)`, "g");

/** Nothing a reader could see: white space and format characters only. */
const BLANK = /^[\s\p{Cf}\p{Cc}]*$/u;

/**
 * Text as it is stored: NFC (so "é" typed two ways is one string), "\n" line breaks, without
 * control characters and invisible format characters, trimmed. Lone surrogates are left for
 * `isWellFormedText` to refuse.
 * @example
 * cleanText("Cafe\u0301 \u200bopening\r\n") // "Café opening"
 * cleanText("👩\u200d💻") // "👩\u200d💻" (the joiner makes one emoji)
 */
export function cleanText(s: string): string {
  return s
    .normalize("NFC")
    .replace(NEWLINES, "\n")
    .replace(CONTROLS, "")
    .replace(INVISIBLE, "")
    .replace(STRAY_JOINER, "$1")
    .trim();
}

/**
 * True when the text has something to read: not empty once white space, control and format
 * characters are set aside.
 * @example
 * hasVisibleText("\u200b\u00ad ") // false
 */
export function hasVisibleText(s: string): boolean {
  return !BLANK.test(s);
}

/**
 * True when the text is well-formed UTF-16: no half of a surrogate pair on its own. A lone
 * surrogate cannot be written as UTF-8, so SQLite would store invalid bytes and PostgreSQL refuse.
 * @example
 * isWellFormedText("ok \ud83d\ude00") // true
 * isWellFormedText("ok \ud800") // false
 */
export function isWellFormedText(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
