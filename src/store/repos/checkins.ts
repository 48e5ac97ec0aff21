/** Check-ins with their key-result values, completed steps and barriers hit; comments and kudos. */
import type { Kysely } from "kysely";
import type { Checkin } from "../../core/types.js";
import { toConfidence } from "../mappers.js";
import type { Database } from "../schema.js";

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

/** Inserts a check-in and its child rows (call inside a transaction). */
export async function insertCheckin(db: Kysely<Database>, c: NewCheckin): Promise<Checkin> {
  const row = await db
    .insertInto("checkins")
    .values({
      goalId: c.goalId,
      authorId: c.authorId,
      date: c.date,
      confidence: c.confidence,
      doneText: c.doneText,
      nextStep: c.nextStep,
      note: c.note,
      createdAt: c.createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (c.krValues.length) {
    await db
      .insertInto("checkinKrValues")
      .values(c.krValues.map((v) => ({ checkinId: row.id, keyResultId: v.keyResultId, value: v.value })))
      .execute();
  }
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

/** Check-ins of some goals, by date then id, with their child rows. */
export async function checkinsOf(db: Kysely<Database>, goalIds: number[]): Promise<Checkin[]> {
  if (goalIds.length === 0) return [];
  const rows = await db
    .selectFrom("checkins")
    .selectAll()
    .where("goalId", "in", goalIds)
    .orderBy("date")
    .orderBy("id")
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [values, steps, barriers] = await Promise.all([
    db
      .selectFrom("checkinKrValues")
      .selectAll()
      .where("checkinId", "in", ids)
      .orderBy("keyResultId")
      .execute(),
    db.selectFrom("checkinSteps").selectAll().where("checkinId", "in", ids).orderBy("stepId").execute(),
    db.selectFrom("checkinBarriers").selectAll().where("checkinId", "in", ids).orderBy("barrierId").execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    goalId: r.goalId,
    authorId: r.authorId,
    date: r.date,
    confidence: toConfidence(r.confidence),
    doneText: r.doneText,
    nextStep: r.nextStep,
    note: r.note,
    krValues: values
      .filter((v) => v.checkinId === r.id)
      .map((v) => ({ keyResultId: v.keyResultId, value: Number(v.value) })),
    stepsDone: steps.filter((s) => s.checkinId === r.id).map((s) => s.stepId),
    barriersHit: barriers.filter((b) => b.checkinId === r.id).map((b) => b.barrierId),
    createdAt: r.createdAt,
  }));
}

/** The goal id of a check-in, or undefined. */
export async function goalIdOfCheckin(db: Kysely<Database>, checkinId: number): Promise<number | undefined> {
  const r = await db.selectFrom("checkins").select("goalId").where("id", "=", checkinId).executeTakeFirst();
  return r?.goalId;
}

/** The latest check-in date of a goal on or before a day, excluding none. */
export async function latestCheckinDate(db: Kysely<Database>, goalId: number): Promise<string | undefined> {
  const r = await db
    .selectFrom("checkins")
    .select("date")
    .where("goalId", "=", goalId)
    .orderBy("date", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return r?.date;
}

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
): Promise<void> {
  await db
    .insertInto("kudos")
    .values({ checkinId, userId, createdAt: now })
    .onConflict((oc) => oc.columns(["checkinId", "userId"]).doNothing())
    .execute();
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
