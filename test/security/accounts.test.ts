/**
 * Accounts (issue 16, defect 8): changing a password, signing out everywhere, resetting a
 * forgotten password by email (SMTP configured) or by a one-time link the workspace owner makes,
 * the audit log of each, and sessions replaced when someone's role changes. Over HTTP, in-process,
 * on SQLite and PostgreSQL, with a real SMTP server on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { smtpMailer } from "../../src/integrations/email.js";
import { createHttpApp } from "../../src/server/app.js";
import { cliAsync } from "../helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { GENEROUS_LIMITS, type Person, serveApp, signUp } from "../helpers/http.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a lighthouse keeper in winter";
const PUBLIC_URL = "http://throughline.test";

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

interface Signed {
  cookie: string;
  csrfToken: string;
  /** Calls with this session's cookie and CSRF token, like the web app. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

type App = ReturnType<typeof createHttpApp>;

async function signIn(app: App, email: string, password: string): Promise<Signed> {
  const res = await app.request("/api/auth/sign-in", post({ email, password }));
  if (res.status !== 200) throw new Error(`sign-in ${email} answered ${res.status}: ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  return {
    cookie,
    csrfToken,
    request: async (path, init) =>
      app.request(path, {
        ...init,
        headers: {
          ...(init?.headers as Record<string, string> | undefined),
          cookie,
          "x-csrf-token": csrfToken,
        },
      }),
  };
}

const sessionStatus = async (s: Signed) => (await s.request("/api/auth/session")).status;
const tokenStatus = async (app: App, token: string) =>
  (await app.request("/api/auth/session", { headers: { authorization: `Bearer ${token}` } })).status;
const signInStatus = async (app: App, email: string, password: string) =>
  (await app.request("/api/auth/sign-in", post({ email, password }))).status;

/** The reset token in an email's link (`/reset-password#<token>`). */
function tokenInMail(text: string): string {
  const m = /\/reset-password#([A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no reset link in: ${text}`);
  return m[1];
}

