/**
 * The database connection of the hand-written floors (bare-checkin.ts, bare-week.ts), opened as
 * the server opens its own (src/store/db.ts with background checkpoints): WAL, foreign keys on,
 * `synchronous = NORMAL`, and the write-ahead log checkpointed by a worker thread with the same
 * backstop — the same durability and checkpoint regime, so a floor is not slower than the server's
 * own settings allow.
 */
import SQLite from "better-sqlite3";
import { BACKSTOP_PAGES, startCheckpointer } from "../src/store/checkpointer.js";

export function openLikeServer(file = process.env.THROUGHLINE_DB ?? "./data/bench.db"): SQLite.Database {
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  startCheckpointer(file);
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return db;
}
