/** Playbooks with their version history. */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** A playbook at its current version. */
export interface Playbook {
  id: number;
  workspaceId: number;
  teamId: number | null;
  title: string;
  version: number;
  body: string;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

/** One saved version of a playbook, with who saved it. */
export interface PlaybookVersion {
  version: number;
  body: string;
  authorId: number;
  authorName: string;
  note: string | null;
  createdAt: string;
}

/** A playbook linked to a goal (and maybe one of its steps). */
export interface PlaybookLink {
  playbookId: number;
  goalId: number;
  stepId: number | null;
  title: string;
  version: number;
  teamId: number | null;
}

/** Creates a playbook with its first version (call inside a transaction). */
export async function insertPlaybook(
  db: Kysely<Database>,
  p: {
    workspaceId: number;
    teamId: number | null;
    title: string;
    body: string;
    authorId: number;
    now: string;
  },
): Promise<Playbook> {
  const { currentVersion: _, ...row } = await db
    .insertInto("playbooks")
    .values({
      workspaceId: p.workspaceId,
      teamId: p.teamId,
      title: p.title,
      currentVersion: 1,
      createdBy: p.authorId,
      createdAt: p.now,
      updatedAt: p.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto("playbookVersions")
    .values({
      playbookId: row.id,
      version: 1,
      body: p.body,
      authorId: p.authorId,
      note: null,
      createdAt: p.now,
    })
    .execute();
  return { ...row, version: 1, body: p.body };
}

/** A playbook at its current version, or undefined. */
export async function findPlaybook(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
): Promise<Playbook | undefined> {
  const r = await db
    .selectFrom("playbooks")
    .innerJoin("playbookVersions", (j) =>
      j
        .onRef("playbookVersions.playbookId", "=", "playbooks.id")
        .onRef("playbookVersions.version", "=", "playbooks.currentVersion"),
    )
    .select([
      "playbooks.id",
      "playbooks.workspaceId",
      "playbooks.teamId",
      "playbooks.title",
      "playbooks.currentVersion as version",
      "playbookVersions.body",
      "playbooks.createdBy",
      "playbooks.createdAt",
      "playbooks.updatedAt",
    ])
    .where("playbooks.workspaceId", "=", workspaceId)
    .where("playbooks.id", "=", id)
    .executeTakeFirst();
  return r;
}

/** Playbooks of a workspace (without bodies' history). */
export async function listPlaybooks(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom("playbooks")
    .select(["id", "teamId", "title", "currentVersion as version", "updatedAt"])
    .where("workspaceId", "=", workspaceId)
    .orderBy("id")
    .execute();
}

/** Saves a new version and makes it current (call inside a transaction). */
export async function addPlaybookVersion(
  db: Kysely<Database>,
  p: {
    id: number;
    title?: string | undefined;
    body: string;
    authorId: number;
    note: string | null;
    now: string;
  },
): Promise<number> {
  const cur = await db
    .selectFrom("playbooks")
    .select("currentVersion")
    .where("id", "=", p.id)
    .executeTakeFirstOrThrow();
  const version = cur.currentVersion + 1;
  await db
    .insertInto("playbookVersions")
    .values({ playbookId: p.id, version, body: p.body, authorId: p.authorId, note: p.note, createdAt: p.now })
    .execute();
  await db
    .updateTable("playbooks")
    .set({ currentVersion: version, updatedAt: p.now, ...(p.title ? { title: p.title } : {}) })
    .where("id", "=", p.id)
    .execute();
  return version;
}

/** All versions of a playbook with their authors' names, oldest first. */
export async function versionsOf(db: Kysely<Database>, playbookId: number): Promise<PlaybookVersion[]> {
  return versionQuery(db, playbookId).orderBy("playbookVersions.version").execute();
}

/** One version of a playbook, or undefined. */
export async function findVersion(
  db: Kysely<Database>,
  playbookId: number,
  version: number,
): Promise<PlaybookVersion | undefined> {
  return versionQuery(db, playbookId).where("playbookVersions.version", "=", version).executeTakeFirst();
}

function versionQuery(db: Kysely<Database>, playbookId: number) {
  return db
    .selectFrom("playbookVersions")
    .innerJoin("users", "users.id", "playbookVersions.authorId")
    .select([
      "playbookVersions.version",
      "playbookVersions.body",
      "playbookVersions.authorId",
      "users.name as authorName",
      "playbookVersions.note",
      "playbookVersions.createdAt",
    ])
    .where("playbookVersions.playbookId", "=", playbookId);
}

/** True when the playbook is already linked to the goal (at that step, or at the goal itself when null). */
export async function linkExists(
  db: Kysely<Database>,
  link: { playbookId: number; goalId: number; stepId: number | null },
): Promise<boolean> {
  let q = db
    .selectFrom("playbookLinks")
    .select("playbookId")
    .where("playbookId", "=", link.playbookId)
    .where("goalId", "=", link.goalId);
  q = link.stepId === null ? q.where("stepId", "is", null) : q.where("stepId", "=", link.stepId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Links a playbook to a goal or one of its steps. */
export async function insertLink(
  db: Kysely<Database>,
  link: { playbookId: number; goalId: number; stepId: number | null },
): Promise<void> {
  await db.insertInto("playbookLinks").values(link).execute();
}

/** Removes every link between a playbook and a goal (and its steps); returns how many went. */
export async function deleteLinks(db: Kysely<Database>, goalId: number, playbookId: number): Promise<number> {
  const r = await db
    .deleteFrom("playbookLinks")
    .where("goalId", "=", goalId)
    .where("playbookId", "=", playbookId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The playbooks linked to a goal, with the step each helps (null: the whole goal). */
export async function linksOfGoal(
  db: Kysely<Database>,
  workspaceId: number,
  goalId: number,
): Promise<PlaybookLink[]> {
  return (
    db
      .selectFrom("playbookLinks")
      .innerJoin("playbooks", "playbooks.id", "playbookLinks.playbookId")
      .select([
        "playbookLinks.playbookId",
        "playbookLinks.goalId",
        "playbookLinks.stepId",
        "playbooks.title",
        "playbooks.currentVersion as version",
        "playbooks.teamId",
      ])
      .where("playbookLinks.goalId", "=", goalId)
      .where("playbooks.workspaceId", "=", workspaceId)
      .orderBy("playbookLinks.playbookId")
      // coalesce: SQLite sorts nulls first and PostgreSQL last; the goal-wide link comes first on both.
      .orderBy((eb) => eb.fn.coalesce("playbookLinks.stepId", eb.lit(0)))
      .execute()
  );
}
