/** Playbooks: shared how-to documents with every version kept. */
import { z } from "zod";
import * as people from "../store/repos/people.js";
import * as store from "../store/repos/playbooks.js";
import { type Actor, type AppContext, emit, nowIso } from "./context.js";
import { invalid, notFound } from "./errors.js";
import { id, optionalText, parse, text } from "./validation.js";

const markdown = z
  .string()
  .max(200_000, { message: "is too long (at most 200,000 characters)." })
  .refine((s) => !s.includes("\u0000"), { message: "contains a NUL character (\\u0000). Remove it." });

/** Body of "create a playbook". */
export const PlaybookCreateInput = z.strictObject({
  title: text(200),
  body: markdown,
  teamId: id.nullish(),
});

/** Body of "edit a playbook": saves a new version. */
export const PlaybookUpdateInput = z.strictObject({
  title: text(200).optional(),
  body: markdown,
  note: optionalText(500),
});

/** Creates a playbook at version 1. */
export async function createPlaybook(ctx: AppContext, actor: Actor, raw: unknown): Promise<store.Playbook> {
  const input = parse(PlaybookCreateInput, raw);
  if (input.teamId != null && !(await people.teamExists(ctx.store.db, actor.workspaceId, input.teamId))) {
    throw invalid("team_not_found", `No team with id ${input.teamId}. Check teamId.`, { field: "teamId" });
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const p = await store.insertPlaybook(trx, {
      workspaceId: actor.workspaceId,
      teamId: input.teamId ?? null,
      title: input.title,
      body: input.body,
      authorId: actor.userId,
      now: nowIso(ctx),
    });
    await emit(trx, ctx, actor, "playbook.created", { type: "playbook", id: p.id }, { title: p.title });
    return p;
  });
}

/** A playbook at its current version. */
export async function getPlaybookOrThrow(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
): Promise<store.Playbook> {
  const p = await store.findPlaybook(ctx.store.db, actor.workspaceId, playbookId);
  if (!p) throw notFound("playbook", playbookId);
  return p;
}

/** Playbooks of the workspace. */
export async function listPlaybooks(ctx: AppContext, actor: Actor) {
  return store.listPlaybooks(ctx.store.db, actor.workspaceId);
}

/** Saves a new version of a playbook. */
export async function updatePlaybook(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
  raw: unknown,
): Promise<store.Playbook> {
  const input = parse(PlaybookUpdateInput, raw);
  await getPlaybookOrThrow(ctx, actor, playbookId);
  await ctx.store.db.transaction().execute(async (trx) => {
    const version = await store.addPlaybookVersion(trx, {
      id: playbookId,
      title: input.title,
      body: input.body,
      authorId: actor.userId,
      note: input.note,
      now: nowIso(ctx),
    });
    await emit(trx, ctx, actor, "playbook.changed", { type: "playbook", id: playbookId }, { version });
  });
  return getPlaybookOrThrow(ctx, actor, playbookId);
}

/** Every version of a playbook, oldest first. */
export async function playbookHistory(ctx: AppContext, actor: Actor, playbookId: number) {
  await getPlaybookOrThrow(ctx, actor, playbookId);
  return store.versionsOf(ctx.store.db, playbookId);
}
