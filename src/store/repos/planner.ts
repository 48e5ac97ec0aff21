/**
 * The nudge planner's state (migration 0023) and its lock: which planner plans, and from where in
 * the event log and the notices it goes on.
 */
import { type Kysely, sql } from "kysely";
import type { DialectName } from "../db.js";
import type { Database } from "../schema.js";
import { type LoggedEvent, toLoggedEvent } from "./events.js";
import type { NoticeRow } from "./notifications.js";

/** A planner's cursors, the slot of its last full pass, and whether anything came after them. */
export interface PlannerState {
  eventId: number;
  noticeId: number;
  slot: string;
  /** True when an event or a notice (not a nudge) was written after the cursors. */
  changed: boolean;
}

/** The key of the planner's PostgreSQL advisory lock (any constant: "tlpl" in ASCII). */
const PLANNER_LOCK = 0x746c706c;

/**
 * Runs `plan` only when no other planner is planning: on PostgreSQL under a session advisory
 * lock taken with `pg_try_advisory_lock` on a connection held for the run (another instance that
 * finds it taken skips its turn); on SQLite the database belongs to one process, whose scheduler
 * never overlaps its ticks. Returns undefined when another planner held the lock.
 *
 * `plan` is given the database to plan through: on PostgreSQL the lock's own connection, so a tick
 * takes one connection of the pool, not that one held idle and up to three more for its queries —
 * the pool the requests beside it wait for (issue 17, tick23); on SQLite `db` itself.
 */
