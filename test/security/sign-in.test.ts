/**
 * Brute force against sign-in, fired in parallel at a real listening server (the way the probe of
 * issue 16 did it), on SQLite and PostgreSQL: however many wrong passwords arrive at once, no more
 * than the limit are ever checked (401); the rest are refused with 429 and Retry-After. Also: the
 * rate-limit buckets of different actions are separate, and a commitment names only a witness team
 * its maker is in.
 */
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import type { AppContext } from "../../src/app/context.js";
import { DEFAULT_LIMITS, type Limits } from "../../src/app/people/ratelimit.js";
import { createHttpApp } from "../../src/server/app.js";
import { hitRateLimit } from "../../src/store/repos/accounts.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { fixedContext } from "../helpers/factories.js";
import { signUp, testApp } from "../helpers/http.js";

const PASSWORD = "correct horse battery staple";
const OWNER = "owner@example.com";

/** The app behind a proxy we trust, so each request can say which address it comes from. */
async function listen(ctx: AppContext, limits: Limits = DEFAULT_LIMITS) {
  const app = createHttpApp(ctx, { log: () => {}, limits, trustProxy: true });
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
  });
  const url = `http://127.0.0.1:${port}`;
  const post = (path: string, body: unknown, from: string) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": from },
      body: JSON.stringify(body),
    });
  return {
    url,
    http: { request: (path: string, init?: RequestInit) => fetch(`${url}${path}`, init) },
    signIn: (email: string, password: string, from: string) =>
      post("/api/auth/sign-in", { email, password }, from),
    close: () => new Promise<void>((resolve) => server?.close(() => resolve())),
  };
}

/** How many answers had each status; checks every 429 says when to come back. */
async function tally(responses: Response[]): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (const r of responses) {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    if (r.status === 429) expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    await r.body?.cancel();
  }
  return counts;
}

describe.each(DIALECTS)("parallel brute force against sign-in on %s", (d) => {
  const skip = !dialectAvailable(d);
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  /** A fresh database, its owner signed up from 127.0.0.1, and the server listening. */
  async function setUp() {
    const db = await freshStore(d);
    cleanup.push(() => db.dispose());
    const server = await listen(fixedContext(db.store));
    cleanup.push(() => server.close());
    await signUp(server.http, { email: OWNER, name: "Olu Owner", password: PASSWORD });
    return server;
  }

  it.skipIf(skip)(
    "lets at most 5 of 40 simultaneous wrong passwords on one account from one address be checked",
    async () => {
      const s = await setUp();
      const counts = await tally(
        await Promise.all(
          Array.from({ length: 40 }, () => s.signIn(OWNER, "not the password", "198.51.100.9")),
        ),
      );
      expect(counts[401]).toBe(DEFAULT_LIMITS.signInPerAccountAndAddress.max);
      expect(counts[429]).toBe(40 - DEFAULT_LIMITS.signInPerAccountAndAddress.max);
      // Even the right password waits, from that address.
      expect((await s.signIn(OWNER, PASSWORD, "198.51.100.9")).status).toBe(429);
    },
  );

  it.skipIf(skip)(
    "does not lock the owner out from another address while their account is locked at the attacker's",
    async () => {
      const s = await setUp();
      await tally(
        await Promise.all(
          Array.from({ length: 40 }, () => s.signIn(OWNER, "not the password", "198.51.100.9")),
        ),
      );
      expect((await s.signIn(OWNER, PASSWORD, "203.0.113.7")).status).toBe(200);
      expect((await s.signIn(OWNER, PASSWORD, "127.0.0.1")).status).toBe(200);
    },
  );

  it.skipIf(skip)(
    "lets at most 20 of 100 simultaneous wrong passwords across accounts from one address be checked",
    async () => {
      const s = await setUp();
      const counts = await tally(
        await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            s.signIn(i % 2 === 0 ? OWNER : `guess${i}@example.com`, "not the password", "198.51.100.20"),
          ),
        ),
      );
      expect(counts[401] ?? 0).toBeGreaterThan(0);
      expect(counts[401]).toBeLessThanOrEqual(DEFAULT_LIMITS.signInPerAddress.max);
      expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(100);
      // The address is spent for every account, the owner's included.
      expect((await s.signIn("someone@example.com", "not the password", "198.51.100.20")).status).toBe(429);
    },
  );

  it.skipIf(skip)(
    "holds one account to a slower ceiling across addresses, but not where its owner signed in before",
    async () => {
      const s = await setUp();
      const ceiling = DEFAULT_LIMITS.signInPerAccountEverywhere.max;
      // Four wrong passwords from each of many addresses at once: under each address's own limit.
      const addresses = Array.from({ length: 20 }, (_, i) => `192.0.2.${i + 1}`);
      const counts = await tally(
        await Promise.all(
          addresses.flatMap((a) => Array.from({ length: 4 }, () => s.signIn(OWNER, "not the password", a))),
        ),
      );
      expect(counts[401]).toBe(ceiling);
      expect(counts[429]).toBe(80 - ceiling);
      // A new address is refused, even with the right password...
      expect((await s.signIn(OWNER, PASSWORD, "203.0.113.50")).status).toBe(429);
      // ...but the address the owner signed up from still lets them in.
      expect((await s.signIn(OWNER, PASSWORD, "127.0.0.1")).status).toBe(200);
      // An account nobody has is refused the same way as the owner's at a new address.
      const unknown = await tally(
        await Promise.all(
          addresses.flatMap((a) =>
            Array.from({ length: 4 }, () => s.signIn("nobody@example.com", "not the password", a)),
          ),
        ),
      );
      expect(unknown).toEqual(counts);
    },
  );
});

