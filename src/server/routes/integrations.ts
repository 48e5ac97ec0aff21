/**
 * HTTP routes for integrations: teams' Slack and Teams channels, outgoing webhooks with their
 * delivery log, and each person's secret calendar feed (the feed itself needs no sign-in: its
 * URL is the secret).
 */
import { createRoute, z } from "@hono/zod-openapi";
import * as calendar from "../../app/exports/calendar.js";
import * as hooks from "../../app/webhooks/hooks.js";
import { calendarOptions, formatPlans, MEDIA_TYPES } from "../../integrations/export/index.js";
import { sendHook } from "../../integrations/webhooks.js";
import { router } from "../env.js";
import { ErrorSchema, errorResponses, IdParam, jsonBody, jsonResponse, pageSchema } from "./schemas.js";

const ChannelParam = IdParam.extend({
  kind: z
    .enum(hooks.CHANNEL_KINDS)
    .openapi({ param: { name: "kind", in: "path", required: true }, example: "slack" }),
});

const FeedParam = z.object({
  file: z
    .string()
    .max(200)
    .openapi({
      param: { name: "file", in: "path", required: true },
      example: "tlc_abc123.ics",
      description: "The feed's token followed by .ics",
    }),
});

const ChannelSchema = z
  .object({
    kind: z.enum(hooks.CHANNEL_KINDS),
    teamId: z.number().int(),
    url: z.string().openapi({ description: "Masked: the URL is the channel's credential." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("TeamChannel");

const WebhookSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.string()),
    createdBy: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("Webhook");

const DeliverySchema = z
  .object({
    id: z.number().int(),
    deliveryId: z.string(),
    eventId: z.number().int(),
    eventType: z.string(),
    attempt: z.number().int(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    attemptedAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    state: z.string(),
  })
  .openapi("WebhookDelivery");

const TestDeliverySchema = z
  .object({
    deliveryId: z.string(),
    eventId: z.number().int(),
    state: z.enum(["delivered", "failed", "pending"]).openapi({
      description:
        "delivered: the receiver answered 2xx; failed: it did not (tests are tried once); pending: the scheduler is sending it, see the delivery log",
    }),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    attemptedAt: z.string(),
  })
  .openapi("TestDelivery");

const notAllowed = {
  403: {
    description: "Not the workspace owner (not_allowed).",
    content: { "application/json": { schema: ErrorSchema } },
  },
} as const;
const FEED_FILE = /^(tlc_[A-Za-z0-9_-]{20,100})\.ics$/;

/** Registers /api/teams/{id}/integrations, /api/webhooks and /api/calendar. */
export function integrationRoutes() {
  const r = router();

  r.openapi(
    createRoute({
      method: "get",
      path: "/teams/{id}/integrations",
      operationId: "listTeamChannels",
      tags: ["integrations"],
      summary: "A team's Slack and Teams channels (URLs masked; its members and the workspace owner)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(ChannelSchema) }), "Channels"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json({ items: await hooks.listTeamChannels(c.var.ctx, c.var.actor, id) }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "put",
      path: "/teams/{id}/integrations/{kind}",
      operationId: "setTeamChannel",
      tags: ["integrations"],
      summary:
        "Connect a team's Slack incoming webhook or Teams Workflows webhook (kind slack or teams; team owners, leaders, the workspace owner)",
      request: { params: ChannelParam, body: jsonBody(hooks.ChannelInput) },
      responses: { 200: jsonResponse(ChannelSchema, "Connected"), ...errorResponses },
    }),
    async (c) => {
      const { id, kind } = c.req.valid("param");
      return c.json(await hooks.setTeamChannel(c.var.ctx, c.var.actor, id, kind, c.req.valid("json")), 200);
    },
  );

  r.openapi(
    createRoute({
      method: "delete",
      path: "/teams/{id}/integrations/{kind}",
      operationId: "removeTeamChannel",
      tags: ["integrations"],
      summary: "Disconnect a team's Slack or Teams channel",
      request: { params: ChannelParam },
      responses: { 200: jsonResponse(z.object({ removed: z.boolean() }), "Removed"), ...errorResponses },
    }),
    async (c) => {
      const { id, kind } = c.req.valid("param");
      await hooks.removeTeamChannel(c.var.ctx, c.var.actor, id, kind);
      return c.json({ removed: true }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/webhooks",
      operationId: "createWebhook",
      tags: ["integrations"],
      summary: "Create an outgoing webhook (workspace owner); its signing secret is shown once",
      request: { body: jsonBody(hooks.WebhookCreateInput) },
      responses: {
        201: jsonResponse(WebhookSchema.extend({ secret: z.string() }), "Created, with its secret"),
        ...errorResponses,
        ...notAllowed,
      },
    }),
    async (c) => c.json(await hooks.createWebhook(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/webhooks",
      operationId: "listWebhooks",
      tags: ["integrations"],
      summary: "The workspace's webhooks, never their secrets (workspace owner)",
      responses: {
        200: jsonResponse(z.object({ items: z.array(WebhookSchema) }), "Webhooks"),
        ...errorResponses,
        ...notAllowed,
      },
    }),
    async (c) => c.json({ items: await hooks.listWebhooks(c.var.ctx, c.var.actor) }, 200),
  );

  r.openapi(
    createRoute({
      method: "delete",
      path: "/webhooks/{id}",
      operationId: "deleteWebhook",
      tags: ["integrations"],
      summary: "Delete a webhook with its queue and delivery log",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ deleted: z.boolean() }), "Deleted"),
        ...errorResponses,
        ...notAllowed,
      },
    }),
    async (c) => {
      await hooks.deleteWebhook(c.var.ctx, c.var.actor, c.req.valid("param").id);
      return c.json({ deleted: true }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/webhooks/{id}/deliveries",
      operationId: "listWebhookDeliveries",
      tags: ["integrations"],
      summary:
        "A webhook's delivery log, newest attempt first: event, attempt, status code, error, next attempt",
      request: { params: IdParam, query: hooks.DeliveriesQuery },
      responses: {
        200: jsonResponse(pageSchema(DeliverySchema), "Attempts"),
        ...errorResponses,
        ...notAllowed,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await hooks.listDeliveries(c.var.ctx, c.var.actor, id, c.req.valid("query")), 200);
    },
  );

  // --- Test messages and a channel's delivery log (the Integrations page) ---
  r.openapi(
    createRoute({
      method: "post",
      path: "/webhooks/{id}/test",
      operationId: "testWebhook",
      tags: ["integrations"],
      summary:
        "Send a test message (event hook.test) to a webhook now, through the delivery queue; it shows in its delivery log",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(TestDeliverySchema, "What came of the test"),
        ...errorResponses,
        ...notAllowed,
      },
    }),
    async (c) =>
      c.json(
        await hooks.testWebhook(c.var.ctx, c.var.actor, c.req.valid("param").id, (d) => sendHook(d)),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/teams/{id}/integrations/{kind}/test",
      operationId: "testTeamChannel",
      tags: ["integrations"],
      summary:
        "Post a test message to a team's Slack or Teams channel now (team owners, leaders, the workspace owner)",
      request: { params: ChannelParam },
      responses: { 200: jsonResponse(TestDeliverySchema, "What came of the test"), ...errorResponses },
    }),
    async (c) => {
      const { id, kind } = c.req.valid("param");
      return c.json(await hooks.testTeamChannel(c.var.ctx, c.var.actor, id, kind, (d) => sendHook(d)), 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/teams/{id}/integrations/{kind}/deliveries",
      operationId: "listTeamChannelDeliveries",
      tags: ["integrations"],
      summary: "A team channel's delivery log, newest attempt first (those who may connect it)",
      request: { params: ChannelParam, query: hooks.DeliveriesQuery },
      responses: { 200: jsonResponse(pageSchema(DeliverySchema), "Attempts"), ...errorResponses },
    }),
    async (c) => {
      const { id, kind } = c.req.valid("param");
      return c.json(
        await hooks.listChannelDeliveries(c.var.ctx, c.var.actor, id, kind, c.req.valid("query")),
        200,
      );
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/calendar/token",
      operationId: "createCalendarToken",
      tags: ["integrations"],
      summary: "Make (or replace) my calendar feed's secret URL; it is shown once",
      responses: {
        201: jsonResponse(
          z.object({ token: z.string(), path: z.string(), createdAt: z.string() }),
          "The feed's path: /api/calendar/<token>.ics",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await calendar.createFeedToken(c.var.ctx, c.var.actor, c.var.meta), 201),
  );

  r.openapi(
    createRoute({
      method: "delete",
      path: "/calendar/token",
      operationId: "revokeCalendarToken",
      tags: ["integrations"],
      summary: "Revoke my calendar feed: its URL answers 404 from now on",
      responses: { 200: jsonResponse(z.object({ revoked: z.boolean() }), "Revoked"), ...errorResponses },
    }),
    async (c) => c.json({ revoked: await calendar.revokeFeedToken(c.var.ctx, c.var.actor, c.var.meta) }, 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/calendar/{file}",
      operationId: "getCalendarFeed",
      security: [],
      tags: ["integrations"],
      summary:
        "My calendar feed at /api/calendar/<token>.ics (no sign-in: the URL is the secret): due steps, goal due dates, check-in rhythm",
      request: { params: FeedParam },
      responses: {
        200: {
          description: "An iCalendar (RFC 5545) file",
          content: { "text/calendar": { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const token = FEED_FILE.exec(c.req.valid("param").file)?.[1];
      if (!token) throw calendar.feedNotFound();
      // Issue 19: alarms at each step's time (or the owner's nudge hour), links and UIDs under PUBLIC_URL's host.
      const feed = await calendar.feedCalendar(c.var.ctx, token);
      const text = formatPlans("ics", feed.plans, calendarOptions(c.var.accountMail.publicUrl, feed));
      return c.body(text, 200, {
        "content-type": MEDIA_TYPES.ics,
        "cache-control": "private, max-age=300",
        "content-disposition": 'inline; filename="throughline.ics"',
      });
    },
  );

  return r;
}
