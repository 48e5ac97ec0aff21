/**
 * Imports: the external keys that map an imported item to the goal or step it became, and the
 * batch inserts that let a 100,000-task import finish in one transaction.
 */
import type { Insertable, Kysely } from "kysely";
import { parseList } from "../mappers.js";
import type {
  Database,
  EventsTable,
  GoalsTable,
  ImportKeysTable,
  StepOccurrencesTable,
  StepsTable,
} from "../schema.js";

/** What an external id became: an entity of a kind ("goal", "step") and its id. */
export type ImportKeyMap = Map<string, number>;

/** The map key of an external id for an entity kind. */
export function importKey(entity: string, externalId: string): string {
  return `${entity}\u0000${externalId}`;
}

/**
 * Every external key already recorded for a source in a workspace whose goal or step still
 * exists, keyed by `importKey(entity, externalId)`.
 */
export async function importKeysOf(
  db: Kysely<Database>,
  workspaceId: number,
  source: string,
): Promise<ImportKeyMap> {
  const rows = await db
    .selectFrom("importKeys")
    .select(["entity", "externalId", "entityId"])
    .where("workspaceId", "=", workspaceId)
    .where("source", "=", source)
    .where((eb) =>
      eb.or([
        eb.and([
          eb("entity", "=", "goal"),
          eb.exists(
            eb.selectFrom("goals").select("goals.id").whereRef("goals.id", "=", "importKeys.entityId"),
          ),
        ]),
        eb.and([
          eb("entity", "=", "step"),
          eb.exists(
            eb.selectFrom("steps").select("steps.id").whereRef("steps.id", "=", "importKeys.entityId"),
          ),
        ]),
      ]),
    )
    .execute();
  const map: ImportKeyMap = new Map();
  for (const r of rows) map.set(importKey(r.entity, r.externalId), r.entityId);
  return map;
}

/** Rows per INSERT statement: keeps every statement under SQLite's and PostgreSQL's parameter caps. */
const BATCH_PARAMS = 30_000;

function chunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(BATCH_PARAMS / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Records external keys, replacing a stale key whose goal or step no longer exists. */
export async function insertImportKeys(
  db: Kysely<Database>,
  rows: readonly Insertable<ImportKeysTable>[],
): Promise<void> {
  for (const batch of chunks(rows, 6)) {
    await db
      .insertInto("importKeys")
      .values(batch)
      .onConflict((oc) =>
        oc.columns(["workspaceId", "source", "externalId", "entity"]).doUpdateSet((eb) => ({
          entityId: eb.ref("excluded.entityId"),
          createdAt: eb.ref("excluded.createdAt"),
        })),
      )
      .execute();
  }
}

/** Inserts a goal and returns its id. */
export async function insertGoalRow(db: Kysely<Database>, row: Insertable<GoalsTable>): Promise<number> {
  const r = await db.insertInto("goals").values(row).returning("id").executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Inserts many steps in batches and returns their ids in the order given. Each step's
 * (goalId, position) is unique in the batch, which is how the returned rows are matched back.
 */
export async function insertStepRows(
  db: Kysely<Database>,
  rows: readonly Insertable<StepsTable>[],
  onBatch?: (inserted: number) => void,
): Promise<number[]> {
  const ids: number[] = [];
  const columns = Object.keys(rows[0] ?? {}).length;
  for (const batch of chunks(rows, columns)) {
    const back = await db.insertInto("steps").values(batch).returning(["id", "goalId", "position"]).execute();
    const byKey = new Map(back.map((r) => [`${r.goalId}:${r.position}`, r.id]));
    for (const row of batch) {
      const id = byKey.get(`${row.goalId}:${row.position}`);
      if (id === undefined) throw new Error("An inserted step was not returned by the database.");
      ids.push(id);
    }
    onBatch?.(batch.length);
  }
  return ids;
}

/** Records the promises of imported steps (one per dated step), in batches. */
export async function insertOccurrenceRows(
  db: Kysely<Database>,
  rows: readonly Insertable<StepOccurrencesTable>[],
): Promise<void> {
  for (const batch of chunks(rows, 6)) await db.insertInto("stepOccurrences").values(batch).execute();
}

/** The highest step position of each of some goals (0 when a goal has no steps). */
export async function maxPositions(
  db: Kysely<Database>,
  goalIds: readonly number[],
): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  if (goalIds.length === 0) return map;
  const rows = await db
    .selectFrom("steps")
    .select(["goalId", (eb) => eb.fn.max("position").as("maxPosition")])
    .where("goalId", "in", [...goalIds])
    .groupBy("goalId")
    .execute();
  for (const r of rows) map.set(r.goalId, Number(r.maxPosition ?? 0));
  return map;
}

/** The notes and tags an import brought to some goals' steps, by step id (only steps that have some). */
export async function stepExtrasOf(
  db: Kysely<Database>,
  goalIds: readonly number[],
): Promise<Map<number, { notes: string | null; tags: string[] }>> {
  const map = new Map<number, { notes: string | null; tags: string[] }>();
  if (goalIds.length === 0) return map;
  const rows = await db
    .selectFrom("steps")
    .select(["id", "notes", "tagsJson"])
    .where("goalId", "in", [...goalIds])
    .where((eb) => eb.or([eb("notes", "is not", null), eb("tagsJson", "!=", "[]")]))
    .execute();
  for (const r of rows) map.set(r.id, { notes: r.notes ?? null, tags: parseList(r.tagsJson ?? "[]") });
  return map;
}

/** Appends many events in batches (the import's goal.created and step.created, as by hand). */
export async function insertEventRows(
  db: Kysely<Database>,
  rows: readonly Insertable<EventsTable>[],
): Promise<void> {
  for (const batch of chunks(rows, 7)) await db.insertInto("events").values(batch).execute();
}

/** The people of a workspace an import may match an assignee to: id, name and email. */
export async function peopleOf(
  db: Kysely<Database>,
  workspaceId: number,
): Promise<{ id: number; name: string; email: string | null }[]> {
  return db
    .selectFrom("users")
    .select(["id", "name", "email"])
    .where("workspaceId", "=", workspaceId)
    .orderBy("id")
    .execute();
}
