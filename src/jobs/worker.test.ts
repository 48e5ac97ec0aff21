import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../test/helpers/factories.js";
import { startSmtp, type TestSmtp } from "../../test/helpers/smtp.js";
import { type Actor, type AppContext, appContext } from "../app/context.js";
import { inbox } from "../app/delivery/notices.js";
import { NUDGE_JOB, type NudgePayload } from "../app/delivery/nudges.js";
import * as queue from "../app/delivery/queue.js";
import { updateSettings } from "../app/people/settings.js";
import { createGoal } from "../app/plans/goals.js";
import { type Mailer, messageIdFor, smtpMailer } from "../integrations/email.js";
import { openStore } from "../store/db.js";
import { runDueJobs } from "./worker.js";

const NOW = new Date("2026-11-21T10:00:00.000Z");
const PUBLIC_URL = "http://throughline.test";

describe.each(DIALECTS)("the job worker on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let ctx: AppContext;
  let owner: Actor;

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtp();
    mailer = smtpMailer({ url: smtp.url, from: "Throughline <nudges@throughline.test>", timeoutSeconds: 5 });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    smtp.messages.length = 0;
    smtp.refuse = false;
    db = await freshStore(d);
    ctx = fixedContext(db.store, NOW.toISOString());
    owner = (await actorFor(db.store)).actor;
    await db.store.db
      .updateTable("users")
      .set({ email: "olu@example.com" })
      .where("id", "=", owner.userId)
      .execute();
    await updateSettings(ctx, owner, { quietHours: null });
  });
  afterEach(async () => {
    await db?.dispose();
  });

  /** Queues `n` nudges for the owner, as the planner would. */
  async function queueNudges(n: number): Promise<void> {
    const g = await createGoal(ctx, owner, { title: "Launch the newsletter" });
    for (let i = 0; i < n; i++) {
      const payload: NudgePayload = {
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        kind: "step-due-today",
        subject: { type: "goal", id: g.id },
        title: `Due today: step ${i}`,
        message: `Step ${i} is due today.`,
        lines: [],
        link: `/goals/${g.id}`,
        data: { i },
      };
      await queue.enqueue(ctx, { kind: NUDGE_JOB, payload, dedupeKey: `test:${i}`, runAt: NOW });
    }
  }

  const opts = (worker: string) => ({ worker, mailer, publicUrl: PUBLIC_URL, leaseMs: 60_000 });

  async function deliveries() {
    return db.store.db.selectFrom("deliveries").selectAll().orderBy("id").execute();
  }

  it.skipIf(skip)("queues a dedupe key once, however often it is queued", async () => {
    await queueNudges(1);
    const again = await queue.enqueue(ctx, { kind: NUDGE_JOB, payload: {}, dedupeKey: "test:0", runAt: NOW });
    expect(again).toBe(false);
    expect(await db.store.db.selectFrom("jobs").select("id").execute()).toHaveLength(1);
  });

  it.skipIf(skip)(
    "sends a nudge once to the inbox and once by email, however often the worker runs",
    async () => {
      await queueNudges(2);
      expect(await runDueJobs(ctx, NOW, opts("A"))).toMatchObject({ claimed: 2, done: 2 });
      expect(await runDueJobs(ctx, NOW, opts("A"))).toMatchObject({ claimed: 0 });
      expect(await runDueJobs(ctx, new Date(NOW.getTime() + 3_600_000), opts("B"))).toMatchObject({
        claimed: 0,
      });
      await smtp.waitFor(2);
      expect(smtp.messages.map((m) => m.subject).sort()).toEqual(["Due today: step 0", "Due today: step 1"]);
      expect(await inbox(ctx, owner, {})).toHaveLength(2);
      expect((await deliveries()).map((x) => `${x.channel}:${x.state}`).sort()).toEqual([
        "email:sent",
        "email:sent",
        "inbox:sent",
        "inbox:sent",
      ]);
    },
  );

  it.skipIf(skip)(
    "takes over a job from a worker that died after claiming it, once its lease ran out",
    async () => {
      await queueNudges(1);
      const [claimed] = await queue.claimDueJobs(ctx, NOW, { worker: "dies", leaseMs: 60_000, limit: 10 });
      expect(claimed?.lockedBy).toBe("dies");
      // While the lease holds, nobody else runs it.
      expect(await runDueJobs(ctx, new Date(NOW.getTime() + 30_000), opts("B"))).toMatchObject({
        claimed: 0,
      });
      expect(await inbox(ctx, owner, {})).toEqual([]);
      // After it, another worker does, once.
      const later = new Date(NOW.getTime() + 61_000);
      expect(await runDueJobs(ctx, later, opts("B"))).toMatchObject({ claimed: 1, done: 1 });
      expect(await runDueJobs(ctx, new Date(later.getTime() + 120_000), opts("C"))).toMatchObject({
        claimed: 0,
      });
      await smtp.waitFor(1);
      expect(smtp.messages).toHaveLength(1);
      expect(await inbox(ctx, owner, {})).toHaveLength(1);
      const job = await queue.findJob(ctx, claimed?.id ?? 0);
      expect(job).toMatchObject({ state: "done", attempts: 2 });
    },
  );

  it.skipIf(skip)(
    "resends with the same Message-ID when a worker died between sending and recording",
    async () => {
      await queueNudges(1);
      const [job] = await queue.claimDueJobs(ctx, NOW, { worker: "dies", leaseMs: 60_000, limit: 10 });
      const key = `job:${job?.id}:email`;
      const messageId = messageIdFor(key, PUBLIC_URL);
      // The dead worker recorded the start of the send and then vanished.
      expect(
        await queue.beginSend(
          ctx,
          {
            key,
            jobId: job?.id ?? 0,
            channel: "email",
            userId: owner.userId,
            recipient: "olu@example.com",
            messageId,
          },
          NOW,
        ),
      ).toBe("send");
      await runDueJobs(ctx, new Date(NOW.getTime() + 61_000), opts("B"));
      await smtp.waitFor(1);
      expect(smtp.messages.map((m) => m.messageId)).toEqual([messageId]);
      const email = (await deliveries()).find((x) => x.channel === "email");
      expect(email).toMatchObject({ state: "sent", attempts: 2, messageId });
    },
  );

  it.skipIf(skip)(
    "retries a send the SMTP server refused, later, without a second inbox notice",
    async () => {
      await queueNudges(1);
      smtp.refuse = true;
      expect(await runDueJobs(ctx, NOW, opts("A"))).toMatchObject({ retried: 1 });
      expect(await inbox(ctx, owner, {})).toHaveLength(1);
      const [job] = await db.store.db.selectFrom("jobs").selectAll().execute();
      expect(job).toMatchObject({ state: "queued", runAt: "2026-11-21T10:01:00.000Z" });
      expect(job?.lastError).toMatch(/451|Try again/);
      smtp.refuse = false;
      expect(await runDueJobs(ctx, new Date("2026-11-21T10:01:00.000Z"), opts("A"))).toMatchObject({
        done: 1,
      });
      await smtp.waitFor(1);
      expect(smtp.messages).toHaveLength(1);
      expect(await inbox(ctx, owner, {})).toHaveLength(1);
    },
  );

  // Only PostgreSQL runs several instances at once; on SQLite there is no race to show.
  if (d === "postgres")
    it.skipIf(skip)("sends each nudge exactly once when two instances race for the same jobs", async () => {
      await queueNudges(40);
      // A second instance: its own connection pool to the same database.
      const other = openStore(db.config);
      const ctx2 = appContext(other, () => NOW);
      try {
        const [a, b] = await Promise.all([
          runDueJobs(ctx, NOW, { ...opts("instance-1"), batch: 3 }),
          runDueJobs(ctx2, NOW, { ...opts("instance-2"), batch: 3 }),
        ]);
        expect(a.done + b.done).toBe(40);
        expect(a.claimed + b.claimed).toBe(40);
        expect(a.done).toBeGreaterThan(0);
        expect(b.done).toBeGreaterThan(0);
      } finally {
        await other.close();
      }
      await smtp.waitFor(40);
      await new Promise((r) => setTimeout(r, 200));
      const subjects = smtp.messages.map((m) => m.subject);
      expect(subjects).toHaveLength(40);
      expect(new Set(subjects).size).toBe(40);
      expect(await inbox(ctx, owner, { limit: 500 })).toHaveLength(40);
    });
});