describe.each(DIALECTS)("accounts on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let smtp: TestSmtp;
  let clock = new Date("2026-11-21T10:00:00.000Z");
  let app: App;
  /** The same database served by an app without SMTP. */
  let noMail: App;
  let owner: Person;
  let teamId: number;
  const emails = { member: `member-${d}@example.com`, other: `other-${d}@example.com` };
  let member: Person;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    smtp = await startSmtp();
    const ctx = appContext(db.store, () => clock);
    const mailer = smtpMailer({ url: smtp.url, from: "Throughline <throughline@example.com>" });
    app = createHttpApp(ctx, { log: () => {}, limits: GENEROUS_LIMITS, mailer, publicUrl: PUBLIC_URL });
    noMail = createHttpApp(ctx, { log: () => {}, limits: GENEROUS_LIMITS });
    owner = await signUp(app, { email: `owner-${d}@example.com`, name: "Olu Owner", password: PASSWORD });
    const team = await owner.api.request("/api/teams", post({ name: "Growth" }));
    teamId = ((await team.json()) as { id: number }).id;
    const invite = async () => {
      const res = await owner.api.request("/api/invitations", post({ teamId, role: "member" }));
      return ((await res.json()) as { token: string }).token;
    };
    member = await signUp(app, { email: emails.member, name: "Mo Member", inviteToken: await invite() });
    await signUp(app, { email: emails.other, name: "Oto Other", inviteToken: await invite() });
  });
  afterAll(async () => {
    await smtp?.close();
    await db?.dispose();
  });

  it.skipIf(skip)("issues a new session id at every sign-in, whatever cookie was sent", async () => {
    const first = await signIn(app, emails.other, PASSWORD);
    const res = await first.request("/api/auth/sign-in", post({ email: emails.other, password: PASSWORD }));
    expect(res.status).toBe(200);
    const second = (res.headers.get("set-cookie") ?? "").split(";")[0];
    expect(second).toMatch(/^tl_session=/);
    // A cookie planted by someone else (session fixation) is never adopted either.
    const planted = "tl_session=tls_planted_by_someone_else";
    const fixed = await app.request(
      "/api/auth/sign-in",
      post({ email: emails.other, password: PASSWORD }, { cookie: planted }),
    );
    expect(fixed.status).toBe(200);
    expect((fixed.headers.get("set-cookie") ?? "").split(";")[0]).not.toBe(planted);
    expect(second).not.toBe(first.cookie);
  });

  it.skipIf(skip)(
    "changes a password only with the current one; the old one stops working and other sessions end",
    async () => {
      const here = await signIn(app, emails.other, PASSWORD);
      const elsewhere = await signIn(app, emails.other, PASSWORD);
      const wrong = await here.request(
        "/api/auth/password",
        post({ currentPassword: "not my password at all", newPassword: NEW_PASSWORD }),
      );
      expect(wrong.status).toBe(422);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("wrong_password");
      const weak = await here.request(
        "/api/auth/password",
        post({ currentPassword: PASSWORD, newPassword: "password1234" }),
      );
      expect(weak.status).toBe(422);
      expect(await signInStatus(app, emails.other, PASSWORD)).toBe(200);

      const ok = await here.request(
        "/api/auth/password",
        post({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
      );
      expect(ok.status).toBe(200);
      expect(await sessionStatus(here)).toBe(200);
      expect(await sessionStatus(elsewhere)).toBe(401);
      expect(await signInStatus(app, emails.other, PASSWORD)).toBe(401);
      expect(await signInStatus(app, emails.other, NEW_PASSWORD)).toBe(200);
    },
  );

  it.skipIf(skip)("signs out everywhere: every session, and API tokens only when asked", async () => {
    const a = await signIn(app, emails.other, NEW_PASSWORD);
    const b = await signIn(app, emails.other, NEW_PASSWORD);
    const made = await a.request("/api/tokens", post({ name: "laptop" }));
    const token = ((await made.json()) as { token: string }).token;

    const res = await a.request("/api/auth/sign-out-everywhere", post({}));
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie") ?? "").toMatch(/tl_session=;/);
    expect(await sessionStatus(a)).toBe(401);
    expect(await sessionStatus(b)).toBe(401);
    expect(await tokenStatus(app, token)).toBe(200);

    const c = await signIn(app, emails.other, NEW_PASSWORD);
    const all = await c.request("/api/auth/sign-out-everywhere", post({ tokens: true }));
    expect(all.status).toBe(200);
    expect(await sessionStatus(c)).toBe(401);
    expect(await tokenStatus(app, token)).toBe(401);
  });

  it.skipIf(skip)(
    "answers a forgotten-password request the same for a known and an unknown address",
    async () => {
      const before = smtp.messages.length;
      const known = await app.request("/api/auth/forgot-password", post({ email: emails.member }));
      const unknown = await app.request(
        "/api/auth/forgot-password",
        post({ email: `nobody-${d}@example.com` }),
      );
      expect(known.status).toBe(200);
      expect(unknown.status).toBe(known.status);
      const knownText = await known.text();
      expect(await unknown.text()).toBe(knownText);
      expect(knownText).toMatch(/email/i);
      await smtp.waitFor(before + 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.messages.slice(before).map((m) => m.to && "text" in m.to && m.to.text)).toEqual([
        emails.member,
      ]);

      const k = await noMail.request("/api/auth/forgot-password", post({ email: emails.member }));
      const u = await noMail.request("/api/auth/forgot-password", post({ email: `nobody-${d}@example.com` }));
      expect(k.status).toBe(200);
      const kText = await k.text();
      expect(await u.text()).toBe(kText);
      expect(kText).toMatch(/owner/i);
    },
  );

  it.skipIf(skip)("resets a forgotten password by email, end to end, once", async () => {
    const old = await signIn(app, emails.member, PASSWORD);
    const before = smtp.messages.length;
    await app.request("/api/auth/forgot-password", post({ email: emails.member.toUpperCase() }));
    const mail = (await smtp.waitFor(before + 1))[before];
    expect(mail?.subject).toMatch(/password/i);
    const token = tokenInMail(mail?.text ?? "");
    expect(mail?.text).toContain(`${PUBLIC_URL}/reset-password#`);

    const weak = await app.request("/api/auth/reset-password", post({ token, password: "password1234" }));
    expect(weak.status).toBe(422);
    const res = await app.request("/api/auth/reset-password", post({ token, password: NEW_PASSWORD }));
    expect(res.status).toBe(200);
    expect(await signInStatus(app, emails.member, PASSWORD)).toBe(401);
    expect(await signInStatus(app, emails.member, NEW_PASSWORD)).toBe(200);
    expect(await sessionStatus(old)).toBe(401);

    const again = await app.request(
      "/api/auth/reset-password",
      post({ token, password: "yet another long passphrase" }),
    );
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("reset_link_invalid");
    expect(await signInStatus(app, emails.member, NEW_PASSWORD)).toBe(200);
  });

  it.skipIf(skip)(
    "lets only the workspace owner make a reset link, which works once and expires",
    async () => {
      const byMember = await member.api.request(`/api/people/${owner.userId}/reset-link`, post({}));
      expect(byMember.status).toBe(403);
      const made = await owner.api.request(`/api/people/${member.userId}/reset-link`, post({}));
      expect(made.status).toBe(201);
      const link = (await made.json()) as { token: string; path: string; expiresAt: string };
      expect(link.path).toBe(`/reset-password#${link.token}`);
      const first = await app.request(
        "/api/auth/reset-password",
        post({ token: link.token, password: PASSWORD }),
      );
      expect(first.status).toBe(200);
      expect(await signInStatus(app, emails.member, PASSWORD)).toBe(200);
      const second = await app.request(
        "/api/auth/reset-password",
        post({ token: link.token, password: NEW_PASSWORD }),
      );
      expect(second.status).toBe(422);

      const later = (await (
        await owner.api.request(`/api/people/${member.userId}/reset-link`, post({}))
      ).json()) as { token: string; expiresAt: string };
      clock = new Date(Date.parse(later.expiresAt) + 1000);
      const expired = await app.request(
        "/api/auth/reset-password",
        post({ token: later.token, password: NEW_PASSWORD }),
      );
      expect(expired.status).toBe(422);
      expect(await signInStatus(app, emails.member, PASSWORD)).toBe(200);
      clock = new Date("2026-11-21T10:00:00.000Z");
    },
  );

  it.skipIf(skip)("replaces a person's sessions when their role changes", async () => {
    const s = await signIn(app, emails.member, PASSWORD);
    expect(await sessionStatus(s)).toBe(200);
    const res = await owner.api.request(`/api/teams/${teamId}/members/${member.userId}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: "leader" }),
    });
    expect(res.status).toBe(200);
    expect(await sessionStatus(s)).toBe(401);
    expect(await signInStatus(app, emails.member, PASSWORD)).toBe(200);
  });

  it.skipIf(skip)("keeps each of these in the audit log", async () => {
    const res = await owner.api.request("/api/audit");
    const actions = ((await res.json()) as { items: { action: string }[] }).items.map((i) => i.action);
    for (const a of [
      "password.changed",
      "sessions.ended",
      "password.reset-requested",
      "password.reset-link-created",
      "password.reset",
      "role.changed",
    ]) {
      expect(actions, a).toContain(a);
    }
  });
});

describe("throughline logout --everywhere", () => {
  const dir = mkdtempSync(join(tmpdir(), "throughline-everywhere-"));
  const env = { THROUGHLINE_CONFIG: join(dir, "config.json"), THROUGHLINE_DB: join(dir, "local.db") };
  let db: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let owner: Person;

  beforeAll(async () => {
    db = await freshStore("sqlite");
    server = await serveApp(appContext(db.store));
    owner = await signUp(server.http, { email: "owner@example.com", name: "Olu Owner", password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends every session and revokes every token of the account, then works locally", async () => {
    const url = server?.url as string;
    const login = await cliAsync(
      ["login", url, "--email", "owner@example.com", "--password-stdin"],
      {},
      {
        input: `${PASSWORD}\n`,
        env,
      },
    );
    expect(login.code).toBe(0);
    const r = await cliAsync(["logout", "--everywhere"], {}, { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/signed out everywhere/i);
    const session = await fetch(`${url}/api/auth/session`, { headers: { cookie: owner.cookie } });
    expect(session.status).toBe(401);
    const token = await fetch(`${url}/api/auth/session`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(token.status).toBe(401);
    expect((await cliAsync(["whoami"], {}, { env })).stdout).toMatch(/^Local mode/);
  });
});
