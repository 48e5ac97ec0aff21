/**
 * Two builds' check-ins A/B in one process (issue 17, checkin19): each build's HTTP app (its
 * `dist/bench-build`, made by `npx tsc -p bench/tsconfig.json` in its folder) and the floor
 * (bench/bare-checkin.ts) on one copy of a bench database, in alternating rounds after a long
 * warm-up (V8 optimises the product's layers only after a few thousand requests), CPU per check-in
 * (process.cpuUsage: every thread, the checkpointers' included). A busy machine slows all alike.
 *
 *   node bench/checkin-ab.mjs --base /path/to/base-checkout --new . --db COPY.db [--rounds 8] [--per-round 300] [--warm-up 3000]
 *
 * It writes check-ins and API tokens: give it a copy. The base checkout must load the SAME
 * better-sqlite3 as --new (symlink its node_modules to --new's): two copies of the native addon in
 * one process are two SQLite libraries on one file, whose POSIX locks do not see each other, and
 * the copy was reported "database disk image is malformed" within the first requests (ckin20).
 * AB_LOG=1 prints the apps' unexpected errors instead of only the status.
 *
 * On PostgreSQL (pgck21): `--postgres URL` instead of `--db` (a copy: `createdb -T bench COPY`),
 * no floor (it is SQLite's), `--concurrency N` check-ins in flight at once (default 1 here, 10 for
 * the server benchmark's load); besides the process's CPU it prints each build's check-ins a second
 * of wall time, where PostgreSQL's own work and the round trips' waits show, and the CPU of the
 * copy's PostgreSQL backends (from /proc, so on the same machine only; every backend of the copy,
 * but only the build being measured is busy during its round).
 *
 * `--postgres-base URL2` (pgtrig22): the base build on its own copy, for a change that lives in the
 * database (a migration's triggers): with one copy, the newer build's migrations would serve both.
 * Each build then gets its own API tokens, and each round reads the backends of its own copy.
 *
 * `--pg-floor` (pgfloor26): on PostgreSQL, also the hand-written floor (bench/bare-checkin-pg.ts of
 * the --new build, its own pool of 10 on --new's copy) in the same alternating rounds, so the
 * product's CPU per check-in, node's and the backends', reads against the floor's.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const file = arg("db", "./data/bench.db");
const postgres = arg("postgres", null);
const postgresOf = { base: arg("postgres-base", postgres), new: postgres };
const concurrency = Number(arg("concurrency", "1"));
const rounds = Number(arg("rounds", "8"));
const perRound = Number(arg("per-round", "300"));
const warmUp = Number(arg("warm-up", "3000"));
const roots = { base: resolve(arg("base", ".")), new: resolve(arg("new", ".")) };
const apps = {};
const closers = [];
const peopleOf = {};
let people;
for (const [who, root] of Object.entries(roots)) {
  const B = `${root}/dist/bench-build`;
  const { appContext } = await import(`${B}/src/app/context.js`);
  const { createApiToken } = await import(`${B}/src/app/people/accounts.js`);
  const { DEFAULT_LIMITS } = await import(`${B}/src/app/people/ratelimit.js`);
  const { createHttpApp } = await import(`${B}/src/server/app.js`);
  const { openAndMigrate } = await import(`${B}/src/store/db.js`);
  const store = await openAndMigrate(
    postgres ? { databaseUrl: postgresOf[who] } : { file, backgroundCheckpoints: true },
  );
  closers.push(() => store.close());
  const ctx = appContext(store);
  apps[who] = createHttpApp(ctx, { log: process.env.AB_LOG ? console.error : () => {} });
  if (!people || postgresOf.base !== postgresOf.new) {
    if (!postgres && !people) {
      const { checkinApp } = await import(`${B}/bench/bare-checkin.js`);
      const { openLikeServer } = await import(`${B}/bench/bare-db.js`);
      const floorDb = openLikeServer(file);
      closers.push(() => floorDb.close());
      apps.floor = checkinApp(floorDb);
    }
    const db = store.db;
    const goals = await db
      .selectFrom("goals")
      .select(["ownerId", (eb) => eb.fn.min("id").as("goalId")])
      .where("status", "=", "active")
      .where("ownerId", ">", 1)
      .where((eb) => eb(eb("ownerId", "%", 20), "=", 0))
      .groupBy("ownerId")
      .orderBy("ownerId")
      .limit(50)
      .execute();
    people = [];
    for (const g of goals) {
      const goalId = Number(g.goalId);
      const krs = await db.selectFrom("keyResults").select("id").where("goalId", "=", goalId).execute();
      const limits = { ...DEFAULT_LIMITS, tokensPerUser: { max: 1e6, windowSeconds: 60 } };
      const actor = { userId: g.ownerId, workspaceId: 1 };
      const { token } = await createApiToken(ctx, actor, { name: "ab" }, { ip: null }, limits);
      const body = JSON.stringify({
        krValues: krs.map((k, j) => ({ keyResultId: k.id, value: 100 + j })),
        confidence: "on-track",
        doneText: "Sent the deck to Raj",
        nextStep: "Draft the welcome email",
      });
      people.push({ token, goalId, body });
    }
  }
  peopleOf[who] = people;
}
if (postgres && process.argv.includes("--pg-floor")) {
  const { checkinAppPg, floorPool } = await import(`${roots.new}/dist/bench-build/bench/bare-checkin-pg.js`);
  const pool = floorPool(postgresOf.new);
  closers.push(() => pool.end());
  apps.floor = checkinAppPg(pool);
  postgresOf.floor = postgresOf.new;
  peopleOf.floor = peopleOf.new;
} else peopleOf.floor = people;
const send = async (app, p) => {
  const r = await app.request(`/api/goals/${p.goalId}/checkins`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${p.token}`,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(p.body)),
    },
    body: p.body,
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${r.status} ${text.slice(0, 200)}`);
};
let k = 0;
const order = postgres && !apps.floor ? ["base", "new"] : ["base", "new", "floor"];
/** `count` check-ins through `app`, `concurrency` at a time. */
const batch = async (who, count) => {
  const app = apps[who];
  const them = peopleOf[who];
  let left = count;
  const worker = async () => {
    while (left-- > 0) await send(app, them[k++ % them.length]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};
for (const who of order) await batch(who, warmUp);
const cpu = { base: 0, new: 0, floor: 0 };
const wall = { base: 0, new: 0, floor: 0 };
const server = { base: 0, new: 0, floor: 0 };
/**
 * CPU ms of each of this build's database's PostgreSQL backends so far (utime + stime, clock ticks
 * of 10 ms), by pid. Compared pid by pid (pgck24): a backend that exits during a round (pg-pool
 * closes a connection idle for 10 s: the other build's, on the same database) must not take its
 * whole life's CPU off the round's sum, and one that starts during it counts from zero.
 */
const backendsOfUrl = new Map();
const backendCpu = async (who) => {
  if (!postgres) return new Map();
  const url = postgresOf[who];
  let backendsOf = backendsOfUrl.get(url);
  if (!backendsOf) {
    const pg = (await import("pg")).default;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    backendsOf = async () =>
      (
        await c.query(
          "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
        )
      ).rows.map((r) => r.pid);
    closers.push(() => c.end());
    backendsOfUrl.set(url, backendsOf);
  }
  const ms = new Map();
  for (const pid of await backendsOf()) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ms.set(pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {}
  }
  return ms;
};
/** The CPU the backends alive at the end spent since `before` (from zero for those started since). */
const backendDelta = (before, after) => {
  let ms = 0;
  for (const [pid, v] of after) ms += v - (before.get(pid) ?? 0);
  return ms;
};
for (let r = 0; r < rounds; r++) {
  for (const who of r % 2 ? [...order].reverse() : order) {
    const s0 = await backendCpu(who);
    const c = process.cpuUsage();
    const t = performance.now();
    await batch(who, perRound);
    wall[who] += performance.now() - t;
    server[who] += backendDelta(s0, await backendCpu(who));
    const u = process.cpuUsage(c);
    cpu[who] += (u.user + u.system) / 1000;
  }
}
const ms = (w) => cpu[w] / (rounds * perRound);
const rate = (w) => (1000 * rounds * perRound) / wall[w];
for (const w of order)
  console.log(
    `${w}: ${ms(w).toFixed(3)} ms CPU a check-in, ${rate(w).toFixed(0)} check-ins/s (${concurrency} at once)` +
      (postgres
        ? `; PostgreSQL backends ${(server[w] / (rounds * perRound)).toFixed(3)} ms CPU a check-in`
        : ""),
  );
if (postgres) {
  console.log(
    `new ÷ base: CPU ${(ms("new") / ms("base")).toFixed(2)}, PostgreSQL CPU ${(server.new / server.base).toFixed(2)}, check-ins/s ${(rate("new") / rate("base")).toFixed(2)}`,
  );
  if (apps.floor)
    for (const w of ["base", "new"])
      console.log(
        `${w} ÷ floor: CPU ${(ms(w) / ms("floor")).toFixed(2)}, PostgreSQL CPU ${(server[w] / server.floor).toFixed(2)}, check-ins/s ${(rate(w) / rate("floor")).toFixed(2)}`,
      );
  for (const c of closers) await c();
  process.exit(0);
}
console.log(
  `share of the floor: base ${((100 * ms("floor")) / ms("base")).toFixed(0)} %, new ${((100 * ms("floor")) / ms("new")).toFixed(0)} %; new ÷ base ${(ms("new") / ms("base")).toFixed(2)}`,
);
for (const c of closers) await c();
process.exit(0);
