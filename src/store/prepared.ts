/**
 * Queries built and compiled once (issue 17): building a Kysely query, running it through the
 * camelCase plugin and compiling it to SQL cost more than SQLite's own work on the hot paths (the
 * check-in, My week, every request's token): measured in-process, a key-results read took 174 µs of
 * CPU through the builder and 51 µs as a bare prepared statement. A `prepared` query is built the
 * first time it runs on a database (dialect and plugins), with a marker in place of each argument;
 * every later run sends the same SQL with the arguments in the markers' places — the same statement
 * the builder would have made, so SQLite's statement cache and PostgreSQL's named statements still
 * apply, and the plugins still shape the rows it returns.
 *
 * The build function must use its arguments only as values (a `where`, a `values`, a `set`): a
 * query whose shape depends on an argument (an `in` list, an `if`) cannot be kept, and one whose
 * SQL would not carry every argument as a parameter is refused when it is first built.
 */
import {
  CamelCasePlugin,
  type Compilable,
  type CompiledQuery,
  type Expression,
  type Kysely,
  type KyselyPlugin,
  type QueryResult,
  type RawBuilder,
  type SqlBool,
  SqliteAdapter,
  sql,
  type UnknownRow,
} from "kysely";
import type { Database } from "./schema.js";

/** Stands in for the argument at `index` while the query is built once. */
class Slot {
  constructor(readonly index: number) {}
}

/** A compiled query and, for each of its parameters, the argument it takes or the constant it was. */
interface Shape {
  compiled: CompiledQuery;
  params: ({ arg: number } | { value: unknown })[];
  /**
   * Run directly on SQLite (below): the row keys as the plugins would name them (null: as they
   * come), worked out on the first direct run; false when the plugins are not ones this knows.
   */
  keys?: Record<string, string> | null | false;
}

/** A statement of a {@link DirectSqlite} connection: better-sqlite3's, as far as this uses it. */
interface DirectStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): unknown;
  columns(): { name: string }[];
}

/** The SQLite connection under a store's Kysely instance, as {@link runDirectlyOn} registers it. */
export interface DirectSqlite {
  /** The same statement cache Kysely's connection prepares through. */
  prepare(text: string): DirectStatement;
  /** Whether a transaction is open on the connection (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
}

/** SQLite connections by their Kysely instance's adapter (shared by its transactions). */
const directConnections = new WeakMap<object, DirectSqlite>();

/**
 * Lets prepared queries on a SQLite store skip Kysely's per-statement path (ckin20, issue 17): the
 * connection provider and its mutex, a promise per layer, the plugins' walk of each row. Each run
 * goes to the same cached statement Kysely would have run, with the same parameters, and its rows
 * are renamed as the camelCase plugin names them. Only where that is the statement Kysely would
 * run at that moment: inside a transaction, on the transaction's own (only) connection; outside
 * one, only when no transaction is open on the connection (else the statement would join another
 * request's transaction; it waits for Kysely's connection then, as before). SQLite is in-process
 * and synchronous, so there is nothing to wait for in between.
 */
export function runDirectlyOn(db: Kysely<Database>, connection: DirectSqlite): void {
  directConnections.set(db.getExecutor().adapter, connection);
}

/** How the plugins name a row's keys, for a direct run; false for plugins other than camelCase. */
async function keysFor(
  plugins: readonly KyselyPlugin[],
  statement: DirectStatement,
): Promise<Record<string, string> | null | false> {
  // Another plugin (one that counts statements, say) sees every statement through Kysely.
  if (plugins.length > 1 || (plugins.length === 1 && !(plugins[0] instanceof CamelCasePlugin))) return false;
  // A write without `returning` has no rows to name.
  if (plugins.length === 0 || !statement.reader) return null;
  if (!(plugins[0] instanceof CamelCasePlugin)) return false;
  const names = statement.columns().map((c) => c.name);
  const row = Object.fromEntries(names.map((n) => [n, null]));
  const renamed = await plugins[0].transformResult({
    result: { rows: [row] },
    queryId: { queryId: "direct" },
  });
  const out = Object.keys(renamed.rows[0] ?? {});
  if (out.length !== names.length) return false;
  return Object.fromEntries(names.map((n, i) => [n, out[i] as string]));
}

function renamed(rows: unknown[], keys: Record<string, string> | null): unknown[] {
  if (keys === null) return rows;
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const k in row as Record<string, unknown>) out[keys[k] ?? k] = (row as Record<string, unknown>)[k];
    return out;
  });
}

