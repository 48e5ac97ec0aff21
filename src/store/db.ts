/**
 * Opening the database: SQLite through better-sqlite3 (the default, a file) or PostgreSQL
 * through pg, with one Kysely schema and one set of migrations for both.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type SQLite from "better-sqlite3";
import {
  CamelCasePlugin,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  PostgresDriver,
  type QueryResult,
  SqliteDialect,
  SqliteDriver,
  sql,
  type TransactionSettings,
} from "kysely";
import type { QueryResult as PgResult, Pool, PoolClient, TypeOverrides } from "pg";
import { betterSqlite3, betterSqlite3Addon, nodeCrypto } from "./builtins.js";
import { isBusyError } from "./busy.js";
import { BACKSTOP_PAGES, startCheckpointer } from "./checkpointer.js";
import { MIGRATION_NAMES } from "./migrations/names.js";
import type { DialectName } from "./migrations/types.js";
import { runDirectlyOn } from "./prepared.js";
import type { Database } from "./schema.js";
import { loadSecretBox, type SecretBox } from "./secret-box.js";

export { isBusyError } from "./busy.js";
export type { DialectName } from "./migrations/types.js";

/**
 * The server's SQLite page cache, KiB (issue 17, mem20). The pages it misses are read from the
 * operating system's file cache (shared, reclaimable, not in the process's RSS), so a larger cache
 * bought no measured speed on the 1M-row bench file while its 16 MB default stayed resident in
 * the process's own memory for as long as the connection is open (docs/benchmarks.md, "Issue 17:
 * the server's memory (mem20)").
 */
export const SERVER_PAGE_CACHE_KIB = 2048;

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
   * SQLite only: the connection's page cache in KiB (`cache_size = -N`). better-sqlite3 builds
   * SQLite with 16 MB (`SQLITE_DEFAULT_CACHE_SIZE=-16000`), used when this is unset; the server
   * passes {@link SERVER_PAGE_CACHE_KIB} (issue 17, mem20).
   */
  pageCacheKib?: number | undefined;
  /**
   * PostgreSQL only: run short queries as named prepared statements (default on). Turn off behind
   * a pooler in transaction mode that does not carry prepared statements over (THROUGHLINE_PG_PREPARED=off).
   */
  preparedStatements?: boolean | undefined;
  /**
   * SQLite only: how long a statement waits for another process's write lock before it fails
   * with SQLITE_BUSY (the server answers 503 then). 5 s by default.
   */
  busyTimeoutMs?: number | undefined;
  /**
   * PostgreSQL only: the data folder, where the secret key is made when THROUGHLINE_SECRET_KEY is
   * unset (default THROUGHLINE_DATA_DIR, else ./data). SQLite keeps it beside the database file.
   */
  dataDir?: string | undefined;
  /** PostgreSQL only: where a failed idle connection is reported, one line each (standard error by default). */
  log?: ((line: string) => void) | undefined;
}

/** An open database with its dialect. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite file path, or a redacted PostgreSQL URL; for messages. */
  location: string;
  /** Encrypts the secrets stored in it (src/store/secret-box.ts). */
  secrets: SecretBox;
  close(): Promise<void>;
}

/**
 * Our pools' type parsers, set on `types` (pg's TypeOverrides): PostgreSQL returns int8 (counts,
 * sums) and numeric (avg()) as strings, and ours fit comfortably in a JS number. Per pool, so
 * opening a store leaves pg's global parsers as they are for anyone else in the process.
 */
export function withNumberParsers(types: TypeOverrides): TypeOverrides {
  types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  types.setTypeParser(1700, (v) => Number.parseFloat(v));
  return types;
}

/** Connections of a PostgreSQL store's main pool, which requests (and everything but the planner) use. */
export const REQUEST_POOL_SIZE = 10;

/** Each PostgreSQL store's `db` and the planner's own database of one connection (sched25). */
const plannerDbs = new WeakMap<Kysely<Database>, Kysely<Database>>();

/**
 * The database the nudge planner takes its lock and plans the changes through: on PostgreSQL a pool
 * of one connection of its own (opened on first use, none until a tick runs), so a tick takes no
 * connection of the pool the requests beside it wait for (issue 17, sched25); else `store.db`. A
 * store whose `db` was replaced (a plugin added, as tests that count statements do) plans through
 * that `db`, as before.
 */
export function plannerDb(store: Pick<Store, "db">): Kysely<Database> {
  return plannerDbs.get(store.db) ?? store.db;
}

