/**
 * The follow-through report's per-goal aggregates (migration 0025): a header per goal saying for
 * which day, code version, goal revision and owner name its rows were computed, one narrow row per
 * promise counted or moved, one per win. The report sums them over the goals a viewer may see;
 * src/app/reports/report-rows.ts says when they are computed and read.
 */
import { type ExpressionBuilder, type Insertable, type Kysely, sql } from "kysely";
import type { Commitment, Goal, Step } from "../../core/types.js";
import { toGoal, toStep } from "../mappers.js";
import type { DialectName } from "../migrations/types.js";
import { inSelect } from "../prepared.js";
import type {
  Database,
  ReportGoalItemsTable,
  ReportGoalRowsTable,
  ReportGoalWinsTable,
  ReportOpenPartsTable,
} from "../schema.js";
import { hydrate } from "./commitments.js";
import { type Viewer, visibleGoals } from "./plans.js";

/**
 * The goals a report counts for its reader: their own, those shared with them, their teams', and
 * (with `open`) those open to the whole workspace. Used with `visibleGoals`, which it narrows.
 */
function readersGoals(
  db: Kysely<Database>,
  eb: ExpressionBuilder<Database, "goals">,
  v: Viewer,
  open: boolean,
) {
  return eb.or([
    eb("goals.ownerId", "=", v.userId),
    ...(open ? [eb("goals.visibility", "=", "workspace")] : []),
    // pgrep20: an arm PostgreSQL can find by index too (`inSelect`), so the whole `or` is found by
    // index there (a BitmapOr) rather than by reading every goal of the workspace.
    inSelect(
      db,
      "goals.id",
      eb.selectFrom("goalShares").select("goalShares.goalId").where("goalShares.userId", "=", v.userId),
    ),
    ...(v.teamIds.length > 0
      ? [eb.and([eb("goals.visibility", "=", "team"), eb("goals.teamId", "in", v.teamIds)])]
      : []),
  ]);
}

/** Statuses whose goals the report counts. */
const COUNTED = ["active", "done"];

/** Rows per insert: under both databases' limits on bound parameters. */
const CHUNK = 500;

/** A goal a report counts, as the first query of a stored report reads it. */
export interface CountedGoal {
  id: number;
  ownerId: number;
  /** The goal's team, if any (report22: whether it is in the reader's circle). */
  teamId: number | null;
  status: string;
  /** totals25: open to the whole workspace (`visibility = 'workspace'`): counted in the stored open part. */
  open: boolean;
  /** Moved by the database on every write to the goal or what it holds (migrations 0008, 0009, 0025). */
  revision: number;
  /** True when its stored header is missing or of another day, version, revision or owner name. */
  stale: boolean;
  stall: StoredStall | null;
}

/**
 * The goals the viewer may see and the report counts (active or done), in id order, each with
 * whether its stored header is stale: missing, or of another day, code version, revision or owner
 * name. The policy's own predicate (`visibleGoals`) decides what is visible; the first, wider
 * condition only lets the database find the candidates by index (owned, open to the workspace,
 * shared, of their teams) instead of testing every goal of the workspace.
 */
export async function countedVisibleGoals(
  db: Kysely<Database>,
  v: Viewer,
  asOf: string,
  version: string,
): Promise<CountedGoal[]> {
  return countedGoalsWhere(db, v, asOf, version, (eb) => readersGoals(db, eb, v, true));
}

/**
 * totals25: the counted goals that are the reader's own part of a report read with the stored open
 * part (src/app/reports/report-rows.ts): those not open to everyone (their own, shared with them,
 * their teams'), and the open goals of their circle (owned by them or by `teammates`, of their
 * teams, shared with them), with their staleness as `countedVisibleGoals` gives it. Bounded by the
 * reader's circle, not the workspace.
 */
export async function countedOwnGoals(
  db: Kysely<Database>,
  v: Viewer,
  teammates: readonly number[],
  asOf: string,
  version: string,
): Promise<CountedGoal[]> {
  const people = [...new Set([v.userId, ...teammates])];
  return countedGoalsWhere(db, v, asOf, version, (eb) =>
    eb.or([
      readersGoals(db, eb, v, false),
      eb.and([
        eb("goals.visibility", "=", "workspace"),
        eb.or([
          eb("goals.ownerId", "in", people),
          ...(v.teamIds.length > 0 ? [eb("goals.teamId", "in", v.teamIds)] : []),
        ]),
      ]),
    ]),
  );
}

