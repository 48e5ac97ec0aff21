/**
 * Two app instances on one PostgreSQL database, as behind a load balancer: each has its own
 * connection pool (its own `openAndMigrate`) and its own port on 127.0.0.1. Nothing a request or
 * a job needs lives in one process's memory: a session made on A works on B, failed sign-ins
 * counted on A and B reach the limit together, the scheduler running on both at once sends
 * each nudge once, and a team view's ETag from one is honoured, or renewed after a write, by both.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppContext, appContext } from "../../src/app/context.js";
import { smtpMailer } from "../../src/integrations/email.js";
import { tick } from "../../src/jobs/scheduler.js";
import { createHttpApp } from "../../src/server/app.js";
import { openAndMigrate, type Store } from "../../src/store/db.js";
import { dialectAvailable, freshStore } from "../helpers/dialects.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";

/** One running instance: its store (pool), context and address. */
interface Instance {
  store: Store;
  ctx: AppContext;
  origin: string;
  close(): Promise<void>;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  // A separate pool per instance, migrated at start-up as main.ts does (the second finds nothing to do).
  const store = await openAndMigrate({ databaseUrl });
  const ctx = appContext(store);
  // Production limits: the rate-limit test needs the real ones.
  const app = createHttpApp(ctx, { log: () => {} });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    store,
    ctx,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

const skip = !dialectAvailable("postgres");
if (skip && process.env.CI === "true") {
  throw new Error("PostgreSQL is required in CI for the two-instance test: apt-get install -y postgresql");
}

describe.skipIf(skip)("two instances on one PostgreSQL database", () => {
  let db: Awaited<ReturnType<typeof freshStore>>;
  let a: Instance;
  let b: Instance;
  let smtp: TestSmtp;
  let owner: { userId: number; cookie: string; csrfToken: string };

  /** A request to an instance as a browser on that instance's own origin. */
  function call(
    at: Instance,
    path: string,
    init: { method?: string; body?: unknown; cookie?: string; csrf?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { origin: at.origin };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (init.cookie) headers.cookie = init.cookie;
    if (init.csrf) headers["x-csrf-token"] = init.csrf;
    return fetch(`${at.origin}${path}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  }

  beforeAll(async () => {
    db = await freshStore("postgres");
    const url = db.config.databaseUrl as string;
    // Both start at once, as two containers would: the migration lock lets one migrate.
    [a, b] = await Promise.all([startInstance(url), startInstance(url)]);
    smtp = await startSmtp();
    const res = await call(a, "/api/auth/sign-up", {
      method: "POST",
      body: { email: "olu@example.com", name: "Olu", password: "correct horse battery staple" },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: number }; csrfToken: string };
    owner = {
      userId: body.user.id,
      cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] as string,
      csrfToken: body.csrfToken,
    };
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await smtp?.close();
    await db?.dispose();
  });

  it("accepts a session made on A for reads and writes on B", async () => {
    const session = await call(b, "/api/auth/session", { cookie: owner.cookie });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { csrfToken: string }).csrfToken).toBe(owner.csrfToken);

    const created = await call(b, "/api/goals", {
      method: "POST",
      cookie: owner.cookie,
      csrf: owner.csrfToken,
      body: { title: "Grow the newsletter to 2,000 subscribers", dueDate: "2030-03-31" },
    });
    expect(created.status).toBe(201);
    const goal = (await created.json()) as { id: number };
    const back = await call(a, `/api/goals/${goal.id}`, { cookie: owner.cookie });
    expect(back.status).toBe(200);

    // Without the session's CSRF token, B refuses the write just as A would.
    const forged = await call(b, "/api/goals", {
      method: "POST",
      cookie: owner.cookie,
      body: { title: "Forged" },
    });
    expect(forged.status).toBe(403);

    // Signing out on B ends the session on A too.
    const signIn = await call(a, "/api/auth/sign-in", {
      method: "POST",
      body: { email: "olu@example.com", password: "correct horse battery staple" },
    });
    expect(signIn.status).toBe(200);
    const second = {
      cookie: (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string,
      csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken,
    };
    expect((await call(b, "/api/auth/session", { cookie: second.cookie })).status).toBe(200);
    const out = await call(b, "/api/auth/sign-out", {
      method: "POST",
      cookie: second.cookie,
      csrf: second.csrf,
    });
    expect(out.status).toBeLessThan(300);
    expect((await call(a, "/api/auth/session", { cookie: second.cookie })).status).toBe(401);
  });

  it("counts failed sign-ins on A and B against one limit", async () => {
    const attempt = (at: Instance) =>
      call(at, "/api/auth/sign-in", {
        method: "POST",
        body: { email: "olu@example.com", password: "not the password at all" },
      });
    // The account allows 5 failures per window; alternate instances: A, B, A, B, A.
    const statuses: number[] = [];
    for (const at of [a, b, a, b, a]) statuses.push((await attempt(at)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // The sixth is refused on either instance, though neither saw more than three.
    const onB = await attempt(b);
    expect(onB.status).toBe(429);
    expect(Number(onB.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await attempt(a)).status).toBe(429);
    // Even the right password waits now, on both.
    const right = await call(b, "/api/auth/sign-in", {
      method: "POST",
      body: { email: "olu@example.com", password: "correct horse battery staple" },
    });
    expect(right.status).toBe(429);
  });

  it("sends each nudge once when both instances' schedulers tick at the same moment", async () => {
    const today = new Date().toISOString().slice(0, 10);
    // Quiet hours off (through B), so every nudge is due at the tick whatever the hour.
    const settings = await call(b, "/api/settings", {
      method: "PATCH",
      cookie: owner.cookie,
      csrf: owner.csrfToken,
      body: { quietHours: null },
    });
    expect(settings.status).toBe(200);
    const goal = (await (
      await call(a, "/api/goals", {
        method: "POST",
        cookie: owner.cookie,
        csrf: owner.csrfToken,
        body: { title: "Launch the newsletter", dueDate: "2030-03-31", startDate: today },
      })
    ).json()) as { id: number };
    const stepCount = 12;
    for (let i = 0; i < stepCount; i++) {
      const at = i % 2 === 0 ? a : b;
      const r = await call(at, `/api/goals/${goal.id}/steps`, {
        method: "POST",
        cookie: owner.cookie,
        csrf: owner.csrfToken,
        body: { text: `Email sponsor ${i} the deck`, dueDate: today, estimateMinutes: 15 },
      });
      expect(r.status).toBe(201);
    }
    await a.store.db
      .updateTable("users")
      .set({ email: "olu@example.com" })
      .where("id", "=", owner.userId)
      .execute();

    const mailer = () =>
      smtpMailer({ url: smtp.url, from: "Throughline <nudges@throughline.test>", timeoutSeconds: 5 });
    const [mailA, mailB] = [mailer(), mailer()];
    const now = new Date();
    const opts = (worker: string, mail: typeof mailA) => ({
      intervalMs: 60_000,
      worker,
      mailer: mail,
      publicUrl: "http://throughline.test",
      batch: 2,
    });
    let done = 0;
    try {
      // Several rounds from both, at once: planning and running race on every round.
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([
          tick(a.ctx, now, opts("instance-a", mailA)),
          tick(b.ctx, now, opts("instance-b", mailB)),
        ]);
        for (const r of results) done += r.done;
      }
    } finally {
      mailA.close();
      mailB.close();
    }

    const jobs = await a.store.db
      .selectFrom("jobs")
      .select(["id", "dedupeKey", "state", "lockedBy"])
      .where("kind", "=", "nudge")
      .execute();
    const stepJobs = jobs.filter((j) => j.dedupeKey.startsWith("step-due-today:"));
    expect(stepJobs).toHaveLength(stepCount);
    expect(jobs.every((j) => j.state === "done")).toBe(true);
    // Every job (nudges and the daily stall scan) was finished by exactly one of the two workers.
    const allJobs = await a.store.db.selectFrom("jobs").select("state").execute();
    expect(allJobs.every((j) => j.state === "done")).toBe(true);
    expect(done).toBe(allJobs.length);

    const deliveries = await a.store.db
      .selectFrom("deliveries")
      .select(["jobId", "channel", "state"])
      .execute();
    for (const channel of ["inbox", "email"]) {
      const ids = deliveries.filter((d) => d.channel === channel).map((d) => d.jobId);
      expect(ids.sort()).toEqual(jobs.map((j) => j.id).sort());
    }
    const notices = await a.store.db
      .selectFrom("notifications")
      .select(["type", "subjectId"])
      .where("userId", "=", owner.userId)
      .where("type", "=", "nudge.step-due-today")
      .execute();
    expect(notices).toHaveLength(stepCount);
    expect(new Set(notices.map((n) => n.subjectId)).size).toBe(stepCount);

    await smtp.waitFor(jobs.length);
    await new Promise((r) => setTimeout(r, 300));
    const ids = smtp.messages.map((m) => m.messageId);
    expect(ids).toHaveLength(jobs.length);
    expect(new Set(ids).size).toBe(jobs.length);
  });

  it("answers 304 on B to the team view's ETag from A, and a new answer and tag on A after a write on B", async () => {
    const write = (at: Instance, path: string, body: unknown) =>
      call(at, path, { method: "POST", cookie: owner.cookie, csrf: owner.csrfToken, body });
    const team = (await (await write(a, "/api/teams", { name: "Growth" })).json()) as { id: number };
    const goal = (await (
      await write(a, "/api/goals", {
        title: "Grow the newsletter to 2,000 subscribers",
        dueDate: "2030-03-31",
        teamId: team.id,
        visibility: "team",
      })
    ).json()) as { id: number };
    const overview = (at: Instance, tag?: string) =>
      fetch(`${at.origin}/api/teams/${team.id}/overview`, {
        headers: { origin: at.origin, cookie: owner.cookie, ...(tag ? { "if-none-match": tag } : {}) },
      });
    const first = await overview(a);
    expect(first.status).toBe(200);
    const tag = first.headers.get("etag") as string;
    const onB = await overview(b, tag);
    expect(onB.status).toBe(304);
    expect(onB.headers.get("etag")).toBe(tag);
    expect(await onB.text()).toBe("");

    expect((await write(b, `/api/goals/${goal.id}/checkins`, { confidence: "off-track" })).status).toBe(201);
    const onA = await overview(a, tag);
    expect(onA.status).toBe(200);
    const newTag = onA.headers.get("etag") as string;
    expect(newTag).not.toBe(tag);
    const body = (await onA.json()) as { atRisk: { goalId: number; confidence: string }[] };
    expect(body.atRisk).toEqual([expect.objectContaining({ goalId: goal.id, confidence: "off-track" })]);
    expect((await overview(b, newTag)).status).toBe(304);
  });
});