/**
 * A pg pool, with pg loaded on first use: SQLite users (every CLI command on a local file) do not
 * pay for loading it.
 */
async function pgPool(
  url: string,
  log: (line: string) => void,
  pipeline: boolean,
  max = REQUEST_POOL_SIZE,
): Promise<Pool> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: withNumberParsers(new pg.TypeOverrides()),
    // A query is written as soon as it is asked for, not when the one before it has been answered
    // (pg's pipeline mode): what lets a transaction's BEGIN travel with its first statement
    // (`PreparingConnection`, pgck21). Queries on a connection still run in the order asked.
    pipeline,
  });
  // An idle connection dropped by the server (a restart, a failover) must not crash the process:
  // the pool discards it and opens a new one on next use. Each is logged, so a database that keeps
  // dropping connections shows.
  pool.on("error", (e) =>
    log(`A PostgreSQL connection failed while idle and was closed (the pool opens a new one): ${e.message}`),
  );
  return pool;
}

/** Statements with more parameters are not prepared: they are `IN (…)` lists, a new text per count. */
const PREPARED_MAX_PARAMETERS = 20;

/** How many statement names {@link statementName} keeps (texts of up to 20 parameters: a bounded set). */
const STATEMENT_NAMES_KEPT = 500;
const statementNames = new Map<string, string>();

/**
 * A named prepared statement's name: a hash of its text, the same on every connection, worked out
 * once per text (pgtrips22: a check-in on PostgreSQL hashed three statement texts on every run,
 * besides its API token; hashing was 1.2 % of the samples in a CPU profile of bench/checkin-ab.mjs).
 * Past {@link STATEMENT_NAMES_KEPT} texts the kept names are dropped and worked out again.
 */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `tl_${nodeCrypto().createHash("sha1").update(text).digest("base64url")}`;
    if (statementNames.size >= STATEMENT_NAMES_KEPT) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/** What pg reports for statements whose affected rows Kysely counts (as its own driver does). */
const COUNTED_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/**
 * A pooled connection that runs short queries as named prepared statements: PostgreSQL parses and
 * plans each once per connection instead of on every run, which was most of its CPU time on the
 * hot paths (a 50-row join: 0.69 ms a run unnamed, 0.17 ms prepared). A statement whose cached
 * plan a migration made stale ("cached plan must not change result type") is run unnamed from then
 * on, and again at once when no transaction is open.
 */
class PreparingConnection implements DatabaseConnection {
  /** Set by the driver from a transaction's begin to its commit or rollback. */
  inTransaction = false;
  /** Set by the driver just before it sends a BEGIN: send the next query without waiting for it. */
  sendOnly = false;
  readonly #client: PoolClient;
  readonly #stale = new Set<string>();
  /** A BEGIN written but not yet answered: the next query goes out behind it and waits for both. */
  #unanswered: Promise<unknown> | undefined;
  /** Set by {@link commitWithNextStatement}: the next query goes out with a COMMIT behind it. */
  #commitNext = false;
  /**
   * The COMMIT sent with a transaction's last statement, until the driver's commit or rollback
   * takes it: true when PostgreSQL answered COMMIT, false when it rolled back (or the write failed).
   */
  #ending: Promise<boolean> | undefined;