async function countedGoalsWhere(
  db: Kysely<Database>,
  v: Viewer,
  asOf: string,
  version: string,
  candidates: (eb: ExpressionBuilder<Database, "goals">) => ReturnType<typeof readersGoals>,
): Promise<CountedGoal[]> {
  const rows = await db
    .selectFrom("goals")
    .leftJoin("reportGoalRows as r", "r.goalId", "goals.id")
    .leftJoin("users as u", (j) =>
      j.onRef("u.id", "=", "goals.ownerId").onRef("u.workspaceId", "=", "goals.workspaceId"),
    )
    .select([
      "goals.id",
      "goals.workspaceId",
      "goals.ownerId",
      "goals.teamId",
      "goals.revision",
      "goals.status",
      "goals.visibility",
      "r.stalledJson",
      sql<number>`case when r.goal_id is null or r.as_of <> ${asOf} or r.version <> ${version}
        or r.revision <> goals.revision or (r.owner_name is null) <> (u.name is null)
        or r.owner_name <> u.name then 1 else 0 end`.as("stale"),
    ])
    .where((eb) => candidates(eb as unknown as ExpressionBuilder<Database, "goals">))
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .orderBy("goals.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    ownerId: r.ownerId,
    teamId: r.teamId,
    status: r.status,
    open: r.visibility === "workspace",
    revision: Number(r.revision),
    stale: Number(r.stale) === 1,
    stall:
      r.stalledJson === null
        ? null
        : {
            goalId: r.id,
            workspaceId: r.workspaceId,
            ownerId: r.ownerId,
            teamId: r.teamId,
            stalledJson: r.stalledJson,
          },
  }));
}

/** Ids per query: well under both databases' limits on bound parameters. */
const IDS = 5_000;

async function byIds<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IDS) out.push(...(await read(ids.slice(i, i + IDS))));
  return out;
}

/** What a header is made of now: each goal's row, its revision and its owner's name. */
export async function goalsWithRevision(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<{ goal: Goal; revision: number; ownerName: string | null }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("goals")
    .leftJoin("users as u", (j) =>
      j.onRef("u.id", "=", "goals.ownerId").onRef("u.workspaceId", "=", "goals.workspaceId"),
    )
    .selectAll("goals")
    .select("u.name as ownerName")
    .where("goals.id", "in", [...ids])
    .orderBy("goals.id")
    .execute();
  return rows.map(({ ownerName, ...g }) => ({
    goal: toGoal(g),
    revision: Number(g.revision),
    ownerName: ownerName ?? null,
  }));
}

/** One goal's aggregates as computed. */
export interface ReportRows {
  header: Insertable<ReportGoalRowsTable>;
  items: Insertable<ReportGoalItemsTable>[];
  wins: Insertable<ReportGoalWinsTable>[];
}

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * Replaces the aggregates of some goals, in one transaction. The headers are written first, in
 * goal order, as upserts: on PostgreSQL two readers storing the same goal at once then queue on
 * its header's row lock, and the second deletes the first's rows before writing its own, so no
 * row is ever stored twice.
 */
export async function saveReportRows(db: Kysely<Database>, rows: readonly ReportRows[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => a.header.goalId - b.header.goalId);
  const ids = sorted.map((r) => r.header.goalId);
  await db.transaction().execute(async (trx) => {
    await inChunks(
      sorted.map((r) => r.header),
      (c) =>
        trx
          .insertInto("reportGoalRows")
          .values(c)
          .onConflict((oc) =>
            oc.column("goalId").doUpdateSet((eb) => ({
              asOf: eb.ref("excluded.asOf"),
              version: eb.ref("excluded.version"),
              revision: eb.ref("excluded.revision"),
              ownerName: eb.ref("excluded.ownerName"),
              stalledJson: eb.ref("excluded.stalledJson"),
              computedAt: eb.ref("excluded.computedAt"),
            })),
          )
          .execute(),
    );
    await inChunks(ids, (c) => trx.deleteFrom("reportGoalItems").where("goalId", "in", c).execute());
    await inChunks(ids, (c) => trx.deleteFrom("reportGoalWins").where("goalId", "in", c).execute());
    await inChunks(
      rows.flatMap((r) => r.items),
      (c) => trx.insertInto("reportGoalItems").values(c).execute(),
    );
    await inChunks(
      rows.flatMap((r) => r.wins),
      (c) => trx.insertInto("reportGoalWins").values(c).execute(),
    );
  });
}

/** Counts of promises due in a window, by person, day and outcome. */
export interface ItemCount {
  userId: number;
  dueDate: string;
  outcome: string;
  n: number;
}

/**
 * The stored promises due in [from, to] of some goals, counted by person, due day and outcome,
 * leaving out the steps named (those an explicit commitment counts). Counts of one key may come
 * in several rows: add them.
 */
