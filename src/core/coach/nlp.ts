/**
 * The one place the coach calls compromise, so its cost and its quirks stay contained. Only the
 * first clause of a step is tagged, and only when the word lists could not decide.
 *
 * compromise is most of what `lintStep` costs when it is asked (issue 18, docs/coach.md
 * "Throughput"), so two things here make each parse cheaper without changing a tag:
 *
 * - The tagger alone ("compromise/two": tokenizer, pre- and post-tagger) is imported, not the
 *   whole library: the full build adds API methods the coach never calls and a `chunks` pass after
 *   the tagger that writes each term's `chunk` and no tag, yet costs about an eighth of a parse.
 * - `sweepOnlyPresentHooks` below: the post-tagger's sweep walks every one of its patterns' hook
 *   words and tags to find the few the sentence holds; given only those, in the same order, it
 *   finds the same patterns in the same order.
 */

import nlp from "compromise/two";

/** A word as compromise tagged it. */
export interface Tagged {
  text: string;
  normal: string;
  tags: ReadonlySet<string>;
}

const NO_TAGS: ReadonlySet<string> = new Set();

/** Tags the words of `text` (one sentence) with compromise; [] if compromise fails. */
export function tag(text: string): Tagged[] {
  try {
    const sentences = nlp(text).document;
    const out: Tagged[] = [];
    for (const sentence of sentences) {
      for (const term of sentence) {
        out.push({ text: term.text, normal: term.normal, tags: term.tags ?? NO_TAGS });
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** A compiled set of match patterns, as compromise's `buildNet` makes it. */
interface Net {
  /** Patterns by the word or "#Tag" a sentence must hold for them to be tried. */
  hooks: Record<string, unknown[]>;
  /** Patterns tried on every sentence. */
  always: unknown[];
}
/** compromise's sweep: runs a net's patterns over a document (`methods.one.bulkMatch`). */
type BulkMatch = ((docs: unknown[][], net: Net, methods: unknown, opts: unknown) => unknown) & {
  /** The sweep as compromise ships it, for the test that compares the two. */
  original?: BulkMatch;
};
/** Each sentence's words and "#Tag"s, as compromise indexes them (`methods.one.cacheDoc`). */
type CacheDoc = (docs: unknown[][]) => Set<string>[];

/**
 * Wraps compromise's sweep so it sees only the hooks the document holds. The sweep goes through
 * every key of `net.hooks` in order (730 for the post-tagger), keeps the patterns of those
 * in a sentence's index, and runs them in that order; with the other keys left out, in the same
 * order, it keeps the same patterns in the same order, so every tag is the same.
 */
function sweepOnlyPresentHooks(original: BulkMatch, cacheDoc: CacheDoc): BulkMatch {
  // The key order of each net, worked out once: a net is built once and kept by compromise.
  const orders = new WeakMap<object, { keys: string[]; at: Map<string, number> }>();
  const sweep: BulkMatch = (docs, net, methods, opts) => {
    let order = orders.get(net.hooks);
    if (!order) {
      const keys = Object.keys(net.hooks);
      order = { keys, at: new Map(keys.map((k, i) => [k, i])) };
      orders.set(net.hooks, order);
    }
    const present = new Set<number>();
    for (const items of cacheDoc(docs)) {
      for (const item of items) {
        const at = order.at.get(item);
        if (at !== undefined) present.add(at);
      }
    }
    const hooks: Record<string, unknown[]> = {};
    for (const at of [...present].sort((a, b) => a - b)) hooks[order.keys[at]] = net.hooks[order.keys[at]];
    return original(docs, { hooks, always: net.always }, methods, opts);
  };
  sweep.original = original;
  return sweep;
}

const one = (nlp.world() as { methods: { one: { bulkMatch?: BulkMatch; cacheDoc?: CacheDoc } } }).methods.one;
// Only over compromise's own sweep, and only when it has the shape this was written against.
if (typeof one.bulkMatch === "function" && !one.bulkMatch.original && typeof one.cacheDoc === "function") {
  one.bulkMatch = sweepOnlyPresentHooks(one.bulkMatch, one.cacheDoc);
}

const LEXICON = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one
  .lexicon;

/**
 * True when compromise's own lexicon lists `word` as an adjective: a look-up, no parse (issue 18,
 * seventh pass; `comparativeManner` in step.ts asks it before it asks the tagger).
 */
export function isLexiconAdjective(word: string): boolean {
  const tags = LEXICON[word];
  return tags === "Adjective" || (Array.isArray(tags) && tags.includes("Adjective"));
}

/** Tags compromise's lexicon gives a noun. */
const NOUN_TAGS = new Set(["Noun", "Singular", "Plural", "Uncountable", "ProperNoun"]);

/**
 * How compromise's own lexicon lists `word`, a look-up with no parse (issue 18, ninth pass): a
 * comparative ("tidier", "calmer"), a noun ("number", "dinner"), or neither (unlisted, "cleaner"
 * as an actor).
 */
export function lexiconComparative(word: string): "comparative" | "noun" | null {
  const tags = LEXICON[word];
  const list = tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
  if (list.includes("Comparative")) return "comparative";
  return list.some((t) => NOUN_TAGS.has(t)) ? "noun" : null;
}
