/**
 * The floor under the PostgreSQL check-in (issue 17, pgfloor26): the same request as
 * bench/bare-checkin.ts (`POST /api/goals/{id}/checkins` with a bearer token and key-result values)
 * on a bare Hono route, written by hand against `pg` with named prepared statements, on the same
 * cluster (so the same durability settings) and the same data as the product's PostgreSQL run. It
 * writes every row the product writes for that request (src/app/checkins/checkins.ts,
 * src/store/repos/checkins.ts `recordCheckin`): the check-in, its key-result values, the key
 * results' current values unless a later-dated check-in exists, the event, the token's last use at
 * most once a minute, and — through the database's own triggers, which fire for these statements
 * as for the product's — the goal's revision bump (migrations 0008, 0027, 0031).
 *
 * What it leaves out is what the product spends besides the database's work: Kysely, middleware,
 * zod, the policy module (the floor allows the goal's owner only, which is what "goal.write"
 * allows), and one round trip. Per check-in, two round trips, one statement each:
 *
 * 1. The permission read: the token's user and, in the same statement, the goal's owner,
 *    workspace, start date and its key results' ids (the product reads the token in one round trip
 *    and the goal in a second one, inside its transaction).
 * 2. The writes: one statement of data-modifying CTEs (the product's own shape, with the same
 *    `throughline_kr_values` for the values, so the same generic plan). A single statement is its
 *    own transaction (all or nothing), so no BEGIN or COMMIT is sent at all; at READ COMMITTED the
 *    read in step 1 holds no lock either way, so reading it inside a transaction, as the product
 *    does, guards nothing more.
 *
 * One pooled client per HTTP connection (a pool of 10, as the product's request pool), each
 * statement parsed and planned once per client.
 *
 *   PORT=… DATABASE_URL=postgres://… node dist/bench-build/bench/bare-checkin-pg.js
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pg from "pg";

/** What a check-in request carries (the bench's body: no steps, barriers or next step's due date). */
export interface Body {
  krValues?: { keyResultId: number; value: number }[];
  confidence?: string;
  doneText?: string;
  nextStep?: string;
  note?: string;
}

