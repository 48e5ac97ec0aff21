/**
 * Outgoing hooks — integrators' webhooks and teams' Slack and Teams channels — with each hook's
 * event cursor and its delivery log. The deliveries themselves are jobs (src/store/repos/jobs.ts).
 */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, WebhookLogTable, WebhooksTable } from "../schema.js";

/** A hook row. */
export type HookRow = Selectable<WebhooksTable>;

/** A hook to make. */
export type NewHook = Omit<Insertable<WebhooksTable>, "id">;

/** Makes a hook and returns it. */
export async function insertHook(db: Kysely<Database>, row: NewHook): Promise<HookRow> {
  return db.insertInto("webhooks").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Makes a team's channel of this kind, or points the one it has at a new URL; returns it. */
export async function upsertTeamChannel(db: Kysely<Database>, row: NewHook): Promise<HookRow> {
  return db
    .insertInto("webhooks")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["teamId", "kind"]).doUpdateSet({ url: row.url, updatedAt: row.updatedAt }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A workspace's webhooks (not its channels), in id order. */
export async function webhooksOf(db: Kysely<Database>, workspaceId: number): Promise<HookRow[]> {
  return db
    .selectFrom("webhooks")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("kind", "=", "webhook")
    .orderBy("id")
    .execute();
}

/** A webhook (not a channel) of a workspace, or undefined. */
export async function findWebhook(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
): Promise<HookRow | undefined> {
  return db
    .selectFrom("webhooks")
    .selectAll()
    .where("id", "=", id)
    .where("workspaceId", "=", workspaceId)
    .where("kind", "=", "webhook")
    .executeTakeFirst();
}

/** A team's channels (Slack, Teams), in kind order. */
export async function teamChannelsOf(db: Kysely<Database>, teamId: number): Promise<HookRow[]> {
  return db
    .selectFrom("webhooks")
    .selectAll()
    .where("teamId", "=", teamId)
    .where("kind", "!=", "webhook")
    .orderBy("kind")
    .execute();
}

/** A team's channel of one kind, or undefined. */
export async function findTeamChannel(
  db: Kysely<Database>,
  teamId: number,
  kind: string,
): Promise<HookRow | undefined> {
  return db
    .selectFrom("webhooks")
    .selectAll()
    .where("teamId", "=", teamId)
    .where("kind", "=", kind)
    .executeTakeFirst();
}

/** Every hook of every workspace, in id order. */
export async function allHooks(db: Kysely<Database>): Promise<HookRow[]> {
  return db.selectFrom("webhooks").selectAll().orderBy("id").execute();
}

/** A hook by id, or undefined once it was deleted. */
export async function findHook(db: Kysely<Database>, id: number): Promise<HookRow | undefined> {
  return db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Moves a hook's event cursor forward to `eventId` (never back, whoever moved it meanwhile). */
export async function moveEventCursor(db: Kysely<Database>, hookId: number, eventId: number): Promise<void> {
  await db
    .updateTable("webhooks")
    .set({ eventCursor: eventId })
    .where("id", "=", hookId)
    .where("eventCursor", "<", eventId)
    .execute();
}

/** Deletes a hook; its delivery log goes with it (ON DELETE CASCADE). */
export async function deleteHook(db: Kysely<Database>, hookId: number): Promise<void> {
  await db.deleteFrom("webhooks").where("id", "=", hookId).execute();
}

/** One attempt to write to a hook's delivery log. */
export type NewLogEntry = Omit<Insertable<WebhookLogTable>, "id">;

/**
 * Writes an attempt to its hook's delivery log, if the hook still exists (it may have been deleted
 * while the attempt was under way); true when it was written.
 */
export async function insertLogEntry(db: Kysely<Database>, e: NewLogEntry): Promise<boolean> {
  const r = await db
    .insertInto("webhookLog")
    .columns([
      "webhookId",
      "jobId",
      "eventId",
      "deliveryId",
      "attempt",
      "statusCode",
      "error",
      "attemptedAt",
      "nextAttemptAt",
    ])
    .expression((eb) =>
      eb
        .selectFrom("webhooks")
        .select([
          "webhooks.id",
          // PostgreSQL reads a bare parameter in a select list as text: say which are integers.
          eb.cast<number>(eb.val(e.jobId), "integer").as("jobId"),
          eb.cast<number>(eb.val(e.eventId), "integer").as("eventId"),
          eb.val(e.deliveryId).as("deliveryId"),
          eb.cast<number>(eb.val(e.attempt), "integer").as("attempt"),
          eb.cast<number | null>(eb.val(e.statusCode ?? null), "integer").as("statusCode"),
          eb.val(e.error ?? null).as("error"),
          eb.val(e.attemptedAt).as("attemptedAt"),
          eb.val(e.nextAttemptAt ?? null).as("nextAttemptAt"),
        ])
        .where("webhooks.id", "=", e.webhookId),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * A page of a hook's delivery log, newest attempt first (ids below `before`), each attempt with
 * its event's type and the state of its delivery's job now.
 */
export async function deliveryLogOf(
  db: Kysely<Database>,
  hookId: number,
  page: { before?: number | undefined; limit: number },
) {
  let q = db
    .selectFrom("webhookLog as l")
    .innerJoin("events as e", "e.id", "l.eventId")
    .innerJoin("jobs as j", "j.id", "l.jobId")
    .select([
      "l.id",
      "l.deliveryId",
      "l.eventId",
      "e.type as eventType",
      "l.attempt",
      "l.statusCode",
      "l.error",
      "l.attemptedAt",
      "l.nextAttemptAt",
      "j.state as jobState",
    ])
    .where("l.webhookId", "=", hookId);
  if (page.before !== undefined) q = q.where("l.id", "<", page.before);
  return q.orderBy("l.id", "desc").limit(page.limit).execute();
}