  constructor(client: PoolClient) {
    this.#client = client;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // pgck21: a transaction's BEGIN costs no round trip of its own. On a pipelining pool it is
    // held in the socket's buffer (corked) and left unanswered; the transaction's first statement
    // joins it, both leave in one write (a write to the socket cost ~80 µs of CPU in a profile on the loaded
    // bench machine), and that statement waits for the BEGIN's answer before its own, so a failed
    // BEGIN fails it.
    const stream = this.#client.connection.stream;
    if (this.sendOnly) {
      this.sendOnly = false;
      if (this.#client.pipeline) {
        stream.cork();
        let begin: Promise<PgResult>;
        try {
          begin = this.#client.query(compiled.sql);
        } catch (e) {
          stream.uncork();
          throw e;
        }
        begin.catch(() => {});
        this.#unanswered = begin;
        return { rows: [] };
      }
    }
    if (this.#ending) {
      throw new Error(
        "This transaction was committed with its last statement: a query after it has no transaction to run in.",
      );
    }
    const before = this.#unanswered;
    this.#unanswered = undefined;
    // pgtrips22: the transaction's last statement takes its COMMIT along (see commitWithNextStatement).
    const commit = this.#commitNext && this.inTransaction && this.#client.pipeline;
    this.#commitNext = false;
    try {
      let running: Promise<PgResult>;
      let ending: Promise<PgResult> | undefined;
      if (commit && !before) stream.cork();
      try {
        // pg writes a query synchronously when it is asked for (pipeline mode), so it is in the
        // buffer when the socket is uncorked.
        running = this.#query(compiled.sql, compiled.parameters);
        if (commit) {
          // Behind the statement, in the same write. Each pg query ends with its own Sync, so a
          // failed statement leaves the COMMIT to run in an aborted transaction, which PostgreSQL
          // answers with ROLLBACK: nothing of the transaction is kept either way.
          ending = this.#client.query("commit");
          this.#ending = ending.then(
            (r) => r.command === "COMMIT",
            () => false,
          );
        }
      } finally {
        if (before || commit) stream.uncork();
      }
      if (before || ending) running.catch(() => {});
      if (before) await before;
      if (ending) {
        // The statement's own error comes first: the COMMIT only says the transaction is over.
        const [r, end] = await Promise.allSettled([running, ending]);
        if (r.status === "rejected") throw r.reason;
        if (end.status === "rejected") throw end.reason;
        if (end.value.command !== "COMMIT") throw rolledBack();
      }
      const r = await running;
      return {
        rows: r.rows ?? [],
        numAffectedRows: COUNTED_COMMANDS.has(r.command) ? BigInt(r.rowCount ?? 0) : undefined,
      };
    } catch (e) {
      // pg's stack ends in its socket handler; add the caller's, as Kysely's own connection does.
      const caller = new Error().stack?.split("\n").slice(1).join("\n");
      if (e instanceof Error && caller) e.stack = `${e.stack}\n${caller}`;
      throw e;
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("Streaming is not set up for PostgreSQL: read in pages instead.");
  }

  /** Sends COMMIT with the next query, when that query runs inside this connection's transaction. */
  commitWithNext(): void {
    this.#commitNext = true;
  }

  /** Called by the driver when a transaction begins: nothing of the last one is carried over. */
  beginning(): void {
    this.#commitNext = false;
    this.#ending = undefined;
  }

  /**
   * The driver's commit or rollback: the COMMIT already sent with the last statement, if there was
   * one (whether it committed), which the driver then waits for instead of sending its own.
   */
  takeEnding(): Promise<boolean> | undefined {
    const ending = this.#ending;
    this.#ending = undefined;
    this.#commitNext = false;
    return ending;
  }

  /** Hands the connection back to the pool. */
  release(): void {
    this.#client.release();
  }

  async #query(text: string, parameters: readonly unknown[]): Promise<PgResult> {
    const values = [...parameters];
    if (values.length === 0 || values.length > PREPARED_MAX_PARAMETERS)
      return this.#client.query(text, values);
    const name = statementName(text);
    if (this.#stale.has(name)) return this.#client.query(text, values);
    try {
      return await this.#client.query({ name, text, values });
    } catch (e) {
      if ((e as { code?: string }).code !== "0A000") throw e;
      this.#stale.add(name);
      // The failure aborted the open transaction: running the statement again would only fail
      // with "current transaction is aborted". The caller gets the cause, and a transaction
      // tried again runs the statement unnamed.
      if (this.inTransaction) throw e;
      return this.#client.query(text, values);
    }
  }
}

/**
 * Kysely's PostgreSQL driver, handing out preparing connections. Transactions go through
 * beginTransaction/commitTransaction/rollbackTransaction (Kysely's own statements), so each
 * connection knows for certain whether one is open, whatever isolation level it asked for.
 */
class PreparingDriver extends PostgresDriver {
  readonly #open: () => Promise<Pool>;
  #pool: Pool | undefined;
  readonly #connections = new WeakMap<PoolClient, PreparingConnection>();

  constructor(open: () => Promise<Pool>) {
    // The parent's pool handling is replaced below; its transaction and savepoint statements are kept.
    super({ pool: open });
    this.#open = open;
  }

