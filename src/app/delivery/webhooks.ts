/**
 * Outgoing hooks: integrators' webhooks (signed, chosen events, workspace owner) and teams' Slack
 * and Teams channels (team owners and leaders). Both are driven from the event log through one
 * delivery queue (`webhook_deliveries`, unique per hook and event) with retries and a log of every
 * attempt. The HTTP sending and the message formats live in src/integrations/webhooks.ts.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { listEvents } from "../../store/repos/events.js";
import * as people from "../../store/repos/people.js";
import { visibleGoals } from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, actorFacts, nowIso, viewerOf } from "../context.js";
import { AppError, notFound } from "../errors.js";
import { newToken } from "../people/secrets.js";
import { assertCan } from "../policy.js";
import { decodeCursor, type Page, pageOf, pageQuery, parse } from "../validation.js";

/** The event types a webhook may subscribe to. */
export const WEBHOOK_EVENTS = [
  "goal.created",
  "goal.changed",
  "checkin.created",
  "step.done",
  "goal.stalled",
  "commitment.kept",
  "commitment.missed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** The events a team's Slack or Teams channel hears about (besides the scheduler's notices). */
export const CHANNEL_EVENTS = ["goal.stalled", "commitment.kept", "commitment.missed"] as const;

/** The channels a team can connect. */
export const CHANNEL_KINDS = ["slack", "teams"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Seconds to wait after each failed attempt; after the last one the delivery is given up. */
export const RETRY_SCHEDULE_SECONDS = [30, 120, 600, 3600, 21_600] as const;
/** Attempts before a delivery is marked failed: the first and one per retry. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;
/** How long a dispatcher's claim on a delivery lasts (longer than a request's timeout). */
export const CLAIM_MS = 60_000;
// An event inserted by a transaction that commits after a later one (PostgreSQL serials are handed
// out before commit) would fall behind the cursor; recent events below it are looked at again.
const RESCAN_MS = 5 * 60_000;
const RESCAN_IDS = 1000;

/**
 * A hook URL: https, or plain http to this machine (127.0.0.1, ::1, localhost) for local
 * receivers and tests. With NODE_ENV=production only https to another host is accepted.
 */
export function hookUrlProblem(
  raw: string,
  production = process.env.NODE_ENV === "production",
): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL. Paste the whole address, starting with https://.";
  }
  if (url.username || url.password) return "must not contain a user name or password.";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (production && loopback) return "points at this server itself. Use the receiver's public https address.";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && loopback && !production) return null;
  return "must start with https:// (plain http is accepted only for 127.0.0.1 or localhost outside production).";
}

const hookUrl = z
  .string()
  .trim()
  .max(2000, { message: "is too long (at most 2000 characters)." })
  .superRefine((v, c) => {
    const problem = hookUrlProblem(v);
    if (problem) c.addIssue({ code: "custom", message: problem });
  });

/** Body of "create a webhook". */
export const WebhookCreateInput = z.strictObject({
  url: hookUrl,
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, { message: `is empty. Name at least one of: ${WEBHOOK_EVENTS.join(", ")}.` })
    .transform((v) => [...new Set(v)]),
  secret: z
    .string()
    .min(16, { message: "is too short: use at least 16 characters, or leave it out to get one." })
    .max(200, { message: "is too long (at most 200 characters)." })
    .optional(),
});

/** Body of "connect a team's Slack or Teams channel". */
export const ChannelInput = z.strictObject({ webhookUrl: hookUrl });

/** Query of "a webhook's delivery log". */
export const DeliveriesQuery = z.strictObject({ ...pageQuery });

/** A webhook as listed (never its secret). */
export interface Webhook {
  id: number;
  url: string;
  events: string[];
  createdBy: number;
  createdAt: string;
}

