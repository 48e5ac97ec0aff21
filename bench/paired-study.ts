/**
 * sched26: the estimators of the scheduler rows studied on recorded samples. Reads the file written
 * by `bench/run.ts --dump FILE` (one JSON line per paired row: each window's latencies) and prints,
 * for each row and each candidate estimator, the estimate, its 90 % interval and its verdict; then
 * each candidate's calibration: over every row, the pairs' labels swapped at random within each
 * pair (a relabelled row has no effect by construction, whatever the real one is), how often the
 * interval contains 1.00 (it should about 90 % of the time) and its median width; and the same on
 * A/A pairs made of adjacent windows of one server (on, on and off, off), which the run measured
 * next to each other with nothing between them.
 *
 *   node dist/bench-build/bench/paired-study.js DUMP.jsonl [--relabels 100] [--resamples 1000]
 */
import { readFileSync } from "node:fs";
import { median, pairedVerdict, pooledVerdict, seeded } from "./paired.js";

interface Row {
  kind: string;
  name: string;
  aa: boolean;
  window: number;
  load: number;
  off: number[][];
  on: number[][];
}

/** One candidate: from the pairs' windows (A, B) to an estimate and its interval. */
interface Candidate {
  name: string;
  run: (a: number[][], b: number[][], resamples: number) => { est: number; low: number; high: number };
}

/** As bench/run.ts's quantile: the nearest rank. */
function p99(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(0.99 * s.length) - 1))] ?? 0;
}

/** Pairs i and i+1 (i even) merged into one pair of windows twice as long (off with off, on with on). */
function merged(a: number[][], b: number[][], k: number): [number[][], number[][]] {
  const A: number[][] = [];
  const B: number[][] = [];
  for (let i = 0; i + k <= Math.min(a.length, b.length); i += k) {
    A.push(a.slice(i, i + k).flat());
    B.push(b.slice(i, i + k).flat());
  }
  return [A, B];
}

const medianOf = (a: number[][], b: number[][], resamples: number) => {
  const v = pairedVerdict(
    a.map((w) => (w.length ? p99(w) : 0)),
    b.map((w) => (w.length ? p99(w) : 0)),
    { resamples },
  );
  return { est: v.median, low: v.low, high: v.high };
};
const pooledOf = (a: number[][], b: number[][], resamples: number, normalise = false) => {
  const v = pooledVerdict(a, b, { resamples, normalise });
  return { est: v.ratio, low: v.low, high: v.high };
};

const CANDIDATES: Candidate[] = [
  { name: "median of pair ratios (sched22)", run: medianOf },
  { name: "median of pair ratios, burn-in 2", run: (a, b, r) => medianOf(a.slice(2), b.slice(2), r) },
  { name: "median of pair ratios, 2 pairs merged", run: (a, b, r) => medianOf(...merged(a, b, 2), r) },
  { name: "pooled p99 ratio, pair bootstrap", run: pooledOf },
  { name: "pooled p99 ratio, burn-in 2", run: (a, b, r) => pooledOf(a.slice(2), b.slice(2), r) },
  { name: "pooled p99 ratio, 2 pairs merged", run: (a, b, r) => pooledOf(...merged(a, b, 2), r) },
  { name: "pooled p99 ratio, pairs normalised", run: (a, b, r) => pooledOf(a, b, r, true) },
  {
    name: "pooled p99 ratio, pairs normalised, burn-in 2",
    run: (a, b, r) => pooledOf(a.slice(2), b.slice(2), r, true),
  },
];

/** Adjacent windows of one server as A/A pairs: on-on (pairs 2k, 2k+1), off-off (2k+1, 2k+2); the earlier one A in every other pair. */
function sameServer(r: Row): [number[][], number[][]] {
  const A: number[][] = [];
  const B: number[][] = [];
  const push = (x: number[] | undefined, y: number[] | undefined) => {
    if (!x || !y) return;
    if (A.length % 2 === 0) {
      A.push(x);
      B.push(y);
    } else {
      A.push(y);
      B.push(x);
    }
  };
  for (let k = 0; 2 * k + 1 < r.on.length; k++) push(r.on[2 * k], r.on[2 * k + 1]);
  for (let k = 0; 2 * k + 2 < r.off.length; k++) push(r.off[2 * k + 1], r.off[2 * k + 2]);
  return [A, B];
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args[0];
  if (!file) {
    console.error(
      "Usage: node dist/bench-build/bench/paired-study.js DUMP.jsonl [--relabels N] [--resamples N]",
    );
    process.exit(2);
  }
  const flag = (n: string, d: number) => {
    const i = args.indexOf(`--${n}`);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const relabels = flag("relabels", 100);
  const resamples = flag("resamples", 1000);
  const rows: Row[] = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "∞");
  console.log("## Each row, each candidate (4,000 resamples)\n");
  console.log(
    `| row | answers per window (median) | ${CANDIDATES.map((c) => c.name).join(" | ")} |\n| --- | --- |${CANDIDATES.map(() => " --- |").join("")}`,
  );
  for (const r of rows) {
    const cells = CANDIDATES.map((c) => {
      const v = c.run(r.off, r.on, 4000);
      const d = v.high <= 1.1 ? "met" : v.low > 1.1 ? "missed" : "–";
      return `${f(v.est)} [${f(v.low)}–${f(v.high)}] ${d}`;
    });
    const n = median([...r.off, ...r.on].map((w) => w.length));
    console.log(`| ${r.kind} ${r.aa ? "A/A " : ""}${r.name} | ${n} | ${cells.join(" | ")} |`);
  }
  console.log(
    `\n## Calibration: ${relabels} relabellings of each of the ${rows.length} rows (labels swapped within each pair at random), ${resamples} resamples\n`,
  );
  console.log(
    "| candidate | relabelled: 90 % interval contains 1.00 | median width (high ÷ low) | same-server A/A pairs: contains 1.00 | median width |\n| --- | --- | --- | --- | --- |",
  );
  for (const c of CANDIDATES) {
    let inside = 0;
    let total = 0;
    const widths: number[] = [];
    const random = seeded(26);
    for (const r of rows) {
      for (let k = 0; k < relabels; k++) {
        const A: number[][] = [];
        const B: number[][] = [];
        for (let i = 0; i < Math.min(r.off.length, r.on.length); i++) {
          const swap = random() < 0.5;
          A.push((swap ? r.on[i] : r.off[i]) as number[]);
          B.push((swap ? r.off[i] : r.on[i]) as number[]);
        }
        const v = c.run(A, B, resamples);
        total++;
        if (v.low <= 1 && v.high >= 1) inside++;
        widths.push(v.high / v.low);
      }
    }
    let sInside = 0;
    const sWidths: number[] = [];
    for (const r of rows) {
      const [A, B] = sameServer(r);
      const v = c.run(A, B, 4000);
      if (v.low <= 1 && v.high >= 1) sInside++;
      sWidths.push(v.high / v.low);
    }
    console.log(
      `| ${c.name} | ${((inside / total) * 100).toFixed(0)} % (${inside} of ${total}) | ${f(median(widths))} | ${sInside} of ${rows.length} | ${f(median(sWidths))} |`,
    );
  }
}

main();
