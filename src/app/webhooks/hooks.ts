/**
 * Outgoing hooks as people manage them: integrators' webhooks (signed, chosen events, the
 * workspace owner's) with their delivery log, and teams' Slack and Teams channels (team owners
 * and leaders). Sending is src/app/webhooks/deliveries.ts; the HTTP side src/integrations/webhooks.ts.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendEvent, lastEventId } from "../../store/repos/events.js";
import * as jobs from "../../store/repos/jobs.js";
import * as people from "../../store/repos/people.js";
import * as hooks from "../../store/repos/webhooks.js";
import { type Actor, type AppContext, actorFacts, nowIso } from "../context.js";
import { AppError, notFound } from "../errors.js";
import { assertCan } from "../policy.js";
import { decodeCursor, type Page, pageOf, pageQuery, parse } from "../validation.js";
import { CHANNEL_EVENTS } from "./channels.js";
import {
  deliverTest,
  deliveryKeyPrefix,
  deliveryState,
  type HookSender,
  isSuccess,
  TEST_EVENT,
  type TestDelivery,
  WEBHOOK_DELIVERY_JOB,
} from "./deliveries.js";
import { hookUrl, maskUrl } from "./urls.js";

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

/** The channels a team can connect. */
export const CHANNEL_KINDS = ["slack", "teams"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

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

async function assertWorkspaceOwner(ctx: AppContext, actor: Actor, what: string): Promise<void> {
  assertCan(
    await actorFacts(ctx.store.db, actor),
    "webhook.manage",
    actor,
    `Only the workspace owner can ${what}.`,
  );
}

/** The URL a hook row holds, decrypted (URLs and secrets are sealed at rest, src/store/secret-box.ts). */
function hookUrlOf(ctx: AppContext, r: hooks.HookRow): string {
  return ctx.store.secrets.open(r.url, "webhooks.url");
}

function toWebhook(ctx: AppContext, r: hooks.HookRow): Webhook {
  return {
    id: r.id,
    url: hookUrlOf(ctx, r),
    events: JSON.parse(r.eventsJson) as string[],
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

/**
 * A new webhook secret in the Standard Webhooks form: `whsec_` and the base64 of 256 random bits,
 * which receivers pass as it is to `new Webhook(secret)`.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
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
  const secret = input.secret ?? newWebhookSecret();
  const now = nowIso(ctx);
  const last = await lastEventId(ctx.store.db);
  const row = await hooks.insertHook(ctx.store.db, {
    workspaceId: actor.workspaceId,
    kind: "webhook",
    teamId: null,
    url: ctx.store.secrets.seal(input.url, "webhooks.url"),
    secret: ctx.store.secrets.seal(secret, "webhooks.secret"),
    eventsJson: JSON.stringify(input.events),
    createdBy: actor.userId,
    eventCursor: last,
    eventFloor: last,
    createdAt: now,
    updatedAt: now,
  });
  return { ...toWebhook(ctx, row), secret };
}

/** The workspace's webhooks (owner only), without their secrets. */
export async function listWebhooks(ctx: AppContext, actor: Actor): Promise<Webhook[]> {
  await assertWorkspaceOwner(ctx, actor, "manage webhooks");
  return (await hooks.webhooksOf(ctx.store.db, actor.workspaceId)).map((r) => toWebhook(ctx, r));
}

/** Deletes a hook with its queued deliveries and its log (which goes with the hook's row). */
async function deleteHook(ctx: AppContext, hookId: number): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await hooks.deleteHook(trx, hookId);
    // Hook ids are never reused, so the freed dedupe keys are never asked for again.
    await jobs.deleteJobsByKeyPrefix(trx, WEBHOOK_DELIVERY_JOB, deliveryKeyPrefix(hookId));
  });
}

async function webhookOrThrow(ctx: AppContext, actor: Actor, webhookId: number): Promise<number> {
  await assertWorkspaceOwner(ctx, actor, "manage webhooks");
  const row = await hooks.findWebhook(ctx.store.db, actor.workspaceId, webhookId);
  if (!row) throw notFound("webhook", webhookId);
  return row.id;
}

export type { TestDelivery } from "./deliveries.js";

/**
 * Appends a test event for one hook (TEST_EVENT, so no hook subscribes to it) and sends it to that
 * hook at once through the delivery queue; the attempt shows in the hook's delivery log.
 */
async function sendTest(
  ctx: AppContext,
  actor: Actor,
  hookId: number,
  subject: { type: string; id: number },
  payload: Record<string, unknown>,
  send: HookSender,
): Promise<TestDelivery> {
  const db = ctx.store.db;
  const sender = await people.findUser(db, actor.workspaceId, actor.userId);
  const eventId = await appendEvent(db, {
    workspaceId: actor.workspaceId,
    type: TEST_EVENT,
    actorId: actor.userId,
    subjectType: subject.type,
    subjectId: subject.id,
    payload: {
      message: "A test message from Throughline: this hook is connected.",
      sentBy: sender?.name ?? "Someone",
      ...payload,
    },
    createdAt: nowIso(ctx),
  });
  return deliverTest(ctx, hookId, eventId, ctx.now(), send);
}

/** Sends a test message to a webhook (workspace owner); it shows in the webhook's delivery log. */
export async function testWebhook(
  ctx: AppContext,
  actor: Actor,
  webhookId: number,
  send: HookSender,
): Promise<TestDelivery> {
  const id = await webhookOrThrow(ctx, actor, webhookId);
  return sendTest(ctx, actor, id, { type: "webhook", id }, {}, send);
}

