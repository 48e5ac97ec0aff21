/**
 * Issue 17 (sched19): the planner's tick in parts, in-process, for an A/B of two builds. `ROOT` is a
 * checkout whose `dist/bench-build` was built (`npx tsc -p bench/tsconfig.json`); run the same mode
 * against the base's and the branch's roots alternately, each on its own copy of the bench file.
 * It WRITES to the database (check-ins, queued nudges, the planner's cursor): give it a copy.
 *
 *   node bench/tick-parts.mjs ROOT COPY.db changed [N=100] [ROUNDS=8]
 *       ROUNDS × (N check-ins on N active goals, then one planTick), each tick's ms: the cursor path
 *       as a running server sees it (the first round cold).
 *   node bench/tick-parts.mjs ROOT COPY.db slots
 *       `planZones` over ten quarter hours from 2026-12-05 10:00 UTC where no zone passes midnight
 *       and nobody's weekly hour comes (every bench person is on UTC): a slot change with nothing due.
 *   node bench/tick-parts.mjs ROOT COPY.db midnight
 *       one `planZones` across UTC midnight (everyone's new day: the slot that queues the most),
 *       with how late a 5 ms timer ran meanwhile (what a request waits behind the planner).
 */
const [root, file, mode, a = "100", b = "8"] = process.argv.slice(2);
if (!root || !file || !["changed", "slots", "midnight"].includes(mode ?? "")) {
  console.error("Usage: node bench/tick-parts.mjs ROOT COPY.db changed [N] [ROUNDS] | slots | midnight");
  process.exit(2);
}
const at = (p) => import(`${root}/dist/bench-build/src/${p}`);
const { createCheckin } = await at("app/checkins/checkins.js");
const { appContext } = await at("app/context.js");
const { planTick, planZones } = await at("app/delivery/nudges.js");
const { openAndMigrate } = await at("store/db.js");
const store = await openAndMigrate({ file });
const ctx = appContext(store);
const ms = (t) => (performance.now() - t).toFixed(0);
try {
  if (mode === "changed") {
    const n = Number(a);
    const rounds = Number(b);
    const now = Date.now();
    await planTick(ctx, new Date(now), { forwardNotices: false });
    const goals = await store.db
      .selectFrom("goals")
      .select(["id", "ownerId", "workspaceId"])
      .where("status", "=", "active")
      .orderBy("id", "desc")
      .limit(n * 3)
      .execute();
    const out = [];
    for (let r = 0; r < rounds; r++) {
      for (const g of goals.slice((r % 3) * n, (r % 3) * n + n))
        await createCheckin(ctx, { userId: g.ownerId, workspaceId: g.workspaceId }, g.id, {
          confidence: "on-track",
          doneText: "bench:tick-parts",
        });
      const t = performance.now();
      await planTick(ctx, new Date(now + 1000 + r), { forwardNotices: false });
      out.push(ms(t));
    }
    console.log(`planTick after ${n} check-ins, ${rounds} rounds (ms): ${out.join(" ")}`);
  } else if (mode === "slots") {
    const out = [];
    for (let i = 0; i < 10; i++) {
      const since = new Date(Date.UTC(2026, 11, 5, 10, 0) + i * 900_000);
      const t = performance.now();
      const r = await planZones(ctx, since, new Date(since.getTime() + 960_000));
      out.push(`${ms(t)}${r.people ? ` (${r.people} people)` : ""}`);
    }
    console.log(`slot change, nothing due (ms): ${out.join(" ")}`);
  } else {
    const late = [];
    let expected = performance.now() + 5;
    const timer = setInterval(() => {
      const t = performance.now();
      late.push(t - expected);
      expected = t + 5;
    }, 5);
    const t = performance.now();
    const r = await planZones(
      ctx,
      new Date("2026-12-05T23:45:00.000Z"),
      new Date("2026-12-06T00:01:00.000Z"),
    );
    const took = ms(t);
    clearInterval(timer);
    late.sort((x, y) => x - y);
    const q = (f) => (late[Math.min(late.length - 1, Math.floor(late.length * f))] ?? 0).toFixed(0);
    console.log(
      `UTC midnight: ${took} ms, ${r.people} people, queued ${r.queued}; a 5 ms timer late by p50 ${q(0.5)} / max ${q(1)} ms`,
    );
  }
} finally {
  await store.close();
}
