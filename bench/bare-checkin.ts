/**
 * The floor under the check-in benchmark: the same request (`POST /api/goals/{id}/checkins` with a
 * bearer token and key-result values) on a bare Hono route, written by hand against better-sqlite3
 * with statements prepared once: the token looked up by hash, the goal read and its owner checked,
 * the key results checked, the check-in, its values, each key result's new value and the event
 * written in one transaction, with the database's own triggers. No query builder, no middleware,
 * no validation library, no permission rules beyond "your own goal". It shows what the machine
 * allows a check-in at all; the server does more per request (docs/benchmarks.md). SQLite only.
 *
 * Same durability and checkpoint regime as the server (src/store/db.ts with background
 * checkpoints): WAL, `synchronous = NORMAL`, foreign keys on, and the write-ahead log copied into
 * the database by a worker thread (src/store/checkpointer.ts) rather than inside the commits, with
 * the same backstop. A floor that checkpoints in its commits would be slower than the server's own
 * regime allows (issue 17 measured ~300 µs a check-in with, ~140 µs without).
 *
 *   PORT=… THROUGHLINE_DB=./data/bench.db node dist/bench-build/bench/bare-checkin.js
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import type SQLite from "better-sqlite3";
import { Hono } from "hono";
import { openLikeServer } from "./bare-db.js";

/** What a check-in request carries. */
export interface Body {
  krValues?: { keyResultId: number; value: number }[];
  confidence?: string;
  doneText?: string;
}

/** Thrown by the floor's transaction for a request it refuses. */
export class Refused extends Error {
  constructor(
    readonly status: 400 | 401 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** The floor's statements on `db`, prepared once, and its check-in transaction. */
export function checkinFloor(db: SQLite.Database) {
  const tokenOwner = db.prepare<[string], { userId: number; workspaceId: number }>(
    `select u.id as userId, u.workspace_id as workspaceId from api_tokens t join users u on u.id = t.user_id
   where t.token_hash = ? and t.revoked_at is null`,
  );
  const goalOf = db.prepare<[number], { ownerId: number; workspaceId: number }>(
    "select owner_id as ownerId, workspace_id as workspaceId from goals where id = ?",
  );
  const krsOf = db.prepare<[number], { id: number }>("select id from key_results where goal_id = ?");
  const latest = db.prepare<[number], { date: string | null }>(
    "select max(date) as date from checkins where goal_id = ?",
  );
  const insertCheckin = db.prepare(
    `insert into checkins (goal_id, author_id, date, confidence, done_text, next_step, note, created_at)
   values (?, ?, ?, ?, ?, null, null, ?)`,
  );
  const insertValue = db.prepare(
    "insert into checkin_kr_values (checkin_id, key_result_id, value) values (?, ?, ?)",
  );
  const updateKr = db.prepare("update key_results set current_value = ?, updated_at = ? where id = ?");
  const insertEvent = db.prepare(
    `insert into events (workspace_id, type, actor_id, subject_type, subject_id, payload_json, created_at)
   values (?, 'checkin.created', ?, 'checkin', ?, ?, ?)`,
  );

  const write = db.transaction((userId: number, goalId: number, body: Body) => {
    const goal = goalOf.get(goalId);
    if (!goal || goal.ownerId !== userId) throw new Refused(404, "goal not found");
    const values = body.krValues ?? [];
    const krs = new Set(krsOf.all(goalId).map((k) => k.id));
    for (const v of values) if (!krs.has(v.keyResultId)) throw new Refused(400, "key result not in goal");
    const now = new Date().toISOString();
    const date = now.slice(0, 10);
    const last = latest.get(goalId)?.date ?? null;
    const id = Number(
      insertCheckin.run(goalId, userId, date, body.confidence ?? null, body.doneText ?? null, now)
        .lastInsertRowid,
    );
    for (const v of values) insertValue.run(id, v.keyResultId, v.value);
    if (last === null || date >= last) for (const v of values) updateKr.run(v.value, now, v.keyResultId);
    insertEvent.run(goal.workspaceId, userId, id, JSON.stringify({ goalId, date }), now);
    return { id, goalId, date };
  });
  return { tokenOwner, write };
}

/** The floor's Hono app on `db` (bench/hot.ts runs it in-process). */
export function checkinApp(db: SQLite.Database): Hono {
  const { tokenOwner, write } = checkinFloor(db);
  const app = new Hono();
  app.post("/api/goals/:id/checkins", async (c) => {
    try {
      const token = (c.req.header("authorization") ?? "").replace(/^Bearer /, "");
      const user = tokenOwner.get(createHash("sha256").update(token).digest("hex"));
      if (!user) throw new Refused(401, "sign in");
      const body = (await c.req.json()) as Body;
      if (!Array.isArray(body.krValues ?? [])) throw new Refused(400, "krValues must be a list");
      return c.json(write(user.userId, Number(c.req.param("id")), body), 201);
    } catch (e) {
      if (e instanceof Refused) return c.json({ error: e.message }, e.status);
      throw e;
    }
  });
  app.get("/api/health", (c) => c.json({ status: "ok" }));
  return app;
}

function main(): void {
  const app = checkinApp(openLikeServer());
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, (info) => {
    console.log(`bare check-in on ${info.port}`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
