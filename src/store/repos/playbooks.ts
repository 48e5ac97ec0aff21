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

/** One saved version of a playbook. */
export interface PlaybookVersion {
  version: number;
  body: string;
  authorId: number;
  note: string | null;
  createdAt: string;
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
  const row = await db
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

/** All versions of a playbook, oldest first. */
export async function versionsOf(db: Kysely<Database>, playbookId: number): Promise<PlaybookVersion[]> {
  return db
    .selectFrom("playbookVersions")
    .select(["version", "body", "authorId", "note", "createdAt"])
    .where("playbookId", "=", playbookId)
    .orderBy("version")
    .execute();
}
