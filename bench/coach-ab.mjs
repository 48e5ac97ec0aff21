/**
 * A/B of the coach's `lintStep` throughput: another commit's coach (default: the base of issue
 * 18's throughput pass) against the working tree's, over the statements bench/coach.bench.ts
 * lints (test/coach/data/steps.jsonl), in the same minutes.
 *
 *   node bench/coach-ab.mjs [ref=6fae31e] [slices=30] [passes=2]
 *
 * Each coach is bundled with esbuild (packages left external) and runs in its own worker thread,
 * so each has its own compromise and chrono-node. The two take turns (ABBA), one slice at a time,
 * each slice `passes` passes over the 628 statements, and a slice counts the process's CPU time,
 * not the wall clock: on a shared machine the clock measures the load. It prints statements per
 * CPU-second (median and best slice of each side), B ÷ A and the load average.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const [ref = "6fae31e", slicesArg = "30", passesArg = "2"] = process.argv.slice(2);
const slices = Number(slicesArg);
const passes = Number(passesArg);
const dir = mkdtempSync(join(tmpdir(), "coach-ab-"));

/** Bundles src/core/coach/index.ts under `from` into `out`, packages resolved from the repository. */
async function bundle(from, out) {
  await build({
    entryPoints: [join(from, "src/core/coach/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: out,
    logLevel: "warning",
  });
  return pathToFileURL(out).href;
}

const base = join(dir, "base");
execFileSync("sh", [
  "-c",
  `mkdir -p '${base}' && git -C '${root}' archive '${ref}' src/core/coach | tar -x -C '${base}'`,
]);
// The bundles live in the repository so their packages resolve from its node_modules.
const outA = join(root, "dist", "coach-ab", "a.mjs");
const outB = join(root, "dist", "coach-ab", "b.mjs");
const a = await bundle(base, outA);
const b = await bundle(root, outB);
rmSync(dir, { recursive: true, force: true });

const steps = readFileSync(join(root, "test/coach/data/steps.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l).text);
const workerFile = join(root, "dist", "coach-ab", "worker.mjs");
writeFileSync(
  workerFile,
  `import { parentPort, workerData } from "node:worker_threads";
const { lintStep } = await import(workerData.coach);
const run = (n) => { for (let r = 0; r < n; r++) for (const t of workerData.steps) lintStep(t, { now: "2026-11-18" }); };
run(3);
parentPort.postMessage("ready");
parentPort.on("message", (n) => { run(n); parentPort.postMessage(n * workerData.steps.length); });
`,
);

const start = (coach) => new Worker(workerFile, { workerData: { coach, steps } });
const reply = (worker, message) =>
  new Promise((resolve) => {
    worker.once("message", resolve);
    if (message !== undefined) worker.postMessage(message);
  });
const wa = start(a);
const wb = start(b);
await Promise.all([reply(wa), reply(wb)]);

async function slice(worker) {
  const before = process.cpuUsage();
  const statements = await reply(worker, passes);
  const used = process.cpuUsage(before);
  return statements / ((used.user + used.system) / 1e6);
}

const ra = [];
const rb = [];
for (let i = 0; i < slices; i++) {
  if (i % 2 === 0) {
    ra.push(await slice(wa));
    rb.push(await slice(wb));
  } else {
    rb.push(await slice(wb));
    ra.push(await slice(wa));
  }
}
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratios = ra.map((x, i) => rb[i] / x);
const f = (x) => Math.round(x).toLocaleString("en");
console.log(
  `A (${ref}) ${f(median(ra))}, best ${f(Math.max(...ra))}; B (working tree) ${f(median(rb))}, best ${f(Math.max(...rb))} statements per CPU-second`,
);
console.log(
  `B ÷ A: median of pairs ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), ratio of medians ${(median(rb) / median(ra)).toFixed(2)}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
await Promise.all([wa.terminate(), wb.terminate()]);