export async function itemCounts(
  db: Kysely<Database>,
  ids: readonly number[],
  from: string,
  to: string,
  withoutSteps: readonly number[],
): Promise<ItemCount[]> {
  return byIds(ids, async (chunk) => {
    let q = db
      .selectFrom("reportGoalItems as i")
      .select(["i.userId", "i.dueDate", "i.outcome", (eb) => eb.fn.countAll<number>().as("n")])
      .where("i.goalId", "in", chunk)
      .where("i.outcome", "<>", "moved")
      .where("i.dueDate", ">=", from)
      .where("i.dueDate", "<=", to);
    if (withoutSteps.length > 0) q = q.where("i.stepId", "not in", [...withoutSteps]);
    const rows = await q.groupBy(["i.userId", "i.dueDate", "i.outcome"]).execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  });
}

/** The stored promises missed in [from, to] of some goals, leaving out the steps named. */
export async function missedItems(
  db: Kysely<Database>,
  ids: readonly number[],
  from: string,
  to: string,
  withoutSteps: readonly number[],
): Promise<{ goalId: number; stepId: number; dueDate: string }[]> {
  return byIds(ids, async (chunk) => {
    let q = db
      .selectFrom("reportGoalItems as i")
      .select(["i.goalId", "i.stepId", "i.dueDate"])
      .where("i.goalId", "in", chunk)
      .where("i.outcome", "=", "missed")
      .where("i.dueDate", ">=", from)
      .where("i.dueDate", "<=", to);
    if (withoutSteps.length > 0) q = q.where("i.stepId", "not in", [...withoutSteps]);
    return q.execute();
  });
}

/** The stored moves away from due days in [from, to] of some goals, counted by step, person and day. */
export async function moveCounts(
  db: Kysely<Database>,
  ids: readonly number[],
  from: string,
  to: string,
  withoutSteps: readonly number[],
): Promise<{ stepId: number; userId: number; dueDate: string; n: number }[]> {
  return byIds(ids, async (chunk) => {
    let q = db
      .selectFrom("reportGoalItems as i")
      .select(["i.stepId", "i.userId", "i.dueDate", (eb) => eb.fn.countAll<number>().as("n")])
      .where("i.goalId", "in", chunk)
      .where("i.outcome", "=", "moved")
      .where("i.dueDate", ">=", from)
      .where("i.dueDate", "<=", to);
    if (withoutSteps.length > 0) q = q.where("i.stepId", "not in", [...withoutSteps]);
    const rows = await q.groupBy(["i.stepId", "i.userId", "i.dueDate"]).execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  });
}

/** The stored wins dated from `from` of some goals (in id order), by goal and feed order. */
export async function winsSince(
  db: Kysely<Database>,
  ids: readonly number[],
  from: string,
): Promise<string[]> {
  return byIds(ids, async (chunk) => {
    const rows = await db
      .selectFrom("reportGoalWins as w")
      .select("w.winJson")
      .where("w.goalId", "in", chunk)
      .where("w.date", ">=", from)
      .orderBy("w.goalId")
      .orderBy("w.seq")
      .execute();
    return rows.map((r) => r.winJson);
  });
}

// report22: what the report's lists need to tell the reader's circle from the rest.
/**
 * The people who have a promise due in [from, to], or a move away from such a day, in the stored
 * rows of some goals (leaving out the steps named: those an explicit commitment counts), in id order.
 */
export async function usersOfItems(
  db: Kysely<Database>,
  ids: readonly number[],
  from: string,
  to: string,
  withoutSteps: readonly number[],
): Promise<number[]> {
  const users = await byIds(ids, async (chunk) => {
    let q = db
      .selectFrom("reportGoalItems as i")
      .select("i.userId")
      .distinct()
      .where("i.goalId", "in", chunk)
      .where("i.dueDate", ">=", from)
      .where("i.dueDate", "<=", to);
    if (withoutSteps.length > 0) q = q.where("i.stepId", "not in", [...withoutSteps]);
    return q.execute();
  });
  return [...new Set(users.map((u) => u.userId))].sort((a, b) => a - b);
}

/** The goals shared with a person, in id order (found by the `goal_shares (user_id, goal_id)` index). */
export async function sharedGoalIdsOf(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("goalShares")
    .select("goalId")
    .where("userId", "=", userId)
    .orderBy("goalId")
    .execute();
  return rows.map((r) => r.goalId);
}

/**
 * report22: the stored wins dated from `from` of the goals `mine`, all of them, and of the goals
 * `others` only those dated on or after the day of their `keep`-th most recent win (so every one of
 * their `keep` most recent in feed order is among them), with how many wins `others` has from
 * `from` in all: a report that lists only the most recent `keep` of others' wins reads those, not
 * thousands.
 */
