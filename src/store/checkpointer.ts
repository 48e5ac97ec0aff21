/**
 * SQLite WAL checkpoints off the request path, for the long-running server. By default the
 * connection that commits a transaction copies the write-ahead log into the database file (and
 * syncs it) whenever the log passes 1,000 pages: that commit, and every request queued behind it
 * on the one event loop, waits for the copy. With this on, a worker thread with its own connection
 * runs a PASSIVE checkpoint (it never blocks readers or writers) every `intervalMs`, and the
 * server's connection checkpoints by itself only past a backstop of 10,000 pages, should the
 * worker fall behind or die. Measured in docs/benchmarks.md (check-in p99).
 */
import { createRequire } from "node:module";
import { workerThreads } from "./builtins.js";

/** Pages (4 KiB) the server's own connection lets the log grow to before it checkpoints itself. */
export const BACKSTOP_PAGES = 10_000;

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
