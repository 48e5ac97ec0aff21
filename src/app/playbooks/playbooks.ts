/**
 * Playbooks: shared how-to documents in Markdown with every version kept (who changed what, and a
 * diff), rendered safely, linked from goals and steps, and usable as plan templates.
 */
import { formatPatch, structuredPatch } from "diff";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { KeyResult } from "../../core/types.js";
import { VISIBILITIES } from "../../core/types.js";
import * as people from "../../store/repos/people.js";
import * as plans from "../../store/repos/plans.js";
import * as store from "../../store/repos/playbooks.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, emit, nowIso, today } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import * as limits from "../people/ratelimit.js";
import type { WithWarnings } from "../plans/coach.js";
import {
  checkDueAfterStart,
  GoalCreateInput,
  getPlanOrThrow,
  KeyResultCreateInput,
  keyResultDirection,
  type Plan,
  planWarnings,
  readOfGoal,
  writableGoalOrThrow,
  writeGoal,
  writeKeyResult,
} from "../plans/goals.js";
import { type KeyResultRefWords, keyResultOfStep, PLAN_LIMITS } from "../plans/plan.js";
import { writeBarrier } from "../plans/resources.js";
import { writeStep } from "../plans/steps.js";
import { assertCan } from "../policy.js";
import { id, MAX_ID, optionalText, parse, text } from "../validation.js";
import {
  type PlaybookTemplate,
  planTemplate,
  playbookOfPlan,
  renderAndRead,
  renderMarkdown,
} from "./markdown.js";

export type { PlaybookTemplate };

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
export type PlaybookCreateInput = z.input<typeof PlaybookCreateInput>;

/** Body of "edit a playbook": saves a new version. */
export const PlaybookUpdateInput = z.strictObject({
  title: text(200).optional(),
  body: markdown,
  note: optionalText(500),
});
export type PlaybookUpdateInput = z.input<typeof PlaybookUpdateInput>;

const versionNumber = z.coerce
  .number({ message: "is not a version number. Use a whole number from 1." })
  .int({ message: "is not a version number. Use a whole number from 1." })
  .min(1, { message: "is not a version number. Use a whole number from 1." })
  .max(MAX_ID, { message: "is not a version number (too large)." });

/** Body of "preview a playbook": Markdown not saved yet, rendered as a saved version would be. */
export const PlaybookPreviewInput = z.strictObject({ body: markdown });

/** Query of "diff two versions": `from` and `to` are version numbers. */
export const PlaybookDiffQuery = z.strictObject({ from: versionNumber, to: versionNumber });

/** Body of "link a playbook to a goal" (or to one of its steps). */
export const PlaybookLinkInput = z.strictObject({ playbookId: id, stepId: id.nullish() });

/** Body of "start a plan from a playbook": the goal's title defaults to the playbook's. */
export const PlanFromPlaybookInput = z.strictObject({
  title: text(300).optional(),
  dueDate: GoalCreateInput.shape.dueDate,
  visibility: z.enum(VISIBILITIES).default("private"),
});
export type PlanFromPlaybookInput = z.input<typeof PlanFromPlaybookInput>;

/** Body of "save a plan as a playbook": the title defaults to the goal's. */
export const PlaybookFromPlanInput = z.strictObject({
  title: text(200).optional(),
  teamId: id.nullish(),
});
export type PlaybookFromPlanInput = z.input<typeof PlaybookFromPlanInput>;

/** A playbook at its current version, with its Markdown rendered to sanitized HTML and read as a template. */
export type RenderedPlaybook = store.Playbook & { html: string; template: PlaybookTemplate };

/** One version of a playbook, with its Markdown rendered to sanitized HTML. */
export type RenderedPlaybookVersion = store.PlaybookVersion & { html: string };

/** The change between two versions of a playbook, as a unified diff. */
export interface PlaybookDiff {
  from: number;
  to: number;
  /** Who saved the `to` version. */
  authorId: number;
  authorName: string;
  /** A unified diff of the Markdown, from `from` to `to`. */
  patch: string;
  /** Lines added and removed. */
  added: number;
  removed: number;
}

/** At most this many steps and barriers come out of one template. */
export const MAX_TEMPLATE_STEPS = 200;
export const MAX_TEMPLATE_BARRIERS = 50;

function rendered(p: store.Playbook): RenderedPlaybook {
  return { ...p, ...renderAndRead(p.body) };
}

async function playbookOrThrow(
  db: Kysely<Database>,
  actor: Actor,
  playbookId: number,
): Promise<store.Playbook> {
  const p = await store.findPlaybook(db, actor.workspaceId, playbookId);
  if (!p) throw notFound("playbook", playbookId);
  return p;
}