export async function winsSinceCut(
  db: Kysely<Database>,
  mine: readonly number[],
  others: readonly number[],
  from: string,
  keep: number,
): Promise<{ wins: string[]; othersRead: number; othersTotal: number }> {
  const dates = await byIds(others, (chunk) =>
    db
      .selectFrom("reportGoalWins as w")
      .select("w.date")
      .where("w.goalId", "in", chunk)
      .where("w.date", ">=", from)
      .orderBy("w.date", "desc")
      .limit(keep)
      .execute(),
  );
  const cut = dates.map((r) => r.date).sort((x, y) => y.localeCompare(x))[keep - 1] ?? from;
  const counts = await byIds(others, (chunk) =>
    db
      .selectFrom("reportGoalWins as w")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("w.goalId", "in", chunk)
      .where("w.date", ">=", from)
      .execute(),
  );
  const recent = await winsSince(db, others, cut > from ? cut : from);
  return {
    wins: [...(await winsSince(db, mine, from)), ...recent],
    othersRead: recent.length,
    othersTotal: counts.reduce((n, r) => n + Number(r.n), 0),
  };
}

/** A stored stall, with what the policy needs to know of its goal. */
export interface StoredStall {
  goalId: number;
  workspaceId: number;
  ownerId: number;
  teamId: number | null;
  stalledJson: string;
}

/** The teams each of some people is in. */
export async function teamIdsOfPeople(
  db: Kysely<Database>,
  userIds: readonly number[],
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(userIds.map((id) => [id, []]));
  const rows = await byIds([...new Set(userIds)], (chunk) =>
    db
      .selectFrom("memberships")
      .select(["userId", "teamId"])
      .where("userId", "in", chunk)
      .orderBy("teamId")
      .execute(),
  );
  for (const r of rows) out.get(r.userId)?.push(r.teamId);
  return out;
}

