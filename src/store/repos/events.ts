/** The append-only event log. */
import type { Kysely, Selectable } from "kysely";
import { prepared } from "../prepared.js";
import type { Database, EventsTable } from "../schema.js";

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

/** An event as read back, its payload parsed. */
export interface LoggedEvent extends Omit<NewEvent, "payload"> {
  id: number;
  payload: Record<string, unknown>;
}

/** A stored event row as the app reads it (its payload parsed); the planner reads told events with it too. */
export function toLoggedEvent(r: Selectable<EventsTable>): LoggedEvent {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    type: r.type,
    actorId: r.actorId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    payload: JSON.parse(r.payloadJson) as Record<string, unknown>,
    createdAt: r.createdAt,
  };
}

/** Appends an event (events are never updated or deleted) and returns its id. */
export async function appendEvent(db: Kysely<Database>, e: NewEvent): Promise<number> {
  const [r] = await insertEvent(
    db,
    e.workspaceId,
    e.type,
    e.actorId ?? null,
    e.subjectType,
    e.subjectId,
    JSON.stringify(e.payload),
    e.createdAt,
  );
  if (!r) throw new Error("The event was not appended.");
  return r.id;
}

/** Every write appends one: built once (src/store/prepared.ts). */
const insertEvent = prepared(
  (
    db: Kysely<Database>,
    workspaceId: number,
    type: string,
    actorId: number | null,
    subjectType: string,
    subjectId: number,
    payloadJson: string,
    createdAt: string,
  ) =>
    db
      .insertInto("events")
      .values({ workspaceId, type, actorId, subjectType, subjectId, payloadJson, createdAt })
      .returning("id"),
);

/** Events of a workspace after an id, oldest first. */
export async function listEvents(
  db: Kysely<Database>,
  workspaceId: number,
  afterId = 0,
  limit = 100,
): Promise<LoggedEvent[]> {
  const rows = await db
    .selectFrom("events")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toLoggedEvent);
}

/** Events of one type, of every workspace, created in [since, until], oldest first. */
export async function eventsOfTypeBetween(
  db: Kysely<Database>,
  type: string,
  since: string,
  until: string,
): Promise<LoggedEvent[]> {
  const rows = await db
    .selectFrom("events")
    .selectAll()
    .where("type", "=", type)
    .where("createdAt", ">=", since)
    .where("createdAt", "<=", until)
    .orderBy("id")
    .execute();
  return rows.map(toLoggedEvent);
}

/** One event by id. */
export async function findEvent(db: Kysely<Database>, id: number): Promise<LoggedEvent | undefined> {
  const r = await db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toLoggedEvent(r) : undefined;
}

/** The id of the latest event (0 when there is none). */
export async function lastEventId(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom("events")
    .select((eb) => eb.fn.max("id").as("max"))
    .executeTakeFirst();
  return Number(r?.max ?? 0);
}
