/**
 * Issue 17 (tick23): what a scheduler tick costs the check-ins running beside it, in-process. `ROOT`
 * is a checkout whose `dist/bench-build` was built (`npx tsc -p bench/tsconfig.json`). On a copy of
 * the SQLite bench file it first puts the planner's cursor at the end of the logs (as
 * `bench/steady.ts` does), then runs CONCURRENCY check-in loops (100 people's active goals, as
 * `npm run bench`'s check-in load) for ROUNDS × 2 phases of SECONDS each, alternating "off" (no
 * tick) and "on" (the scheduler's tick every second: planTick, the due jobs, the webhooks, in the
 * order `src/jobs/scheduler.ts` runs them). It prints per phase the check-ins' p50/p99 and a 2 ms
 * timer's lateness p99/max (the longest synchronous stretch a request waits behind), and per tick
 * its parts' ms, the events planned, goals named and nudges queued. Then, with the load stopped,
 * `isolated` ticks: N check-ins on the 100 goals, then one planTick alone, its wall and CPU ms.
 * On PostgreSQL give a URL instead of COPY.db (a `createdb -T bench` copy).
 * It WRITES to the database (check-ins, queued nudges, the planner's cursor): give it a copy.
 *
 *   node bench/tick-beside.mjs ROOT COPY.db [SECONDS=5] [ROUNDS=4] [CONCURRENCY=10]
 */
const [root, file, secArg = "5", roundsArg = "4", concArg = "10"] = process.argv.slice(2);
if (!root || !file) {
  console.error("Usage: node bench/tick-beside.mjs ROOT COPY.db [SECONDS] [ROUNDS] [CONCURRENCY]");
  process.exit(2);
}
const at = (p) => import(`${root}/dist/bench-build/src/${p}`);
const { createCheckin } = await at("app/checkins/checkins.js");
const { appContext } = await at("app/context.js");
const { planTick, breathe, NUDGE_PLANNER, plannerSlot } = await at("app/delivery/nudges.js");
const { runDueJobs, newWorkerId } = await at("jobs/worker.js");
const { dispatchWebhooks } = await at("integrations/webhooks.js");
const { openAndMigrate } = await at("store/db.js");
const planner = await at("store/repos/planner.js");

const seconds = Number(secArg);
const rounds = Number(roundsArg);
const concurrency = Number(concArg);
const store = await openAndMigrate(file.startsWith("postgres") ? { databaseUrl: file } : { file });
const ctx = appContext(store);
const q = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
const f0 = (x) => x.toFixed(0);
const f1 = (x) => x.toFixed(1);