/** Deletes a webhook with its queue and log; nothing more is sent to it. */
export async function deleteWebhook(ctx: AppContext, actor: Actor, webhookId: number): Promise<void> {
  await deleteHook(ctx, await webhookOrThrow(ctx, actor, webhookId));
}

/** A page of a hook's delivery log, newest attempt first. */
async function logPage(ctx: AppContext, hookId: number, q: z.output<typeof DeliveriesQuery>) {
  const rows = await hooks.deliveryLogOf(ctx.store.db, hookId, {
    before: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  return pageOf(
    rows.map((r) => ({
      id: r.id,
      deliveryId: r.deliveryId,
      eventId: r.eventId,
      eventType: r.eventType,
      attempt: r.attempt,
      statusCode: r.statusCode,
      error: r.error,
      attemptedAt: r.attemptedAt,
      nextAttemptAt: r.nextAttemptAt,
      deliveredAt: isSuccess(r.statusCode) ? r.attemptedAt : null,
      state: deliveryState(r.jobState),
    })),
    q.limit,
  );
}

/** A webhook's delivery log, newest attempt first. */
export async function listDeliveries(
  ctx: AppContext,
  actor: Actor,
  webhookId: number,
  raw: unknown,
): Promise<Page<DeliveryAttempt>> {
  const q = parse(DeliveriesQuery, raw);
  return logPage(ctx, await webhookOrThrow(ctx, actor, webhookId), q);
}

async function teamOrThrow(ctx: AppContext, actor: Actor, teamId: number, manage: boolean): Promise<void> {
  const db = ctx.store.db;
  if (!(await people.teamExists(db, actor.workspaceId, teamId))) throw notFound("team", teamId);
  const team = { id: teamId, workspaceId: actor.workspaceId };
  assertCan(await actorFacts(db, actor), manage ? "channel.manage" : "channel.read", team);
}

function toChannel(ctx: AppContext, r: hooks.HookRow): TeamChannel {
  return {
    kind: r.kind as ChannelKind,
    teamId: r.teamId as number,
    url: maskUrl(hookUrlOf(ctx, r)),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Connects (or re-points) a team's Slack or Teams channel: team owners and leaders, and the
 * workspace owner. It hears CHANNEL_EVENTS (src/app/webhooks/channels.ts) of the team's goals from now on.
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
  const row = await hooks.upsertTeamChannel(ctx.store.db, {
    workspaceId: actor.workspaceId,
    kind,
    teamId,
    url: ctx.store.secrets.seal(input.webhookUrl, "webhooks.url"),
    secret: null,
    eventsJson: JSON.stringify(CHANNEL_EVENTS),
    createdBy: actor.userId,
    eventCursor: cursor,
    eventFloor: cursor,
    createdAt: now,
    updatedAt: now,
  });
  return toChannel(ctx, row);
}

/** A team's connected channels, URLs masked (its members and the workspace owner). */
export async function listTeamChannels(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
): Promise<TeamChannel[]> {
  await teamOrThrow(ctx, actor, teamId, false);
  return (await hooks.teamChannelsOf(ctx.store.db, teamId)).map((r) => toChannel(ctx, r));
}

function channelNotFound(teamId: number, kind: ChannelKind): AppError {
  return new AppError(
    404,
    "channel_not_found",
    `Team ${teamId} has no ${kind === "slack" ? "Slack" : "Teams"} channel connected. Connect one with PUT /api/teams/${teamId}/integrations/${kind}.`,
  );
}

/**
 * Posts a test message to a team's Slack or Teams channel (those who may connect it), through the
 * delivery queue; the attempt is in the channel's delivery log.
 */
export async function testTeamChannel(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  kind: ChannelKind,
  send: HookSender,
): Promise<TestDelivery> {
  await teamOrThrow(ctx, actor, teamId, true);
  const db = ctx.store.db;
  const [row, team] = await Promise.all([
    hooks.findTeamChannel(db, teamId, kind),
    people.teamIn(db, actor.workspaceId, teamId),
  ]);
  if (!row) throw channelNotFound(teamId, kind);
  return sendTest(ctx, actor, row.id, { type: "team", id: teamId }, { teamName: team?.name ?? null }, send);
}

/** A team channel's delivery log, newest attempt first (those who may connect it). */
export async function listChannelDeliveries(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  kind: ChannelKind,
  raw: unknown,
): Promise<Page<DeliveryAttempt>> {
  const q = parse(DeliveriesQuery, raw);
  await teamOrThrow(ctx, actor, teamId, true);
  const row = await hooks.findTeamChannel(ctx.store.db, teamId, kind);
  if (!row) throw channelNotFound(teamId, kind);
  return logPage(ctx, row.id, q);
}

/** Disconnects a team's Slack or Teams channel. */
export async function removeTeamChannel(
  ctx: AppContext,
  actor: Actor,
  teamId: number,
  kind: ChannelKind,
): Promise<void> {
  await teamOrThrow(ctx, actor, teamId, true);
  const row = await hooks.findTeamChannel(ctx.store.db, teamId, kind);
  if (!row) throw channelNotFound(teamId, kind);
  await deleteHook(ctx, row.id);
}
