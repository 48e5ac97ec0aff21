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

/** Every person with their time zone and weekly slot, in one query (the planner's tick, issue 17). */
export async function nudgeClocks(db: Kysely<Database>): Promise<NudgeClockRow[]> {
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
    .orderBy("users.id")
    .execute();
}
// --- end issue 17, zones ---
