/**
 * HTTP routes for keeping an account safe (issue 16, defect 8): change my password, sign out
 * everywhere, "I forgot my password" (by email when the server has SMTP), set a new password with
 * a reset link, and the workspace owner's reset link for someone.
 */
import { randomUUID } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import * as credentials from "../../app/people/credentials.js";
import { absoluteUrl, renderPasswordResetEmail } from "../../integrations/email.js";
import { type AuthOptions, clearSessionCookie, SESSION_COOKIE } from "../auth.js";
import { router } from "../env.js";
import { ErrorSchema, errorResponses, IdParam, jsonBody, jsonResponse } from "./schemas.js";

const tooMany = {
  429: {
    description: "Too many attempts: wait Retry-After seconds.",
    content: { "application/json": { schema: ErrorSchema } },
  },
} as const;

/** Registers /api/auth/password, /api/auth/sign-out-everywhere, the reset routes and reset links. */
export function credentialRoutes(_opts: AuthOptions) {
  const r = router();
  const tags = ["accounts"];

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/password",
      operationId: "changePassword",
      tags,
      summary: "Change my password (needs the current one); my other sessions end",
      request: { body: jsonBody(credentials.PasswordChangeInput) },
      responses: {
        200: jsonResponse(
          z.object({ changed: z.boolean(), sessionsEnded: z.number() }),
          "Changed; this session stays signed in, every other one ended",
        ),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) => {
      const keep = c.var.csrfToken ? (getCookie(c, SESSION_COOKIE) ?? null) : null;
      return c.json(
        await credentials.changePassword(c.var.ctx, c.var.actor, c.req.valid("json"), c.var.meta, keep),
        200,
      );
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/sign-out-everywhere",
      operationId: "signOutEverywhere",
      tags,
      summary: "End every session of mine, this one included, and with tokens: true every API token",
      request: { body: jsonBody(credentials.SignOutEverywhereInput) },
      responses: {
        200: jsonResponse(
          z.object({ sessionsEnded: z.number(), tokensRevoked: z.number() }),
          "Signed out everywhere; the session cookie is cleared",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const ended = await credentials.signOutEverywhere(
        c.var.ctx,
        c.var.actor,
        c.req.valid("json"),
        c.var.meta,
      );
      clearSessionCookie(c);
      return c.json(ended, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/forgot-password",
      operationId: "requestPasswordReset",
      security: [],
      tags,
      summary:
        "I forgot my password: a reset link by email when the server sends email, else the answer says to ask the workspace owner (the same answer for any address)",
      request: { body: jsonBody(credentials.ForgotPasswordInput) },
      responses: {
        200: jsonResponse(z.object({ message: z.string() }), "What happens next"),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) => {
      const { mailer, publicUrl } = c.var.accountMail;
      const { message, mail } = await credentials.requestPasswordReset(
        c.var.ctx,
        c.req.valid("json"),
        c.var.meta,
        mailer !== null,
      );
      if (mail && mailer) {
        // Sent after the answer, so the time it takes does not tell a known address from another.
        const rendered = renderPasswordResetEmail({
          name: mail.name,
          link: absoluteUrl(publicUrl, `/reset-password#${mail.token}`),
          minutes: credentials.RESET_EMAIL_MINUTES,
        });
        const host = new URL(publicUrl).hostname || "throughline.invalid";
        void mailer
          .send({ to: mail.to, ...rendered, messageId: `<tl-reset-${randomUUID()}@${host}>` })
          .catch((e: unknown) =>
            console.error(
              `Could not send a password reset email: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
      }
      return c.json({ message }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/reset-password",
      operationId: "resetPassword",
      security: [],
      tags,
      summary: "Set a new password with a reset link's token (once, before it expires); every session ends",
      request: { body: jsonBody(credentials.ResetPasswordInput) },
      responses: {
        200: jsonResponse(z.object({ reset: z.boolean() }), "The password is set: sign in with it"),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) => c.json(await credentials.resetPassword(c.var.ctx, c.req.valid("json"), c.var.meta), 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/people/{id}/reset-link",
      operationId: "createResetLink",
      tags: ["teams"],
      summary: `Make a single-use password reset link for someone of my workspace (workspace owner; expires in ${credentials.RESET_LINK_HOURS} hours)`,
      request: { params: IdParam },
      responses: {
        201: jsonResponse(
          z.object({ userId: z.number(), token: z.string(), path: z.string(), expiresAt: z.string() }),
          "The link; hand its path to the person (it is shown once)",
        ),
        403: {
          description: "Not the workspace owner (not_allowed).",
          content: { "application/json": { schema: ErrorSchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await credentials.createResetLink(c.var.ctx, c.var.actor, c.req.valid("param").id, c.var.meta),
        201,
      ),
  );

  return r;
}
