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
      "Goals with a why, key results, micro-steps, resources, barriers with Plan B, check-ins, commitments and playbooks. Errors are { error: { code, message, details } }. Send an Idempotency-Key header (1-255 printable characters, e.g. a UUID) on a POST to make retries safe: the same key and body within 24 hours answers the first answer (Idempotent-Replayed: true) and writes nothing; the same key with another body is a 422 idempotency_key_reused; a 409 idempotency_key_in_flight means the first is still being answered. A 503 database_busy (with Retry-After) saved nothing: send it again.",
    license: { name: "MIT", url: "https://opensource.org/license/mit" },
  },
  // Relative: the document describes whichever server serves it, at its own origin.
  servers: [{ url: "/", description: "The server that serves this document" }],
  security: [{ [SECURITY_SCHEMES.session]: [] }, { [SECURITY_SCHEMES.token]: [] }],
};

/**
 * Answers any operation of a kind may give, whatever its route: each is added to every such
 * operation that does not describe its own.
 */
const SHARED_RESPONSES = {
  Unauthenticated: {
    status: "401",
    applies: () => true,
    description:
      "No caller (unauthenticated): sign in, or send an API token. An unknown or revoked API token is refused (invalid_token) on every route, the anonymous ones too.",
  },
  Forbidden: {
    status: "403",
    applies: (method: string) => method !== "get",
    description:
      "Refused: a write with the session cookie but without its X-CSRF-Token (csrf_token) or from another site (csrf_origin), or something this person may not do (not_allowed, ...).",
  },
  BodyTooLarge: {
    status: "413",
    applies: (_method: string, op: Operation) => op.requestBody !== undefined,
    description: "The request body is larger than the route accepts (body_too_large).",
  },
} as const;

/** Registers the security schemes and the shared answers on the app's OpenAPI registry. */
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
  for (const [name, { description }] of Object.entries(SHARED_RESPONSES)) {
    app.openAPIRegistry.registerComponent("responses", name, {
      description,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
  }
  // Named so that the $refs above resolve even before a route uses the schema.
  app.openAPIRegistry.register("Error", ErrorSchema);
}

type Operation = { requestBody?: unknown; responses?: Record<string, unknown> };

/**
 * The OpenAPI 3.1 document of an app. The shared answers are added here rather than on each of
 * some ninety routes: any route refuses an unknown API token (401), any write may be refused for
 * its CSRF token or origin (403), and any body may be too large (413).
 */
export function openApiDocument(app: OpenAPIHono<Env>): ReturnType<OpenAPIHono<Env>["getOpenAPI31Document"]> {
  const doc = app.getOpenAPI31Document(OPENAPI_CONFIG);
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops as Record<string, Operation>)) {
      if (!op.responses) continue;
      const responses = { ...op.responses };
      for (const [name, shared] of Object.entries(SHARED_RESPONSES)) {
        if (!(shared.status in responses) && shared.applies(method, op)) {
          responses[shared.status] = { $ref: `#/components/responses/${name}` };
        }
      }
      op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return doc;
}
