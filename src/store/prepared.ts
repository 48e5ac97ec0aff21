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
  type Compilable,
  type CompiledQuery,
  type Expression,
  type Kysely,
  type KyselyPlugin,
  type RawBuilder,
  type SqlBool,
  SqliteAdapter,
  sql,
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
    const { compiled, params } = shapeFor(db, args.length);
    const parameters = params.map((p) => ("arg" in p ? args[p.arg] : p.value));
    const result = await db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
    return result.rows;
  };
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
