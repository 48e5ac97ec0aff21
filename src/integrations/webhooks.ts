/**
 * Sending outgoing hooks: the signed JSON of an event to integrators' webhooks, and Block Kit or
 * Adaptive Card messages to teams' Slack and Teams channels. What is sent and when is decided in
 * src/app/webhooks (deliveries are jobs on the job queue); this file makes the HTTP requests.
 * `dispatchWebhooks` is one delivery pass (the scheduler runs it on its tick).
 */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
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
import { postJson, type Resolver } from "./outbound.js";
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
  /** Resolves host names (the system resolver by default; tests pass their own). */
  resolver?: Resolver;
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

/**
 * The legacy signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body with the
 * secret. It does not cover a timestamp, so a captured delivery verifies again: receivers should
 * verify the Standard Webhooks headers instead (`standardHeaders`); this one is kept for
 * receivers written before them.
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A channel's message body for a notice. */
export function channelBody(kind: ChannelKind | string, notice: ChannelNotice): string {
  return JSON.stringify(kind === "teams" ? teamsMessage(notice) : slackMessage(notice));
}

/**
 * The Standard Webhooks signer for a secret (https://www.standardwebhooks.com/): a `whsec_`
 * secret in base64 (as Throughline generates) is decoded as the standard says; any other secret
 * (one the owner chose) is used as its bytes (`{ format: "raw" }`). Receivers build theirs the
 * same way (docs/api.md, "Verifying a webhook").
 */
export function standardSigner(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch {
    return new Webhook(secret, { format: "raw" });
  }
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the delivery id, the same on every
 * retry, so receivers drop duplicates), `webhook-timestamp` (the attempt's time, in seconds) and
 * `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`). A receiver that
 * refuses timestamps older than 5 minutes and ids it has seen cannot be replayed to.
 */
export function standardHeaders(secret: string, id: string, body: string, at: Date): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": standardSigner(secret).sign(id, at, body),
  };
}

/** Options of one send. */
export interface HookSendOptions {
  timeoutMs?: number | undefined;
  /** Resolves host names (the system resolver by default; tests pass their own). */
  resolver?: Resolver | undefined;
}

/**
 * Sends one delivery: a webhook's signed event, or a channel's message. Never throws; connects
 * only to addresses the outbound policy allows (src/integrations/outbound.ts).
 */
export function sendHook(d: OutgoingHook, options: HookSendOptions = {}): Promise<AttemptResult> {
  const post = { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, resolver: options.resolver };
  if (d.hook.kind === "webhook") {
    const body = webhookBody(d.event);
    const secret = d.hook.secret ?? "";
    const headers = {
      [HEADERS.event]: d.event.type,
      [HEADERS.delivery]: d.deliveryId,
      [HEADERS.signature]: signBody(secret, body),
      // Signed at the wall clock's time, which receivers compare with theirs.
      ...standardHeaders(secret, d.deliveryId, body, new Date()),
    };
    return postJson(d.hook.url, body, headers, post);
  }
  return postJson(d.hook.url, channelBody(d.hook.kind, d.notice as ChannelNotice), {}, post);
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
  return deliverWebhooks(ctx, now, (d) => sendHook(d, options), options);
}
