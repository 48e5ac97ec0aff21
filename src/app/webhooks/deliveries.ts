/**
 * Deliveries to outgoing hooks, as jobs on the one job queue (src/app/delivery/queue.ts): each
 * event a hook may hear about is queued once per hook under the dedupe key
 * `webhook:<hookId>:<eventId>`, claimed with the queue's lease, retried on the queue's terms with
 * the schedule below, and every attempt is written to the hook's delivery log. What to send and
 * when is decided here; making the request (the body, the signature, the POST) is the sender's
 * that the caller passes in (src/integrations/webhooks.ts).
 */
import { randomUUID } from "node:crypto";
import { goalIdOfCommitment } from "../../store/repos/commitments.js";
import * as events from "../../store/repos/events.js";
import { findGoal, isGoalSharedWithTeam } from "../../store/repos/plans.js";
import * as hooks from "../../store/repos/webhooks.js";
import type { AppContext } from "../context.js";
import * as queue from "../delivery/queue.js";
import { type ChannelNotice, channelNotice } from "./channels.js";

/** The job kind that delivers one event to one hook. */
export const WEBHOOK_DELIVERY_JOB = "webhook-delivery";
/** Seconds to wait after each failed attempt; after the last one the delivery is given up. */
export const RETRY_SCHEDULE_SECONDS = [30, 120, 600, 3600, 21_600] as const;
/** Attempts before a delivery is marked failed: the first and one per retry. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;
/** How long a claim on a delivery lasts: longer than a request may take, so only one sender sends it. */
export const CLAIM_MS = 60_000;
// An event inserted by a transaction that commits after a later one (PostgreSQL serials are handed
// out before commit) would fall behind the cursor; recent events below it are looked at again.
const RESCAN_MS = 5 * 60_000;
const RESCAN_IDS = 1000;

/**
 * The event type of a test message someone sent to one hook from the Integrations page. It is in
 * the event log like any other event, but no hook subscribes to it: it is queued only for the hook
 * it tests, sent at once and tried once (a failed test is not retried; the person tries again).
 */
export const TEST_EVENT = "hook.test";

/** An event as a webhook sends it: exactly what the event log holds. */
export interface WebhookEvent {
  id: number;
  type: string;
  createdAt: string;
  workspaceId: number;
  subject: { type: string; id: number };
  payload: Record<string, unknown>;
}

/** One delivery to send now. */
export interface OutgoingHook {
  /** The X-Throughline-Delivery id: the same on every attempt of this delivery. */
  deliveryId: string;
  attempt: number;
  hook: { kind: string; url: string; secret: string | null };
  event: WebhookEvent;
  /** For Slack and Teams: the message to post. */
  notice: ChannelNotice | null;
}

/** What came of one attempt: the answer's status, or why there was none. */
export interface AttemptResult {
  statusCode: number | null;
  /** Null on a 2xx answer; never the response body. */
  error: string | null;
  /**
   * The address was refused (not public and not allow-listed, src/app/webhooks/outbound.ts): the
   * delivery fails at once instead of being retried.
   */
  refused?: boolean;
}

/** Makes one delivery's HTTP request; never throws. */
export type HookSender = (delivery: OutgoingHook) => Promise<AttemptResult>;

/** Options of a delivery pass. */
export interface DeliverOptions {
  /** The id this sender's claims carry (one per process or pass). */
  worker?: string;
  /** How many deliveries one pass sends at most (default 32). */
  limit?: number;
  /** How many are sent at once (default 8); each batch is claimed just before it is sent. */
  parallel?: number;
  /** PUBLIC_URL: Slack and Teams messages link to the goal or step under it (none when unset). */
  publicUrl?: string;
}

