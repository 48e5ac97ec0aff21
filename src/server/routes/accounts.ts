/** HTTP routes for accounts: sign-up, sign-in, sessions, API tokens, invitations, teams, audit. */
import { createRoute, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import * as accounts from "../../app/people/accounts.js";
import * as people from "../../app/people/people.js";
import { type AuthOptions, clearSessionCookie, SESSION_COOKIE, setSessionCookie } from "../auth.js";
import { router } from "../env.js";
import { ErrorSchema, errorResponses, IdParam, jsonBody, jsonResponse } from "./schemas.js";

const UserSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    email: z.string().nullable(),
    workspaceRole: z.string(),
    values: z.array(z.string()),
  })
  .openapi("User");
const SessionSchema = z.object({ user: UserSchema, csrfToken: z.string() }).openapi("SignedIn");
const MeSchema = z
  .object({
    user: UserSchema,
    workspace: z.object({ id: z.number(), name: z.string() }),
    teams: z.array(z.object({ id: z.number(), name: z.string(), role: z.string() })),
    timeZone: z.string().openapi({
      description: "The IANA time zone of my settings (UTC by default); the web app shows times in it",
    }),
    csrfToken: z.string().nullable(),
    needsSetup: z.boolean(),
  })
  .openapi("Me");
const TokenSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");
const TeamSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    members: z.array(z.object({ id: z.number(), name: z.string(), role: z.string() })),
  })
  .openapi("Team");
const tooMany = {
  429: {
    description: "Too many attempts: wait Retry-After seconds.",
    content: { "application/json": { schema: ErrorSchema } },
  },
} as const;