/** Which of some goals the viewer may see and the report counts. */
export async function countedAmong(
  db: Kysely<Database>,
  v: Viewer,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("goals")
    .select("id")
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where("goals.id", "in", [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * The commitments of a workspace due in [from, to] that may count for a viewer: those of some
 * goals, and those with no goal that the viewer made, witnesses or whose witness team they are in
 * (the app still asks the policy of each), in id order, with their witnesses.
 */
export async function commitmentsDueFor(
  db: Kysely<Database>,
  v: Viewer,
  from: string,
  to: string,
  goalIds: readonly number[],
): Promise<Commitment[]> {
  const due = () =>
    db
      .selectFrom("commitments")
      .selectAll()
      .where("workspaceId", "=", v.workspaceId)
      .where("dueDate", ">=", from)
      .where("dueDate", "<=", to);
  const ofGoals = await byIds(goalIds, (chunk) => due().where("goalId", "in", chunk).execute());
  const own = await due()
    .where("goalId", "is", null)
    .where((eb) =>
      eb.or([
        eb("userId", "=", v.userId),
        eb(
          "id",
          "in",
          eb
            .selectFrom("commitmentWitnesses")
            .select("commitmentWitnesses.commitmentId")
            .where("commitmentWitnesses.userId", "=", v.userId),
        ),
        ...(v.teamIds.length > 0 ? [eb("witnessTeamId", "in", v.teamIds)] : []),
      ]),
    )
    .execute();
  return hydrate(
    db,
    [...ofGoals, ...own].sort((a, b) => a.id - b.id),
  );
}

/** The names of every person of a workspace, in id order (what an entity tag of a report hashes). */
export async function namesOfWorkspace(
  db: Kysely<Database>,
  workspaceId: number,
): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("workspaceId", "=", workspaceId)
    .orderBy("id")
    .execute();
}

// The workspace's names as one value, for the entity tag.
/**
 * The names of every person of a workspace as one string the database builds (id, name length and
 * name of each, in id order: unambiguous whatever a name holds), and how many people: what an
 * entity tag hashes instead of 10,000 rows mapped one by one (`namesOfWorkspace`).
 */
export async function namesDigestOfWorkspace(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: number,
): Promise<string> {
  const each =
    dialect === "postgres"
      ? sql`string_agg(id::text || ':' || length(name)::text || ':' || name, ',' order by id)`
      : sql`group_concat(id || ':' || length(name) || ':' || name, ',' order by id)`;
  const r = await sql<{ n: number | string; names: string | null }>`select count(*) as n, ${each} as names
    from users where workspace_id = ${workspaceId}`.execute(db);
  const row = r.rows[0];
  return `${Number(row?.n ?? 0)}|${row?.names ?? ""}`;
}

// report19: the names as one number the database keeps (migration 0030).
/**
 * The stamp of a workspace's names: a number the database moves whenever a person joins or leaves
 * the workspace or is renamed (triggers on users, migration 0030), never to a value it held
 * before. One primary-key read, whatever the workspace's size: what the report's entity tag hashes
 * instead of every name (`namesDigestOfWorkspace`).
 */
export async function namesStampOfWorkspace(db: Kysely<Database>, workspaceId: number): Promise<string> {
  const r = await db
    .selectFrom("workspaceNameStamps")
    .select("seq")
    .where("workspaceId", "=", workspaceId)
    .executeTakeFirst();
  return String(r?.seq ?? 0);
}

/** Some steps by id. */
export async function stepsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Step[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("steps")
    .selectAll()
    .where("id", "in", [...new Set(ids)])
    .orderBy("id")
    .execute();
  return rows.map(toStep);
}

// The entity tag's stamps (migration 0027).
/**
 * The stamp of the counted goals open to the whole workspace: how many, and the largest and the
 * sum of their `change_seq`, read from the partial index `(workspace_id, status, change_seq) where
 * visibility = 'workspace'` alone. Why it changes whenever that set or any goal in it does: see `tagOf` in
 * src/app/reports/report-rows.ts.
 */
export async function workspaceOpenStamp(db: Kysely<Database>, workspaceId: number): Promise<string> {
  const r = await db
    .selectFrom("goals")
    .select([
      sql<number | string>`count(*)`.as("n"),
      sql<number | string | null>`max(change_seq)`.as("top"),
      sql<number | string | null>`sum(change_seq)`.as("total"),
    ])
    .where("workspaceId", "=", workspaceId)
    .where("visibility", "=", "workspace")
    .where("status", "in", COUNTED)
    .executeTakeFirst();
  return `${String(r?.n ?? 0)}/${String(r?.top ?? "")}/${String(r?.total ?? "")}`;
}

/**
 * The counted goals the viewer may see that are not open to the whole workspace (their own, their
 * teams', shared with them), each as `[id, "revision.change_seq"]` in id order: what grows with the
 * reader's goals and teams, not with the workspace. The revision moves on every write of a goal; on
 * PostgreSQL `change_seq` moves only for goals open (or once open) to the workspace (migration
 * 0031: a bump of any other goal changes no indexed column, so it can be a HOT update).
 */
export async function countedClosedGoalStamps(
  db: Kysely<Database>,
  v: Viewer,
): Promise<Array<[number, string]>> {
  const rows = await db
    .selectFrom("goals")
    .select(["goals.id", "goals.revision", "goals.changeSeq"])
    .where("goals.visibility", "<>", "workspace")
    .where((eb) => readersGoals(db, eb, v, false))
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .orderBy("goals.id")
    .execute();
  return rows.map((r) => [r.id, `${String(r.revision)}.${String(r.changeSeq)}`]);
}

/** The members of some teams as `[teamId, userId]`, in team and user order. */
export async function membersOfTeams(
  db: Kysely<Database>,
  teamIds: readonly number[],
): Promise<Array<[number, number]>> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom("memberships")
    .select(["teamId", "userId"])
    .where("teamId", "in", [...teamIds])
    .orderBy("teamId")
    .orderBy("userId")
    .execute();
  return rows.map((r) => [r.teamId, r.userId]);
}

// totals25: the report's stored open part (migration 0033).
/** A stored open part's row. */
export type OpenPartRow = Insertable<ReportOpenPartsTable>;

/** The stored open part of a workspace for a window starting on `fromDay`, if any. */
export async function openPartOf(
  db: Kysely<Database>,
  workspaceId: number,
  fromDay: string,
): Promise<OpenPartRow | undefined> {
  return db
    .selectFrom("reportOpenParts")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("fromDay", "=", fromDay)
    .executeTakeFirst();
}

/** Stores a workspace's open part for a window (one upsert: whichever lands last is right for its key). */
export async function saveOpenPart(db: Kysely<Database>, row: OpenPartRow): Promise<void> {
  await db
    .insertInto("reportOpenParts")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["workspaceId", "fromDay"]).doUpdateSet((eb) => ({
        asOf: eb.ref("excluded.asOf"),
        version: eb.ref("excluded.version"),
        openStamp: eb.ref("excluded.openStamp"),
        namesStamp: eb.ref("excluded.namesStamp"),
        bodyJson: eb.ref("excluded.bodyJson"),
        computedAt: eb.ref("excluded.computedAt"),
      })),
    )
    .execute();
}
