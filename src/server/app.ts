/**
 * The HTTP application: JSON REST under /api, the OpenAPI document and its docs page, one error
 * format for every failure, a body-size limit, and the web app for every other path.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AppContext } from "../app/context.js";
import { AppError, BUSY_MESSAGE, BUSY_RETRY_AFTER_SECONDS, isBusyError } from "../app/errors.js";
import { DEFAULT_LIMITS, type Limits } from "../app/people/ratelimit.js";
import type { Mailer } from "../integrations/email.js";
import { type AuthOptions, authenticate } from "./auth.js";
import { bodyLimitDirect } from "./body.js";
import { renderDocsPage } from "./docs.js";
import { type Env, router } from "./env.js";
// Idempotency-Key
import { idempotency } from "./idempotency.js";
import { openApiDocument, registerOpenApiComponents } from "./openapi.js";
import { accountRoutes } from "./routes/accounts.js";
import { checkinRoutes } from "./routes/checkins.js";
import { coachRoutes } from "./routes/coach.js";
import { collaborationRoutes } from "./routes/collaboration.js";
import { commitmentRoutes } from "./routes/commitments.js";
import { credentialRoutes } from "./routes/credentials.js";
import { followThroughRoutes } from "./routes/followthrough.js";
import { goalRoutes } from "./routes/goals.js";
import { importRoutes, withImportLimit } from "./routes/imports.js";
import { integrationRoutes } from "./routes/integrations.js";
import { okrImportRoutes } from "./routes/okr-import.js";
import { playbookRoutes } from "./routes/playbooks.js";
// `throughline remind` against a server
import { reminderRoutes } from "./routes/reminders.js";
import { resourceRoutes } from "./routes/resources.js";
import { settingsRoutes } from "./routes/settings.js";
import { stepRoutes } from "./routes/steps.js";
import { teamViewRoutes } from "./routes/teamview.js";
import { serveWebApp } from "./web.js";

/** The largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Options of the HTTP app. */
export interface HttpOptions {
  /** Where unexpected errors are logged. */
  log?: (msg: string) => void;
  /** Rate limits (tests raise them for set-up traffic). */
  limits?: Limits;
  /** Trust X-Forwarded-* headers (only behind a proxy you run). */
  trustProxy?: boolean;
  /**
   * Whether this server sends email (SMTP_URL is set): the settings answer says so, and the web app
   * offers email nudges only then. Off by default.
   */
  email?: boolean;
  /** Sends account email (password reset links); without it people ask the workspace owner. */
  mailer?: Mailer | null;
  /** The address people open (PUBLIC_URL), for links in account email. */
  publicUrl?: string;
}

function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, details } };
}

/** Declares every /api route (and the document's shared parts) on a router. */
function mountApi(app: OpenAPIHono<Env>, authOptions: AuthOptions): void {
  registerOpenApiComponents(app);
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      operationId: "getHealth",
      tags: ["health"],
      summary: "Whether the server is up",
      security: [],
      responses: {
        200: {
          description: "Up",
          content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
        },
      },
    }),
    (c) => c.json({ status: "ok" as const }, 200),
  );
  const api = [
    accountRoutes(authOptions),
    goalRoutes(),
    stepRoutes(),
    resourceRoutes(),
    checkinRoutes(),
    commitmentRoutes(),
    playbookRoutes(),
    followThroughRoutes(),
    coachRoutes(),
    collaborationRoutes(),
    // CSV and OKR import: before importRoutes, whose /import/{source} would take "csv".
    okrImportRoutes(),
    importRoutes(),
    settingsRoutes(),
    integrationRoutes(),
    teamViewRoutes(),
    // Accounts (issue 16, defect 8): passwords, sign out everywhere, reset links.
    credentialRoutes(authOptions),
    // My reminders, and emailing them through the server (`throughline remind`)
    reminderRoutes(),
  ];
  for (const r of api) app.route("/api", r);
}

/** The API's OpenAPI document, without a server or a database (for tooling and tests). */
export function apiDocument(): ReturnType<typeof openApiDocument> {
  const app = router();
  mountApi(app, { trustProxy: false });
  return openApiDocument(app);
}

/** Builds the HTTP app around an app context. */
export function createHttpApp(ctx: AppContext, options: HttpOptions = {}): OpenAPIHono<Env> {
  const app = router();
  const log = options.log ?? console.error;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const authOptions = { trustProxy: options.trustProxy ?? false };

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "strict-origin-when-cross-origin",
      xFrameOptions: "DENY",
    }),
  );
  app.use(
    "/api/*",
    withImportLimit(
      // Read from Node's request once, a GET left alone (issue 17, http21: src/server/body.ts).
      bodyLimitDirect({
        maxSize: MAX_BODY_BYTES,
        onError: (c) =>
          c.json(
            errorBody(
              "body_too_large",
              `The request body is larger than ${MAX_BODY_BYTES} bytes. Send less at once.`,
            ),
            413,
          ),
      }),
    ),
  );
  const delivery = { email: options.email ?? false };
  const accountMail = {
    mailer: options.mailer ?? null,
    publicUrl: (options.publicUrl ?? "http://127.0.0.1:3000").replace(/\/+$/, ""),
  };
  app.use("/api/*", async (c, next) => {
    c.set("ctx", ctx);
    c.set("accountMail", accountMail);
    c.set("limits", limits);
    c.set("delivery", delivery);
    await next();
  });
  app.use("/api/*", authenticate(authOptions));
  // Idempotency-Key on POSTs (after authentication: keys are per person)
  app.use("/api/*", idempotency());

  mountApi(app, authOptions);
  let doc: ReturnType<typeof openApiDocument> | undefined;
  const document = () => {
    doc ??= openApiDocument(app);
    return doc;
  };
  app.get("/api/openapi.json", (c) => c.json(document()));
  app.get("/api/docs", (c) => c.html(renderDocsPage(document())));

  serveWebApp(app);

  app.notFound((c) =>
    c.json(
      errorBody("route_not_found", `No route ${c.req.method} ${c.req.path}. See /api/docs for the routes.`),
      404,
    ),
  );

  app.onError((err, c) => {
    if (err instanceof AppError) {
      if (err.status === 429 && typeof err.details.retryAfter === "number") {
        c.header("Retry-After", String(err.details.retryAfter));
      }
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      if (/Malformed JSON/i.test(err.message)) {
        return c.json(
          errorBody("invalid_json", "The request body is not valid JSON. Check quotes and commas."),
          400,
        );
      }
      if (status === 415) {
        return c.json(
          errorBody(
            "unsupported_media_type",
            "Send the body as JSON with the header Content-Type: application/json.",
          ),
          415,
        );
      }
      return c.json(errorBody("http_error", err.message || "The request was refused."), status);
    }
    // --- Locks (issue 16, defect 5): a lock held elsewhere past the wait is "try again", not a fault.
    if (isBusyError(err)) {
      c.header("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
      return c.json(errorBody("database_busy", BUSY_MESSAGE, { retryAfter: BUSY_RETRY_AFTER_SECONDS }), 503);
    }
    log(
      `Unexpected error on ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack : String(err)}`,
    );
    return c.json(errorBody("internal_error", "Something went wrong on our side. It has been logged."), 500);
  });

  return app;
}