describe.each(DIALECTS)("the rate-limit counter on %s", (d) => {
  const skip = !dialectAvailable(d);
  it.skipIf(skip)(
    "gives 200 simultaneous hits 200 different counts, and starts again in a new window",
    async () => {
      const db = await freshStore(d);
      try {
        const counts = await Promise.all(
          Array.from({ length: 200 }, () => hitRateLimit(db.store.db, "signin:ip:198.51.100.1", 1000)),
        );
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect(await hitRateLimit(db.store.db, "signin:ip:198.51.100.1", 2000)).toBe(1);
      } finally {
        await db.dispose();
      }
    },
  );
});

describe.each(DIALECTS)("separate rate-limit buckets per action on %s", (d) => {
  const skip = !dialectAvailable(d);
  it.skipIf(skip)(
    "lets the owner invite after 30 anonymous invitation look-ups from the same address",
    async () => {
      const db = await freshStore(d);
      try {
        const app = createHttpApp(fixedContext(db.store), { log: () => {} });
        const owner = await signUp(app, { email: OWNER, name: "Olu Owner", password: PASSWORD });
        const lookups: number[] = [];
        for (let i = 0; i < 31; i++) {
          lookups.push((await app.request(`/api/invitations/tli_not-a-real-link-${i}`)).status);
        }
        expect(lookups.slice(0, 30).every((s) => s === 404)).toBe(true);
        expect(lookups[30]).toBe(429);
        const created = await owner.api.request("/api/invitations", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "mia@example.com" }),
        });
        expect(created.status).toBe(201);
        // ...and signing in still works from that address.
        const signIn = await app.request("/api/auth/sign-in", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: OWNER, password: PASSWORD }),
        });
        expect(signIn.status).toBe(200);
      } finally {
        await db.dispose();
      }
    },
  );
});

describe.each(DIALECTS)("witness teams on %s", (d) => {
  const skip = !dialectAvailable(d);
  it.skipIf(skip)("refuses a commitment naming a witness team its maker isn't in", async () => {
    const db = await freshStore(d);
    try {
      const app = testApp(fixedContext(db.store));
      const owner = await signUp(app, { email: OWNER, name: "Olu Owner", password: PASSWORD });
      const json = (body: unknown) => ({
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const growth = (await (await owner.api.request("/api/teams", json({ name: "Growth" }))).json()) as {
        id: number;
      };
      const invite = (await (
        await owner.api.request("/api/invitations", json({ email: "mia@example.com" }))
      ).json()) as {
        token: string;
      };
      const mia = await signUp(app, {
        email: "mia@example.com",
        name: "Mia",
        password: "another horse battery staple",
        inviteToken: invite.token,
      });
      const refused = await mia.api.request(
        "/api/commitments",
        json({ text: "Write the newsletter", dueDate: "2026-11-27", witnessTeamId: growth.id }),
      );
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("team_not_found");
      expect(body.error.message).toMatch(/not in a team/);
      // Nothing was stored.
      const mine = (await (await mia.api.request("/api/commitments")).json()) as { items: unknown[] };
      expect(mine.items).toHaveLength(0);
      // The owner, who is in the team, may.
      const kept = await owner.api.request(
        "/api/commitments",
        json({ text: "Write the newsletter", dueDate: "2026-11-27", witnessTeamId: growth.id }),
      );
      expect(kept.status).toBe(201);
    } finally {
      await db.dispose();
    }
  });
});
