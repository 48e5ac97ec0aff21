/**
 * SQLite WAL checkpoints off the request path, for the long-running server. By default the
 * connection that commits a transaction copies the write-ahead log into the database file (and
 * syncs it) whenever the log passes 1,000 pages: that commit, and every request queued behind it
 * on the one event loop, waits for the copy. With this on, a worker thread with its own connection
 * runs a PASSIVE checkpoint (it never blocks readers or writers) every `intervalMs`, and the
 * server's connection checkpoints by itself only past a backstop of 50,000 pages, should the
 * worker fall behind or die. Measured in docs/benchmarks.md (check-in p99).
 *
 * The backstop is also what restarts the log under continuous writes: SQLite writes the log from
 * its start again only when a write begins with every frame already copied, and with commits
 * arriving faster than a checkpoint (copy and two syncs) runs, the worker never gets there. So
 * every BACKSTOP_PAGES of log, one commit syncs the log, copies what the worker has not, syncs the
 * database, and every request behind it waits (issue 17, tail22: a check-in writes ~12 pages, so
 * at 10,000 that was ~12 such commits per 10,000 check-ins, enough to set the p99). Cost of 50,000:
 * the log's file grows to ~200 MB on disk (not memory: the wal-index is ~400 KB), and opening
 * after a crash reads that much log back; a dead worker leaves 50,000 pages to one commit.
 */
import { createRequire } from "node:module";
import { workerThreads } from "./builtins.js";

/** Pages (4 KiB) the server's own connection lets the log grow to before it checkpoints itself. */
export const BACKSTOP_PAGES = 50_000;

/** The worker's code (CommonJS, run with `eval`): better-sqlite3 is passed as a resolved path. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 100");
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or locked: the next tick tries again, and the backstop covers a long stall.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer. */
export interface Checkpointer {
  /** Checkpoints once more, closes the worker's connection and ends the worker. */
  stop(): Promise<void>;
}

/** Starts checkpointing the SQLite database at `file` (in WAL mode) every `intervalMs`. */
export function startCheckpointer(file: string, intervalMs = 200): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new (workerThreads().Worker)(WORKER, {
    eval: true,
    workerData: { driver, file, intervalMs },
  });
  // A failing worker must not take the server down: the backstop keeps the log bounded.
  worker.on("error", () => {});
  worker.unref();
  const ended = new Promise<void>((resolveEnd) => worker.once("exit", () => resolveEnd()));
  return {
    stop: async () => {
      worker.postMessage("stop");
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await ended;
      clearTimeout(timer);
    },
  };
}
