/**
 * The check-in's first seconds on a new write-ahead log, by checkpoint backstop (issue 17, floor24).
 * SQLite deletes the log when the last connection to a database closes, so a server (and every
 * measurement `npm run bench` starts with a new server) begins with an empty log file and grows it
 * by appending until the backstop restarts it from its start; from then on the same file's blocks
 * are written over. With the backstop at 50,000 pages the log grows to ~200 MB that way, with
 * 10,000 to ~40 MB. This runs the floor's check-in transaction (bench/bare-checkin.ts) in a tight
 * loop, in-process, with the checkpoint worker running as the server runs it, on one copy of a
 * bench database per backstop: each round opens the copy (a new log), runs `--per-round`
 * transactions, and closes it (the log checkpointed and deleted), the backstops alternating. It
 * reports each backstop's mean and median time a transaction took over the whole round and over its
 * first and second half, the CPU time per transaction of the main thread (/proc, 10 ms ticks) and
 * of the whole process (the checkpoint worker included), less moved by a loaded machine's
 * preemptions than wall time, and the log file's size at the end of the round.
 *
 *   node bench/wal-fresh.mjs --db COPY.db [--pages 10000,50000] [--rounds 6] [--per-round 4000]
 *
 * Run from a checkout built with `npx tsc -p bench/tsconfig.json`. Makes one copy of COPY.db per
 * backstop beside it and removes them at the end.
 */
import { copyFileSync, readFileSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { arg, load1, openWal } from "./wal-common.mjs";

const file = resolve(arg("db", "./data/bench.db"));
const pagesList = arg("pages", "10000,50000").split(",").map(Number);
const rounds = Number(arg("rounds", "6"));
const perRound = Number(arg("per-round", "4000"));
/** The main thread's and the whole process's CPU seconds so far (/proc, clock ticks of 10 ms). */
const cpu = () => {
  const ticks = (path) => {
    const f = readFileSync(path, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  return [ticks(`/proc/self/task/${process.pid}/stat`), ticks("/proc/self/stat")];
};

const variants = pagesList.map((pages) => {
  const db = `${file}.fresh-${pages}.db`;
  copyFileSync(file, db);
  return { pages, db, rows: [] };
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const loads = [load1()];
let k = 0;
for (let r = 0; r < rounds; r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    const { work, write, close } = openWal(v.db, v.pages);
    const times = [];
    const t0 = performance.now();
    const [main0, all0] = cpu();
    for (let i = 0; i < perRound; i++) {
      const w = work[k++ % work.length];
      const t = performance.now();
      write(w.userId, w.goalId, w.body);
      times.push(performance.now() - t);
    }
    const wall = performance.now() - t0;
    const [main1, all1] = cpu();
    const walMb = statSync(`${v.db}-wal`).size / 1048576;
    await close();
    const half = Math.floor(times.length / 2);
    v.rows.push({
      rate: (perRound * 1000) / wall,
      mean: mean(times),
      median: median(times),
      first: mean(times.slice(0, half)),
      second: mean(times.slice(half)),
      walMb,
      mainCpu: ((main1 - main0) * 1000) / perRound,
      allCpu: ((all1 - all0) * 1000) / perRound,
    });
  }
  loads.push(load1());
}
console.log(`load average (1 min) over the rounds: ${loads.join(" → ")}`);
for (const v of variants) {
  const m = (key, d = 3) => median(v.rows.map((x) => x[key])).toFixed(d);
  console.log(
    `backstop ${String(v.pages).padStart(6)} pages, new log each round: median of ${v.rows.length} rounds: ${m("rate", 0)} transactions/s, mean ${m("mean")} ms, median ${m("median")} ms; mean of the first half ${m("first")} ms, second half ${m("second")} ms; CPU per transaction, main thread ${m("mainCpu")} ms, process ${m("allCpu")} ms; log file at the end ${m("walMb", 0)} MB | rounds' rates ${v.rows.map((x) => x.rate.toFixed(0)).join(", ")}; main-thread CPU ${v.rows.map((x) => x.mainCpu.toFixed(3)).join(", ")}`,
  );
}
for (const v of variants) for (const x of ["", "-wal", "-shm"]) rmSync(`${v.db}${x}`, { force: true });