/** What one delivery pass did. */
export interface DispatchSummary {
  queued: number;
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

interface DeliveryJob {
  webhookId: number;
  eventId: number;
  deliveryId: string;
}

interface Claimed {
  job: { id: number; attempts: number };
  webhookId: number;
  message: OutgoingHook;
}

/** The dedupe keys of one hook's deliveries start with this. */
export function deliveryKeyPrefix(hookId: number): string {
  return `webhook:${hookId}:`;
}

/** True for a 2xx answer. */
export function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** The delivery's state as the log shows it, from its job's state. */
export function deliveryState(jobState: string): "pending" | "delivered" | "failed" {
  return jobState === "done" ? "delivered" : jobState === "failed" ? "failed" : "pending";
}

function toWebhookEvent(e: events.LoggedEvent): WebhookEvent {
  return {
    id: e.id,
    type: e.type,
    createdAt: e.createdAt,
    workspaceId: e.workspaceId,
    subject: { type: e.subjectType, id: e.subjectId },
    payload: e.payload,
  };
}

/** The goal an event is about, or null when it is about no goal. */
async function goalOfEvent(ctx: AppContext, e: WebhookEvent): Promise<number | null> {
  if (e.subject.type === "goal") return e.subject.id;
  if (e.subject.type === "commitment") return goalIdOfCommitment(ctx.store.db, e.subject.id);
  const g = e.payload.goalId;
  return typeof g === "number" ? g : null;
}

/** Whether the hook may hear about the goal: what its creator may read, or the team's shared goals. */
async function hookMayTell(ctx: AppContext, hook: hooks.HookRow, goalId: number): Promise<boolean> {
  const db = ctx.store.db;
  if (hook.kind === "webhook") {
    const creator = { userId: hook.createdBy, workspaceId: hook.workspaceId, teamIds: null };
    return (await findGoal(db, creator, goalId)) !== undefined;
  }
  // A team channel is read by the whole team: only goals the team may read, never private ones.
  const team = { workspaceId: hook.workspaceId, teamId: hook.teamId as number };
  return isGoalSharedWithTeam(db, team, goalId);
}

/**
 * Queues each new event for each hook that wants it and may hear about it, as a job keyed by hook
 * and event, so two senders reading the same events queue it once. Returns how many were queued.
 */
async function queueDeliveries(ctx: AppContext, now: Date): Promise<number> {
  const db = ctx.store.db;
  const recent = new Date(now.getTime() - RESCAN_MS).toISOString();
  let queued = 0;
  for (const hook of await hooks.allHooks(db)) {
    const types = JSON.parse(hook.eventsJson) as string[];
    let top = hook.eventCursor;
    let after = Math.max(hook.eventFloor, hook.eventCursor - RESCAN_IDS);
    for (;;) {
      const batch = await events.listEvents(db, hook.workspaceId, after, 500);
      if (batch.length === 0) break;
      after = (batch[batch.length - 1] as events.LoggedEvent).id;
      top = Math.max(top, after);
      const wanted = batch.filter(
        (e) => types.includes(e.type) && (e.id > hook.eventCursor || e.createdAt >= recent),
      );
      const key = (e: events.LoggedEvent) => `${deliveryKeyPrefix(hook.id)}${e.id}`;
      // Events looked at before are queued already unless they were committed late.
      const known = await queue.queuedKeys(ctx, wanted.filter((e) => e.id <= hook.eventCursor).map(key));
      for (const e of wanted) {
        if (known.has(key(e))) continue;
        const event = toWebhookEvent(e);
        const goalId = await goalOfEvent(ctx, event);
        if (goalId === null || !(await hookMayTell(ctx, hook, goalId))) continue;
        const payload: DeliveryJob = { webhookId: hook.id, eventId: e.id, deliveryId: randomUUID() };
        const added = await queue.enqueue(
          ctx,
          { kind: WEBHOOK_DELIVERY_JOB, payload, dedupeKey: key(e), runAt: now },
          now,
        );
        if (added) queued += 1;
      }
      if (batch.length < 500) break;
    }
    if (top > hook.eventCursor) await hooks.moveEventCursor(db, hook.id, top);
  }
  return queued;
}

/**
 * Claims up to `limit` due deliveries for `worker` and reads what each is to send. A delivery whose
 * hook was deleted meanwhile is finished without sending. Returns how many jobs were claimed too,
 * so a pass knows whether the queue had more.
 */
async function claimDeliveries(
  ctx: AppContext,
  now: Date,
  worker: string,
  limit: number,
  keys?: readonly string[],
  publicUrl?: string,
): Promise<{ claimed: number; deliveries: Claimed[] }> {
  const db = ctx.store.db;
  const jobs = await queue.claimDueJobs(ctx, now, {
    worker,
    leaseMs: CLAIM_MS,
    limit,
    kinds: [WEBHOOK_DELIVERY_JOB],
    ...(keys ? { keys } : {}),
  });
  const deliveries: Claimed[] = [];
  for (const job of jobs) {
    const d = JSON.parse(job.payloadJson) as DeliveryJob;
    const [hook, logged] = await Promise.all([
      hooks.findHook(db, d.webhookId),
      events.findEvent(db, d.eventId),
    ]);
    if (!hook || !logged) {
      await queue.finishJob(ctx, job.id, worker, now);
      continue;
    }
    const event = toWebhookEvent(logged);
    const notice =
      hook.kind === "webhook"
        ? null
        : event.type === TEST_EVENT
          ? testNotice(event)
          : await channelNotice(db, event, (await goalOfEvent(ctx, event)) ?? 0, {
              actorId: logged.actorId,
              ...(publicUrl ? { publicUrl } : {}),
            });
    deliveries.push({
      job: { id: job.id, attempts: job.attempts },
      webhookId: hook.id,
      message: {
        deliveryId: d.deliveryId,
        attempt: job.attempts,
        hook: {
          kind: hook.kind,
          url: ctx.store.secrets.open(hook.url, "webhooks.url"),
          secret: hook.secret === null ? null : ctx.store.secrets.open(hook.secret, "webhooks.secret"),
        },
        event,
        notice,
      },
    });
  }
  return { claimed: jobs.length, deliveries };
}

/**
 * Moves the delivery's job on (delivered on a 2xx answer, else retried after the next wait of
 * RETRY_SCHEDULE_SECONDS, or failed after MAX_ATTEMPTS) and writes the attempt to the hook's log,
 * in one transaction. Nothing is logged when another sender had taken the job over.
 */
async function recordAttempt(
  ctx: AppContext,
  d: Claimed,
  result: AttemptResult,
  now: Date,
  worker: string,
): Promise<queue.Settled> {
  const error = isSuccess(result.statusCode)
    ? null
    : (result.error ?? `HTTP ${result.statusCode}`).slice(0, 500);
  return ctx.store.db.transaction().execute(async (trx) => {
    const schedule = d.message.event.type === TEST_EVENT || result.refused ? [] : RETRY_SCHEDULE_SECONDS;
    const settled = await queue.settleAttempt(trx, d.job, worker, now, error, schedule);
    if (!settled.held) return settled;
    await hooks.insertLogEntry(trx, {
      webhookId: d.webhookId,
      jobId: d.job.id,
      eventId: d.message.event.id,
      deliveryId: d.message.deliveryId,
      attempt: d.message.attempt,
      statusCode: result.statusCode,
      error,
      attemptedAt: now.toISOString(),
      nextAttemptAt: settled.retryAt?.toISOString() ?? null,
    });
    return settled;
  });
}

/**
 * One delivery pass at `now`: queues new events for every hook, then claims the due deliveries
 * and sends each once with `send`, recording the attempt and when to retry. Safe to run on several
 * instances at once: the queue gives each delivery to one of them.
 */
export async function deliverWebhooks(
  ctx: AppContext,
  now: Date,
  send: HookSender,
  options: DeliverOptions = {},
): Promise<DispatchSummary> {
  const summary: DispatchSummary = { queued: 0, attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  summary.queued = await queueDeliveries(ctx, now);
  const worker = options.worker ?? `webhooks:${randomUUID()}`;
  const limit = options.limit ?? 32;
  const parallel = Math.max(1, options.parallel ?? 8);
  // Claim a batch only when about to send it, so a claim never outlives its CLAIM_MS lease.
  while (summary.attempted < limit) {
    const batch = await claimDeliveries(
      ctx,
      now,
      worker,
      Math.min(parallel, limit - summary.attempted),
      undefined,
      options.publicUrl,
    );
    if (batch.claimed === 0) break;
    await Promise.all(
      batch.deliveries.map(async (d) => {
        const settled = await recordAttempt(ctx, d, await send(d.message), now, worker);
        summary.attempted += 1;
        if (!settled.held) return;
        if (settled.state === "done") summary.delivered += 1;
        else if (settled.state === "queued") summary.retrying += 1;
        else summary.failed += 1;
      }),
    );
  }
  return summary;
}

/** The message a team's channel shows for a test: who sent it and what the channel will hear. */
function testNotice(e: WebhookEvent): ChannelNotice {
  const p = e.payload as { sentBy?: unknown; teamName?: unknown };
  const who = typeof p.sentBy === "string" ? p.sentBy : "Someone";
  const team = typeof p.teamName === "string" ? p.teamName : "the team";
  return {
    type: TEST_EVENT,
    title: "Throughline is connected",
    text: `${who} sent this test message. This channel will hear when a goal of ${team} stalls, when a commitment is kept or missed, and of check-ins, steps done and goal changes.`,
  };
}

/** What came of a test message. */
export interface TestDelivery {
  /** The X-Throughline-Delivery id. */
  deliveryId: string;
  eventId: number;
  /**
   * delivered (a 2xx answer), failed, or pending when another sender (the scheduler) claimed it
   * first: its result then shows in the delivery log.
   */
  state: "delivered" | "failed" | "pending";
  statusCode: number | null;
  error: string | null;
  attemptedAt: string;
}

/**
 * Sends a test message to one hook at once, through the delivery queue like every other delivery:
 * the test event (already appended to the log, type TEST_EVENT) is queued for this hook alone
 * under its usual dedupe key, claimed by key, sent with `send` and written to the hook's delivery
 * log. Tried once: a failed test is recorded as failed, not retried.
 */
export async function deliverTest(
  ctx: AppContext,
  hookId: number,
  eventId: number,
  now: Date,
  send: HookSender,
): Promise<TestDelivery> {
  const key = `${deliveryKeyPrefix(hookId)}${eventId}`;
  const payload: DeliveryJob = { webhookId: hookId, eventId, deliveryId: randomUUID() };
  await queue.enqueue(ctx, { kind: WEBHOOK_DELIVERY_JOB, payload, dedupeKey: key, runAt: now }, now);
  const worker = `webhook-test:${randomUUID()}`;
  const { deliveries } = await claimDeliveries(ctx, now, worker, 1, [key]);
  const d = deliveries[0];
  if (!d) {
    // The scheduler's pass claimed it between the two statements (or the hook was just removed).
    return {
      deliveryId: payload.deliveryId,
      eventId,
      state: "pending",
      statusCode: null,
      error: null,
      attemptedAt: now.toISOString(),
    };
  }
  const result = await send(d.message);
  await recordAttempt(ctx, d, result, now, worker);
  return {
    deliveryId: d.message.deliveryId,
    eventId,
    state: isSuccess(result.statusCode) ? "delivered" : "failed",
    statusCode: result.statusCode,
    error: isSuccess(result.statusCode) ? null : (result.error ?? `HTTP ${result.statusCode}`),
    attemptedAt: now.toISOString(),
  };
}