/** A team's channel as shown: the URL masked, since it is itself the credential. */
export interface TeamChannel {
  kind: ChannelKind;
  teamId: number;
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** One attempt in a webhook's delivery log. */
export interface DeliveryAttempt {
  id: number;
  /** The X-Throughline-Delivery id, the same on every attempt of one delivery. */
  deliveryId: string;
  eventId: number;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  attemptedAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** The delivery's state now: pending, delivered or failed. */
  state: string;
}

/**
 * A message for a team's channel. Text is plain; each channel escapes it for its own markup.
 * The scheduler builds these for team-level nudges (stalled goals, weekly digest, obstacles).
 */
export interface ChannelNotice {
  /** What it is about, e.g. "goal.stalled", "digest.weekly", "obstacle.hit". */
  type: string;
  /** One line, the header. */
  title: string;
  /** The body. */
  text: string;
  /** Label and value pairs, shown as fields. */
  facts?: { label: string; value: string }[];
  /** Small print under the body. */
  context?: string;
  /** A link into Throughline. */
  link?: { label: string; url: string };
}

/** An event as a webhook sends it: exactly what the event log holds. */
export interface WebhookEvent {
  id: number;
  type: string;
  createdAt: string;
  workspaceId: number;
  subject: { type: string; id: number };
  payload: Record<string, unknown>;
}

/** A delivery this dispatcher has claimed and must now send. */
export interface ClaimedDelivery {
  id: number;
  deliveryKey: string;
  attempt: number;
  hook: { id: number; kind: string; url: string; secret: string | null };
  event: WebhookEvent;
  /** For Slack and Teams: the message to send. */
  notice: ChannelNotice | null;
}

/** What came of one attempt. */
export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

async function assertWorkspaceOwner(ctx: AppContext, actor: Actor, what: string): Promise<void> {
  assertCan(
    await actorFacts(ctx.store.db, actor),
    "webhook.manage",
    actor,
    `Only the workspace owner can ${what}.`,
  );
}

async function lastEventId(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom("events")
    .select((eb) => eb.fn.max("id").as("max"))
    .executeTakeFirst();
  return Number(r?.max ?? 0);
}

function toWebhook(r: {
  id: number;
  url: string;
  eventsJson: string;
  createdBy: number;
  createdAt: string;
}): Webhook {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.eventsJson) as string[],
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

/**
 * Creates a webhook for the workspace (its owner only). It hears events from now on. The secret
 * signs every delivery; when none is given one is made. It is returned here, once.
 */
export async function createWebhook(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
): Promise<Webhook & { secret: string }> {
  const input = parse(WebhookCreateInput, raw);
  await assertWorkspaceOwner(ctx, actor, "manage webhooks");
  const secret = input.secret ?? newToken("whsec_");
  const now = nowIso(ctx);
  const row = await ctx.store.db
    .insertInto("webhooks")
    .values({
      workspaceId: actor.workspaceId,
      kind: "webhook",
      teamId: null,
      url: input.url,
      secret,
      eventsJson: JSON.stringify(input.events),
      createdBy: actor.userId,
      eventCursor: await lastEventId(ctx.store.db),
      eventFloor: await lastEventId(ctx.store.db),
      createdAt: now,
      updatedAt: now,
    })
    .returning(["id", "url", "eventsJson", "createdBy", "createdAt"])
    .executeTakeFirstOrThrow();
  return { ...toWebhook(row), secret };
}

/** The workspace's webhooks (owner only), without their secrets. */
export async function listWebhooks(ctx: AppContext, actor: Actor): Promise<Webhook[]> {
  await assertWorkspaceOwner(ctx, actor, "manage webhooks");
  const rows = await ctx.store.db
    .selectFrom("webhooks")
    .select(["id", "url", "eventsJson", "createdBy", "createdAt"])
    .where("workspaceId", "=", actor.workspaceId)
    .where("kind", "=", "webhook")
    .orderBy("id")
    .execute();
  return rows.map(toWebhook);
}

async function deleteHook(db: Kysely<Database>, hookId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const deliveries = trx.selectFrom("webhookDeliveries").select("id").where("webhookId", "=", hookId);
    await trx.deleteFrom("webhookAttempts").where("deliveryId", "in", deliveries).execute();
    await trx.deleteFrom("webhookDeliveries").where("webhookId", "=", hookId).execute();
    await trx.deleteFrom("webhooks").where("id", "=", hookId).execute();
  });
}

async function webhookOrThrow(ctx: AppContext, actor: Actor, webhookId: number): Promise<number> {
  await assertWorkspaceOwner(ctx, actor, "manage webhooks");
  const row = await ctx.store.db
    .selectFrom("webhooks")
    .select("id")
    .where("id", "=", webhookId)
    .where("workspaceId", "=", actor.workspaceId)
    .where("kind", "=", "webhook")
    .executeTakeFirst();
  if (!row) throw notFound("webhook", webhookId);
  return row.id;
}

