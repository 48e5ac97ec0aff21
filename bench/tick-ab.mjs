/**
 * Issue 17 (tick24): one `planTick` of two builds, alternated in one process on one database, after
 * the same burst of check-ins each time: its wall and this process's CPU (on SQLite that includes
 * the database's own work, which runs in-process). `ROOT_A` and `ROOT_B` are checkouts whose
 * `dist/bench-build` was built (`npx tsc -p bench/tsconfig.json`). Each round, for A then B (B then A
 * on odd rounds): EVENTS check-ins on one active goal of each of GOALS people, then one planTick of
 * that build alone. It WRITES to the database (check-ins, the planner's cursor): give it a copy (a
 * SQLite file, or a `createdb -T bench` copy's URL).
 *
 *   node bench/tick-ab.mjs ROOT_A ROOT_B COPY.db|postgres://… [ROUNDS=6] [EVENTS=2000] [GOALS=100]
 */
const [rootA, rootB, file, roundsArg = "6", eventsArg = "2000", goalsArg = "100"] = process.argv.slice(2);
if (!rootA || !rootB || !file) {
  console.error("Usage: node bench/tick-ab.mjs ROOT_A ROOT_B COPY.db|URL [ROUNDS] [EVENTS] [GOALS]");
  process.exit(2);
}
const rounds = Number(roundsArg);
const events = Number(eventsArg);
const goalCount = Number(goalsArg);
const where = file.startsWith("postgres") ? { databaseUrl: file } : { file };

async function build(root, name) {
  const at = (p) => import(`${root}/dist/bench-build/src/${p}`);
  const { appContext } = await at("app/context.js");
  const { planTick, NUDGE_PLANNER, plannerSlot, breathe } = await at("app/delivery/nudges.js");
  const { createCheckin } = await at("app/checkins/checkins.js");
  const { openAndMigrate } = await at("store/db.js");
  const planner = await at("store/repos/planner.js");
  const store = await openAndMigrate(where);
  return {
    name,
    store,
    ctx: appContext(store),
    planTick,
    NUDGE_PLANNER,
    plannerSlot,
    breathe,
    createCheckin,
    planner,
  };
}

const A = await build(rootA, "A");
const B = await build(rootB, "B");
const q = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
try {
  const goals = [];
  const seen = new Set();
  for (const g of await A.store.db
    .selectFrom("goals")
    .select(["id", "ownerId", "workspaceId"])
    .where("status", "=", "active")
    .orderBy("id")
    .limit(goalCount * 20)
    .execute()) {
    if (seen.has(g.ownerId)) continue;
    seen.add(g.ownerId);
    goals.push(g);
    if (goals.length === goalCount) break;
  }
  const toEnd = async () => {
    const now = new Date();
    const ends = await A.planner.logEnds(A.store.db);
    await A.planner.savePlannerState(
      A.store.db,
      A.NUDGE_PLANNER,
      { ...ends, slot: A.plannerSlot(now) },
      now.toISOString(),
    );
  };
  const burst = async () => {
    for (let i = 0; i < events; i++) {
      const g = goals[i % goals.length];
      await A.createCheckin(A.ctx, { userId: g.ownerId, workspaceId: g.workspaceId }, g.id, {
        confidence: "on-track",
        doneText: "bench:tick-ab",
      });
      if (i % 10 === 9) await A.breathe();
    }
  };
  const out = { A: [], B: [] };
  // A first, unmeasured tick of each build (warm-up: statements prepared, modules compiled).
  for (const x of [A, B]) {
    await toEnd();
    await burst();
    await x.planTick(x.ctx, new Date(), { forwardNotices: false });
  }
  for (let r = 0; r < rounds; r++) {
    for (const x of r % 2 === 0 ? [A, B] : [B, A]) {
      await toEnd();
      await burst();
      const c = process.cpuUsage();
      const t = performance.now();
      const res = await x.planTick(x.ctx, new Date(), { forwardNotices: false });
      const wall = performance.now() - t;
      const cpu = process.cpuUsage(c);
      out[x.name].push({ wall, cpu: (cpu.user + cpu.system) / 1000, changes: res.changes, known: res.known });
    }
  }
  for (const k of ["A", "B"]) {
    const xs = out[k];
    console.log(
      `${k} (${k === "A" ? rootA : rootB}): ${xs.length} ticks after ${events} check-ins on ${goals.length} goals; changes ${xs.map((x) => x.changes).join(",")}; CPU ms ${xs.map((x) => x.cpu.toFixed(0)).join(", ")} (median ${q(
        xs.map((x) => x.cpu),
        0.5,
      ).toFixed(1)}, ${(
        q(
          xs.map((x) => x.cpu),
          0.5,
        ) / goals.length
      ).toFixed(2)} per goal); wall ms median ${q(
        xs.map((x) => x.wall),
        0.5,
      ).toFixed(0)}`,
    );
  }
  const ratios = out.A.map((a, i) => a.cpu / out.B[i].cpu);
  console.log(
    `CPU A ÷ B per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}; median ${q(ratios, 0.5).toFixed(2)}`,
  );
} finally {
  await A.store.close();
  await B.store.close();
}
