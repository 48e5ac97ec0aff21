/**
 * Stored per-goal roll-ups: one evaluation per goal with the stamp it was computed under, next to
 * what the stamp is made of now (the goal's revision and mode state).
 */
import { type Insertable, type Kysely, sql } from "kysely";
import { idList, inList, prepared } from "../prepared.js";
import type { Database, GoalRollupsTable } from "../schema.js";

/** A goal's stored roll-up (if any) and what its stamp depends on now. */
export interface StoredRollup {
  goalId: number;
  revision: number;
  mode: string;
  modeSince: string | null;
  microStepsDone: number;
  asOf: string | null;
  stamp: string | null;
  dataJson: string | null;
  recentWinsJson: string | null;
  /** Only when asked for. */
  olderWinsJson: string | null;
  /** Only when asked for. */
  statusJson: string | null;
}

/** The roll-ups query of one shape, built once (hot17): the ids are one argument (src/store/prepared.ts). */
function rollupQueryOf(olderWins: boolean, status: boolean) {
  return prepared((db: Kysely<Database>, ids: unknown) =>
    db
      .selectFrom("goals")
      .leftJoin("goalRollups", "goalRollups.goalId", "goals.id")
      .select([
        "goals.id as goalId",
        "goals.revision",
        "goals.mode",
        "goals.modeSince",
        "goals.microStepsDone",
        "goalRollups.asOf",
        "goalRollups.stamp",
        "goalRollups.dataJson",
        "goalRollups.recentWinsJson",
        (olderWins ? sql<string | null>`goal_rollups.older_wins_json` : sql<string | null>`null`).as(
          "olderWinsJson",
        ),
        (status ? sql<string | null>`goal_rollups.status_json` : sql<string | null>`null`).as("statusJson"),
      ])
      .where((eb) => inList(db, "goals.id", ids)),
  );
}
const rollupQueries = new Map<number, ReturnType<typeof rollupQueryOf>>();

/**
 * The stored roll-ups of some goals, with each goal's revision and mode state; the wins older than
 * four weeks only when `olderWins`, the status view only when `status`.
 */
export async function rollupsOf(
  db: Kysely<Database>,
  goalIds: readonly number[],
  olderWins: boolean,
  status = false,
): Promise<StoredRollup[]> {
  if (goalIds.length === 0) return [];
  const key = (olderWins ? 1 : 0) + (status ? 2 : 0);
  let query = rollupQueries.get(key);
  if (!query) {
    query = rollupQueryOf(olderWins, status);
    rollupQueries.set(key, query);
  }
  const rows = await query(db, idList(db, goalIds));
  return rows.map((r) => ({
    ...r,
    revision: Number(r.revision),
    microStepsDone: Number(r.microStepsDone),
  }));
}

/** Writes roll-ups, replacing the stored ones of the same goals. */
export async function saveRollups(
  db: Kysely<Database>,
  rows: readonly Insertable<GoalRollupsTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto("goalRollups")
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column("goalId").doUpdateSet((eb) => ({
          asOf: eb.ref("excluded.asOf"),
          stamp: eb.ref("excluded.stamp"),
          dataJson: eb.ref("excluded.dataJson"),
          recentWinsJson: eb.ref("excluded.recentWinsJson"),
          olderWinsJson: eb.ref("excluded.olderWinsJson"),
          statusJson: eb.ref("excluded.statusJson"),
          computedAt: eb.ref("excluded.computedAt"),
        })),
      )
      .execute();
  }
}