  override async init(): Promise<void> {
    this.#pool = await this.#open();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#pool) throw new Error("The database is closed.");
    const client = await this.#pool.connect();
    if (!this.#pool) {
      client.release();
      throw new Error("The database was closed while a connection was being opened.");
    }
    let connection = this.#connections.get(client);
    if (!connection) {
      connection = new PreparingConnection(client);
      this.#connections.set(client, connection);
    }
    return connection;
  }

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PreparingConnection).release();
  }

  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    (connection as PreparingConnection).beginning();
    (connection as PreparingConnection).sendOnly = true;
    await super.beginTransaction(connection, settings);
    (connection as PreparingConnection).inTransaction = true;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const sent = (connection as PreparingConnection).takeEnding();
    // The COMMIT went with the last statement (pgtrips22): its answer, no round trip of its own.
    // A last statement that failed threw already; a caller that went on regardless is told here.
    if (sent) {
      await ending(
        connection,
        sent.then((committed) => {
          if (!committed) throw rolledBack();
        }),
      );
      return;
    }
    // A failed commit ends the transaction too (PostgreSQL rolls it back).
    await ending(connection, super.commitTransaction(connection));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const sent = (connection as PreparingConnection).takeEnding();
    // PostgreSQL ended the transaction at the COMMIT sent with the last statement: rolled back
    // when that statement failed, committed when the failure came after it (the caller's own).
    if (sent) {
      await ending(
        connection,
        sent.then(() => undefined),
      );
      return;
    }
    await ending(connection, super.rollbackTransaction(connection));
  }

  override async destroy(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }
}

/** The error of a transaction that PostgreSQL rolled back when asked to commit it. */
function rolledBack(): Error {
  return new Error(
    "PostgreSQL rolled the transaction back instead of committing it: nothing of it was saved.",
  );
}

/**
 * Asks the open transaction `trx` to send COMMIT with its next statement, in the same write to
 * the socket, so the commit costs no round trip of its own (issue 17, pgtrips22). For a
 * repository's last write of a transaction whose use case has nothing left to do in it: any query
 * after that statement fails. The statement's answer is awaited with the COMMIT's; a failed
 * statement throws its own error, and PostgreSQL, which runs the COMMIT in the aborted
 * transaction, rolls it back (the driver's rollback then sends nothing). When the transaction
 * callback returns, the driver waits for the COMMIT's answer instead of sending one.
 *
 * Does nothing outside a transaction, on SQLite (its commit is in-process) and on a PostgreSQL
 * store without named prepared statements (Kysely's own connection, no pipelining): the
 * transaction commits when its callback returns, as always.
 */
export async function commitWithNextStatement(trx: Kysely<Database>): Promise<void> {
  if (!trx.isTransaction) return;
  await trx.getExecutor().provideConnection(async (connection) => {
    if (connection instanceof PreparingConnection) connection.commitWithNext();
  });
}

/** Waits for a commit or rollback, after which the connection is outside any transaction. */
async function ending(connection: DatabaseConnection, end: Promise<void>): Promise<void> {
  try {
    await end;
  } finally {
    (connection as PreparingConnection).inTransaction = false;
  }
}

/** PostgreSQL with named prepared statements (`PreparingDriver`). */
class PreparingDialect extends PostgresDialect {
  readonly #open: () => Promise<Pool>;

  constructor(open: () => Promise<Pool>) {
    super({ pool: open });
    this.#open = open;
  }

  override createDriver(): Driver {
    return new PreparingDriver(this.#open);
  }
}

/** How long a SQLite statement waits on another process's write lock by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Kysely's SQLite driver with write transactions that start IMMEDIATE: the write lock is taken at
 * BEGIN, where SQLite waits for it up to busy_timeout. A plain (deferred) BEGIN reads first and
 * asks for the lock at the first write; when another process (the CLI, `backup`, ANALYZE) wrote
 * in between, SQLite cannot wait there and fails at once with SQLITE_BUSY, which was a 500.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #statements: { prepare(text: string): SQLite.Statement } | undefined;

  /**
   * With `statements` (the connection's statement cache), begin and commit run their cached
   * statements directly (issue 17, http21): Kysely calls these only on the connection it has
   * handed to the transaction (its mutex held), and its own path compiled a raw query, made a
   * query id and went through the connection's result shaping for a statement that returns
   * nothing. Same statements, same connection, same errors.
   */
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    statements?: { prepare(text: string): SQLite.Statement },
  ) {
    super(config);
    this.#statements = statements;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#statements) this.#statements.prepare("begin immediate").run();
    else await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#statements) this.#statements.prepare("commit").run();
    else await super.commitTransaction(connection);
  }
}

