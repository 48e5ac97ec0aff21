/**
 * The OpenAPI document's parts that no single route owns: its info and servers, the two ways to
 * sign in (the session cookie and an API token) and the 401 every signed-in operation may answer.
 * The routes declare themselves in routes/*.ts; anonymous ones say `security: []`.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { SESSION_COOKIE } from "./auth.js";
import type { Env } from "./env.js";
import { ErrorSchema } from "./routes/schemas.js";

/** The names of the security schemes, as operations refer to them. */
export const SECURITY_SCHEMES = { session: "session", token: "apiToken" } as const;

/** The fixed parts of the document. Every operation needs one of the two schemes unless it says otherwise. */
const OPENAPI_CONFIG: Parameters<OpenAPIHono<Env>["getOpenAPI31Document"]>[0] = {
  openapi: "3.1.0",
  info: {
    title: "Throughline API",
    version: "0.1.0",
    description:
      "Goals with a why, key results, micro-steps, resources, barriers with Plan B, check-ins, commitments and playbooks. Errors are { error: { code, message, details } }.",
    license: { name: "MIT", url: "https://opensource.org/license/mit" },
  },
  // Relative: the document describes whichever server serves it, at its own origin.
  servers: [{ url: "/", description: "The server that serves this document" }],
  security: [{ [SECURITY_SCHEMES.session]: [] }, { [SECURITY_SCHEMES.token]: [] }],
};

const UNAUTHENTICATED = "Unauthenticated";

/** Registers the security schemes and the shared 401 answer on the app's OpenAPI registry. */
export function registerOpenApiComponents(app: OpenAPIHono<Env>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", SECURITY_SCHEMES.session, {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description:
      "The session cookie that sign-in sets (HttpOnly, SameSite=Lax). Writes with it must also send the session's CSRF token as X-CSRF-Token and come from the same origin.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", SECURITY_SCHEMES.token, {
    type: "http",
    scheme: "bearer",
    description: "An API token (tl_...) made at POST /api/tokens, sent as 'Authorization: Bearer <token>'.",
  });
  app.openAPIRegistry.registerComponent("responses", UNAUTHENTICATED, {
    description:
      "No caller (unauthenticated): sign in, or send an API token. An unknown or revoked API token is refused (invalid_token) on every route, the anonymous ones too.",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  // Named so that the $ref above resolves even before a route uses it.
  app.openAPIRegistry.register("Error", ErrorSchema);
}

type Operation = { responses?: Record<string, unknown> };

/**
 * The OpenAPI 3.1 document of an app. Every operation gets the shared 401 answer here rather than
 * on each of some ninety routes: any route refuses an unknown API token, and those that need a
 * caller refuse anonymous calls.
 */
export function openApiDocument(app: OpenAPIHono<Env>): ReturnType<OpenAPIHono<Env>["getOpenAPI31Document"]> {
  const doc = app.getOpenAPI31Document(OPENAPI_CONFIG);
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops as Record<string, Operation>)) {
      if (!op.responses || "401" in op.responses) continue;
      const responses = { ...op.responses, 401: { $ref: `#/components/responses/${UNAUTHENTICATED}` } };
      op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return doc;
}
