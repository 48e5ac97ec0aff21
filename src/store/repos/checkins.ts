/** Check-ins with their key-result values, completed steps and barriers hit; comments and kudos. */
import { type Kysely, type Selectable, sql } from "kysely";
import type { Checkin } from "../../core/types.js";
import { commitWithNextStatement, type DialectName } from "../db.js";
import { toConfidence } from "../mappers.js";
import { inSelect, onSqlite, prepared } from "../prepared.js";
import type { CheckinsTable, Database } from "../schema.js";
import { appendEvent, type NewEvent } from "./events.js";

/** A check-in to insert, with its child rows. */
export interface NewCheckin {
  goalId: number;
  authorId: number;
  date: string;
  confidence: string | null;
  doneText: string | null;
  nextStep: string | null;
  note: string | null;
  krValues: { keyResultId: number; value: number }[];
  stepsDone: number[];
  barriersHit: number[];
  createdAt: string;
}

// The check-in's own statements, built once (src/store/prepared.ts).
const insertCheckinRow = prepared(
  (
    db: Kysely<Database>,
    goalId: number,
    authorId: number,
    date: string,
    confidence: string | null,
    doneText: string | null,
    nextStep: string | null,
    note: string | null,
    createdAt: string,
  ) =>
    db
      .insertInto("checkins")
      .values({ goalId, authorId, date, confidence, doneText, nextStep, note, createdAt })
      .returning("id"),
);
/** A check-in's key-result values in one statement, built once for each count up to ten. */
async function insertKrValues(
  db: Kysely<Database>,
  checkinId: number,
  values: readonly { keyResultId: number; value: number }[],
): Promise<void> {
  const rows = values.map((v) => ({ checkinId, keyResultId: v.keyResultId, value: v.value }));
  if (values.length > 10) {
    await db.insertInto("checkinKrValues").values(rows).execute();
    return;
  }
  let insert = insertKrValuesOf.get(values.length);
  if (!insert) {
    const n = values.length;
    insert = prepared((db: Kysely<Database>, ...a: number[]) =>
      db.insertInto("checkinKrValues").values(
        Array.from({ length: n }, (_, i) => ({
          checkinId: a[3 * i] as number,
          keyResultId: a[3 * i + 1] as number,
          value: a[3 * i + 2] as number,
        })),
      ),
    );
    insertKrValuesOf.set(n, insert);
  }
  await insert(db, ...rows.flatMap((r) => [r.checkinId, r.keyResultId, r.value]));
}
const insertKrValuesOf = new Map<number, (db: Kysely<Database>, ...a: number[]) => Promise<unknown[]>>();
const setKrValue = prepared((db: Kysely<Database>, id: number, currentValue: number, updatedAt: string) =>
  db.updateTable("keyResults").set({ currentValue, updatedAt }).where("id", "=", id),
);

/** Inserts a check-in and its child rows (call inside a transaction). */
export async function insertCheckin(db: Kysely<Database>, c: NewCheckin): Promise<Checkin> {
  const [row] = await insertCheckinRow(
    db,
    c.goalId,
    c.authorId,
    c.date,
    c.confidence ?? null,
    c.doneText ?? null,
    c.nextStep ?? null,
    c.note ?? null,
    c.createdAt,
  );
  if (!row) throw new Error("The check-in was not inserted.");
  if (c.krValues.length) await insertKrValues(db, row.id, c.krValues);
  if (c.stepsDone.length) {
    await db
      .insertInto("checkinSteps")
      .values(c.stepsDone.map((stepId) => ({ checkinId: row.id, stepId })))
      .execute();
  }
  if (c.barriersHit.length) {
    await db
      .insertInto("checkinBarriers")
      .values(c.barriersHit.map((barrierId) => ({ checkinId: row.id, barrierId })))
      .execute();
  }
  return {
    id: row.id,
    goalId: c.goalId,
    authorId: c.authorId,
    date: c.date,
    confidence: toConfidence(c.confidence),
    doneText: c.doneText,
    nextStep: c.nextStep,
    note: c.note,
    krValues: c.krValues,
    stepsDone: c.stepsDone,
    barriersHit: c.barriersHit,
    createdAt: c.createdAt,
  };
}

