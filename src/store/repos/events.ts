/** The append-only event log. */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** One event to append. */
export interface NewEvent {
  workspaceId: number;
  type: string;
  actorId: number | null;
  subjectType: string;
  subjectId: number;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** Appends an event; events are never updated or deleted. */
export async function appendEvent(db: Kysely<Database>, e: NewEvent): Promise<void> {
  await db
    .insertInto("events")
    .values({
      workspaceId: e.workspaceId,
      type: e.type,
      actorId: e.actorId,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      payloadJson: JSON.stringify(e.payload),
      createdAt: e.createdAt,
    })
    .execute();
}

/** Events of a workspace after an id, oldest first. */
export async function listEvents(db: Kysely<Database>, workspaceId: number, afterId = 0, limit = 100) {
  const rows = await db
    .selectFrom("events")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    actorId: r.actorId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    payload: JSON.parse(r.payloadJson) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}