/**
 * A query of `args` built and compiled once per database; run it with `run(db, ...args)`, which
 * returns its rows (or, for a write without `returning`, none).
 */
export function prepared<A extends unknown[], R>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<R>,
): (db: Kysely<Database>, ...args: A) => Promise<R[]> {
  // Per dialect adapter, then per plugin list (`withoutPlugins()` makes other SQL; a transaction
  // copies the list, so lists are compared by their plugins).
  const shapes = new WeakMap<object, { plugins: readonly KyselyPlugin[]; shape: Shape }[]>();
  const samePlugins = (a: readonly KyselyPlugin[], b: readonly KyselyPlugin[]) =>
    a.length === b.length && a.every((p, i) => p === b[i]);
  const shapeFor = (db: Kysely<Database>, count: number): Shape => {
    const executor = db.getExecutor();
    let kept = shapes.get(executor.adapter);
    if (!kept) {
      kept = [];
      shapes.set(executor.adapter, kept);
    }
    const found = kept.find((k) => samePlugins(k.plugins, executor.plugins));
    if (found) return found.shape;
    const slots = Array.from({ length: count }, (_, i) => new Slot(i));
    const compiled = build(db, ...(slots as unknown as A)).compile();
    const params = compiled.parameters.map((p) => (p instanceof Slot ? { arg: p.index } : { value: p }));
    const used = new Set(compiled.parameters.filter((p) => p instanceof Slot).map((p) => (p as Slot).index));
    if (used.size !== count)
      throw new Error(
        `A prepared query must carry each of its ${count} arguments as a parameter; it carries ${used.size}: ${compiled.sql}`,
      );
    const shape = { compiled, params };
    kept.push({ plugins: [...executor.plugins], shape });
    return shape;
  };
  return async (db, ...args) => {
    const shape = shapeFor(db, args.length);
    const { compiled, params } = shape;
    const parameters = params.map((p) => ("arg" in p ? args[p.arg] : p.value));
    const direct = shape.keys === false ? undefined : directConnections.get(db.getExecutor().adapter);
    if (direct && direct.inTransaction === db.isTransaction) {
      const statement = direct.prepare(compiled.sql);
      if (shape.keys === undefined) shape.keys = await keysFor(db.getExecutor().plugins, statement);
      if (shape.keys !== false) {
        // Awaited above only once per shape: checked again, a transaction may have opened since.
        if (direct.inTransaction === db.isTransaction) {
          if (!statement.reader) {
            statement.run(parameters);
            return [];
          }
          return renamed(statement.all(parameters), shape.keys) as R[];
        }
      }
    }
    const query = { ...compiled, parameters } as CompiledQuery<R>;
    const inFlight = together.get(db.getExecutor());
    if (inFlight) return (await sentAlong(db, query, inFlight)).rows;
    const result = await db.executeQuery<R>(query);
    return result.rows;
  };
}

/**
 * Executors of {@link alongside}'s connections (pgteam22), each with the queries sent on it and not
 * yet answered.
 */
const together = new WeakMap<object, Set<Promise<unknown>>>();

/**
 * Sends a prepared query on an {@link alongside} connection without waiting for the queries before
 * it: the connection is held only while the query is written (pg's pipeline mode writes it at
 * once), not until it is answered, so queries asked for at once leave together. The result goes
 * through the plugins as Kysely's own path would.
 */