/** Creates a playbook at version 1; a team's playbook can be made by its members or the workspace owner. */
export async function createPlaybook(ctx: AppContext, actor: Actor, raw: unknown): Promise<RenderedPlaybook> {
  const input = parse(PlaybookCreateInput, raw);
  const teamId = input.teamId ?? null;
  if (teamId !== null) {
    if (!(await people.teamExists(ctx.store.db, actor.workspaceId, teamId))) {
      throw invalid("team_not_found", `No team with id ${teamId}. Check teamId.`, { field: "teamId" });
    }
    assertCan(await actorFacts(ctx.store.db, actor), "playbook.create", {
      teamId,
      workspaceId: actor.workspaceId,
    });
  }
  const p = await ctx.store.db.transaction().execute(async (trx) => {
    const p = await store.insertPlaybook(trx, {
      workspaceId: actor.workspaceId,
      teamId,
      title: input.title,
      body: input.body,
      authorId: actor.userId,
      now: nowIso(ctx),
    });
    await emit(trx, ctx, actor, "playbook.created", { type: "playbook", id: p.id }, { title: p.title });
    return p;
  });
  return rendered(p);
}

/** A playbook of the actor's workspace at its current version, rendered; not found otherwise. */
export async function getPlaybookOrThrow(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
): Promise<RenderedPlaybook> {
  return rendered(await playbookOrThrow(ctx.store.db, actor, playbookId));
}

/** Playbooks of the workspace. */
export async function listPlaybooks(ctx: AppContext, actor: Actor) {
  return store.listPlaybooks(ctx.store.db, actor.workspaceId);
}

/** Saves a new version of a playbook, recording who saved it and why. */
export async function updatePlaybook(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
  raw: unknown,
): Promise<RenderedPlaybook> {
  const input = parse(PlaybookUpdateInput, raw);
  await ctx.store.db.transaction().execute(async (trx) => {
    const p = await playbookOrThrow(trx, actor, playbookId);
    assertCan(await actorFacts(trx, actor), "playbook.edit", p);
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

/** Every version of a playbook with who saved it, their note and its rendering, oldest first. */
export async function playbookHistory(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
): Promise<RenderedPlaybookVersion[]> {
  await playbookOrThrow(ctx.store.db, actor, playbookId);
  const versions = await store.versionsOf(ctx.store.db, playbookId);
  return versions.map((v) => ({ ...v, html: renderMarkdown(v.body) }));
}

/**
 * Renders Markdown that is not saved yet exactly as a saved playbook would be, for the editor's
 * preview. Anyone signed in may ask (it reads nothing); each person is limited per minute, since
 * every call is work for the server and the editor calls it as they type.
 */
export async function previewPlaybook(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
  lim: limits.Limits = limits.DEFAULT_LIMITS,
): Promise<{ html: string }> {
  const input = parse(PlaybookPreviewInput, raw);
  await limits.consume(ctx, `preview:user:${actor.userId}`, lim.previewsPerUser);
  return { html: renderMarkdown(input.body) };
}

/** The unified diff between two versions of a playbook, and how many lines each side changed. */
export async function playbookDiff(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
  raw: unknown,
): Promise<PlaybookDiff> {
  const q = parse(PlaybookDiffQuery, raw);
  const db = ctx.store.db;
  await playbookOrThrow(db, actor, playbookId);
  const [from, to] = await Promise.all([
    store.findVersion(db, playbookId, q.from),
    store.findVersion(db, playbookId, q.to),
  ]);
  if (!from) throw notFound("playbook version", q.from);
  if (!to) throw notFound("playbook version", q.to);
  const structured = structuredPatch(
    `v${from.version}`,
    `v${to.version}`,
    withFinalNewline(from.body),
    withFinalNewline(to.body),
    undefined,
    undefined,
    // Bodies run to 200,000 characters; a pathological pair must not hold the server.
    { context: 3, timeout: 2000 },
  );
  if (!structured) {
    throw invalid(
      "diff_too_large",
      `Versions ${q.from} and ${q.to} differ too much to compare line by line. Read each version instead.`,
    );
  }
  let added = 0;
  let removed = 0;
  for (const h of structured.hunks) {
    for (const line of h.lines) {
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
    }
  }
  return {
    from: from.version,
    to: to.version,
    authorId: to.authorId,
    authorName: to.authorName,
    patch: structured.hunks.length === 0 ? "" : formatPatch(structured),
    added,
    removed,
  };
}

/** A body ends in a newline for diffing, so an edit to the last line is not reported twice. */
function withFinalNewline(s: string): string {
  return s === "" || s.endsWith("\n") ? s : `${s}\n`;
}

/** Links a playbook of the workspace to a goal the actor may change, or to one of its steps. */
export async function linkPlaybook(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<store.PlaybookLink> {
  const input = parse(PlaybookLinkInput, raw);
  const stepId = input.stepId ?? null;
  return ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    const p = await store.findPlaybook(trx, actor.workspaceId, input.playbookId);
    if (!p) {
      throw invalid(
        "playbook_not_found",
        `No playbook with id ${input.playbookId} in this workspace. List playbooks to find the right id.`,
        { field: "playbookId" },
      );
    }
    if (stepId !== null) {
      const step = await plans.findStep(trx, stepId);
      if (!step || step.goalId !== goalId) {
        throw invalid("step_not_in_goal", `Step ${stepId} is not part of goal ${goalId}. Check stepId.`, {
          field: "stepId",
        });
      }
    }
    const link = { playbookId: p.id, goalId, stepId };
    if (await store.linkExists(trx, link)) {
      throw new AppError(
        409,
        "playbook_already_linked",
        `Playbook ${p.id} is already linked to ${stepId === null ? `goal ${goalId}` : `step ${stepId}`}. Nothing to do.`,
        link,
      );
    }
    await store.insertLink(trx, link);
    await emit(
      trx,
      ctx,
      actor,
      "playbook.linked",
      { type: "goal", id: goalId },
      { playbookId: p.id, stepId },
    );
    return { ...link, title: p.title, version: p.version, teamId: p.teamId };
  });
}

/** The playbooks linked to a goal the actor may see. */
export async function goalPlaybooks(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
): Promise<store.PlaybookLink[]> {
  return readOfGoal(ctx, actor, goalId, (db, id) => store.linksOfGoal(db, actor.workspaceId, id));
}

/** Unlinks a playbook from a goal (and from the goal's steps). */
export async function unlinkPlaybook(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  playbookId: number,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await writableGoalOrThrow(ctx, actor, goalId, trx);
    const removed = await store.deleteLinks(trx, goalId, playbookId);
    if (removed === 0) throw notFound("playbook link", playbookId);
    await emit(trx, ctx, actor, "playbook.unlinked", { type: "goal", id: goalId }, { playbookId });
  });
}

