/** Each person's settings (time zone, weekly prompt, quiet hours, channels, snooze) and unsubscribe tokens. */
import type { Kysely, Selectable } from "kysely";
import { idList, inList, prepared } from "../prepared.js";
import type { Database, UnsubscribeTokensTable, UserSettingsTable } from "../schema.js";

/** A stored settings row; a person without one has the defaults. */
export type SettingsRow = Selectable<UserSettingsTable>;

/**
 * The settings rows of some people, in one statement whatever their number (an id list as one
 * argument, src/store/prepared.ts): the planner reads a few hundred at a time (issue 17, sched19).
 */
export async function settingsRowsOf(
  db: Kysely<Database>,
  userIds: readonly number[],
): Promise<SettingsRow[]> {
  if (userIds.length === 0) return [];
  return settingsListed(db, idList(db, [...new Set(userIds)]));
}

const settingsListed = prepared((db: Kysely<Database>, ids: unknown) =>
  db
    .selectFrom("userSettings")
    .selectAll()
    .where(() => inList(db, "userSettings.userId", ids)),
);

/** Writes a person's settings row (inserting it the first time). */
export async function saveSettingsRow(
  db: Kysely<Database>,
  userId: number,
  row: Omit<SettingsRow, "userId">,
): Promise<void> {
  await db
    .insertInto("userSettings")
    .values({ userId, ...row })
    .onConflict((oc) => oc.column("userId").doUpdateSet(row))
    .execute();
}

/** Stores an unsubscribe token (only its hash). */
export async function insertUnsubscribeToken(
  db: Kysely<Database>,
  t: { tokenHash: string; userId: number; createdAt: string },
): Promise<void> {
  await db
    .insertInto("unsubscribeTokens")
    .values({ ...t, usedAt: null })
    .execute();
}

/** An unsubscribe token by its hash, or undefined. */
export async function unsubscribeTokenByHash(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<Selectable<UnsubscribeTokensTable> | undefined> {
  return db.selectFrom("unsubscribeTokens").selectAll().where("tokenHash", "=", tokenHash).executeTakeFirst();
}

/** Records the first use of an unsubscribe token. */
export async function markUnsubscribeTokenUsed(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<void> {
  await db
    .updateTable("unsubscribeTokens")
    .set({ usedAt: now })
    .where("tokenHash", "=", tokenHash)
    .where("usedAt", "is", null)
    .execute();
}

// The planner groups people by time zone

/** A person, and the settings that decide when their nudges fall due (null: the defaults). */
export interface NudgeClockRow {
  id: number;
  workspaceId: number;
  name: string;
  email: string | null;
  timeZone: string | null;
  weeklyDay: number | null;
  weeklyHour: number | null;
  /** When their settings were last saved; null without a settings row. */
  updatedAt: string | null;
}

/**
 * How many people have each time zone and weekly slot (null: no settings row, the defaults): what a
 * slot change needs to know which zones' day or weekly hour came, without reading every person
 * (issue 17, sched19).
 */
export async function clockGroups(
  db: Kysely<Database>,
): Promise<{ timeZone: string | null; weeklyDay: number | null; weeklyHour: number | null }[]> {
  return db
    .selectFrom("users")
    .leftJoin("userSettings", "userSettings.userId", "users.id")
    .select(["userSettings.timeZone", "userSettings.weeklyDay", "userSettings.weeklyHour"])
    .groupBy(["userSettings.timeZone", "userSettings.weeklyDay", "userSettings.weeklyHour"])
    .execute();
}

/**
 * The people whose stored time zone is one of `zones` (`withDefaults`: also those without a
 * settings row), and those whose settings were saved at or after `since`.
 */
export async function clocksOf(
  db: Kysely<Database>,
  zones: readonly string[],
  withDefaults: boolean,
  since: string,
): Promise<NudgeClockRow[]> {
  return db
    .selectFrom("users")
    .leftJoin("userSettings", "userSettings.userId", "users.id")
    .select([
      "users.id",
      "users.workspaceId",
      "users.name",
      "users.email",
      "userSettings.timeZone",
      "userSettings.weeklyDay",
      "userSettings.weeklyHour",
      "userSettings.updatedAt",
    ])
    .where((eb) =>
      eb.or([
        eb("userSettings.updatedAt", ">=", since),
        ...(zones.length > 0 ? [eb("userSettings.timeZone", "in", zones)] : []),
        ...(withDefaults ? [eb("userSettings.userId", "is", null)] : []),
      ]),
    )
    .orderBy("users.id")
    .execute();
}

/** Each weekly review slot with its person's time zone and when their settings were saved. */
export async function reviewClocks(db: Kysely<Database>): Promise<
  {
    userId: number;
    weekday: number;
    hour: number;
    updatedAt: string;
    timeZone: string | null;
    settingsUpdatedAt: string | null;
  }[]
> {
  return db
    .selectFrom("weeklyReviewSlots as r")
    .leftJoin("userSettings as s", "s.userId", "r.userId")
    .select([
      "r.userId",
      "r.weekday",
      "r.hour",
      "r.updatedAt",
      "s.timeZone",
      "s.updatedAt as settingsUpdatedAt",
    ])
    .orderBy("r.userId")
    .execute();
}
// --- end issue 17, zones ---
