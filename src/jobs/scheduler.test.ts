import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../test/helpers/factories.js";
import { inbox } from "../app/delivery/notices.js";
import { updateSettings } from "../app/people/settings.js";
import { createGoal } from "../app/plans/goals.js";
import { addStep } from "../app/plans/steps.js";
import { readJobsConfig } from "./config.js";
import { startScheduler, startSchedulerFromEnv } from "./scheduler.js";

const server = { host: "127.0.0.1", port: 3000 };

describe("readJobsConfig", () => {
  it("is on, every 60 s, without email, linking to the server's address by default", () => {
    expect(readJobsConfig({}, server)).toEqual({
      ok: true,
      config: { enabled: true, intervalMs: 60_000, smtp: null, publicUrl: "http://127.0.0.1:3000" },
    });
  });

  it("reads SMTP_URL, SMTP_FROM, PUBLIC_URL and turning the scheduler off", () => {
    const r = readJobsConfig(
      {
        THROUGHLINE_SCHEDULER: "off",
        THROUGHLINE_SCHEDULER_INTERVAL: "15",
        SMTP_URL: "smtp://u:p@mail.example.com:587",
        SMTP_FROM: "Nudges <n@example.com>",
        PUBLIC_URL: "https://tl.example.com/",
      },
      server,
    );
    expect(r).toEqual({
      ok: true,
      config: {
        enabled: false,
        intervalMs: 15_000,
        smtp: { url: "smtp://u:p@mail.example.com:587", from: "Nudges <n@example.com>" },
        publicUrl: "https://tl.example.com",
      },
    });
  });

  it("lists every problem at once, with how to fix it", () => {
    const r = readJobsConfig(
      {
        THROUGHLINE_SCHEDULER: "sometimes",
        THROUGHLINE_SCHEDULER_INTERVAL: "0",
        SMTP_URL: "mail.example.com",
        PUBLIC_URL: "tl",
      },
      server,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(4);
      expect(r.problems.join("\n")).toMatch(/on or off[\s\S]*1 to 3600[\s\S]*smtp:\/\/[\s\S]*https:\/\//);
    }
  });
});

describe.each(DIALECTS)("the scheduler on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
  });
  afterEach(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("ticks at once and on its interval, never overlapping, and stops cleanly", async () => {
    const ctx = fixedContext(db.store, "2026-11-21T10:00:00.000Z");
    const { actor } = await actorFor(db.store);
    await updateSettings(ctx, actor, { quietHours: null });
    const g = await createGoal(ctx, actor, { title: "Launch", startDate: "2026-11-20" });
    await addStep(ctx, actor, g.id, { text: "Email Raj", dueDate: "2026-11-22" });
    const scheduler = startScheduler(ctx, { intervalMs: 50, worker: "test", log: () => {} });
    const [a, b] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect(a).toBe(b);
    await new Promise((r) => setTimeout(r, 150));
    await scheduler.stop();
    expect(await scheduler.tick()).toBeNull();
    expect((await inbox(ctx, actor, {})).map((i) => i.type)).toEqual(["nudge.step-due-tomorrow"]);
  });

  it.skipIf(skip)("does nothing when THROUGHLINE_SCHEDULER=off", async () => {
    const ctx = fixedContext(db.store);
    const s = startSchedulerFromEnv(ctx, { THROUGHLINE_SCHEDULER: "off" }, server);
    expect(await s.tick()).toBeNull();
    await s.stop();
    expect(await db.store.db.selectFrom("jobs").select("id").execute()).toEqual([]);
  });
});