/**
 * Starts a plan from a playbook used as a template: a goal (titled after the playbook unless
 * given) with one key result per "Title: from X to Y unit" line under a "Key results" heading, one
 * step per task-list item (serving the key result its "(KR 2)" or "(KR: Title)" ending names when
 * it names one of them; otherwise the ending stays text and a warning says so, code
 * `playbook-kr-kept-as-text`), and one barrier per "If …, then …" line under a
 * "Barriers"/"Plan B" heading (the rules are `planTemplate` in markdown.ts), the goal's why from
 * a "Why: …" paragraph, the playbook linked to the goal. All of it is written in one transaction,
 * so a refusal leaves nothing behind.
 */
export async function startPlanFromPlaybook(
  ctx: AppContext,
  actor: Actor,
  playbookId: number,
  raw: unknown,
): Promise<WithWarnings<Plan>> {
  const input = parse(PlanFromPlaybookInput, raw);
  const p = await playbookOrThrow(ctx.store.db, actor, playbookId);
  const asked = {
    title: input.title ?? p.title.slice(0, 300),
    dueDate: input.dueDate,
    visibility: input.visibility,
  };
  const start = today(ctx);
  checkDueAfterStart(start, parse(GoalCreateInput, asked).dueDate);
  const template = checkedTemplate(p);
  // The playbook's "Why:" line (as saving a plan as a playbook writes it) becomes the goal's why.
  const goalInput = parse(GoalCreateInput, { ...asked, why: template.why?.slice(0, 5000) ?? undefined });
  const goalId = await ctx.store.db.transaction().execute(async (trx) => {
    const goal = await writeGoal(trx, ctx, actor, goalInput, start, {
      playbookId: p.id,
      playbookVersion: p.version,
    });
    const keyResults: KeyResult[] = [];
    for (const k of template.keyResults) {
      keyResults.push(await writeKeyResult(trx, ctx, actor, goal.id, k.input, k.direction));
    }
    let position = 0;
    for (const [i, stepText] of template.steps.entries()) {
      const ref = template.stepKeyResults[i] ?? undefined;
      const keyResultId = await inStep(p, i, stepText, () =>
        keyResultOfStep(trx, goal.id, ref, undefined, keyResults, async () => [], PLAYBOOK_KR_WORDS),
      );
      await writeStep(trx, ctx, actor, goal.id, { text: stepText, position: ++position, keyResultId });
    }
    for (const b of template.barriers) {
      await writeBarrier(trx, ctx, actor, goal.id, { ...b, likelihood: "medium" });
    }
    await store.insertLink(trx, { playbookId: p.id, goalId: goal.id, stepId: null });
    await emit(
      trx,
      ctx,
      actor,
      "playbook.linked",
      { type: "goal", id: goal.id },
      { playbookId: p.id, stepId: null },
    );
    return goal.id;
  });
  const plan = await getPlanOrThrow(ctx, actor, goalId);
  const kept = template.notes.map((n) => ({
    code: "playbook-kr-kept-as-text",
    message: n.message,
    suggestion: `Link the step now with \`throughline step edit ID --kr KR_ID\` or on the goal page, or fix the ending in playbook ${p.id}.`,
  }));
  return { ...plan, warnings: [...kept, ...(await planWarnings(ctx, plan.goal))] };
}

