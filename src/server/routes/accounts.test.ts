import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { fixedContext } from "../../../test/helpers/factories.js";
import { type Person, signUp, testApp } from "../../../test/helpers/http.js";
import { createHttpApp } from "../app.js";

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe.each(DIALECTS)("accounts on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof testApp>;
  let owner: Person;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = testApp(fixedContext(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "answers anonymous API requests with 401, except health and the OpenAPI document",
    async () => {
      expect((await app.request("/api/goals")).status).toBe(401);
      expect((await app.request("/api/goals", json({ title: "x" }))).status).toBe(401);
      expect((await app.request("/api/health")).status).toBe(200);
      expect((await app.request("/api/openapi.json")).status).toBe(200);
      expect(await (await app.request("/api/auth/setup")).json()).toEqual({ needsSetup: true });
    },
  );

  it.skipIf(skip)(
    "makes the first account the workspace owner with an HttpOnly SameSite session cookie",
    async () => {
      const res = await app.request(
        "/api/auth/sign-up",
        json({ email: "Owner@Example.com", name: "Olu", password: "correct horse battery staple" }),
      );
      expect(res.status).toBe(201);
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^tl_session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const body = (await res.json()) as {
        user: { email: string; workspaceRole: string };
        csrfToken: string;
      };
      expect(body.user).toMatchObject({ email: "owner@example.com", workspaceRole: "owner" });
      const session = await app.request("/api/auth/session", {
        headers: { cookie: cookie.split(";")[0] as string },
      });
      expect(session.status).toBe(200);
      expect(await (await app.request("/api/auth/setup")).json()).toEqual({ needsSetup: false });
      owner = await signUpAgainAsOwner();
    },
  );

  async function signUpAgainAsOwner(): Promise<Person> {
    // A second sign-in for the same owner, through the helper's token set-up.
    const res = await app.request(
      "/api/auth/sign-in",
      json({ email: "owner@example.com", password: "correct horse battery staple" }),
    );
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const { csrfToken, user } = (await res.json()) as { csrfToken: string; user: { id: number } };
    const t = await app.request("/api/tokens", json({ name: "ci" }, { cookie, "x-csrf-token": csrfToken }));
    const token = ((await t.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    return {
      userId: user.id,
      token,
      cookie,
      csrfToken,
      api: {
        request: async (p, i) =>
          app.request(p, { ...i, headers: { ...(i?.headers as Record<string, string>), ...auth } }),
      },
      browser: {
        request: async (p, i) =>
          app.request(p, {
            ...i,
            headers: { ...(i?.headers as Record<string, string>), cookie, "x-csrf-token": csrfToken },
          }),
      },
    };
  }

  it.skipIf(skip)("refuses a second sign-up without an invitation", async () => {
    const res = await app.request(
      "/api/auth/sign-up",
      json({ email: "stranger@example.com", name: "S", password: "correct horse battery staple" }),
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invitation_required");
  });

  it.skipIf(skip)("lets an invited person join once, into the team with the role given", async () => {
    const team = (await (await owner.api.request("/api/teams", json({ name: "Growth" }))).json()) as {
      id: number;
    };
    const inv = (await (
      await owner.api.request(
        "/api/invitations",
        json({ teamId: team.id, role: "member", email: "mia@example.com" }),
      )
    ).json()) as {
      token: string;
      path: string;
    };
    expect(inv.path).toBe(`/join/${inv.token}`);
    const info = await app.request(`/api/invitations/${inv.token}`);
    expect(await info.json()).toMatchObject({ email: "mia@example.com", role: "member" });
    const wrongEmail = await app.request(
      "/api/auth/sign-up",
      json({
        email: "other@example.com",
        name: "O",
        password: "correct horse battery staple",
        inviteToken: inv.token,
      }),
    );
    expect(wrongEmail.status).toBe(422);
    const mia = await signUp(app, { email: "mia@example.com", inviteToken: inv.token });
    const me = (await (await mia.api.request("/api/auth/session")).json()) as {
      teams: { id: number; role: string }[];
      user: { workspaceRole: string };
    };
    expect(me.teams).toEqual([{ id: team.id, name: "Growth", role: "member" }]);
    expect(me.user.workspaceRole).toBe("member");
    const again = await app.request(
      "/api/auth/sign-up",
      json({
        email: "mia2@example.com",
        name: "M",
        password: "correct horse battery staple",
        inviteToken: inv.token,
      }),
    );
    expect(again.status).toBe(422);
    expect((await app.request(`/api/invitations/${inv.token}`)).status).toBe(404);
  });

  it.skipIf(skip)("expires invitations after seven days", async () => {
    const inv = (await (await owner.api.request("/api/invitations", json({}))).json()) as { token: string };
    const later = testApp(fixedContext(db.store, "2026-11-29T10:00:00.000Z"));
    const res = await later.request(
      "/api/auth/sign-up",
      json({
        email: "late@example.com",
        name: "L",
        password: "correct horse battery staple",
        inviteToken: inv.token,
      }),
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invitation_invalid");
  });

  it.skipIf(skip)("stores only hashes of tokens, and a revoked token stops working", async () => {
    const created = (await (await owner.api.request("/api/tokens", json({ name: "laptop" }))).json()) as {
      id: number;
      token: string;
      prefix: string;
    };
    expect(created.token).toMatch(/^tl_/);
    const raw = db.store.db.withoutPlugins();
    const stored = await sql<{
      token_hash: string;
    }>`select token_hash from api_tokens where id = ${created.id}`.execute(raw);
    expect(stored.rows[0]?.token_hash).not.toContain(created.token);
    expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const sessions = await sql<{ token_hash: string }>`select token_hash from sessions`.execute(raw);
    expect(sessions.rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    const list = (await (await owner.api.request("/api/tokens")).json()) as {
      items: Record<string, unknown>[];
    };
    expect(JSON.stringify(list)).not.toContain(created.token);
    const bearer = { headers: { authorization: `Bearer ${created.token}` } };
    expect((await app.request("/api/goals", bearer)).status).toBe(200);
    expect((await owner.api.request(`/api/tokens/${created.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await app.request("/api/goals", bearer)).status).toBe(401);
  });

  it.skipIf(skip)(
    "refuses a cross-site write with a session cookie but without the right origin or CSRF token",
    async () => {
      const body = { title: "Forged goal" };
      const noToken = await app.request("/api/goals", json(body, { cookie: owner.cookie }));
      expect(noToken.status).toBe(403);
      const wrongToken = await app.request(
        "/api/goals",
        json(body, { cookie: owner.cookie, "x-csrf-token": "guess" }),
      );
      expect(wrongToken.status).toBe(403);
      const otherSite = await app.request(
        "/api/goals",
        json(body, {
          cookie: owner.cookie,
          "x-csrf-token": owner.csrfToken,
          origin: "https://evil.example",
          host: "localhost",
        }),
      );
      expect(otherSite.status).toBe(403);
      const list = (await (await owner.api.request("/api/goals")).json()) as { items: { title: string }[] };
      expect(list.items.some((g) => g.title === "Forged goal")).toBe(false);
      const sameSite = await app.request(
        "http://localhost/api/goals",
        json(body, {
          cookie: owner.cookie,
          "x-csrf-token": owner.csrfToken,
          origin: "http://localhost",
          host: "localhost",
        }),
      );
      expect(sameSite.status).toBe(201);
    },
  );

  it.skipIf(skip)("sends security headers on every response", async () => {
    for (const path of ["/api/health", "/api/goals", "/"]) {
      const res = await app.request(path);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });

  it.skipIf(skip)(
    "audits sign-ins, failed sign-ins, role changes and tokens; only the owner reads it",
    async () => {
      await app.request(
        "/api/auth/sign-in",
        json({ email: "owner@example.com", password: "wrong password here" }),
      );
      const log = (await (await owner.api.request("/api/audit")).json()) as { items: { action: string }[] };
      const actions = new Set(log.items.map((i) => i.action));
      for (const a of [
        "sign-up",
        "sign-in",
        "sign-in.failed",
        "token.created",
        "token.revoked",
        "invitation.created",
      ]) {
        expect(actions, a).toContain(a);
      }
      expect(JSON.stringify(log)).not.toMatch(/correct horse|wrong password/);
    },
  );
});

describe.each(DIALECTS)("brute force on %s", (d) => {
  const skip = !dialectAvailable(d);
  it.skipIf(skip)(
    "answers 429 with Retry-After after repeated failed sign-ins, per account and per address",
    async () => {
      const db = await freshStore(d);
      try {
        const ctx = fixedContext(db.store);
        const app = createHttpApp(ctx, { log: () => {} });
        await signUp(app, { email: "owner@example.com" });
        const attempt = (email: string, password = "not the password") =>
          app.request("/api/auth/sign-in", json({ email, password }));
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await attempt("owner@example.com")).status);
        expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
        expect(statuses[5]).toBe(429);
        const limited = await attempt("owner@example.com", "correct horse battery staple");
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

        // Per address: many accounts guessed from one address.
        const perAddress: number[] = [];
        for (let i = 0; i < 16; i++) perAddress.push((await attempt(`guess${i}@example.com`)).status);
        expect(perAddress).toContain(429);
        // A rate limit held in the database is seen by a second instance of the app.
        const second = createHttpApp(ctx, { log: () => {} });
        expect(
          (await second.request("/api/auth/sign-in", json({ email: "owner@example.com", password: "x" })))
            .status,
        ).toBe(429);
      } finally {
        await db.dispose();
      }
    },
  );
});
