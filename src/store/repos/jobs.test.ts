/**
 * The queue's inserts (issue 17, sched20): a batch is written in one statement per 100 jobs, and
 * queuing again what is already queued writes nothing, one job or a batch alike.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { enqueueJob, enqueueJobs, type NewJob } from "./jobs.js";

const AT = "2026-12-05T09:00:00.000Z";

function nudges(from: number, n: number): NewJob[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: "nudge",
    runAt: AT,
    payload: { userId: from + i, kind: "step-due-today" },
    dedupeKey: `step-due-today:${from + i}:2026-12-05`,
    createdAt: AT,
  }));
}

describe.each(DIALECTS)("queuing jobs on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    if (!skip) db = await freshStore(d);
  });
  afterEach(async () => {
    await db?.dispose();
  });

  const rows = () =>
    db.store.db
      .selectFrom("jobs")
      .select(["dedupeKey", "state", "payloadJson", "runAt"])
      .orderBy("id")
      .execute();

  it.skipIf(skip)("writes a batch of 250 as 250 queued jobs, and a rerun writes none", async () => {
    expect(await enqueueJobs(db.store.db, nudges(1, 250))).toBe(250);
    const first = await rows();
    expect(first).toHaveLength(250);
    expect(new Set(first.map((r) => r.dedupeKey)).size).toBe(250);
    expect(first.every((r) => r.state === "queued" && r.runAt === AT)).toBe(true);
    expect(JSON.parse(first[249]?.payloadJson ?? "{}")).toEqual({ userId: 250, kind: "step-due-today" });

    expect(await enqueueJobs(db.store.db, nudges(1, 250))).toBe(0);
    expect(await rows()).toEqual(first);
  });

  it.skipIf(skip)("writes only the new jobs of a batch that overlaps the queue", async () => {
    await enqueueJobs(db.store.db, nudges(1, 10));
    expect(await enqueueJobs(db.store.db, nudges(6, 10))).toBe(5);
    expect(await rows()).toHaveLength(15);
  });

  it.skipIf(skip)("queues one job the same way, once", async () => {
    const [one] = nudges(7, 1) as [NewJob];
    expect(await enqueueJob(db.store.db, one)).toBe(true);
    expect(await enqueueJob(db.store.db, one)).toBe(false);
    expect(await enqueueJobs(db.store.db, [one])).toBe(0);
    const r = await rows();
    expect(r).toHaveLength(1);
    expect(r[0]?.state).toBe("queued");
  });
});