try {
  const steady = async () => {
    const now = new Date();
    const ends = await planner.logEnds(store.db);
    await planner.savePlannerState(
      store.db,
      NUDGE_PLANNER,
      { ...ends, slot: plannerSlot(now) },
      now.toISOString(),
    );
  };
  await steady();
  // One active goal of each of 100 people, as the server benchmark's check-in load.
  const goals = [];
  const seen = new Set();
  for (const g of await store.db
    .selectFrom("goals")
    .select(["id", "ownerId", "workspaceId"])
    .where("status", "=", "active")
    .orderBy("id")
    .limit(2000)
    .execute()) {
    if (seen.has(g.ownerId)) continue;
    seen.add(g.ownerId);
    goals.push(g);
    if (goals.length === 100) break;
  }
  let n = 0;
  let stop = false;
  let lat = [];
  const loop = async () => {
    while (!stop) {
      const g = goals[n++ % goals.length];
      const t = performance.now();
      await createCheckin(ctx, { userId: g.ownerId, workspaceId: g.workspaceId }, g.id, {
        confidence: "on-track",
        doneText: "bench:tick-beside",
      });
      lat.push(performance.now() - t);
      // As a request arriving over the network: a turn of the event loop between check-ins (better-sqlite3
      // is synchronous, so without it the loops would starve every timer).
      await new Promise((r) => setImmediate(r));
    }
  };
  // The timer's lateness: how long a request that became ready waited behind synchronous work.
  let lag = [];
  let expected = performance.now() + 2;
  const probe = setInterval(() => {
    const t = performance.now();
    lag.push(Math.max(0, t - expected));
    expected = t + 2;
  }, 2);
  const worker = newWorkerId();
  const ticks = [];
  const oneTick = async () => {
    const now = new Date();
    const t0 = performance.now();
    const r = await planTick(ctx, now, { forwardNotices: false });
    const t1 = performance.now();
    await breathe();
    const jobs = await runDueJobs(ctx, now, { worker });
    await breathe();
    const t2 = performance.now();
    await dispatchWebhooks(ctx, now, { worker });
    const t3 = performance.now();
    ticks.push({ plan: t1 - t0, jobs: t2 - t1, hooks: t3 - t2, r, claimed: jobs.claimed });
  };
  const loops = Array.from({ length: concurrency }, loop);
  const phases = { off: [], on: [] };
  // Warm-up: 3 s of load with ticks, not counted.
  const phase = async (on, ms) => {
    lat = [];
    lag = [];
    let running = null;
    const timer = on
      ? setInterval(() => {
          if (!running) running = oneTick().finally(() => (running = null));
        }, 1000)
      : null;
    await new Promise((r) => setTimeout(r, ms));
    if (timer) clearInterval(timer);
    if (running) await running;
    return { lat, lag };
  };
  await phase(true, 3000);
  ticks.length = 0;
  const order = [];
  for (let i = 0; i < rounds; i++) order.push(...(i % 2 === 0 ? [false, true] : [true, false]));
  for (const on of order) {
    const t = performance.now();
    const { lat: l, lag: g } = await phase(on, seconds * 1000);
    const wall = (performance.now() - t) / 1000;
    phases[on ? "on" : "off"].push({
      rps: l.length / wall,
      p50: q(l, 0.5),
      p99: q(l, 0.99),
      lag99: q(g, 0.99),
      lagMax: q(g, 1),
    });
  }
  stop = true;
  await Promise.all(loops);
  clearInterval(probe);
  for (const k of ["off", "on"])
    for (const p of phases[k])
      console.log(
        `${k.padEnd(3)} check-ins ${f0(p.rps)}/s p50 ${f1(p.p50)} p99 ${f1(p.p99)} ms; timer late p99 ${f1(p.lag99)} max ${f1(p.lagMax)} ms`,
      );
  const med = (xs) => q(xs, 0.5);
  const ratio = (f) => med(phases.on.map(f)) / med(phases.off.map(f));
  console.log(
    `on ÷ off (medians of phases): check-in p99 ${ratio((p) => p.p99).toFixed(2)}, timer late p99 ${ratio((p) => p.lag99).toFixed(2)}, max ${ratio((p) => p.lagMax).toFixed(2)}`,
  );
  console.log(
    `ticks: ${ticks.length}; plan ms p50 ${f0(
      q(
        ticks.map((t) => t.plan),
        0.5,
      ),
    )} max ${f0(
      q(
        ticks.map((t) => t.plan),
        1,
      ),
    )}; jobs ms p50 ${f0(
      q(
        ticks.map((t) => t.jobs),
        0.5,
      ),
    )}; webhooks ms p50 ${f0(
      q(
        ticks.map((t) => t.hooks),
        0.5,
      ),
    )}; changes p50 ${q(
      ticks.map((t) => t.r.changes),
      0.5,
    )}; queued total ${ticks.reduce((s, t) => s + t.r.queued, 0)}; known p50 ${q(
      ticks.map((t) => t.r.known),
      0.5,
    )}; jobs claimed total ${ticks.reduce((s, t) => s + t.claimed, 0)}`,
  );
  // Isolated: the planner alone after a second's worth of check-ins.
  const iso = [];
  for (let r = 0; r < 5; r++) {
    const per = Math.round(med(phases.off.map((p) => p.rps)));
    for (let i = 0; i < per; i++) {
      const g = goals[i % goals.length];
      await createCheckin(ctx, { userId: g.ownerId, workspaceId: g.workspaceId }, g.id, {
        confidence: "on-track",
        doneText: "bench:tick-beside",
      });
      if (i % 10 === 9) await breathe();
    }
    lag = [];
    expected = performance.now() + 2;
    const probe2 = setInterval(() => {
      const t = performance.now();
      lag.push(Math.max(0, t - expected));
      expected = t + 2;
    }, 2);
    const c = process.cpuUsage();
    const t = performance.now();
    const res = await planTick(ctx, new Date(), { forwardNotices: false });
    const wall = performance.now() - t;
    const cpu = process.cpuUsage(c);
    clearInterval(probe2);
    iso.push({ wall, cpu: (cpu.user + cpu.system) / 1000, changes: res.changes, lagMax: q(lag, 1) });
  }
  for (const i of iso)
    console.log(
      `isolated planTick after ${i.changes} changes on 100 goals: wall ${f0(i.wall)} ms, CPU ${f0(i.cpu)} ms (${f1(i.cpu / 100)} ms per goal), timer late max ${f1(i.lagMax)} ms`,
    );
} finally {
  await store.close();
}