async function sentAlong<R>(
  db: Kysely<Database>,
  query: CompiledQuery<R>,
  inFlight: Set<Promise<unknown>>,
): Promise<QueryResult<R>> {
  const executor = db.getExecutor();
  const { answer } = await executor.provideConnection(async (connection) => {
    const sent = connection.executeQuery<R>(query);
    sent.catch(() => {});
    return { answer: sent };
  });
  inFlight.add(answer);
  try {
    let result = (await answer) as QueryResult<UnknownRow>;
    for (const plugin of executor.plugins)
      result = await plugin.transformResult({ result, queryId: { queryId: "alongside" } });
    return result as QueryResult<R>;
  } finally {
    inFlight.delete(answer);
  }
}

/**
 * Runs `work` on ONE pooled connection, where the prepared queries it asks for at once (a
 * `Promise.all`) are sent one behind the other without waiting for each other's answers (pgteam22):
 * on PostgreSQL's pipelining pool (src/store/db.ts) they leave in one round trip, and the request
 * takes one connection from the pool instead of one per query. Other queries on it run one after
 * another, as on any single connection. The connection goes back to the pool only once every query
 * sent on it is answered. Outside a transaction only (each query sees the database as of its own
 * start, as on separate connections); on SQLite, or inside a transaction, `work` runs on `db` as it is.
 */
export async function alongside<T>(
  db: Kysely<Database>,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (onSqlite(db) || db.isTransaction) return work(db);
  return db.connection().execute(async (one) => {
    const inFlight = new Set<Promise<unknown>>();
    together.set(one.getExecutor(), inFlight);
    try {
      return await work(one);
    } finally {
      // A query that failed leaves the others in flight: the connection waits for their answers.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      together.delete(one.getExecutor());
    }
  });
}

/** Whether `db` speaks SQLite (else PostgreSQL). */
export function onSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * `ref` is one of the values `query` (a one-column select) returns: `in (query)` on SQLite,
 * `= any(array(query))` on PostgreSQL (pgrep20). PostgreSQL runs the `array(…)` once, before the
 * outer query, and can then look the values up in an index of `ref` — also as one arm of an `or`
 * (a BitmapOr), which a hashed `in (…)` subplan prevents: the report's goals, an `or` of owner,
 * open, shared and team, were a scan of every goal of the workspace (100,000) for want of that
 * one arm. SQLite finds `in (query)` by index either way, and keeps its plans.
 */
export function inSelect(db: Kysely<Database>, ref: string, query: Expression<unknown>): RawBuilder<SqlBool> {
  return onSqlite(db)
    ? // A select interpolated here comes in its own parentheses.
      sql<SqlBool>`${sql.ref(ref)} in ${query}`
    : sql<SqlBool>`${sql.ref(ref)} = any(array${query})`;
}

/**
 * A list of ids as ONE argument of a prepared query, for {@link inList} (hot17): JSON text on
 * SQLite, an array on PostgreSQL. A list spelled `in (?, ?, …)` makes a new statement for every
 * length, so such queries were built for every request.
 */
export function idList(db: Kysely<Database>, ids: readonly number[]): unknown {
  return onSqlite(db) ? JSON.stringify(ids) : [...ids];
}

/**
 * `ref` is one of the ids of `list` (an argument made by {@link idList}): `in (select value from
 * json_each(?))` on SQLite, `= any(?)` on PostgreSQL — one statement whatever the list's length.
 * An empty list matches nothing.
 */
export function inList(db: Kysely<Database>, ref: string, list: unknown): RawBuilder<SqlBool> {
  return onSqlite(db)
    ? sql<SqlBool>`${sql.ref(ref)} in (select value from json_each(${list}))`
    : sql<SqlBool>`${sql.ref(ref)} = any(${list})`;
}
