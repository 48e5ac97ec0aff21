/**
 * Sending outgoing hooks: the signed JSON of an event to integrators' webhooks, and Block Kit or
 * Adaptive Card messages to teams' Slack and Teams channels. What is sent and when is decided in
 * src/app/webhooks (deliveries are jobs on the job queue); this file makes the HTTP requests.
 * `dispatchWebhooks` is one delivery pass (the scheduler runs it on its tick).
 */
import { createHmac } from "node:crypto";
import type { AppContext } from "../app/context.js";
import type { ChannelNotice } from "../app/webhooks/channels.js";
import {
  type AttemptResult,
  type DeliverOptions,
  type DispatchSummary,
  deliverWebhooks,
  type OutgoingHook,
  type WebhookEvent,
} from "../app/webhooks/deliveries.js";
import type { ChannelKind } from "../app/webhooks/hooks.js";
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
export interface SendOptions extends DeliverOptions {
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
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

/**
 * POSTs JSON and reports the status or the failure; never throws, never follows redirects, and
 * never keeps the answer's body (an error says only its status).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<AttemptResult> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Throughline-Hooks/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Unread, the body would hold the connection open.
    await res.body?.cancel().catch(() => {});
    return { statusCode: res.status, error: res.ok ? null : `HTTP ${res.status}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === "TimeoutError"
        ? `No answer within ${timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { statusCode: null, error: why };
  }
}

/** Sends one delivery: a webhook's signed event, or a channel's message. Never throws. */
export function sendHook(d: OutgoingHook, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AttemptResult> {
  if (d.hook.kind === "webhook") {
    const body = webhookBody(d.event);
    const headers = {
      [HEADERS.event]: d.event.type,
      [HEADERS.delivery]: d.deliveryId,
      [HEADERS.signature]: signBody(d.hook.secret ?? "", body),
    };
    return postJson(d.hook.url, body, headers, timeoutMs);
  }
  return postJson(d.hook.url, channelBody(d.hook.kind, d.notice as ChannelNotice), {}, timeoutMs);
}

/**
 * One delivery pass at `now` (src/app/webhooks/deliveries.ts, `deliverWebhooks`) with the HTTP
 * sender: queues new events for every hook, then sends the due deliveries, each once. Safe to run
 * on several instances at once.
 */
export function dispatchWebhooks(
  ctx: AppContext,
  now: Date,
  options: SendOptions = {},
): Promise<DispatchSummary> {
  return deliverWebhooks(ctx, now, (d) => sendHook(d, options.timeoutMs), options);
}
