/**
 * `npm run bench:web`: the web app's first-load JavaScript, gzipped. Reads web/dist/index.html,
 * takes every module script and modulepreload it names (what a browser fetches before the first
 * page can render), gzips each at level 9 with node:zlib, and writes the total under the "Web
 * bundle" heading of docs/benchmarks.md (other sections are kept). The budget is 200 KB.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { writeSection } from "./doc-section.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const DIST = join(ROOT, "web/dist");
const DOC = join(ROOT, "docs/benchmarks.md");
const BUDGET_KB = 200;

if (!existsSync(join(DIST, "index.html"))) {
  console.error("web/dist/index.html is missing. Build the web app first: npm run build.");
  process.exit(1);
}

const html = readFileSync(join(DIST, "index.html"), "utf8");
const tags = [...html.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0]);
const attr = (tag, name) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const firstLoad = tags
  .filter((t) =>
    t.startsWith("<script")
      ? attr(t, "type") === "module" && attr(t, "src")
      : attr(t, "rel") === "modulepreload",
  )
  .map((t) => attr(t, "src") ?? attr(t, "href"))
  .filter((u) => u?.startsWith("/"));
const css = tags.filter((t) => attr(t, "rel") === "stylesheet").map((t) => attr(t, "href"));

const kb = (n) => n / 1024;
const sizeOf = (url) => {
  const buf = readFileSync(join(DIST, url));
  return { url, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};
const js = firstLoad.map(sizeOf);
const styles = css.map(sizeOf);
const total = js.reduce((a, f) => a + f.gzip, 0);
const lazy = readdirSync(join(DIST, "assets"))
  .filter((f) => f.endsWith(".js") && !firstLoad.includes(`/assets/${f}`))
  .map((f) => sizeOf(`/assets/${f}`))
  .sort((a, b) => b.gzip - a.gzip);

const date = new Date().toISOString().slice(0, 10);
const rows = [
  ...js.map((f) => `| ${f.url} | first load | ${kb(f.raw).toFixed(1)} | ${kb(f.gzip).toFixed(1)} |`),
  ...styles.map(
    (f) => `| ${f.url} | first load (CSS) | ${kb(f.raw).toFixed(1)} | ${kb(f.gzip).toFixed(1)} |`,
  ),
  ...lazy
    .slice(0, 3)
    .map((f) => `| ${f.url} | on demand | ${kb(f.raw).toFixed(1)} | ${kb(f.gzip).toFixed(1)} |`),
];
const section = [
  "## Web bundle",
  "",
  `\`npm run bench:web\` — the JavaScript a browser loads before the first page renders (the module`,
  "scripts and modulepreloads in web/dist/index.html), gzipped at level 9. Pages, and uPlot for the",
  `goal chart, are split out and load on demand. Measured ${date}; the budget is ${BUDGET_KB} KB.`,
  "",
  `**First-load JS: ${kb(total).toFixed(1)} KB gzipped** (${js.length} file${js.length === 1 ? "" : "s"}).`,
  "",
  "| file | when | raw (KB) | gzipped (KB) |",
  "| --- | --- | ---: | ---: |",
  ...rows,
  "",
].join("\n");

writeSection(DOC, section);

console.log(`First-load JS: ${kb(total).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
for (const f of js) console.log(`  ${f.url}: ${kb(f.gzip).toFixed(1)} KB`);
if (kb(total) > BUDGET_KB) {
  console.error(`Over budget by ${(kb(total) - BUDGET_KB).toFixed(1)} KB.`);
  process.exit(1);
}