export async function withPlannerLock<T>(
  db: Kysely<Database>,
  dialect: DialectName,
  plan: (db: Kysely<Database>) => Promise<T>,
): Promise<T | undefined> {
  if (dialect !== "postgres") return plan(db);
  return db.connection().execute(async (conn) => {
    const r = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${PLANNER_LOCK}::bigint) as locked`.execute(conn);
    if (!r.rows[0]?.locked) return undefined;
    try {
      return await plan(conn);
    } finally {
      await sql`select pg_advisory_unlock(${PLANNER_LOCK}::bigint)`.execute(conn);
    }
  });
}

/**
 * The planner's state in one query: its row (none before its first run) and whether an event or a
 * notice other than a nudge was written after its cursors.
 */
export async function plannerState(db: Kysely<Database>, name: string): Promise<PlannerState | undefined> {
  const row = await db
    .selectFrom("plannerState as p")
    .select((eb) => [
      "p.eventId",
      "p.noticeId",
      "p.slot",
      eb
        .or([
          eb.exists(eb.selectFrom("events as e").select("e.id").whereRef("e.id", ">", "p.eventId")),
          eb.exists(
            eb
              .selectFrom("notifications as n")
              .select("n.id")
              .whereRef("n.id", ">", "p.noticeId")
              .where("n.type", "not like", "nudge.%"),
          ),
        ])
        .as("changed"),
    ])
    .where("p.name", "=", name)
    .executeTakeFirst();
  return (
    row && { eventId: row.eventId, noticeId: row.noticeId, slot: row.slot, changed: Boolean(row.changed) }
  );
}

/** The newest event and notice ids now (the cursors a full pass starts from). */
export async function logEnds(db: Kysely<Database>): Promise<{ eventId: number; noticeId: number }> {
  const [e, n] = await Promise.all([
    db
      .selectFrom("events")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst(),
    db
      .selectFrom("notifications")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst(),
  ]);
  return { eventId: Number(e?.id ?? 0), noticeId: Number(n?.id ?? 0) };
}

/** Saves a planner's cursors and slot. */
export async function savePlannerState(
  db: Kysely<Database>,
  name: string,
  s: { eventId: number; noticeId: number; slot: string },
  at: string,
): Promise<void> {
  await db
    .insertInto("plannerState")
    .values({ name, ...s, updatedAt: at })
    .onConflict((oc) => oc.column("name").doUpdateSet({ ...s, updatedAt: at }))
    .execute();
}

/**
 * Event kinds that cannot change a plan: they change nothing a step or check-in reminder is worked
 * out from (steps, due dates, owners, the goal's status, start, cadence or last check-in), and no
 * stall or obstacle is told from them. The cursor path counts them and plans nothing for them.
 */
export const KINDS_THAT_PLAN_NOTHING = [
  "comment.created",
  "kudos.given",
  "kr.created",
  "kr.changed",
  "resource.created",
  "barrier.created",
  "playbook.created",
  "playbook.changed",
  "import.completed",
] as const;

/** What the nudge planner needs of a run of events: read in SQL, no payload parsed (tick24). */
export interface EventChanges {
  /** How many events the run holds. */
  count: number;
  /** The run's last event id, null when it is empty. */
  lastId: number | null;
  /**
   * The goals the events name (an event's `goalId`, else its subject when that is a goal), each
   * with whether only check-ins (`checkin.created`) named it: a check-in changes a goal's check-in
   * reminder, never its steps' (the steps it does or writes have events of their own).
   */
  goals: Map<number, { checkinsOnly: boolean }>;
  /** The events the planner tells from, with their payload: stalls, and check-ins that hit an obstacle. */
  told: LoggedEvent[];
}

/** Which run of events {@link eventChanges} reads. */
export interface EventRun {
  /** Events after this id, oldest first... */
  afterId: number;
  /** ...at most this many... */
  limit: number;
  /** ...up to this id, when given... */
  upToId?: number;
  /** ...written at or after this instant, when given. */
  since?: string;
}

/** SQL for an event's goal id (as text or a number), or null; kinds that plan nothing give null. */
function goalIdOf(dialect: DialectName) {
  const payloadGoal =
    dialect === "postgres"
      ? sql`case when json_typeof(payload_json::json -> 'goalId') in ('number', 'string') then payload_json::json ->> 'goalId' end`
      : sql`json_extract(payload_json, '$.goalId')`;
  const subjectGoal =
    dialect === "postgres"
      ? sql`case when subject_type = 'goal' then subject_id::text end`
      : sql`case when subject_type = 'goal' then subject_id end`;
  const skipped = sql.join(KINDS_THAT_PLAN_NOTHING.map((k) => sql.lit(k)));
  return sql<
    string | number | null
  >`case when type in (${skipped}) then null else coalesce(${payloadGoal}, ${subjectGoal}) end`;
}

/** SQL: 1 for an event the planner tells from (a stall; a check-in whose `barriersHit` is not empty), else 0. */
function toldOf(dialect: DialectName) {
  const hits =
    dialect === "postgres"
      ? sql`case when json_typeof(payload_json::json -> 'barriersHit') = 'array' then json_array_length(payload_json::json -> 'barriersHit') else 0 end`
      : sql`coalesce(json_array_length(payload_json, '$.barriersHit'), 0)`;
  return sql<number>`case when type = 'goal.stalled' or (type = 'checkin.created' and ${hits} > 0) then 1 else 0 end`;
}

/**
 * What a run of events asks the planner to plan (issue 17, tick24): one statement groups the run by
 * the goal it names, in the database, so the planner reads a row per goal and not every event's
 * payload (a tick under a check-in load read ~2,000 payloads naming ~100 goals, and parsed each);
 * only the few events it tells from (stalls, obstacles hit) are read whole, by a second statement
 * when there are any.
 */
export async function eventChanges(
  db: Kysely<Database>,
  dialect: DialectName,
  run: EventRun,
): Promise<EventChanges> {
  const rows = await db
    .with("page", (qb) => {
      let q = qb
        .selectFrom("events")
        .select(["id", "type", goalIdOf(dialect).as("goalId"), toldOf(dialect).as("told")])
        .where("id", ">", run.afterId);
      if (run.upToId !== undefined) q = q.where("id", "<=", run.upToId);
      if (run.since !== undefined) q = q.where("createdAt", ">=", run.since);
      return q.orderBy("id").limit(run.limit);
    })
    .selectFrom("page")
    .select((eb) => [
      "goalId",
      sql<number>`min(case when type = 'checkin.created' then 1 else 0 end)`.as("checkinsOnly"),
      eb.fn.max("id").as("lastId"),
      eb.fn.countAll().as("count"),
      eb.fn.sum("told").as("told"),
    ])
    .groupBy("goalId")
    .execute();
  const out: EventChanges = { count: 0, lastId: null, goals: new Map(), told: [] };
  let told = 0;
  for (const r of rows) {
    out.count += Number(r.count);
    const last = Number(r.lastId);
    if (out.lastId === null || last > out.lastId) out.lastId = last;
    told += Number(r.told ?? 0);
    if (r.goalId === null) continue;
    const goalId = Number(r.goalId);
    if (!Number.isInteger(goalId)) continue;
    const checkinsOnly = Number(r.checkinsOnly) === 1;
    const seen = out.goals.get(goalId);
    out.goals.set(goalId, { checkinsOnly: checkinsOnly && (seen?.checkinsOnly ?? true) });
  }
  if (told > 0 && out.lastId !== null) {
    let q = db
      .selectFrom("events")
      .selectAll()
      .where("id", ">", run.afterId)
      .where("id", "<=", out.lastId)
      .where(toldOf(dialect), "=", 1);
    if (run.since !== undefined) q = q.where("createdAt", ">=", run.since);
    const whole = await q.orderBy("id").execute();
    out.told = whole.map(toLoggedEvent);
  }
  return out;
}

/** Notices other than nudges after an id, oldest first (at most `limit`). */
export async function noticesAfterId(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<NoticeRow[]> {
  return db
    .selectFrom("notifications")
    .selectAll()
    .where("id", ">", afterId)
    .where("type", "not like", "nudge.%")
    .orderBy("id")
    .limit(limit)
    .execute();
}
