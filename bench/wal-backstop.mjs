/**
 * What the server's own checkpoint backstop costs the commits that meet it (issue 17, tail22): the
 * floor's check-in transaction (bench/bare-checkin.ts) in a tight loop, in-process, with the
 * checkpoint worker running (src/store/checkpointer.ts) as the server runs it, on one copy of a
 * bench database per backstop, alternating rounds. Under continuous writes the worker's PASSIVE
 * checkpoints never find the log fully copied at the start of a write, so SQLite never restarts
 * the log from its beginning until the writer's own `wal_autocheckpoint` backstop: that commit
 * syncs the log, copies what the worker has not, syncs the database, and the next write restarts
 * the log. Each transaction's wall time is recorded: the counts over 5 and 10 ms per 10,000
 * transactions, the time lost in them, and the median, by backstop.
 *
 *   node bench/wal-backstop.mjs --db COPY.db [--pages 10000,50000] [--intervals 200,200] [--rounds 6] [--per-round 5000]
 *
 * floor24: `--intervals` gives each backstop's worker its cadence (ms between PASSIVE checkpoints,
 * one per entry of `--pages`, default 200 as the server's); each line also says the mean time a
 * transaction took (its inverse is the loop's throughput, the restarts' stalls included) and the
 * log's length and its part not yet copied by the worker (frames, from the wal-index), sampled
 * every 100 transactions.
 *
 * Run from a checkout built with `npx tsc -p bench/tsconfig.json`. Makes one copy of COPY.db per
 * backstop beside it and removes them at the end.
 */
import { copyFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { arg, load1, openWal } from "./wal-common.mjs";

const file = resolve(arg("db", "./data/bench.db"));
const pagesList = arg("pages", "10000,50000").split(",").map(Number);
const intervals = arg("intervals", "").split(",").filter(Boolean).map(Number);
const rounds = Number(arg("rounds", "6"));
const perRound = Number(arg("per-round", "5000"));

const variants = [];
for (const [n, pages] of pagesList.entries()) {
  const interval = intervals[n] ?? 200;
  const db = `${file}.backstop-${pages}-${interval}.db`;
  copyFileSync(file, db);
  variants.push({
    pages,
    interval,
    db,
    ...openWal(db, pages, interval),
    times: [],
    restarts: [],
    framesSeen: [],
    uncopied: [],
  });
}

const loads = [load1()];
let k = 0;
// A warm-up round each, not counted.
for (const v of variants)
  for (let i = 0; i < 1000; i++) {
    const w = v.work[k++ % v.work.length];
    v.write(w.userId, w.goalId, w.body);
  }
for (let r = 0; r < rounds; r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    await new Promise((ok) => setTimeout(ok, 300)); // the worker catches up between rounds
    let salt = v.salt();
    for (let i = 0; i < perRound; i++) {
      const w = v.work[k++ % v.work.length];
      const t = performance.now();
      v.write(w.userId, w.goalId, w.body);
      v.times.push(performance.now() - t);
      const now = v.salt();
      // Restarted in this write: the backstop's checkpoint ran at the end of the one before.
      if (now !== salt && i > 0) v.restarts.push(v.times[v.times.length - 2]);
      salt = now;
      if (i % 100 === 0) {
        const [frames, uncopied] = v.frames();
        v.framesSeen.push(frames);
        v.uncopied.push(uncopied);
      }
    }
  }
  loads.push(load1());
}
console.log(`load average (1 min) over the rounds: ${loads.join(" → ")}`);
for (const v of variants) {
  const n = v.times.length;
  const sorted = [...v.times].sort((a, b) => a - b);
  const over = (ms) => v.times.filter((t) => t > ms);
  const per10k = (x) => ((x * 10000) / n).toFixed(1);
  const lost = over(5).reduce((a, t) => a + t, 0);
  const walPages = v.conn.pragma("wal_checkpoint(PASSIVE)")[0].log;
  const mean = v.times.reduce((a, t) => a + t, 0) / n;
  const avg = (xs) => (xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length)).toFixed(0);
  console.log(
    `backstop ${String(v.pages).padStart(6)} pages, worker every ${v.interval} ms: mean ${mean.toFixed(3)} ms (${(1000 / mean).toFixed(0)}/s) | log frames mean ${avg(v.framesSeen)}, max ${Math.max(...v.framesSeen)}; not yet copied mean ${avg(v.uncopied)}, max ${Math.max(...v.uncopied)} | ${n} transactions, ${v.restarts.length} log restarts (${per10k(v.restarts.length)}/10k; the commit before each: median ${[...v.restarts].sort((a, b) => a - b)[Math.floor(v.restarts.length / 2)]?.toFixed(1)} ms, max ${Math.max(0, ...v.restarts).toFixed(1)} ms, ${per10k(v.restarts.reduce((a, t) => a + t, 0))} ms per 10k), median ${sorted[Math.floor(n / 2)].toFixed(3)} ms, p99 ${sorted[Math.floor(n * 0.99)].toFixed(2)} ms, p99.9 ${sorted[Math.floor(n * 0.999)].toFixed(2)} ms, max ${sorted[n - 1].toFixed(1)} ms | over 5 ms ${per10k(over(5).length)}/10k, over 10 ms ${per10k(over(10).length)}/10k, ${per10k(lost)} ms lost in them per 10k | WAL now ${walPages} pages`,
  );
}
for (const v of variants) {
  await v.close();
  for (const x of ["", "-wal", "-shm"]) rmSync(`${v.db}${x}`, { force: true });
}
