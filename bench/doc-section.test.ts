import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript without types, shared by web-bundle.mjs and web-nav.mjs
import { writeSection } from "./doc-section.mjs";

const dir = mkdtempSync(join(tmpdir(), "throughline-doc-section-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeSection", () => {
  it("replaces its own section and keeps the hand-written sections after it", () => {
    const file = join(dir, "benchmarks.md");
    writeFileSync(
      file,
      "# Benchmarks\n\n## Web navigation\n\nold figures\n\n### Reading the run\n\nkept words\n\n## Growth\n\ngrowth\n",
    );
    writeSection(file, "## Web navigation\n\nnew figures\n");
    const doc = readFileSync(file, "utf8");
    expect(doc).toContain("new figures");
    expect(doc).not.toContain("old figures");
    expect(doc).toContain("### Reading the run\n\nkept words");
    expect(doc).toContain("## Growth\n\ngrowth");
  });

  it("appends a section the file does not have", () => {
    const file = join(dir, "new.md");
    writeFileSync(file, "# Benchmarks\n\n## Server\n\nfigures\n");
    writeSection(file, "## Web bundle\n\nsizes\n");
    expect(readFileSync(file, "utf8")).toBe(
      "# Benchmarks\n\n## Server\n\nfigures\n\n## Web bundle\n\nsizes\n",
    );
  });
});
