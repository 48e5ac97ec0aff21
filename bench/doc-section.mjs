/**
 * Writes one "## Heading" section of docs/benchmarks.md and keeps the others: the section from its
 * heading to the next "## " or "### " heading is replaced, or appended when the file has none yet.
 * The sections written here have no "### " of their own, and the hand-written "### " sections that
 * follow one (readings of a run, helpers' notes) stay: `npm run bench:nav` once cut every section
 * after "## Web navigation" to the end of the file (2026-12-06). Shared by the
 * benchmarks written in plain JavaScript (web-bundle.mjs, web-nav.mjs).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** `section` starts with its own "## Heading" line. */
export function writeSection(file, section) {
  const heading = section.slice(0, section.indexOf("\n"));
  let doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = doc.indexOf(`\n${heading}\n`);
  if (start >= 0) {
    const ends = ["\n## ", "\n### "].map((h) => doc.indexOf(h, start + 1)).filter((i) => i >= 0);
    const next = ends.length ? Math.min(...ends) : -1;
    doc = `${doc.slice(0, start + 1)}${section}${next >= 0 ? doc.slice(next) : ""}`;
  } else {
    doc = `${doc.trimEnd()}\n\n${section}`;
  }
  writeFileSync(file, doc);
}
