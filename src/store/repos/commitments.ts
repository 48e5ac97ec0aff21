/** Commitments made in front of witnesses. */
import type { Kysely, Selectable } from "kysely";
import type { Commitment, CommitmentStatus } from "../../core/types.js";
import type { CommitmentsTable, Database } from "../schema.js";

/** Commitment rows with their witnesses, as Commitments. */
export async function hydrate(
  db: Kysely<Database>,
  rows: Selectable<CommitmentsTable>[],
): Promise<Commitment[]> {
  if (rows.length === 0) return [];
  const w = await db
    .selectFrom("commitmentWitnesses")
    .selectAll()
    .where(
      "commitmentId",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("userId")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspaceId,
    userId: r.userId,
    stepId: r.stepId,
    goalId: r.goalId,
    text: r.text,
    dueDate: r.dueDate,
    witnessTeamId: r.witnessTeamId,
    witnessUserIds: w.filter((x) => x.commitmentId === r.id).map((x) => x.userId),
    status: r.status as CommitmentStatus,
    resolvedAt: r.resolvedAt,
    createdAt: r.createdAt,
  }));
}

/** Inserts a commitment and its witnesses (call inside a transaction). */
export async function insertCommitment(
  db: Kysely<Database>,
  c: Omit<Commitment, "id" | "status" | "resolvedAt">,
): Promise<Commitment> {
  const row = await db
    .insertInto("commitments")
    .values({
      workspaceId: c.workspaceId,
      userId: c.userId,
      stepId: c.stepId,
      goalId: c.goalId,
      text: c.text,
      dueDate: c.dueDate,
      witnessTeamId: c.witnessTeamId,
      status: "open",
      resolvedAt: null,
      createdAt: c.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (c.witnessUserIds.length) {
    await db
      .insertInto("commitmentWitnesses")
      .values(c.witnessUserIds.map((userId) => ({ commitmentId: row.id, userId })))
      .execute();
  }
  return (await hydrate(db, [row]))[0] as Commitment;
}

/** A commitment by id within a workspace. */
export async function findCommitment(db: Kysely<Database>, workspaceId: number, id: number) {
  const rows = await db
    .selectFrom("commitments")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("id", "=", id)
    .execute();
  return (await hydrate(db, rows))[0];
}

/** Sets a commitment's status. */
export async function resolveCommitment(
  db: Kysely<Database>,
  id: number,
  status: CommitmentStatus,
  at: string | null,
) {
  await db.updateTable("commitments").set({ status, resolvedAt: at }).where("id", "=", id).execute();
}

/** Commitments in a workspace, optionally of one user, in id order after a cursor. */
export async function listCommitments(
  db: Kysely<Database>,
  workspaceId: number,
  f: {
    userId?: number | undefined;
    status?: string | undefined;
    afterId?: number | undefined;
    limit: number;
    /**
     * Only what this person made or witnesses (directly or through a team): the query form of the
     * policy's "commitment.see" rule (src/app/policy.ts); src/app/policy.test.ts checks they agree.
     */
    viewer?: { userId: number; teamIds: number[] };
  },
): Promise<Commitment[]> {
  let q = db.selectFrom("commitments").selectAll().where("workspaceId", "=", workspaceId);
  const v = f.viewer;
  if (v) {
    q = q.where((eb) =>
      eb.or([
        eb("commitments.userId", "=", v.userId),
        eb.exists(
          eb
            .selectFrom("commitmentWitnesses")
            .select("commitmentWitnesses.commitmentId")
            .whereRef("commitmentWitnesses.commitmentId", "=", "commitments.id")
            .where("commitmentWitnesses.userId", "=", v.userId),
        ),
        ...(v.teamIds.length ? [eb("commitments.witnessTeamId", "in", v.teamIds)] : []),
      ]),
    );
  }
  if (f.userId !== undefined) q = q.where("userId", "=", f.userId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.afterId !== undefined) q = q.where("id", ">", f.afterId);
  return hydrate(db, await q.orderBy("id").limit(f.limit).execute());
}

/** The goal a commitment is about: its own, else its step's; null when neither. */
export async function goalIdOfCommitment(db: Kysely<Database>, id: number): Promise<number | null> {
  const c = await db
    .selectFrom("commitments")
    .leftJoin("steps", "steps.id", "commitments.stepId")
    .select(["commitments.goalId", "steps.goalId as stepGoalId"])
    .where("commitments.id", "=", id)
    .executeTakeFirst();
  return c?.goalId ?? c?.stepGoalId ?? null;
}

/** A commitment's text and due day with the name of the person who made it. */
export async function commitmentWithMakerName(
  db: Kysely<Database>,
  id: number,
): Promise<{ name: string; text: string; dueDate: string } | undefined> {
  return db
    .selectFrom("commitments")
    .innerJoin("users", "users.id", "commitments.userId")
    .select(["users.name", "commitments.text", "commitments.dueDate"])
    .where("commitments.id", "=", id)
    .executeTakeFirst();
}