/** Deletes a webhook with its queue and log; nothing more is sent to it. */
export async function deleteWebhook(ctx: AppContext, actor: Actor, webhookId: number): Promise<void> {
  await deleteHook(ctx.store.db, await webhookOrThrow(ctx, actor, webhookId));
}

/** A webhook's delivery log, newest attempt first. */
export async function listDeliveries(
  ctx: AppContext,
  actor: Actor,
  webhookId: number,
  raw: unknown,
): Promise<Page<DeliveryAttempt>> {
  const q = parse(DeliveriesQuery, raw);
  await webhookOrThrow(ctx, actor, webhookId);
  const before = decodeCursor(q.cursor);
  let query = ctx.store.db
    .selectFrom("webhookAttempts as a")
    .innerJoin("webhookDeliveries as d", "d.id", "a.deliveryId")
    .innerJoin("events as e", "e.id", "d.eventId")
    .select([
      "a.id",
      "d.deliveryKey",
      "d.eventId",
      "e.type",
      "a.attempt",
      "a.statusCode",
      "a.error",
      "a.attemptedAt",
      "a.nextAttemptAt",
      "d.state",
    ])
    .where("d.webhookId", "=", webhookId);
  if (before !== undefined) query = query.where("a.id", "<", before);
  const rows = await query
    .orderBy("a.id", "desc")
    .limit(q.limit + 1)
    .execute();
  return pageOf(
    rows.map((r) => ({
      id: r.id,
      deliveryId: r.deliveryKey,
      eventId: r.eventId,
      eventType: r.type,
      attempt: r.attempt,
      statusCode: r.statusCode,
      error: r.error,
      attemptedAt: r.attemptedAt,
      nextAttemptAt: r.nextAttemptAt,
      deliveredAt: isSuccess(r.statusCode) ? r.attemptedAt : null,
      state: r.state,
    })),
    q.limit,
  );
}

/** True for a 2xx answer. */
export function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** A hook URL with all but its origin and last four characters hidden. */
export function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const rest = `${u.pathname}${u.search}`;
    return rest.length > 8 ? `${u.origin}/…${rest.slice(-4)}` : `${u.origin}/…`;
  } catch {
    return "…";
  }
}

async function teamOrThrow(ctx: AppContext, actor: Actor, teamId: number, manage: boolean): Promise<void> {
  const db = ctx.store.db;
  if (!(await people.teamExists(db, actor.workspaceId, teamId))) throw notFound("team", teamId);
  const team = { id: teamId, workspaceId: actor.workspaceId };
  assertCan(await actorFacts(db, actor), manage ? "channel.manage" : "channel.read", team);
}

