/**
 * HTTP test clients: the app in-process with a signed-up account, calling with an API token the
 * way an integration would (or with the session cookie and CSRF token the way the web app does).
 */
import { serve } from "@hono/node-server";
import type { AppContext } from "../../src/app/context.js";
import type { Limits } from "../../src/app/people/ratelimit.js";
import { createHttpApp, type HttpOptions } from "../../src/server/app.js";

/** Limits high enough that test set-up never trips them (the limit tests use the defaults). */
export const GENEROUS_LIMITS: Limits = {
  signInPerAccountAndAddress: { max: 10_000, windowSeconds: 60 },
  signInPerAccountEverywhere: { max: 10_000, windowSeconds: 60 },
  signInPerAddress: { max: 10_000, windowSeconds: 60 },
  signUpPerAddress: { max: 10_000, windowSeconds: 60 },
  invitationLookupsPerAddress: { max: 10_000, windowSeconds: 60 },
  invitationsPerUser: { max: 10_000, windowSeconds: 60 },
  tokensPerUser: { max: 10_000, windowSeconds: 60 },
  previewsPerUser: { max: 10_000, windowSeconds: 60 },
};

/** Something with Hono's `request` signature. */
export interface Client {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** A signed-in person: their API client, token, session cookie and CSRF token. */
export interface Person {
  userId: number;
  token: string;
  cookie: string;
  csrfToken: string;
  /** Calls with the API token. */
  api: Client;
  /** Calls with the session cookie and CSRF token, like the web app. */
  browser: Client;
}

function withHeaders(init: RequestInit | undefined, extra: Record<string, string>): RequestInit {
  return { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...extra } };
}

/** The HTTP app with generous limits and a silent log (`extra` adds options, e.g. a mailer). */
export function testApp(ctx: AppContext, extra: HttpOptions = {}) {
  return createHttpApp(ctx, { log: () => {}, limits: GENEROUS_LIMITS, ...extra });
}

/** Signs up (with an invitation token for everyone after the owner) and makes an API token. */
export async function signUp(
  app: Client,
  who: { email: string; name?: string; password?: string; inviteToken?: string },
): Promise<Person> {
  const res = await app.request("/api/auth/sign-up", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: who.email,
      name: who.name ?? who.email.split("@")[0],
      password: who.password ?? "correct horse battery staple",
      ...(who.inviteToken ? { inviteToken: who.inviteToken } : {}),
    }),
  });
  if (res.status !== 201) throw new Error(`sign-up ${who.email} answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { user: { id: number }; csrfToken: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const browser: Client = {
    request: async (path, init) =>
      app.request(path, withHeaders(init, { cookie, "x-csrf-token": body.csrfToken })),
  };
  const t = await browser.request("/api/tokens", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "tests" }),
  });
  if (t.status !== 201) throw new Error(`token for ${who.email} answered ${t.status}: ${await t.text()}`);
  const token = ((await t.json()) as { token: string }).token;
  const api: Client = {
    request: async (path, init) => app.request(path, withHeaders(init, { authorization: `Bearer ${token}` })),
  };
  return { userId: body.user.id, token, cookie, csrfToken: body.csrfToken, api, browser };
}

/** The app with its owner signed up; `.request` calls as the owner with an API token. */
export async function ownerClient(ctx: AppContext): Promise<Client & { owner: Person }> {
  const app = testApp(ctx);
  const owner = await signUp(app, { email: "owner@example.com", name: "Olu Owner" });
  return { request: owner.api.request, owner };
}

/** The app (generous limits, silent log) listening on a free port of 127.0.0.1, like a real server. */
export async function serveApp(
  ctx: AppContext,
  extra: HttpOptions = {},
): Promise<{ url: string; http: Client; close(): Promise<void> }> {
  const app = testApp(ctx, extra);
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    http: { request: (path, init) => fetch(`${url}${path}`, init) },
    close: () => new Promise<void>((resolve) => server?.close(() => resolve())),
  };
}
