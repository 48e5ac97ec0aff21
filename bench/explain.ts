/**
 * Query plans of the benchmarked use cases: runs each use case once in-process on a Kysely that
 * logs every query, then asks the database for the plan of each SELECT (SQLite's EXPLAIN QUERY
 * PLAN, PostgreSQL's EXPLAIN) and reports the queries with their time, slowest first.
 */
import { randomBytes } from "node:crypto";
import SQLite from "better-sqlite3";
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { createCheckin } from "../src/app/checkins/checkins.js";
import { type Actor, type AppContext, appContext } from "../src/app/context.js";
import { goalStatus } from "../src/app/evaluation/status.js";
import { myWeek } from "../src/app/plans/steps.js";
import { followThroughReport } from "../src/app/reports/report.js";
import { teamOverview } from "../src/app/reports/teamview.js";
import { type Store, withNumberParsers } from "../src/store/db.js";
import type { Database } from "../src/store/schema.js";
import { secretBox } from "../src/store/secret-box.js";

/** One query a use case ran. */
export interface LoggedQuery {
  useCase: string;
  sql: string;
  parameters: readonly unknown[];
  ms: number;
  plan: string;
}

/** The actors and ids the use cases run with. */
export interface ExplainFixture {
  member: Actor;
  goalId: number;
  krIds: number[];
  leader: Actor;
  teamId: number;
}

/** How long each use case took in-process, and its error if it failed. */
export const timings: { useCase: string; ms: number; error: string | null }[] = [];

function inline(text: string, params: readonly unknown[], dialect: "sqlite" | "postgres"): string {
  // An array (PostgreSQL's `= any($1)`) as an array literal, not its String() ("1,2").
  const lit = (v: unknown): string =>
    v === null
      ? "null"
      : Array.isArray(v)
        ? v.length === 0
          ? "'{}'"
          : `array[${v.map(lit).join(", ")}]`
        : typeof v === "number"
          ? String(v)
          : `'${String(v).replaceAll("'", "''")}'`;
  if (dialect === "postgres") return text.replace(/\$(\d+)/g, (_, i) => lit(params[Number(i) - 1]));
  let i = 0;
  return text.replace(/\?/g, () => lit(params[i++]));
}

/** Runs the use cases once against `target` and returns every query with its plan. */
export async function explainUseCases(
  target: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string },
  f: ExplainFixture,
): Promise<LoggedQuery[]> {
  const logged: LoggedQuery[] = [];
  let current = "";
  const log = (e: {
    level: string;
    query: { sql: string; parameters: readonly unknown[] };
    queryDurationMillis: number;
  }) => {
    logged.push({
      useCase: current,
      sql: e.query.sql,
      parameters: e.query.parameters,
      ms: e.queryDurationMillis,
      plan: "",
    });
  };
  const pool =
    target.kind === "postgres"
      ? new pg.Pool({
          connectionString: target.url,
          max: 4,
          types: withNumberParsers(new pg.TypeOverrides()),
        })
      : null;
  const sqlite = target.kind === "sqlite" ? new SQLite(target.file) : null;
  const db = new Kysely<Database>({
    dialect: pool
      ? new PostgresDialect({ pool })
      : new SqliteDialect({ database: sqlite as SQLite.Database }),
    plugins: [new CamelCasePlugin()],
    log: log as never,
  });
  // EXPLAIN reads no stored secrets: a throwaway key will do.
  const secrets = secretBox(randomBytes(32), "bench");
  const store: Store = { db, dialect: target.kind, location: "bench", secrets, close: () => db.destroy() };
  const ctx: AppContext = appContext(store);
  try {
    const run = async (name: string, f2: () => Promise<unknown>) => {
      current = name;
      const t = performance.now();
      try {
        await f2();
        timings.push({ useCase: name, ms: performance.now() - t, error: null });
      } catch (e) {
        timings.push({
          useCase: name,
          ms: performance.now() - t,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    };
    await run("my week", () => myWeek(ctx, f.member));
    await run("goal status", () => goalStatus(ctx, f.member, f.goalId));
    await run("check-in", () =>
      createCheckin(ctx, f.member, f.goalId, {
        krValues: f.krIds.map((id) => ({ keyResultId: id, value: 1 })),
        confidence: "on-track",
        doneText: "Explain run",
      }),
    );
    await run("team overview (leader)", () => teamOverview(ctx, f.leader, f.teamId));
    await run("report (leader)", () => followThroughReport(ctx, f.leader));
    current = "";
    const raw = db.withoutPlugins();
    for (const q of logged) {
      if (!/^\s*select/i.test(q.sql)) continue;
      const text = inline(q.sql, q.parameters, target.kind);
      if (target.kind === "sqlite") {
        const rows = (sqlite as SQLite.Database).prepare(`explain query plan ${text}`).all() as {
          detail: string;
        }[];
        q.plan = rows.map((r) => r.detail).join("\n");
      } else {
        const r = await sql.raw<{ "QUERY PLAN": string }>(`explain ${text}`).execute(raw);
        q.plan = r.rows.map((x) => x["QUERY PLAN"]).join("\n");
      }
    }
  } finally {
    await db.destroy();
  }
  return logged.filter((q) => q.useCase !== "");
}