/** Registers /api/auth, /api/tokens, /api/invitations, /api/teams, /api/people and /api/audit. */
export function accountRoutes(opts: AuthOptions) {
  const r = router();
  const tags = ["accounts"];

  r.openapi(
    createRoute({
      method: "get",
      path: "/auth/setup",
      operationId: "getSetup",
      security: [],
      tags,
      summary: "Whether the server still needs its first (owner) account",
      responses: { 200: jsonResponse(z.object({ needsSetup: z.boolean() }), "Set-up state") },
    }),
    async (c) => c.json({ needsSetup: await accounts.needsSetup(c.var.ctx) }, 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/sign-up",
      operationId: "signUp",
      security: [],
      tags,
      summary: "Create an account (the first owns the workspace; others need inviteToken) and sign in",
      request: { body: jsonBody(accounts.SignUpInput) },
      responses: {
        201: jsonResponse(SessionSchema, "Signed in; the session cookie is set"),
        ...errorResponses,
        ...tooMany,
        409: {
          description: "An account with this email exists (email_taken): sign in instead.",
          content: { "application/json": { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const { user, session } = await accounts.signUp(
        c.var.ctx,
        c.req.valid("json"),
        c.var.meta,
        c.var.limits,
      );
      setSessionCookie(c, session, opts);
      return c.json({ user, csrfToken: session.csrfToken }, 201);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/sign-in",
      operationId: "signIn",
      security: [],
      tags,
      summary: "Sign in with email and password (failed attempts are rate-limited)",
      request: { body: jsonBody(accounts.SignInInput) },
      responses: {
        200: jsonResponse(SessionSchema, "Signed in; the session cookie is set"),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) => {
      const { user, session } = await accounts.signIn(
        c.var.ctx,
        c.req.valid("json"),
        c.var.meta,
        c.var.limits,
      );
      setSessionCookie(c, session, opts);
      return c.json({ user, csrfToken: session.csrfToken }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/auth/sign-out",
      operationId: "signOut",
      security: [],
      tags,
      summary: "Sign out (ends the session)",
      responses: { 200: jsonResponse(z.object({ signedOut: z.boolean() }), "Signed out") },
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await accounts.signOut(c.var.ctx, token);
      clearSessionCookie(c);
      return c.json({ signedOut: true }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/auth/session",
      operationId: "getSession",
      tags,
      summary: "Who is signed in, their workspace and teams, and the CSRF token for writes",
      responses: { 200: jsonResponse(MeSchema, "The signed-in person") },
    }),
    async (c) => {
      const me = await accounts.whoAmI(c.var.ctx, c.var.actor);
      return c.json({ ...me, csrfToken: c.var.csrfToken ?? null, needsSetup: false }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/tokens",
      operationId: "listTokens",
      tags,
      summary: "My API tokens (never their secrets)",
      responses: { 200: jsonResponse(z.object({ items: z.array(TokenSchema) }), "Tokens") },
    }),
    async (c) => c.json({ items: await accounts.listApiTokens(c.var.ctx, c.var.actor) }, 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/tokens",
      operationId: "createToken",
      tags,
      summary: "Create an API token; its secret is shown once",
      request: { body: jsonBody(accounts.TokenCreateInput) },
      responses: {
        201: jsonResponse(TokenSchema.extend({ token: z.string() }), "The token with its secret"),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) =>
      c.json(
        await accounts.createApiToken(c.var.ctx, c.var.actor, c.req.valid("json"), c.var.meta, c.var.limits),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "delete",
      path: "/tokens/{id}",
      operationId: "revokeToken",
      tags,
      summary: "Revoke one of my API tokens",
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ revoked: z.boolean() }), "Revoked"), ...errorResponses },
    }),
    async (c) => {
      await accounts.revokeApiToken(c.var.ctx, c.var.actor, c.req.valid("param").id, c.var.meta);
      return c.json({ revoked: true }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/invitations",
      operationId: "createInvitation",
      tags,
      summary: "Invite someone (single-use link, expires in 7 days)",
      request: { body: jsonBody(accounts.InvitationCreateInput) },
      responses: {
        201: jsonResponse(
          z.object({
            id: z.number(),
            teamId: z.number().nullable(),
            role: z.string(),
            email: z.string().nullable(),
            createdAt: z.string(),
            expiresAt: z.string(),
            token: z.string(),
            path: z.string(),
          }),
          "The invitation; share its path",
        ),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) =>
      c.json(
        await accounts.createInvitation(
          c.var.ctx,
          c.var.actor,
          c.req.valid("json"),
          c.var.meta,
          c.var.limits,
        ),
        201,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/invitations/{token}",
      operationId: "getInvitation",
      security: [],
      tags,
      summary: "What an invitation link offers (for its landing page)",
      request: { params: z.object({ token: z.string().max(200) }) },
      responses: {
        200: jsonResponse(
          z.object({
            workspace: z.string(),
            email: z.string().nullable(),
            role: z.string(),
            teamId: z.number().nullable(),
            expiresAt: z.string(),
          }),
          "The invitation",
        ),
        ...errorResponses,
        ...tooMany,
      },
    }),
    async (c) =>
      c.json(
        await accounts.invitationInfo(c.var.ctx, c.req.valid("param").token, c.var.meta, c.var.limits),
        200,
      ),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/teams",
      operationId: "listTeams",
      tags: ["teams"],
      summary: "Teams with their members and roles (the owner sees all; others their own)",
      responses: { 200: jsonResponse(z.object({ items: z.array(TeamSchema) }), "Teams") },
    }),
    async (c) => c.json({ items: await accounts.listTeams(c.var.ctx, c.var.actor) }, 200),
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/people",
      operationId: "findPeople",
      tags: ["teams"],
      summary: "The person of my workspace with this exact email (none or one), by id and name",
      request: { query: people.PeopleQuery },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(z.object({ id: z.number(), name: z.string() })) }),
          "People",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await people.findPeople(c.var.ctx, c.var.actor, c.req.valid("query")), 200),
  );

  r.openapi(
    createRoute({
      method: "post",
      path: "/teams",
      operationId: "createTeam",
      tags: ["teams"],
      summary: "Create a team (workspace owner)",
      request: { body: jsonBody(accounts.TeamCreateInput) },
      responses: {
        201: jsonResponse(z.object({ id: z.number(), name: z.string(), createdAt: z.string() }), "The team"),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await accounts.createTeam(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  );

  r.openapi(
    createRoute({
      method: "put",
      path: "/teams/{id}/members/{childId}",
      operationId: "setTeamRole",
      tags: ["teams"],
      summary: "Set a person's role in a team (owner, leader, member)",
      request: {
        params: z.object({
          id: z.coerce.number().int().positive().max(2_147_483_647),
          childId: z.coerce.number().int().positive().max(2_147_483_647),
        }),
        body: jsonBody(accounts.RoleInput),
      },
      responses: {
        200: jsonResponse(z.object({ teamId: z.number(), userId: z.number(), role: z.string() }), "The role"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, childId } = c.req.valid("param");
      return c.json(
        await accounts.setRole(
          c.var.ctx,
          c.var.actor,
          id,
          childId,
          c.req.valid("json"),
          c.var.meta,
          // The session making the change stays when someone changes their own role.
          c.var.csrfToken ? (getCookie(c, SESSION_COOKIE) ?? null) : null,
        ),
        200,
      );
    },
  );

  r.openapi(
    createRoute({
      method: "get",
      path: "/audit",
      operationId: "listAuditLog",
      tags: ["accounts"],
      summary: "The audit log: sign-ins, failed sign-ins, role changes, tokens, exports (workspace owner)",
      responses: {
        403: {
          description: "Not the workspace owner (not_allowed).",
          content: { "application/json": { schema: ErrorSchema } },
        },
        200: jsonResponse(
          z.object({
            items: z.array(
              z.object({
                id: z.number(),
                actorId: z.number().nullable(),
                action: z.string(),
                detail: z.record(z.string(), z.unknown()),
                ip: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
          "Newest first",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await accounts.auditLog(c.var.ctx, c.var.actor) }, 200),
  );

  return r;
}
