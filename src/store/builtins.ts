/**
 * What the store needs only now and then, loaded on first use with `require` (synchronous, as the
 * static imports were), to keep a CLI run short (issue 17, docs/benchmarks.md "Issue 17: the CLI's
 * start-up (cli20)"):
 * - `node:crypto` (some 20 internal modules) and `node:worker_threads` cost tens of milliseconds
 *   to load, and `week` uses neither: crypto only seals a secret, makes a key or names a
 *   PostgreSQL statement; the worker is the server's checkpointer.
 * - better-sqlite3 is CommonJS: imported from an ES module, Node first scans its source for export
 *   names (loading its lexer) and then runs it as CommonJS anyway; `require` skips the scan.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

let sqlite: typeof import("better-sqlite3") | undefined;
let crypto: typeof import("node:crypto") | undefined;
let workers: typeof import("node:worker_threads") | undefined;

/** `node:crypto`, loaded on first use. */
export function nodeCrypto(): typeof import("node:crypto") {
  crypto ??= require("node:crypto") as typeof import("node:crypto");
  return crypto;
}

/** `node:worker_threads`, loaded on first use. */
export function workerThreads(): typeof import("node:worker_threads") {
  workers ??= require("node:worker_threads") as typeof import("node:worker_threads");
  return workers;
}

let addonPath: string | null | undefined;
// biome-ignore lint/suspicious/noExplicitAny: the compiled addon has no type of its own
let addon: any;

/**
 * better-sqlite3's compiled addon, loaded from its build's usual place, for its `nativeBinding`
 * option; null when it is elsewhere (a debug build), where better-sqlite3 finds it itself. Without
 * the option it asks the `bindings` package, which takes a stack trace and tries a dozen paths on
 * every open (a few milliseconds of each CLI run; issue 17, cli21). Loaded here rather than passed
 * as a path, so that the CLI bundle's copy of better-sqlite3 (vite.cli.config.ts) never requires a
 * file by a path it is given at run time.
 */
// biome-ignore lint/suspicious/noExplicitAny: the compiled addon has no type of its own
export function betterSqlite3Addon(): any | null {
  if (addonPath === undefined) {
    try {
      addonPath = require.resolve("better-sqlite3/build/Release/better_sqlite3.node");
    } catch {
      addonPath = null;
    }
  }
  if (addonPath !== null) addon ??= require(addonPath);
  return addonPath === null ? null : addon;
}

/** better-sqlite3's Database class, loaded on first use (a PostgreSQL server never loads it). */
export function betterSqlite3(): typeof import("better-sqlite3") {
  sqlite ??= require("better-sqlite3") as typeof import("better-sqlite3");
  return sqlite;
}