/** SQLite with `ImmediateSqliteDriver`. */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  readonly #statements: { prepare(text: string): SQLite.Statement } | undefined;

  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    statements?: { prepare(text: string): SQLite.Statement },
  ) {
    super(config);
    this.#config = config;
    this.#statements = statements;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#statements);
  }
}

/**
 * Refreshes SQLite's planner statistics when stale, sampled so it is quick on a large file: without
 * them SQLite picked a status index and a sort for listing open steps (40-75 ms at 100,000 steps,
 * 6 ms with them). It writes (ANALYZE), so the server runs it at start and from the retention job,
 * never a CLI open. A busy database skips it: the next run catches up. Nothing on PostgreSQL
 * (autovacuum analyzes).
 */
export async function optimizeStore(store: Store): Promise<void> {
  if (store.dialect !== "sqlite") return;
  try {
    await sql`pragma optimize = 0x10002`.execute(store.db);
  } catch (e) {
    if (!isBusyError(e)) throw e;
  }
}

/** Opens the database described by `config`, creating the SQLite folder when missing. Does not migrate. */
export function openStore(config: StoreConfig): Store {
  const url = config.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const log = config.log ?? console.error;
    const preparing = config.preparedStatements !== false;
    const pool = () => pgPool(url, log, preparing);
    const db = new Kysely<Database>({
      dialect: preparing ? new PreparingDialect(pool) : new PostgresDialect({ pool }),
      plugins: [new CamelCasePlugin()],
    });
    // The planner's own connection (sched25): Kysely opens its pool on the first query only.
    const plannerPool = () => pgPool(url, log, preparing, 1);
    const planner = new Kysely<Database>({
      dialect: preparing ? new PreparingDialect(plannerPool) : new PostgresDialect({ pool: plannerPool }),
      plugins: [new CamelCasePlugin()],
    });
    plannerDbs.set(db, planner);
    return {
      db,
      dialect: "postgres",
      location: url.replace(/\/\/[^@/]*@/, "//***@"),
      secrets: loadSecretBox(
        resolve(config.dataDir ?? (process.env.THROUGHLINE_DATA_DIR?.trim() || "./data")),
      ),
      close: async () => {
        await Promise.all([db.destroy(), planner.destroy()]);
      },
    };
  }
  const file = resolve(config.file ?? DEFAULT_DB_FILE);
  mkdirSync(dirname(file), { recursive: true });
  // Before the database opens, so a key that cannot be read leaves nothing open behind.
  const secrets = loadSecretBox(dirname(file));
  const addon = betterSqlite3Addon();
  const sqlite = new (betterSqlite3())(file, addon ? { nativeBinding: addon } : {});
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.round(config.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("analysis_limit = 1000");
  if (config.pageCacheKib !== undefined)
    sqlite.pragma(`cache_size = ${-Math.max(0, Math.round(config.pageCacheKib))}`);
  const checkpointer = config.backgroundCheckpoints ? startCheckpointer(file) : null;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const statements = cachingStatements(sqlite);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: statements }, statements),
    plugins: [new CamelCasePlugin()],
  });
  // Prepared queries run on the connection directly, through the same statement cache (ckin20).
  runDirectlyOn(db, {
    prepare: (text) => statements.prepare(text),
    get inTransaction() {
      return sqlite.inTransaction;
    },
  });
  return {
    db,
    dialect: "sqlite",
    location: file,
    secrets,
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
function cachingStatements(sqlite: SQLite.Database): {
  close(): void;
  prepare(text: string): SQLite.Statement;
} {
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
  // Migrations are written in snake_case, so they run without the camelCase plugin.
  const raw = store.db.withoutPlugins();
  // Up to date already (every CLI run, every instance after the first): read, don't lock. The
  // migrator would open a write transaction just to find nothing to do, waiting on any writer.
  // Checked against the names alone: the migrations and the migrator load only when one is
  // pending (issue 17, cli24).
  if (!upTo && (await allApplied(raw, MIGRATION_NAMES))) return;
  const { runMigrations } = await import("./migrator.js");
  await runMigrations(raw, store.dialect, store.secrets, store.location, upTo);
}

/** Whether every named migration is recorded as run (false when the record is missing). */
// biome-ignore lint/suspicious/noExplicitAny: the migration record is not part of the schema type
async function allApplied(raw: Kysely<any>, names: readonly string[]): Promise<boolean> {
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(raw);
    const done = new Set(rows.rows.map((r) => r.name));
    return names.every((n) => done.has(n));
  } catch {
    return false;
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