/** What {@link recordCheckin} writes besides the check-in and its child rows. */
export interface CheckinEffects {
  /**
   * The check-in's values become the key results' current values (with this `updatedAt`) unless
   * the goal has a check-in dated later: backfilling the past does not overwrite the present.
   */
  updatedAt: string;
  /** An event to append for the check-in, its subject id the new check-in's (none when null). */
  event: Omit<NewEvent, "subjectId"> | null;
  /**
   * The caller's transaction has nothing left to do after this (pgtrips22): on PostgreSQL the
   * check-in's one statement takes the transaction's COMMIT along in the same write
   * (`commitWithNextStatement`, src/store/db.ts), one round trip fewer; a failure of that
   * statement rolls the transaction back. Elsewhere the transaction commits when its callback returns.
   */
  endsTransaction?: boolean;
}

/**
 * Records a check-in in the caller's transaction: the check-in and its child rows, the key
 * results' new current values when it is the goal's latest, and its event. On SQLite these are
 * statements in a row (in-process, each costs microseconds); on PostgreSQL, where each statement
 * is a round trip, they are one statement: data-modifying CTEs for the check-in, its values, the
 * event and the key results (one `UPDATE … FROM (VALUES …)`). Both write the same rows.
 */
export async function recordCheckin(
  db: Kysely<Database>,
  dialect: DialectName,
  c: NewCheckin,
  effects: CheckinEffects,
): Promise<Checkin> {
  // The key results are updated in one order, by id (pgck24): two check-ins naming the same key
  // results in opposite orders would otherwise lock their rows in opposite orders on PostgreSQL,
  // and one of them would fail as a deadlock. (PostgreSQL's plan for the writes below is a nested
  // loop over the values, each key result by its primary key: rows are locked in the values' order.)
  const byKeyResult =
    c.krValues.length > 1 ? [...c.krValues].sort((x, y) => x.keyResultId - y.keyResultId) : c.krValues;
  if (dialect !== "postgres" || c.stepsDone.length > 0 || c.barriersHit.length > 0) {
    const latest = c.krValues.length ? await latestCheckinDate(db, c.goalId) : undefined;
    const checkin = await insertCheckin(db, c);
    if (latest === undefined || c.date >= latest) {
      for (const v of byKeyResult) await setKrValue(db, v.keyResultId, v.value, effects.updatedAt);
    }
    if (effects.event) await appendEvent(db, { ...effects.event, subjectId: checkin.id });
    return checkin;
  }
  const e = effects.event;
  if (effects.endsTransaction) await commitWithNextStatement(db);
  // The key results' ids and values as two array parameters (pgck21): the statement's text is then
  // the same whatever the number of values, and its 19 parameters stay under PREPARED_MAX_PARAMETERS
  // (src/store/db.ts), so PostgreSQL parses it once per connection. Turned into rows by
  // throughline_kr_values (migration 0032), whose fixed row estimate lets PostgreSQL keep one generic
  // plan instead of planning the statement on every check-in (pgck24).
  // The snapshot of one statement does not see the check-in it inserts, so "no later check-in" is
  // read as before the insert, as the SQLite path reads it.
  const r = await sql<{ id: number }>`
    with c as (
      insert into checkins (goal_id, author_id, date, confidence, done_text, next_step, note, created_at)
      values (${c.goalId}, ${c.authorId}, ${c.date}, ${c.confidence}, ${c.doneText}, ${c.nextStep}, ${c.note}, ${c.createdAt})
      returning id
    )${
      c.krValues.length
        ? sql`,
    x as (
      select * from throughline_kr_values(${byKeyResult.map((v) => v.keyResultId)}::integer[],
        ${byKeyResult.map((v) => v.value)}::double precision[]) as x
    ),
    v as (
      insert into checkin_kr_values (checkin_id, key_result_id, value)
      select c.id, x.key_result_id, x.value from c, x
    ),
    u as (
      update key_results set current_value = x.value, updated_at = ${effects.updatedAt}
      from x
      where key_results.id = x.key_result_id
        and not exists (select 1 from checkins l where l.goal_id = ${c.goalId} and l.date > ${c.date})
    )`
        : sql``
    }${
      e
        ? sql`,
    e as (
      insert into events (workspace_id, type, actor_id, subject_type, subject_id, payload_json, created_at)
      select ${e.workspaceId}, ${e.type}, ${e.actorId}, ${e.subjectType}, c.id, ${JSON.stringify(e.payload)}, ${e.createdAt}
      from c
    )`
        : sql``
    }
    select id from c`.execute(db);
  const id = r.rows[0]?.id;
  if (id === undefined) throw new Error("The check-in was not inserted.");
  return {
    id,
    goalId: c.goalId,
    authorId: c.authorId,
    date: c.date,
    confidence: toConfidence(c.confidence),
    doneText: c.doneText,
    nextStep: c.nextStep,
    note: c.note,
    krValues: c.krValues,
    stepsDone: c.stepsDone,
    barriersHit: c.barriersHit,
    createdAt: c.createdAt,
  };
}

