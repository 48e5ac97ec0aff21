/**
 * What bench/wal-backstop.mjs and bench/wal-fresh.mjs share (issue 17, bench25): a connection
 * opened on a copy of a bench database as the server opens its own (WAL, NORMAL sync, the
 * checkpoint worker running, the backstop at `pages`), the floor's check-in transaction on it
 * (bench/bare-checkin.ts), the check-ins it writes (one active goal each of 100 people), and a
 * reader of the log's and the wal-index's headers.
 *
 * The wal-index (`-shm`) reader keeps its descriptor open until the connection is closed, as
 * bench/run.ts `walFrames` does: closing any descriptor of a file drops every POSIX lock the process
 * holds on it, SQLite's own on the wal-index among them, and another process could then take the
 * wal-index for its own and truncate it under this connection's mapping (SIGBUS, 2026-12-06 04:08).
 * Before bench25, wal-backstop.mjs opened and closed it once per round while its connection stayed
 * open.
 *
 * Run from a checkout built with `npx tsc -p bench/tsconfig.json`.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const B = resolve(import.meta.dirname, "../dist/bench-build");
const SQLite = createRequire(import.meta.url)("better-sqlite3");
const { checkinFloor } = await import(`${B}/bench/bare-checkin.js`);
const { startCheckpointer } = await import(`${B}/src/store/checkpointer.js`);

/** A command-line flag's value (`--name value`), or `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The load average over the last minute, as /proc gives it. */
export const load1 = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0];

/** The check-ins the loop writes: one active goal each of 100 people, every key result given a value. */
function checkinsOf(conn) {
  return conn
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
}

/**
 * Opens `db` as the server does with the checkpoint worker every `intervalMs` and the backstop at
 * `pages`. `close()` stops the worker, closes the connection and only then the descriptors of the
 * wal-index and the log read here (opened at their first read).
 */
export function openWal(db, pages, intervalMs = 200) {
  const conn = new SQLite(db);
  conn.pragma("journal_mode = WAL");
  conn.pragma("foreign_keys = ON");
  conn.pragma("busy_timeout = 5000");
  conn.pragma("synchronous = NORMAL");
  const worker = startCheckpointer(db, intervalMs);
  conn.pragma(`wal_autocheckpoint = ${pages}`);
  let shm;
  let wal;
  // The log's header: its salt changes each time SQLite restarts the log from its beginning.
  const header = Buffer.alloc(32);
  // The wal-index header's mxFrame (offset 16) and the checkpoint record's nBackfill (offset 96).
  const index = Buffer.alloc(104);
  return {
    conn,
    work: checkinsOf(conn),
    ...checkinFloor(conn),
    /** Frames in the log and how many of them the worker has not copied yet. */
    frames() {
      shm ??= openSync(`${db}-shm`, "r");
      readSync(shm, index, 0, 104, 0);
      const frames = index.readUInt32LE(16);
      return [frames, Math.max(0, frames - index.readUInt32LE(96))];
    },
    /** The log's salt: it changes each time SQLite restarts the log from its beginning. */
    salt() {
      wal ??= openSync(`${db}-wal`, "r");
      readSync(wal, header, 0, 32, 0);
      return header.readUInt32BE(16);
    },
    async close() {
      await worker.stop();
      conn.close();
      for (const fd of [shm, wal]) if (fd !== undefined) closeSync(fd);
    },
  };
}
