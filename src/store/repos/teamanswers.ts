/**
 * The team view's stored answers: one per team, reader and window length, with the stamp it was
 * computed under (migration 0009).
 */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, TeamViewAnswersTable } from "../schema.js";

/** The stored answer for a team, reader and window length, if any. */
export async function storedAnswer(
  db: Kysely<Database>,
  teamId: number,
  userId: number,
  weeks: number,
): Promise<Selectable<TeamViewAnswersTable> | undefined> {
  return db
    .selectFrom("teamViewAnswers")
    .selectAll()
    .where("teamId", "=", teamId)
    .where("userId", "=", userId)
    .where("weeks", "=", weeks)
    .executeTakeFirst();
}

/** Stores an answer, replacing the one for the same team, reader and window length. */
export async function saveAnswer(db: Kysely<Database>, row: Insertable<TeamViewAnswersTable>): Promise<void> {
  await db
    .insertInto("teamViewAnswers")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["teamId", "userId", "weeks"]).doUpdateSet((eb) => ({
        asOf: eb.ref("excluded.asOf"),
        stamp: eb.ref("excluded.stamp"),
        namesJson: eb.ref("excluded.namesJson"),
        answerJson: eb.ref("excluded.answerJson"),
        computedAt: eb.ref("excluded.computedAt"),
      })),
    )
    .execute();
}
