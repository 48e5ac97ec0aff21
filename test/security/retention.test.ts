/**
 * Nothing grows without bound (issue 16, item 11): the retention job trims finished jobs, delivery
 * attempts, expired sessions, old rate-limit windows, used or expired invitations and expired
 * idempotency keys, keeps everything still in use, and never touches events or history.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { runRetention } from "../../src/jobs/retention.js";
import { retentionCounts } from "../../src/store/repos/retention.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { signUp, testApp } from "../helpers/http.js";

if (!dialectAvailable("postgres") && process.env.CI === "true") {
  throw new Error("PostgreSQL is required in CI for the retention tests: apt-get install -y postgresql");
}

const NOW = new Date("2026-11-21T10:00:00.000Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`the retention job on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;

    beforeAll(async () => {
      db = await freshStore(dialect);
    });
    afterAll(async () => {
      await db?.dispose();
    });

    it("trims what has outlived its use and keeps the record", async () => {
      const ctx = appContext(db.store, () => NOW);
      const app = testApp(ctx);
      const owner = await signUp(app, { email: "ada@example.com" });
      const made = await app.request("/api/goals", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({ title: "Ship the spring newsletter", dueDate: "2030-06-30" }),
      });
      expect(made.status).toBe(201);
      const k = db.store.db;
      const me = await k.selectFrom("users").select(["id", "workspaceId"]).executeTakeFirstOrThrow();
      const event = await k.selectFrom("events").select("id").executeTakeFirstOrThrow();

      const job = async (state: string, doneDaysAgo: number | null, key: string) =>
        (
          await k
            .insertInto("jobs")
            .values({
              kind: "nudge",
              runAt: daysAgo(doneDaysAgo ?? 0),
              state,
              payloadJson: "{}",
              dedupeKey: key,
              createdAt: daysAgo((doneDaysAgo ?? 0) + 1),
              doneAt: doneDaysAgo === null ? null : daysAgo(doneDaysAgo),
              lockedBy: null,
              lockedUntil: null,
              lastError: null,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      const oldDone = await job("done", 40, "old-done");
      await job("failed", 40, "old-failed");
      await job("done", 2, "recent-done");
      await job("queued", null, "queued");
      const hookJob = await job("done", 40, "old-webhook");
      const recentHookJob = await job("done", 1, "recent-webhook");

      const delivery = (jobId: number, createdAt: string, key: string) => ({
        jobId,
        notificationId: null,
        channel: "email",
        userId: me.id,
        recipient: "ada@example.com",
        idempotencyKey: key,
        state: "sent",
        messageId: null,
        createdAt,
        sentAt: createdAt,
        error: null,
      });
      await k
        .insertInto("deliveries")
        .values([delivery(oldDone, daysAgo(40), "d-old")])
        .execute();
      const hook = await k
        .insertInto("webhooks")
        .values({
          workspaceId: me.workspaceId,
          kind: "webhook",
          teamId: null,
          url: "https://hooks.example.com/in",
          secret: "s",
          eventsJson: "[]",
          createdBy: me.id,
          createdAt: daysAgo(50),
          updatedAt: daysAgo(50),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const attempt = (jobId: number, at: string, n: number) => ({
        webhookId: hook.id,
        jobId,
        eventId: event.id,
        deliveryId: `dl-${jobId}`,
        attempt: n,
        statusCode: 200,
        error: null,
        attemptedAt: at,
        nextAttemptAt: null,
      });
      await k
        .insertInto("webhookLog")
        .values([attempt(hookJob, daysAgo(40), 1), attempt(recentHookJob, daysAgo(1), 1)])
        .execute();

      await k
        .insertInto("sessions")
        .values({
          userId: me.id,
          tokenHash: "expired",
          csrfToken: "x",
          createdAt: daysAgo(60),
          expiresAt: daysAgo(30),
          lastSeenAt: daysAgo(31),
        })
        .execute();
      await k
        .insertInto("rateLimits")
        .values([
          { key: "old-window", windowStart: NOW.getTime() - 3 * 86_400_000, count: 4 },
          { key: "this-window", windowStart: NOW.getTime() - 60_000, count: 1 },
        ])
        .execute();
      const invitation = (tokenHash: string, expiresAt: string, usedAt: string | null) => ({
        workspaceId: me.workspaceId,
        teamId: null,
        role: "member",
        email: null,
        tokenHash,
        createdBy: me.id,
        createdAt: daysAgo(90),
        expiresAt,
        usedAt,
        usedBy: usedAt ? me.id : null,
      });
      await k
        .insertInto("invitations")
        .values([
          invitation("used-long-ago", daysAgo(35), daysAgo(40)),
          invitation("expired-long-ago", daysAgo(40), null),
          invitation("open", daysAgo(-5), null),
        ])
        .execute();
      const key = (name: string, expiresAt: string) => ({
        userId: me.id,
        key: name,
        requestHash: "h",
        status: 201,
        contentType: "application/json",
        responseBody: "{}",
        createdAt: daysAgo(2),
        expiresAt,
      });
      await k
        .insertInto("idempotencyKeys")
        .values([key("expired", daysAgo(1)), key("live", daysAgo(-0.5))])
        .execute();

      const before = await retentionCounts(k);
      const trimmed = await runRetention(ctx, NOW);
      const after = await retentionCounts(k);
      console.log(
        `retention on ${dialect}: before ${JSON.stringify(before)}; after ${JSON.stringify(after)}`,
      );

      expect(trimmed).toEqual({
        jobs: 3, // old done (its delivery went too), old failed, the old webhook job
        deliveries: 1,
        webhookLog: 1,
        sessions: 1,
        rateLimits: 1,
        invitations: 2,
        idempotencyKeys: 1,
      });
      for (const [table, n] of Object.entries(trimmed)) {
        expect(after[table as keyof typeof after], table).toBe(before[table as keyof typeof before] - n);
      }
      // The record stays whole.
      expect(after.events).toBe(before.events);
      expect(after.changeRecords).toBe(before.changeRecords);
      expect(before.events).toBeGreaterThan(0);
      // What is still in use is kept: the live session still signs in, the open invitation and
      // the live key are there, the queued job still runs.
      const session = await owner.browser.request("/api/auth/session");
      expect(session.status).toBe(200);
      const left = await k.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
      expect(left.map((j) => j.dedupeKey)).toEqual(["queued", "recent-done", "recent-webhook"]);
      expect(await k.selectFrom("idempotencyKeys").select("key").execute()).toEqual([{ key: "live" }]);
      expect(
        (await k.selectFrom("invitations").select("tokenHash").execute()).map((i) => i.tokenHash),
      ).toEqual(["open"]);
      // Run again: nothing more to trim.
      const again = await runRetention(ctx, NOW);
      expect(Object.values(again).every((n) => n === 0)).toBe(true);
    });
  });
}