/** How a refusal of a step's "(KR …)" tells the playbook's author to fix it. */
const PLAYBOOK_KR_WORDS: KeyResultRefWords = {
  add: 'Add it under a "Key results" heading, written "Title: from 0 to 10 unit"',
  leaveOut: 'remove the "(KR …)" at the end of the step',
};

/** Rethrows a refusal with the part of the playbook it is about named first ("Step 2 ("Call Raj") of playbook 7: …"). */
function refusedIn(e: unknown, part: string, index: number): never {
  if (!(e instanceof AppError)) throw e;
  throw new AppError(e.status, e.code, `${part}: ${e.message}`, { ...e.details, index });
}

/** Runs `fn` for step `i` of a playbook; a refusal names the step by its number and words. */
async function inStep<T>(p: store.Playbook, i: number, text: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    refusedIn(e, `Step ${i + 1} ("${text}") of playbook ${p.id}`, i + 1);
  }
}

/**
 * The template read from a playbook, each key result, step and barrier held to the limits and
 * rules of a hand-made one. A step's "(KR …)" ending is a link only when it names one of the
 * playbook's key results (planTemplate), so no step is refused for it.
 */
function checkedTemplate(p: store.Playbook) {
  const t = planTemplate(p.body);
  if (
    t.steps.length > MAX_TEMPLATE_STEPS ||
    t.barriers.length > MAX_TEMPLATE_BARRIERS ||
    t.keyResults.length > PLAN_LIMITS.keyResults
  ) {
    throw invalid(
      "template_too_large",
      `Playbook ${p.id} has ${t.keyResults.length} key results, ${t.steps.length} steps and ${t.barriers.length} barriers; a plan takes at most ${PLAN_LIMITS.keyResults} key results, ${MAX_TEMPLATE_STEPS} steps and ${MAX_TEMPLATE_BARRIERS} barriers. Split the playbook.`,
    );
  }
  const keyResults = t.keyResults.map((k, i) => {
    try {
      const input = parse(KeyResultCreateInput, { ...k, unit: k.unit ?? undefined });
      return { input, direction: keyResultDirection(input) };
    } catch (e) {
      return refusedIn(e, `Key result ${i + 1} ("${k.title}") of playbook ${p.id}`, i + 1);
    }
  });
  const tooLong = (what: string, n: number, max: number) =>
    invalid(
      "template_text_too_long",
      `${what} ${n} of playbook ${p.id} is longer than ${max} characters. Shorten it in the playbook.`,
      { index: n },
    );
  t.steps.forEach((s, i) => {
    if (s.length > 500) throw tooLong("Step", i + 1, 500);
  });
  t.barriers.forEach((b, i) => {
    if (b.obstacle.length > 500 || b.planB.length > 1000) throw tooLong("Barrier", i + 1, 1000);
  });
  return { ...t, keyResults };
}

/**
 * Saves a goal the actor may see as a new playbook (version 1): its key results, steps (each with
 * "(KR n)" naming its key result) and barriers written as the template `startPlanFromPlaybook`
 * reads, so a plan started from it has the same key results and links. Team playbooks follow
 * "create a playbook"'s rule.
 */
export async function savePlanAsPlaybook(
  ctx: AppContext,
  actor: Actor,
  goalId: number,
  raw: unknown,
): Promise<RenderedPlaybook> {
  const input = parse(PlaybookFromPlanInput, raw);
  const plan = await getPlanOrThrow(ctx, actor, goalId);
  return createPlaybook(ctx, actor, {
    title: input.title ?? plan.goal.title.slice(0, 200),
    body: playbookOfPlan(plan),
    teamId: input.teamId,
  });
}
