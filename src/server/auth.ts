/**
 * Who is calling: an API token (`Authorization: Bearer tl_...`) or a session cookie. Cookie
 * writes must echo the session's CSRF token and come from our own origin. Anonymous requests get
 * 401 except on public routes.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError } from "../app/errors.js";
import {
  actorFromApiToken,
  actorFromSession,
  type NewSession,
  type RequestMeta,
} from "../app/people/accounts.js";
import { safeEqual } from "../app/people/secrets.js";
import type { Env } from "./env.js";

/** The session cookie's name. */
export const SESSION_COOKIE = "tl_session";

/** Routes anyone may call. */
export const PUBLIC_ROUTES = new Set([
  "GET /api/health",
  "GET /api/openapi.json",
  "GET /api/docs",
  "GET /api/auth/setup",
  "POST /api/auth/sign-up",
  "POST /api/auth/sign-in",
  "POST /api/auth/sign-out",
  // Accounts (issue 16, defect 8): asking for a reset link and using it.
  "POST /api/auth/forgot-password",
  "POST /api/auth/reset-password",
]);

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Options for reading requests behind a proxy. */
export interface AuthOptions {
  /** Trust X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you run). */
  trustProxy: boolean;
}

/** The caller's address, for rate limits and the audit log. */
export function requestMeta(c: Context<Env>, opts: AuthOptions): RequestMeta {
  if (opts.trustProxy) {
    const fwd = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (fwd) return { ip: fwd };
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return { ip: incoming?.socket?.remoteAddress ?? null };
}

function isHttps(c: Context<Env>, opts: AuthOptions): boolean {
  if (opts.trustProxy && c.req.header("x-forwarded-proto") === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

/** Refuses a write whose Origin is another site (browsers always send Origin on cross-site writes). */
export function assertSameOrigin(c: Context<Env>): void {
  const origin = c.req.header("origin");
  if (!origin || origin === "null") {
    if (origin === "null")
      throw new AppError(403, "csrf_origin", "Cross-site requests are refused. Use the app's own pages.");
    return;
  }
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== host) {
    throw new AppError(403, "csrf_origin", "Cross-site requests are refused. Use the app's own pages.");
  }
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export function setSessionCookie(c: Context<Env>, session: NewSession, opts: AuthOptions): void {
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c, opts),
    path: "/",
    expires: new Date(session.expiresAt),
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(c: Context<Env>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** Resolves the actor for every /api request, or answers 401/403. */
export function authenticate(opts: AuthOptions): MiddlewareHandler<Env> {
  return async (c, next) => {
    const ctx = c.var.ctx;
    c.set("meta", requestMeta(c, opts));
    const method = c.req.method;
    const route = `${method} ${c.req.path}`;
    const bearer = c.req.header("authorization");
    if (bearer?.toLowerCase().startsWith("bearer ")) {
      const actor = await actorFromApiToken(ctx, bearer.slice(7).trim());
      if (!actor)
        throw new AppError(
          401,
          "invalid_token",
          "The API token is unknown or revoked. Create a new one in Settings.",
        );
      c.set("actor", actor);
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await actorFromSession(ctx, cookie) : null;
    if (session) {
      if (UNSAFE.has(method)) {
        assertSameOrigin(c);
        const sent = c.req.header("x-csrf-token") ?? "";
        if (!safeEqual(sent, session.csrfToken)) {
          throw new AppError(
            403,
            "csrf_token",
            "This write is missing the X-CSRF-Token header of your session. Reload the page.",
          );
        }
      }
      c.set("actor", session.actor);
      c.set("csrfToken", session.csrfToken);
      return next();
    }
    if (
      PUBLIC_ROUTES.has(route) ||
      (method === "GET" && /^\/api\/(invitations\/|calendar\/[^/]+\.ics$)/.test(c.req.path)) ||
      ((method === "GET" || method === "POST") && c.req.path.startsWith("/api/unsubscribe/"))
    ) {
      if (UNSAFE.has(method)) assertSameOrigin(c);
      return next();
    }
    throw new AppError(
      401,
      "unauthenticated",
      "Sign in first (POST /api/auth/sign-in), or send an API token as 'Authorization: Bearer <token>'.",
    );
  };
}
