/** HTTP routes for my settings, snoozing nudges, and the public unsubscribe link of every email. */
import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import * as settings from "../../app/people/settings.js";
import { NUDGE_KINDS } from "../../core/nudges.js";
import { router } from "../env.js";
import { errorResponses, jsonBody, jsonResponse } from "./schemas.js";

const Flags = z.object({ inbox: z.boolean(), email: z.boolean(), slack: z.boolean(), teams: z.boolean() });
const PartialFlags = Flags.partial();

const SettingsSchema = z
  .object({
    values: z.array(z.string()),
    email: z.string().nullable(),
    timeZone: z.string(),
    weeklyPrompt: z.object({ day: z.enum(settings.WEEKDAYS), hour: z.number().int() }),
    quietHours: z.object({ start: z.number().int(), end: z.number().int() }).nullable(),
    channels: Flags,
    nudges: z.object(Object.fromEntries(NUDGE_KINDS.map((k) => [k, PartialFlags.optional()]))),
    snoozeUntil: z.string().nullable(),
    personalChannel: z
      .object({ kind: z.enum(settings.PERSONAL_CHANNEL_KINDS), url: z.string() })
      .nullable()
      .openapi({
        description:
          "My own Slack incoming webhook or Teams workflow that my nudges also go to (the URL masked: it is itself the credential)",
      }),
    weeklyReview: z
      .object({ day: z.enum(settings.WEEKDAYS), hour: z.number().int() })
      .nullable()
      .openapi({ description: "When my weekly review email comes, in my time zone; null when it is off" }),
    available: z
      .object({ inbox: z.boolean(), email: z.boolean(), slack: z.boolean(), teams: z.boolean() })
      .openapi({
        description:
          "The channels this server can send my nudges on: email only when it has SMTP configured; Slack or Teams once I connect my own channel (personalChannel)",
      }),
  })
  .openapi("Settings");

/** My settings with the channels this server can deliver my nudges on (Slack or Teams: the one I connected). */
const withAvailable = (s: settings.SettingsView, delivery: { email: boolean }) => ({
  ...s,
  available: {
    inbox: true,
    email: delivery.email,
    slack: s.personalChannel?.kind === "slack",
    teams: s.personalChannel?.kind === "teams",
  },
});

const TokenParam = z.object({
  token: z
    .string()
    .max(200)
    .openapi({ param: { name: "token", in: "path", required: true } }),
});

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Throughline</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5;">
<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>
`;
}

/** Registers the settings, snooze and unsubscribe routes. */
export function settingsRoutes() {
  const r = router();
  const tags = ["settings"];

  r.openapi(
    createRoute({
      method: "get",
      path: "/settings",
      operationId: "getSettings",
      tags,
      summary: "My settings: values, time zone, weekly prompt, quiet hours, channels per nudge, snooze",
      responses: { 200: jsonResponse(SettingsSchema, "My settings"), ...errorResponses },
    }),
    async (c) =>
      c.json(withAvailable(await settings.getSettings(c.var.ctx, c.var.actor), c.var.delivery), 200),
  );
  r.openapi(
    createRoute({
      method: "patch",
      path: "/settings",
      operationId: "updateSettings",
      tags,
      summary: "Change my settings (fields left out keep their value)",
      request: { body: jsonBody(settings.SettingsInput) },
      responses: { 200: jsonResponse(SettingsSchema, "My settings"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        withAvailable(
          await settings.updateSettings(c.var.ctx, c.var.actor, c.req.valid("json")),
          c.var.delivery,
        ),
        200,
      ),
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/snooze",
      operationId: "snoozeNudges",
      tags,
      summary: "Snooze my nudges until a time (null ends the snooze); they arrive after it",
      request: { body: jsonBody(settings.SnoozeInput) },
      responses: { 200: jsonResponse(SettingsSchema, "My settings"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        withAvailable(await settings.snooze(c.var.ctx, c.var.actor, c.req.valid("json")), c.var.delivery),
        200,
      ),
  );

  const unsubscribe = async (ctx: Parameters<typeof settings.unsubscribe>[0], token: string) => {
    try {
      const { email } = await settings.unsubscribe(ctx, token);
      return {
        status: 200 as const,
        html: page(
          "You are unsubscribed",
          `<p>Throughline will send no more email${email ? ` to ${escapeHtml(email)}` : ""}. Nudges still reach your in-app inbox.</p><p>To get email again, turn it back on in <a href="/settings">Settings</a>.</p>`,
        ),
      };
    } catch (e) {
      if (e instanceof AppError && e.status === 404) {
        return {
          status: 404 as const,
          html: page(
            "Link not recognised",
            `<p>This unsubscribe link is not known. You can turn email off in <a href="/settings">Settings</a>.</p>`,
          ),
        };
      }
      throw e;
    }
  };
  const htmlResponses = {
    200: {
      description: "A small page saying email is off",
      content: { "text/html": { schema: z.string() } },
    },
    404: { description: "The link is not known", content: { "text/html": { schema: z.string() } } },
  };
  r.openapi(
    createRoute({
      method: "get",
      path: "/unsubscribe/{token}",
      operationId: "unsubscribe",
      security: [],
      tags,
      summary: "Turn email off from the link in an email (public: the token is the permission)",
      request: { params: TokenParam },
      responses: htmlResponses,
    }),
    async (c) => {
      const out = await unsubscribe(c.var.ctx, c.req.valid("param").token);
      return c.html(out.html, out.status);
    },
  );
  r.openapi(
    createRoute({
      method: "post",
      path: "/unsubscribe/{token}",
      operationId: "unsubscribeOneClick",
      security: [],
      tags,
      summary:
        "One-click unsubscribe (RFC 8058) from a mail client's button (public: the token is the permission)",
      request: { params: TokenParam },
      responses: htmlResponses,
    }),
    async (c) => {
      const out = await unsubscribe(c.var.ctx, c.req.valid("param").token);
      return c.html(out.html, out.status);
    },
  );
  return r;
}
