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
import { closeSync, copyFileSync, openSync, readSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const file = resolve(arg("db", "./data/bench.db"));
const pagesList = arg("pages", "10000,50000").split(",").map(Number);
const intervals = arg("intervals", "").split(",").filter(Boolean).map(Number);
const rounds = Number(arg("rounds", "6"));
const perRound = Number(arg("per-round", "5000"));
const B = resolve(import.meta.dirname, "../dist/bench-build");
const SQLite = createRequire(import.meta.url)("better-sqlite3");
const { checkinFloor } = await import(`${B}/bench/bare-checkin.js`);
const { startCheckpointer } = await import(`${B}/src/store/checkpointer.js`);

const variants = [];
for (const [n, pages] of pagesList.entries()) {
  const interval = intervals[n] ?? 200;
  const db = `${file}.backstop-${pages}-${interval}.db`;
  copyFileSync(file, db);
  const conn = new SQLite(db);
  conn.pragma("journal_mode = WAL");
  conn.pragma("foreign_keys = ON");
  conn.pragma("busy_timeout = 5000");
  conn.pragma("synchronous = NORMAL");
  const worker = startCheckpointer(db, interval);
  conn.pragma(`wal_autocheckpoint = ${pages}`);
  const work = conn
    .prepare(
      `select g.id as goalId, g.owner_id as userId, (select json_group_array(k.id) from key_results k where k.goal_id = g.id) as krs
       from goals g where g.status = 'active' and g.owner_id > 1 and g.owner_id % 20 = 0 group by g.owner_id limit 100`,
    )
    .all()
    .map((g) => ({
      userId: g.userId,
      goalId: g.goalId,
      body: {
        krValues: JSON.parse(g.krs).map((id, j) => ({ keyResultId: id, value: 100 + j })),
        confidence: "on-track",
        doneText: "Sent the deck to Raj",
      },
    }));
  variants.push({
    pages,
    interval,
    db,
    conn,
    worker,
    work,
    ...checkinFloor(conn),
    times: [],
    restarts: [],
    frames: [],
    uncopied: [],
  });
}

const load1 = () =>
  createRequire(import.meta.url)("node:fs")
    .readFileSync("/proc/loadavg", "utf8")
    .split(" ")[0];
const loads = [load1()];
let k = 0;
// A warm-up round each, not counted.
for (const v of variants)
  for (let i = 0; i < 1000; i++) {
    const w = v.work[k++ % v.work.length];
    v.write(w.userId, w.goalId, w.body);
  }
// The log's header: its salt changes each time SQLite restarts the log from its beginning.
const header = Buffer.alloc(32);
// The wal-index header's mxFrame (offset 16) and the checkpoint record's nBackfill (offset 96).
const shm = Buffer.alloc(104);
const framesOf = (fd) => {
  readSync(fd, shm, 0, 104, 0);
  const frames = shm.readUInt32LE(16);
  return [frames, Math.max(0, frames - shm.readUInt32LE(96))];
};
const saltOf = (fd) => {
  readSync(fd, header, 0, 32, 0);
  return header.readUInt32BE(16);
};
for (let r = 0; r < rounds; r++) {
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    await new Promise((ok) => setTimeout(ok, 300)); // the worker catches up between rounds
    const fd = openSync(`${v.db}-wal`, "r");
    const sfd = openSync(`${v.db}-shm`, "r");
    let salt = saltOf(fd);
    for (let i = 0; i < perRound; i++) {
      const w = v.work[k++ % v.work.length];
      const t = performance.now();
      v.write(w.userId, w.goalId, w.body);
      v.times.push(performance.now() - t);
      const now = saltOf(fd);
      // Restarted in this write: the backstop's checkpoint ran at the end of the one before.
      if (now !== salt && i > 0) v.restarts.push(v.times[v.times.length - 2]);
      salt = now;
      if (i % 100 === 0) {
        const [frames, uncopied] = framesOf(sfd);
        v.frames.push(frames);
        v.uncopied.push(uncopied);
      }
    }
    closeSync(fd);
    closeSync(sfd);
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
    `backstop ${String(v.pages).padStart(6)} pages, worker every ${v.interval} ms: mean ${mean.toFixed(3)} ms (${(1000 / mean).toFixed(0)}/s) | log frames mean ${avg(v.frames)}, max ${Math.max(...v.frames)}; not yet copied mean ${avg(v.uncopied)}, max ${Math.max(...v.uncopied)} | ${n} transactions, ${v.restarts.length} log restarts (${per10k(v.restarts.length)}/10k; the commit before each: median ${[...v.restarts].sort((a, b) => a - b)[Math.floor(v.restarts.length / 2)]?.toFixed(1)} ms, max ${Math.max(0, ...v.restarts).toFixed(1)} ms, ${per10k(v.restarts.reduce((a, t) => a + t, 0))} ms per 10k), median ${sorted[Math.floor(n / 2)].toFixed(3)} ms, p99 ${sorted[Math.floor(n * 0.99)].toFixed(2)} ms, p99.9 ${sorted[Math.floor(n * 0.999)].toFixed(2)} ms, max ${sorted[n - 1].toFixed(1)} ms | over 5 ms ${per10k(over(5).length)}/10k, over 10 ms ${per10k(over(10).length)}/10k, ${per10k(lost)} ms lost in them per 10k | WAL now ${walPages} pages`,
  );
}
for (const v of variants) {
  await v.worker.stop();
  v.conn.close();
  for (const x of ["", "-wal", "-shm"]) rmSync(`${v.db}${x}`, { force: true });
}
