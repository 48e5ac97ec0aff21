/**
 * Sending outgoing hooks: the signed JSON of an event to integrators' webhooks, and Block Kit or
 * Adaptive Card messages to teams' Slack and Teams channels. `dispatchWebhooks` is one pass of the
 * delivery queue (the scheduler calls it on its tick); `postToTeamChannels` sends a notice now.
 */
import { createHmac } from "node:crypto";
import type { AppContext } from "../app/context.js";
import {
  type AttemptResult,
  type ChannelKind,
  type ChannelNotice,
  type ClaimedDelivery,
  claimDueDeliveries,
  enqueueDeliveries,
  isSuccess,
  recordAttempt,
  teamChannelTargets,
  type WebhookEvent,
} from "../app/delivery/webhooks.js";
import { slackMessage } from "./slack.js";
import { teamsMessage } from "./teams.js";

/** How long a receiver has to answer, by default. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The headers' names, for receivers. */
export const HEADERS = {
  event: "X-Throughline-Event",
  delivery: "X-Throughline-Delivery",
  signature: "X-Throughline-Signature",
} as const;

/** Options of a dispatch pass or a channel post. */
export interface SendOptions {
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
  /** How many deliveries one pass sends at most (default 32). */
  limit?: number;
  /** How many are sent at once (default 8); each batch is claimed just before it is sent. */
  parallel?: number;
}

/** The JSON body of a webhook delivery: exactly the event as the log holds it. */
export function webhookBody(e: WebhookEvent): string {
  return JSON.stringify({
    id: e.id,
    type: e.type,
    createdAt: e.createdAt,
    workspaceId: e.workspaceId,
    subject: { type: e.subject.type, id: e.subject.id },
    payload: e.payload,
  });
}

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body with the secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A channel's message body for a notice. */
export function channelBody(kind: ChannelKind | string, notice: ChannelNotice): string {
  return JSON.stringify(kind === "teams" ? teamsMessage(notice) : slackMessage(notice));
}

/** POSTs JSON and reports the status or the failure; never throws, never follows redirects. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<AttemptResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Throughline-Hooks/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = isSuccess(res.status) ? "" : await res.text().catch(() => "");
    return {
      statusCode: res.status,
      error: isSuccess(res.status) ? null : `HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ""}`,
      durationMs: performance.now() - started,
    };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === "TimeoutError"
        ? `No answer within ${timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { statusCode: null, error: why, durationMs: performance.now() - started };
  }
}

function requestFor(d: ClaimedDelivery): { body: string; headers: Record<string, string> } {
  if (d.hook.kind === "webhook") {
    const body = webhookBody(d.event);
    return {
      body,
      headers: {
        [HEADERS.event]: d.event.type,
        [HEADERS.delivery]: d.deliveryKey,
        [HEADERS.signature]: signBody(d.hook.secret ?? "", body),
      },
    };
  }
  return { body: channelBody(d.hook.kind, d.notice as ChannelNotice), headers: {} };
}

/** What one dispatch pass did. */
export interface DispatchSummary {
  queued: number;
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * One pass of the delivery queue at `now`: queues new events for every hook, then claims the due
 * deliveries and sends each once, recording the attempt and when to retry. Safe to run on several
 * instances at once: each delivery is claimed by one of them.
 */
export async function dispatchWebhooks(
  ctx: AppContext,
  now: Date,
  options: SendOptions = {},
): Promise<DispatchSummary> {
  const summary: DispatchSummary = { queued: 0, attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  summary.queued = await enqueueDeliveries(ctx, now);
  const limit = options.limit ?? 32;
  const parallel = Math.max(1, options.parallel ?? 8);
  // Claim a batch only when about to send it, so a claim never outlives its CLAIM_MS lease.
  while (summary.attempted < limit) {
    const due = await claimDueDeliveries(ctx, now, Math.min(parallel, limit - summary.attempted));
    if (due.length === 0) break;
    await Promise.all(
      due.map(async (d) => {
        const { body, headers } = requestFor(d);
        const result = await postJson(d.hook.url, body, headers, options.timeoutMs);
        const { state } = await recordAttempt(ctx, d, result, now);
        summary.attempted += 1;
        if (state === "delivered") summary.delivered += 1;
        else if (state === "pending") summary.retrying += 1;
        else summary.failed += 1;
      }),
    );
  }
  return summary;
}

/**
 * Sends a notice to every channel a team has connected (Slack, Teams), now, once, without the
 * queue: for the scheduler's team-level nudges, which fire once per tick themselves.
 */
export async function postToTeamChannels(
  ctx: AppContext,
  teamId: number,
  notice: ChannelNotice,
  options: SendOptions = {},
): Promise<({ kind: ChannelKind; ok: boolean } & AttemptResult)[]> {
  const targets = await teamChannelTargets(ctx, teamId);
  return Promise.all(
    targets.map(async (t) => {
      const result = await postJson(t.url, channelBody(t.kind, notice), {}, options.timeoutMs);
      return { kind: t.kind, ok: isSuccess(result.statusCode), ...result };
    }),
  );
}