function toChannel(r: {
  kind: string;
  teamId: number | null;
  url: string;
  createdAt: string;
  updatedAt: string;
}): TeamChannel {
  return {
    kind: r.kind as ChannelKind,
    teamId: r.teamId as number,
    url: maskUrl(r.url),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Connects (or re-points) a team's Slack or Teams channel: team owners and leaders, and the
 * workspace owner. It hears goal.stalled and commitment.kept/missed of the team's goals from now on.
 */
export async function setTeamChannel(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  kind: ChannelKind,
  raw: unknown,
): Promise<TeamChannel> {
  const input = parse(ChannelInput, raw);
  await teamOrThrow(ctx, actor, teamId, true);
  const now = nowIso(ctx);
  const cursor = await lastEventId(ctx.store.db);
  const row = await ctx.store.db
    .insertInto("webhooks")
    .values({
      workspaceId: actor.workspaceId,
      kind,
      teamId,
      url: input.webhookUrl,
      secret: null,
      eventsJson: JSON.stringify(CHANNEL_EVENTS),
      createdBy: actor.userId,
      eventCursor: cursor,
      eventFloor: cursor,
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) => oc.columns(["teamId", "kind"]).doUpdateSet({ url: input.webhookUrl, updatedAt: now }))
    .returning(["kind", "teamId", "url", "createdAt", "updatedAt"])
    .executeTakeFirstOrThrow();
  return toChannel(row);
}

/** A team's connected channels, URLs masked (its members and the workspace owner). */
export async function listTeamChannels(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
): Promise<TeamChannel[]> {
  await teamOrThrow(ctx, actor, teamId, false);
  const rows = await ctx.store.db
    .selectFrom("webhooks")
    .select(["kind", "teamId", "url", "createdAt", "updatedAt"])
    .where("teamId", "=", teamId)
    .where("kind", "in", [...CHANNEL_KINDS])
    .orderBy("kind")
    .execute();
  return rows.map(toChannel);
}

/** Disconnects a team's Slack or Teams channel. */
export async function removeTeamChannel(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  kind: ChannelKind,
): Promise<void> {
  await teamOrThrow(ctx, actor, teamId, true);
  const row = await ctx.store.db
    .selectFrom("webhooks")
    .select("id")
    .where("teamId", "=", teamId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      404,
      "channel_not_found",
      `Team ${teamId} has no ${kind === "slack" ? "Slack" : "Teams"} channel connected. Connect one with PUT /api/teams/${teamId}/integrations/${kind}.`,
    );
  }
  await deleteHook(ctx.store.db, row.id);
}

/** The URLs of a team's channels, for sending a notice straight away (the scheduler's nudges). */
export async function teamChannelTargets(
  ctx: AppContext,
  teamId: number,
): Promise<{ kind: ChannelKind; url: string }[]> {
  const rows = await ctx.store.db
    .selectFrom("webhooks")
    .select(["kind", "url"])
    .where("teamId", "=", teamId)
    .where("kind", "in", [...CHANNEL_KINDS])
    .orderBy("kind")
    .execute();
  return rows.map((r) => ({ kind: r.kind as ChannelKind, url: r.url }));
}

// --- the delivery queue -------------------------------------------------------------------------

type LoggedEvent = Awaited<ReturnType<typeof listEvents>>[number];

/** The goal an event is about, or null when it is about no goal. */
async function goalOfEvent(
  db: Kysely<Database>,
  e: Pick<LoggedEvent, "subjectType" | "subjectId" | "payload">,
): Promise<number | null> {
  if (e.subjectType === "goal") return e.subjectId;
  if (e.subjectType === "commitment") {
    const c = await db
      .selectFrom("commitments")
      .leftJoin("steps", "steps.id", "commitments.stepId")
      .select(["commitments.goalId", "steps.goalId as stepGoalId"])
      .where("commitments.id", "=", e.subjectId)
      .executeTakeFirst();
    return c?.goalId ?? c?.stepGoalId ?? null;
  }
  const g = e.payload.goalId;
  return typeof g === "number" ? g : null;
}

interface HookRow {
  id: number;
  workspaceId: number;
  kind: string;
  teamId: number | null;
  eventsJson: string;
  createdBy: number;
  eventCursor: number;
  eventFloor: number;
}

/** Whether the hook may hear about the goal: what its creator may read, or the team's shared goals. */
async function hookMayTell(db: Kysely<Database>, hook: HookRow, goalId: number): Promise<boolean> {
  if (hook.kind === "webhook") {
    const viewer = await viewerOf(db, { userId: hook.createdBy, workspaceId: hook.workspaceId });
    const g = await db
      .selectFrom("goals")
      .select("id")
      .where((eb) => visibleGoals(eb, viewer))
      .where("id", "=", goalId)
      .executeTakeFirst();
    return g !== undefined;
  }
  // A team channel is read by the whole team: only goals the team may read, never private ones.
  const g = await db
    .selectFrom("goals")
    .select("id")
    .where("id", "=", goalId)
    .where("workspaceId", "=", hook.workspaceId)
    .where("teamId", "=", hook.teamId)
    .where("visibility", "in", ["team", "workspace"])
    .executeTakeFirst();
  return g !== undefined;
}

/**
 * Queues each new event for each hook that wants it: one row per (hook, event), so two
 * dispatchers reading the same events queue it once. Returns how many were queued.
 */
export async function enqueueDeliveries(ctx: AppContext, now: Date): Promise<number> {
  const db = ctx.store.db;
  const at = now.toISOString();
  const recent = new Date(now.getTime() - RESCAN_MS).toISOString();
  const hooks = await db
    .selectFrom("webhooks")
    .select(["id", "workspaceId", "kind", "teamId", "eventsJson", "createdBy", "eventCursor", "eventFloor"])
    .orderBy("id")
    .execute();
  let queued = 0;
  for (const hook of hooks) {
    const types = JSON.parse(hook.eventsJson) as string[];
    const from = Math.max(hook.eventFloor, hook.eventCursor - RESCAN_IDS);
    let top = hook.eventCursor;
    let after = from;
    for (;;) {
      const batch = await listEvents(db, hook.workspaceId, after, 500);
      if (batch.length === 0) break;
      after = (batch[batch.length - 1] as LoggedEvent).id;
      top = Math.max(top, after);
      for (const e of batch) {
        if (!types.includes(e.type)) continue;
        if (e.id <= hook.eventCursor) {
          if (e.createdAt < recent) continue;
          const seen = await db
            .selectFrom("webhookDeliveries")
            .select("id")
            .where("webhookId", "=", hook.id)
            .where("eventId", "=", e.id)
            .executeTakeFirst();
          if (seen) continue;
        }
        const goalId = await goalOfEvent(db, e);
        if (goalId === null || !(await hookMayTell(db, hook, goalId))) continue;
        const r = await db
          .insertInto("webhookDeliveries")
          .values({
            webhookId: hook.id,
            eventId: e.id,
            deliveryKey: randomUUID(),
            state: "pending",
            nextAttemptAt: at,
            createdAt: at,
          })
          .onConflict((oc) => oc.columns(["webhookId", "eventId"]).doNothing())
          .executeTakeFirst();
        queued += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
      if (batch.length < 500) break;
    }
    if (top > hook.eventCursor) {
      await db
        .updateTable("webhooks")
        .set({ eventCursor: top })
        .where("id", "=", hook.id)
        .where("eventCursor", "<", top)
        .execute();
    }
  }
  return queued;
}

const STALL_WORDS: Record<string, string> = {
  behind: "progress is behind the pace the due date needs",
  silent: "nothing has moved for longer than the check-in rhythm allows",
  "carried-over": "the same next step has been carried over week after week",
};

/** The channel message for an event, with the names and titles a team may read. */
async function noticeFor(db: Kysely<Database>, e: WebhookEvent, goalId: number): Promise<ChannelNotice> {
  const goal = await db
    .selectFrom("goals")
    .innerJoin("users", "users.id", "goals.ownerId")
    .select(["goals.title", "goals.dueDate", "users.name as ownerName"])
    .where("goals.id", "=", goalId)
    .executeTakeFirst();
  const title = goal?.title ?? `Goal ${goalId}`;
  if (e.type === "goal.stalled") {
    const reasons = Array.isArray(e.payload.reasons) ? (e.payload.reasons as string[]) : [];
    const why = reasons.map((r) => STALL_WORDS[r] ?? r).join("; ");
    const prompt = typeof e.payload.leaderPrompt === "string" ? e.payload.leaderPrompt : null;
    const next = e.payload.nextStep as { text?: unknown } | null | undefined;
    const facts = [{ label: "Owner", value: goal?.ownerName ?? "someone" }];
    if (goal?.dueDate) facts.push({ label: "Due", value: goal.dueDate });
    if (typeof next?.text === "string") facts.push({ label: "Next small step", value: next.text });
    return {
      type: e.type,
      title: `Stalled: ${title}`,
      text: `${goal?.ownerName ?? "Someone"}'s goal "${title}" has stalled${why ? `: ${why}` : ""}.${prompt ? ` ${prompt}.` : ""}`,
      facts,
      context: "Micro-goal mode: one small next step at a time until it moves again.",
    };
  }
  const who =
    e.subject.type === "commitment"
      ? await db
          .selectFrom("commitments")
          .innerJoin("users", "users.id", "commitments.userId")
          .select(["users.name", "commitments.text", "commitments.dueDate"])
          .where("commitments.id", "=", e.subject.id)
          .executeTakeFirst()
      : undefined;
  const kept = e.type === "commitment.kept";
  const text = typeof e.payload.text === "string" ? e.payload.text : (who?.text ?? "");
  const facts = [{ label: "Goal", value: title }];
  if (who?.dueDate) facts.push({ label: "Due", value: who.dueDate });
  return {
    type: e.type,
    title: kept ? "Commitment kept" : "Commitment missed",
    text: `${who?.name ?? "Someone"} ${kept ? "kept" : "missed"} a commitment: "${text}".`,
    facts,
    context: kept
      ? "Follow-through counts. Say well done."
      : "A missed commitment is a cue for a smaller next step.",
  };
}

/**
 * Claims up to `limit` deliveries that are due. The claim is one UPDATE that succeeds only while
 * the row is still pending and unclaimed, so of two dispatchers exactly one gets each delivery
 * (on PostgreSQL the second UPDATE re-reads the row after the first commits and finds it claimed).
 */
export async function claimDueDeliveries(ctx: AppContext, now: Date, limit = 50): Promise<ClaimedDelivery[]> {
  const db = ctx.store.db;
  const at = now.toISOString();
  const until = new Date(now.getTime() + CLAIM_MS).toISOString();
  const due = await db
    .selectFrom("webhookDeliveries")
    .select("id")
    .where("state", "=", "pending")
    .where("nextAttemptAt", "<=", at)
    .where((eb) => eb.or([eb("lockedUntil", "is", null), eb("lockedUntil", "<", at)]))
    .orderBy("id")
    .limit(limit)
    .execute();
  const claimed: ClaimedDelivery[] = [];
  for (const { id } of due) {
    const row = await db
      .updateTable("webhookDeliveries")
      .set((eb) => ({ lockedUntil: until, attempts: eb("attempts", "+", 1) }))
      .where("id", "=", id)
      .where("state", "=", "pending")
      .where("nextAttemptAt", "<=", at)
      .where((eb) => eb.or([eb("lockedUntil", "is", null), eb("lockedUntil", "<", at)]))
      .returning(["id", "deliveryKey", "attempts", "webhookId", "eventId"])
      .executeTakeFirst();
    if (!row) continue;
    const hook = await db
      .selectFrom("webhooks")
      .select(["id", "kind", "url", "secret"])
      .where("id", "=", row.webhookId)
      .executeTakeFirst();
    const ev = await db.selectFrom("events").selectAll().where("id", "=", row.eventId).executeTakeFirst();
    if (!hook || !ev) continue;
    const event: WebhookEvent = {
      id: ev.id,
      type: ev.type,
      createdAt: ev.createdAt,
      workspaceId: ev.workspaceId,
      subject: { type: ev.subjectType, id: ev.subjectId },
      payload: JSON.parse(ev.payloadJson) as Record<string, unknown>,
    };
    let notice: ChannelNotice | null = null;
    if (hook.kind !== "webhook") {
      const goalId = await goalOfEvent(db, {
        subjectType: ev.subjectType,
        subjectId: ev.subjectId,
        payload: event.payload,
      });
      notice = await noticeFor(db, event, goalId ?? 0);
    }
    claimed.push({ id: row.id, deliveryKey: row.deliveryKey, attempt: row.attempts, hook, event, notice });
  }
  return claimed;
}

/**
 * Records an attempt in the log and moves the delivery on: delivered on a 2xx answer, else
 * retried after the next wait of RETRY_SCHEDULE_SECONDS, or failed after MAX_ATTEMPTS.
 */
export async function recordAttempt(
  ctx: AppContext,
  d: ClaimedDelivery,
  result: AttemptResult,
  now: Date,
): Promise<{ state: string; nextAttemptAt: string | null }> {
  const at = now.toISOString();
  const ok = isSuccess(result.statusCode);
  const wait = RETRY_SCHEDULE_SECONDS[d.attempt - 1];
  const state = ok ? "delivered" : wait === undefined ? "failed" : "pending";
  const nextAttemptAt =
    state === "pending" ? new Date(now.getTime() + (wait as number) * 1000).toISOString() : null;
  const error = result.error?.slice(0, 500) ?? null;
  await ctx.store.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("webhookDeliveries")
      .set({
        state,
        lockedUntil: null,
        lastStatus: result.statusCode,
        lastError: error,
        deliveredAt: ok ? at : null,
        ...(nextAttemptAt ? { nextAttemptAt } : {}),
      })
      .where("id", "=", d.id)
      .returning("id")
      .executeTakeFirst();
    // The hook was deleted while this attempt was under way: nothing left to log.
    if (!updated) return;
    await trx
      .insertInto("webhookAttempts")
      .values({
        deliveryId: d.id,
        attempt: d.attempt,
        statusCode: result.statusCode,
        error,
        nextAttemptAt,
        attemptedAt: at,
        durationMs: Math.round(result.durationMs),
      })
      .execute();
  });
  return { state, nextAttemptAt };
}
