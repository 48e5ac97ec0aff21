/**
 * Issue 19's records: reminders sent by `throughline remind --email` (per person, item and day),
 * each person's own Slack or Teams channel, and their weekly review email's day and hour.
 */
import type { Kysely, Selectable } from "kysely";
import type { Database, PersonalChannelsTable, WeeklyReviewSlotsTable } from "../schema.js";

/**
 * Claims the items not claimed before for a person and day; returns the ones this call claimed.
 * A claim is a row without `sentAt`: the send either confirms it or gives it back.
 */
export async function claimReminders(
  db: Kysely<Database>,
  userId: number,
  day: string,
  items: readonly string[],
  now: string,
): Promise<string[]> {
  const claimed: string[] = [];
  for (const item of items) {
    const r = await db
      .insertInto("sentReminders")
      .values({ userId, item, day, sentAt: null, createdAt: now })
      .onConflict((oc) => oc.columns(["userId", "item", "day"]).doNothing())
      .returning("item")
      .executeTakeFirst();
    if (r !== undefined) claimed.push(item);
  }
  return claimed;
}

/** Confirms claimed reminders as sent. */
export async function confirmReminders(
  db: Kysely<Database>,
  userId: number,
  day: string,
  items: readonly string[],
  now: string,
): Promise<void> {
  if (items.length === 0) return;
  await db
    .updateTable("sentReminders")
    .set({ sentAt: now })
    .where("userId", "=", userId)
    .where("day", "=", day)
    .where("item", "in", items)
    .execute();
}

/** Gives claimed reminders back after a failed send, so the next run sends them. */
export async function releaseReminders(
  db: Kysely<Database>,
  userId: number,
  day: string,
  items: readonly string[],
): Promise<void> {
  if (items.length === 0) return;
  await db
    .deleteFrom("sentReminders")
    .where("userId", "=", userId)
    .where("day", "=", day)
    .where("item", "in", items)
    .where("sentAt", "is", null)
    .execute();
}

/** A person's channel row (its URL still sealed). */
export type PersonalChannelRow = Selectable<PersonalChannelsTable>;

/** A person's own channel, or undefined. */
export async function personalChannelOf(
  db: Kysely<Database>,
  userId: number,
): Promise<PersonalChannelRow | undefined> {
  return db.selectFrom("personalChannels").selectAll().where("userId", "=", userId).executeTakeFirst();
}

/** Connects (or re-points) a person's own channel. */
export async function savePersonalChannel(
  db: Kysely<Database>,
  row: { userId: number; kind: string; url: string; now: string },
): Promise<void> {
  await db
    .insertInto("personalChannels")
    .values({ userId: row.userId, kind: row.kind, url: row.url, createdAt: row.now, updatedAt: row.now })
    .onConflict((oc) => oc.column("userId").doUpdateSet({ kind: row.kind, url: row.url, updatedAt: row.now }))
    .execute();
}

/** Disconnects a person's own channel. */
export async function deletePersonalChannel(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom("personalChannels").where("userId", "=", userId).execute();
}

/** A weekly review slot row. */
export type WeeklyReviewSlotRow = Selectable<WeeklyReviewSlotsTable>;

/** Every person's weekly review slot (people without one get no review email). */
export async function weeklyReviewSlots(db: Kysely<Database>): Promise<WeeklyReviewSlotRow[]> {
  return db.selectFrom("weeklyReviewSlots").selectAll().orderBy("userId").execute();
}

/** A person's weekly review slot, or undefined when the email is off. */
export async function weeklyReviewSlotOf(
  db: Kysely<Database>,
  userId: number,
): Promise<WeeklyReviewSlotRow | undefined> {
  return db.selectFrom("weeklyReviewSlots").selectAll().where("userId", "=", userId).executeTakeFirst();
}

/** Sets a person's weekly review slot, or turns the email off (null). */
export async function saveWeeklyReviewSlot(
  db: Kysely<Database>,
  userId: number,
  slot: { weekday: number; hour: number } | null,
  now: string,
): Promise<void> {
  if (slot === null) {
    await db.deleteFrom("weeklyReviewSlots").where("userId", "=", userId).execute();
    return;
  }
  await db
    .insertInto("weeklyReviewSlots")
    .values({ userId, weekday: slot.weekday, hour: slot.hour, updatedAt: now })
    .onConflict((oc) =>
      oc.column("userId").doUpdateSet({ weekday: slot.weekday, hour: slot.hour, updatedAt: now }),
    )
    .execute();
}