/** Thrown by the floor for a request it refuses. */
export class Refused extends Error {
  constructor(
    readonly status: 400 | 401 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** The token's user, and the goal asked for when there is one (its columns null otherwise). */
const READ = `select t.id as token_id, t.last_used_at, u.id as user_id, u.workspace_id,
    g.owner_id, g.workspace_id as goal_workspace_id, g.start_date,
    array(select k.id from key_results k where k.goal_id = g.id) as kr_ids
  from api_tokens t join users u on u.id = t.user_id left join goals g on g.id = $2
  where t.token_hash = $1 and t.revoked_at is null`;

/** The check-in, its event and (with values) its values and the key results, in one statement. */
const WRITE_WITH_VALUES = `with c as (
    insert into checkins (goal_id, author_id, date, confidence, done_text, next_step, note, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8) returning id
  ), x as (
    select * from throughline_kr_values($9::integer[], $10::double precision[]) as x
  ), v as (
    insert into checkin_kr_values (checkin_id, key_result_id, value) select c.id, x.key_result_id, x.value from c, x
  ), u as (
    update key_results set current_value = x.value, updated_at = $8 from x
    where key_results.id = x.key_result_id
      and not exists (select 1 from checkins l where l.goal_id = $1 and l.date > $3)
  ), e as (
    insert into events (workspace_id, type, actor_id, subject_type, subject_id, payload_json, created_at)
    select $11, 'checkin.created', $2, 'checkin', c.id, $12, $8 from c
  )
  select id from c`;

const WRITE_WITHOUT_VALUES = `with c as (
    insert into checkins (goal_id, author_id, date, confidence, done_text, next_step, note, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8) returning id
  ), e as (
    insert into events (workspace_id, type, actor_id, subject_type, subject_id, payload_json, created_at)
    select $9, 'checkin.created', $2, 'checkin', c.id, $10, $8 from c
  )
  select id from c`;

const TOUCH = "update api_tokens set last_used_at = $2 where id = $1";

const CONFIDENCES = new Set(["on-track", "at-risk", "off-track"]);

interface ReadRow {
  token_id: number;
  last_used_at: string | null;
  user_id: number;
  workspace_id: number;
  owner_id: number | null;
  goal_workspace_id: number | null;
  start_date: string | null;
  kr_ids: number[];
}

/** The floor's check-in on `pool`: the SHA-256 of the token, the goal's id, the body. */
export function checkinFloorPg(pool: pg.Pool) {
  return async (tokenHash: string, goalId: number, body: Body) => {
    const found = (await pool.query<ReadRow>({ name: "floor_read", text: READ, values: [tokenHash, goalId] }))
      .rows[0];
    if (!found) throw new Refused(401, "sign in");
    if (found.owner_id !== found.user_id || found.goal_workspace_id !== found.workspace_id)
      throw new Refused(404, "goal not found");
    const now = new Date();
    const at = now.toISOString();
    const date = at.slice(0, 10);
    if (found.start_date !== null && date < found.start_date)
      throw new Refused(400, "before the goal's start");
    const values = [...(body.krValues ?? [])].sort((a, b) => a.keyResultId - b.keyResultId);
    const ids = values.map((v) => v.keyResultId);
    if (new Set(ids).size !== ids.length) throw new Refused(400, "a key result appears twice");
    for (const id of ids) if (!found.kr_ids.includes(id)) throw new Refused(400, "key result not in goal");
    const confidence = body.confidence ?? null;
    if (confidence !== null && !CONFIDENCES.has(confidence)) throw new Refused(400, "unknown confidence");
    // As the product's token check (src/app/people/accounts.ts): the last use written once a minute.
    if (!found.last_used_at || now.getTime() - Date.parse(found.last_used_at) > 60_000)
      await pool.query({ name: "floor_touch", text: TOUCH, values: [found.token_id, at] });
    const payload = JSON.stringify({ goalId, date, confidence, barriersHit: [] });
    const head = [
      goalId,
      found.user_id,
      date,
      confidence,
      body.doneText ?? null,
      body.nextStep ?? null,
      body.note ?? null,
      at,
    ];
    const r = values.length
      ? await pool.query<{ id: number }>({
          name: "floor_write_values",
          text: WRITE_WITH_VALUES,
          values: [...head, ids, values.map((v) => v.value), found.workspace_id, payload],
        })
      : await pool.query<{ id: number }>({
          name: "floor_write",
          text: WRITE_WITHOUT_VALUES,
          values: [...head, found.workspace_id, payload],
        });
    return { id: r.rows[0]?.id, goalId, date };
  };
}

/** The floor's Hono app on `pool`. */
export function checkinAppPg(pool: pg.Pool): Hono {
  const checkin = checkinFloorPg(pool);
  const app = new Hono();
  app.post("/api/goals/:id/checkins", async (c) => {
    try {
      const token = (c.req.header("authorization") ?? "").replace(/^Bearer /, "");
      const body = (await c.req.json()) as Body;
      if (!Array.isArray(body.krValues ?? [])) throw new Refused(400, "krValues must be a list");
      const hash = createHash("sha256").update(token).digest("hex");
      return c.json(await checkin(hash, Number(c.req.param("id")), body), 201);
    } catch (e) {
      if (e instanceof Refused) return c.json({ error: e.message }, e.status);
      throw e;
    }
  });
  app.get("/api/health", (c) => c.json({ status: "ok" }));
  return app;
}

/** A pool like the product's request pool: ten connections. */
export function floorPool(url: string): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 10 });
}

function main(): void {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "Set DATABASE_URL to the PostgreSQL database to write check-ins to (a copy of the bench data).",
    );
    process.exit(2);
  }
  const app = checkinAppPg(floorPool(url));
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, (info) => {
    console.log(`bare PostgreSQL check-in on ${info.port}`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
