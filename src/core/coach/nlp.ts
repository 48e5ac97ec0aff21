/**
 * The one place the coach calls compromise, so its cost and its quirks stay contained. Only the
 * first clause of a step is tagged, and only when the word lists could not decide.
 *
 * The tagger alone ("compromise/two": tokenizer, pre- and post-tagger) is imported, not the whole
 * library: the full build adds API methods the coach never calls and a `chunks` pass after the
 * tagger that writes each term's `chunk` and no tag, yet costs about an eighth of every parse
 * (issue 18, docs/coach.md "Throughput"). The tags are the same.
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