/** Goal ids per query: well under SQLite's and PostgreSQL's caps on bound parameters. */
const GOALS_PER_QUERY = 500;

/** Below this many goals the child rows are read by a join on PostgreSQL too (see `checkinsOf`). */
const JOINED_BELOW = 50;

function groupBy<T>(rows: readonly T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Check-ins of some goals, by date then id, with their child rows. The child rows are read by
 * joining on the goal ids (never one bound parameter per check-in, which overflows SQLite's limit
 * for a team's goals), in chunks of goal ids, and grouped by check-in in one pass.
 */
export async function checkinsOf(db: Kysely<Database>, goalIds: number[]): Promise<Checkin[]> {
  if (goalIds.length === 0) return [];
  const rows: Selectable<CheckinsTable>[] = [];
  const values: { checkinId: number; keyResultId: number; value: number }[] = [];
  const steps: { checkinId: number; stepId: number }[] = [];
  const barriers: { checkinId: number; barrierId: number }[] = [];
  // pgrep20: PostgreSQL keeps a nested loop for a few goals (a goal page: 0.1–0.7 ms joined,
  // 1–10 ms by `inSelect`) and turns to a hash join over the whole child table from about 100.
  const joined = onSqlite(db) || goalIds.length < JOINED_BELOW;
  const checkinIdsOf = (ids: number[]) =>
    db.selectFrom("checkins").select("checkins.id").where("checkins.goalId", "in", ids);
  for (let i = 0; i < goalIds.length; i += GOALS_PER_QUERY) {
    const ids = goalIds.slice(i, i + GOALS_PER_QUERY);
    const [r, v, s, b] = await Promise.all(
      joined
        ? [
            db.selectFrom("checkins").selectAll().where("goalId", "in", ids).execute(),
            db
              .selectFrom("checkinKrValues")
              .innerJoin("checkins", "checkins.id", "checkinKrValues.checkinId")
              .select(["checkinKrValues.checkinId", "checkinKrValues.keyResultId", "checkinKrValues.value"])
              .where("checkins.goalId", "in", ids)
              .execute(),
            db
              .selectFrom("checkinSteps")
              .innerJoin("checkins", "checkins.id", "checkinSteps.checkinId")
              .select(["checkinSteps.checkinId", "checkinSteps.stepId"])
              .where("checkins.goalId", "in", ids)
              .execute(),
            db
              .selectFrom("checkinBarriers")
              .innerJoin("checkins", "checkins.id", "checkinBarriers.checkinId")
              .select(["checkinBarriers.checkinId", "checkinBarriers.barrierId"])
              .where("checkins.goalId", "in", ids)
              .execute(),
          ]
        : // pgrep20: for many goals PostgreSQL read every row of the child tables for the joins
          // above (a hash join over the 2,000,000 key-result values of the bench database for each
          // 500 goals: 1.4 s, 7 times in a leader's first report of the day); the check-ins' ids
          // first, then each child table by its primary key's first column (`inSelect`): 0.25 s.
          [
            db.selectFrom("checkins").selectAll().where("goalId", "in", ids).execute(),
            db
              .selectFrom("checkinKrValues")
              .select(["checkinKrValues.checkinId", "checkinKrValues.keyResultId", "checkinKrValues.value"])
              .where(inSelect(db, "checkinKrValues.checkinId", checkinIdsOf(ids)))
              .execute(),
            db
              .selectFrom("checkinSteps")
              .select(["checkinSteps.checkinId", "checkinSteps.stepId"])
              .where(inSelect(db, "checkinSteps.checkinId", checkinIdsOf(ids)))
              .execute(),
            db
              .selectFrom("checkinBarriers")
              .select(["checkinBarriers.checkinId", "checkinBarriers.barrierId"])
              .where(inSelect(db, "checkinBarriers.checkinId", checkinIdsOf(ids)))
              .execute(),
          ],
    );
    rows.push(...r);
    values.push(...v);
    steps.push(...s);
    barriers.push(...b);
  }
  if (rows.length === 0) return [];
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const valuesOf = groupBy(values, (v) => v.checkinId);
  const stepsOf = groupBy(steps, (s) => s.checkinId);
  const barriersOf = groupBy(barriers, (b) => b.checkinId);
  return rows.map((r) => ({
    id: r.id,
    goalId: r.goalId,
    authorId: r.authorId,
    date: r.date,
    confidence: toConfidence(r.confidence),
    doneText: r.doneText,
    nextStep: r.nextStep,
    note: r.note,
    krValues: (valuesOf.get(r.id) ?? [])
      .sort((a, b) => a.keyResultId - b.keyResultId)
      .map((v) => ({ keyResultId: v.keyResultId, value: Number(v.value) })),
    stepsDone: (stepsOf.get(r.id) ?? []).map((s) => s.stepId).sort((a, b) => a - b),
    barriersHit: (barriersOf.get(r.id) ?? []).map((b) => b.barrierId).sort((a, b) => a - b),
    createdAt: r.createdAt,
  }));
}

/** The goal id of a check-in, or undefined. */
export async function goalIdOfCheckin(db: Kysely<Database>, checkinId: number): Promise<number | undefined> {
  const r = await db.selectFrom("checkins").select("goalId").where("id", "=", checkinId).executeTakeFirst();
  return r?.goalId;
}

/** The date of a goal's latest check-in, if it has one (one index step: LIMIT 1). */
export async function latestCheckinDate(db: Kysely<Database>, goalId: number): Promise<string | undefined> {
  return (await latestDateOf(db, goalId))[0]?.date;
}

const latestDateOf = prepared((db: Kysely<Database>, goalId: number) =>
  db.selectFrom("checkins").select("date").where("goalId", "=", goalId).orderBy("date", "desc").limit(1),
);

/** Adds a comment to a check-in. */
export async function insertComment(
  db: Kysely<Database>,
  checkinId: number,
  authorId: number,
  body: string,
  now: string,
) {
  return db
    .insertInto("comments")
    .values({ checkinId, authorId, body, createdAt: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Comments on a check-in, oldest first. */
export async function commentsOf(db: Kysely<Database>, checkinId: number) {
  return db.selectFrom("comments").selectAll().where("checkinId", "=", checkinId).orderBy("id").execute();
}

/** Gives kudos once per person; a second time changes nothing. */
export async function insertKudos(
  db: Kysely<Database>,
  checkinId: number,
  userId: number,
  now: string,
): Promise<boolean> {
  const r = await db
    .insertInto("kudos")
    .values({ checkinId, userId, createdAt: now })
    .onConflict((oc) => oc.columns(["checkinId", "userId"]).doNothing())
    .executeTakeFirst();
  // Whether this person's kudos is new (false when they had given it already).
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Who gave kudos to a check-in. */
export async function kudosOf(db: Kysely<Database>, checkinId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("kudos")
    .select("userId")
    .where("checkinId", "=", checkinId)
    .orderBy("createdAt")
    .execute();
  return rows.map((r) => r.userId);
}

/** Every active goal with its owner, start, check-in cadence and last check-in day (null when none). */
export async function activeGoalsWithLastCheckin(
  db: Kysely<Database>,
  goalIds?: readonly number[],
  // Only the goals these people own (the planner's people whose day changed)
  ownerIds?: readonly number[],
) {
  if (goalIds?.length === 0 || ownerIds?.length === 0) return [];
  const goal = [
    "goals.id",
    "goals.title",
    "goals.ownerId",
    "goals.workspaceId",
    "goals.startDate",
    "goals.cadenceDays",
  ] as const;
  // The last check-in's day by the (goal_id, date) index, one lookup a goal: a join grouped by goal
  // read every check-in of the goal — ~1,000 on a goal checked in all day, and the planner asks after
  // each goal checked in since its last tick (issue 17, tick24: 4–9 ms a slice of 20 goals on the
  // bench data, most of a tick's CPU).
  let q = db
    .selectFrom("goals")
    .select((eb) => [
      ...goal,
      eb
        .selectFrom("checkins")
        .select((c) => c.fn.max("checkins.date").as("d"))
        .whereRef("checkins.goalId", "=", "goals.id")
        .as("lastCheckin"),
    ])
    .where("goals.status", "=", "active")
    .orderBy("goals.id");
  // Only these goals (the planner's changed goals, issue 17).
  if (goalIds) q = q.where("goals.id", "in", [...goalIds]);
  const rows = [];
  if (ownerIds) {
    // In chunks, so a long list stays under the drivers' parameter limits; in goal id order.
    for (let i = 0; i < ownerIds.length; i += 500)
      rows.push(...(await q.where("goals.ownerId", "in", ownerIds.slice(i, i + 500)).execute()));
    rows.sort((a, b) => a.id - b.id);
  } else rows.push(...(await q.execute()));
  return rows.map((r) => ({ ...r, lastCheckin: (r.lastCheckin as string | null) ?? null }));
}

// --- Issue 15 (feedback tells the author). ---

/** Who wrote a check-in, on which day, and its goal's title (for telling them about feedback). */
export async function checkinAuthorOf(
  db: Kysely<Database>,
  checkinId: number,
): Promise<{ authorId: number; date: string; goalId: number; goalTitle: string } | undefined> {
  return db
    .selectFrom("checkins")
    .innerJoin("goals", "goals.id", "checkins.goalId")
    .select(["checkins.authorId", "checkins.date", "checkins.goalId", "goals.title as goalTitle"])
    .where("checkins.id", "=", checkinId)
    .executeTakeFirst();
}

/**
 * The comments and kudos on every check-in of a goal, in two queries whatever the number of
 * check-ins (the goal page shows them all at once).
 */
export async function feedbackOfGoal(db: Kysely<Database>, goalId: number) {
  const [comments, kudos] = await Promise.all([
    db
      .selectFrom("comments")
      .innerJoin("checkins", "checkins.id", "comments.checkinId")
      .select([
        "comments.id",
        "comments.checkinId",
        "comments.authorId",
        "comments.body",
        "comments.createdAt",
      ])
      .where("checkins.goalId", "=", goalId)
      .orderBy("comments.id")
      .execute(),
    db
      .selectFrom("kudos")
      .innerJoin("checkins", "checkins.id", "kudos.checkinId")
      .select(["kudos.checkinId", "kudos.userId"])
      .where("checkins.goalId", "=", goalId)
      .orderBy("kudos.createdAt")
      .execute(),
  ]);
  return { comments, kudos };
}
