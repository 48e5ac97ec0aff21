/**
 * Opening the database: SQLite through better-sqlite3 (the default, a file) or PostgreSQL
 * through pg, with one Kysely schema and one set of migrations for both.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import {
  CamelCasePlugin,
  Kysely,
  type Migration as KyselyMigration,
  Migrator,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type SqliteDatabase,
  SqliteDialect,
} from "kysely";
import type { PoolClient } from "pg";
import { BACKSTOP_PAGES, startCheckpointer } from "./checkpointer.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { DialectName } from "./migrations/types.js";
import type { Database } from "./schema.js";

export type { DialectName } from "./migrations/types.js";

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_DB_FILE = "./data/throughline.db";

/** Where to find the database: a PostgreSQL URL, or a SQLite file path. */
export interface StoreConfig {
  databaseUrl?: string | undefined;
  file?: string | undefined;
  /**
   * SQLite only: checkpoint the write-ahead log from a worker thread instead of in the commits
   * (src/store/checkpointer.ts). For a long-running server; a short CLI run needs none.
   */
  backgroundCheckpoints?: boolean | undefined;
  /**
   * PostgreSQL only: run short queries as named prepared statements (default on). Turn off behind
   * a pooler in transaction mode that does not carry prepared statements over (THROUGHLINE_PG_PREPARED=off).
   */
  preparedStatements?: boolean | undefined;
}

/** An open database with its dialect. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite file path, or a redacted PostgreSQL URL; for messages. */
  location: string;
  close(): Promise<void>;
}

/**
 * A pg pool, with pg loaded on first use: SQLite users (every CLI command on a local file) do not
 * pay for loading it.
 */
async function pgPool(url: string, prepared: boolean): Promise<PostgresPool> {
  const { default: pg } = await import("pg");
  // PostgreSQL returns int8 (counts, sums) as strings; our counts fit comfortably in a JS number.
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  // numeric (e.g. avg()) as a number too.
  pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (a restart, a failover) must not crash the process:
  // the pool discards it and opens a new one on next use.
  pool.on("error", () => {});
  if (!prepared) return pool;
  const wrapped = new WeakMap<PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        w = preparing(client);
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

/** Statements with more parameters are not prepared: they are `IN (…)` lists, a new text per count. */
const PREPARED_MAX_PARAMETERS = 20;

/**
 * A pooled connection that runs short queries as named prepared statements: PostgreSQL parses and
 * plans each once per connection instead of on every run, which was most of its CPU time on the
 * hot paths (a 50-row join: 0.69 ms a run unnamed, 0.17 ms prepared). A statement whose cached
 * plan a migration made stale ("cached plan must not change result type") is run unnamed from then
 * on, and again at once when no transaction is open.
 */
function preparing(client: PoolClient): PostgresPoolClient {
  const stale = new Set<string>();
  let inTransaction = false;
  const query = async (text: string, values: readonly unknown[]) => {
    const verb = text.slice(0, 8).toLowerCase();
    if (verb === "begin") inTransaction = true;
    else if (verb === "commit" || verb === "rollback") inTransaction = false;
    if (values.length === 0 || values.length > PREPARED_MAX_PARAMETERS)
      return client.query(text, [...values]);
    const name = `tl_${createHash("sha1").update(text).digest("base64url")}`;
    if (stale.has(name)) return client.query(text, [...values]);
    try {
      return await client.query({ name, text, values: [...values] });
    } catch (e) {
      if ((e as { code?: string }).code !== "0A000") throw e;
      stale.add(name);
      if (inTransaction) throw e;
      return client.query(text, [...values]);
    }
  };
  return {
    // Kysely streams through a cursor only when asked to (nothing here does): text queries only.
    query: query as unknown as PostgresPoolClient["query"],
    release: () => client.release(),
  };
}

/** Opens the database described by `config`, creating the SQLite folder when missing. Does not migrate. */
export function openStore(config: StoreConfig): Store {
  const url = config.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: () => pgPool(url, config.preparedStatements !== false) }),
      plugins: [new CamelCasePlugin()],
    });
    return {
      db,
      dialect: "postgres",
      location: url.replace(/\/\/[^@/]*@/, "//***@"),
      close: () => db.destroy(),
    };
  }
  const file = resolve(config.file ?? DEFAULT_DB_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // Planner statistics, refreshed when stale and sampled (so quick on a large file): without them
  // SQLite picked a status index and a sort for listing open steps (40-75 ms at 100,000 steps,
  // 6 ms with them).
  sqlite.pragma("analysis_limit = 1000");
  sqlite.pragma("optimize = 0x10002");
  const checkpointer = config.backgroundCheckpoints ? startCheckpointer(file) : null;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(sqlite) }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    dialect: "sqlite",
    location: file,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** How many prepared statements a SQLite connection keeps. */
const STATEMENT_CACHE_SIZE = 200;
/**
 * Longer statements are not kept: they are the `IN (…)` lists of many goals, a new text for each
 * count, which would fill the cache with statements seldom run twice.
 */
const STATEMENT_CACHE_MAX_TEXT = 2000;

/**
 * The SQLite connection as Kysely sees it, keeping the last statements it prepared: Kysely prepares
 * every query it runs, and preparing cost more than running on the hot paths. Statements are only
 * run with all() and run() here (nothing streams), so one is never in use twice at a time.
 */
function cachingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      if (text.length > STATEMENT_CACHE_MAX_TEXT) return sqlite.prepare(text);
      let stmt = cache.get(text);
      if (stmt) {
        cache.delete(text);
      } else {
        stmt = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

/**
 * Brings the schema up to date; a database made by an older version upgrades in place. With
 * `upTo`, stops after that migration (tests of a migration start from the schema before it).
 */
export async function migrate(store: Store, upTo?: string): Promise<void> {
  const dialect = store.dialect;
  const migrations: Record<string, KyselyMigration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    migrations[name] = { up: (db) => m.up(db, dialect) };
  }
  // Migrations are written in snake_case, so they run without the camelCase plugin.
  const raw = store.db.withoutPlugins();
  const migrator = new Migrator({
    db: raw,
    provider: { getMigrations: async () => migrations },
    // Migrations merged from parallel branches may arrive out of order on a developer's database.
    allowUnorderedMigrations: true,
  });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    const what = failed ? `migration ${failed.migrationName}` : "migrations";
    throw new Error(`Could not upgrade the database at ${store.location}: ${what} failed: ${String(error)}`);
  }
}

/** Opens and migrates in one call. */
export async function openAndMigrate(config: StoreConfig): Promise<Store> {
  const store = openStore(config);
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
