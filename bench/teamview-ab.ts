/**
 * The team view's CPU per request in two builds, in one process (issue 17, team21): each build's
 * HTTP app (its dist/, `app.request`, no socket) on the same database, the leader of the first
 * 50-person team asking again and again — answered from the process's copy (200) and with the
 * current tag in If-None-Match (304) — in alternating rounds, the order swapped every round, so a
 * busy machine slows both alike. Prints the median CPU of this process and the median wall time
 * per request of each build and kind; on PostgreSQL also the CPU its server processes spent for
 * each build's connections (pgteam22: each build's pool names itself in `application_name`, and
 * the backends' user + system time is read from /proc, so the server must run on this machine).
 * `--concurrency N` keeps N requests in flight (as N connections would), default 1.
 *
 *   node dist/bench-build/bench/teamview-ab.js --base /path/to/other/worktree [--db COPY.db | --postgres URL]
 *                                             [--rounds 8] [--per-round 100] [--concurrency 1]
 *
 * It adds an API token for the leader in each run: give it a copy of the bench data.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** What this uses of a build's HTTP app. */
interface App {
  request(path: string, init: { headers: Record<string, string> }): Promise<Response>;
}

/** The HTTP app of the build whose dist/ is `dist`, on the database, and a token of `userId`. */
async function appOf(dist: string, target: { file: string } | { databaseUrl: string }) {
  const url = (p: string) => pathToFileURL(resolve(dist, p)).href;
  const { openAndMigrate } = (await import(url("store/db.js"))) as typeof import("../src/store/db.js");
  const { appContext } = (await import(url("app/context.js"))) as typeof import("../src/app/context.js");
  const { createHttpApp } = (await import(url("server/app.js"))) as typeof import("../src/server/app.js");
  const accounts = (await import(
    url("app/people/accounts.js")
  )) as typeof import("../src/app/people/accounts.js");
  const limits = (await import(
    url("app/people/ratelimit.js")
  )) as typeof import("../src/app/people/ratelimit.js");
  const store = await openAndMigrate(target);
  const { sql } = await import("kysely");
  /** CPU ms the database's server processes for this store's connections have used (PostgreSQL). */
  const backendMs = async (): Promise<Map<number, number>> => {
    const out = new Map<number, number>();
    if (!("databaseUrl" in target)) return out;
    const name = new URL(target.databaseUrl).searchParams.get("application_name");
    const rows = await sql<{
      pid: number;
    }>`select pid from pg_stat_activity where application_name = ${name}`.execute(store.db);
    for (const { pid } of rows.rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
        // utime and stime, fields 14 and 15 of stat (11 and 12 after the command), in clock ticks.
        out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        // A backend that ended in between.
      }
    }
    return out;
  };
  const ctx = appContext(store);
  const app = createHttpApp(ctx, { log: () => {} }) as unknown as App;
  const token = async (userId: number) =>
    (
      await accounts.createApiToken(
        ctx,
        { userId, workspaceId: 1 },
        { name: "teamview-ab" },
        { ip: null },
        { ...limits.DEFAULT_LIMITS, tokensPerUser: { max: 1_000_000, windowSeconds: 60 } },
      )
    ).token;
  return { store, app, token, backendMs };
}

async function main(): Promise<void> {
  const base = arg("base", "");
  if (!base) throw new Error("Say which build to compare with: --base /path/to/another/worktree (built).");
  const pgUrl = arg("postgres", "");
  const targetOf = (who: string) =>
    pgUrl
      ? { databaseUrl: `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}application_name=teamview-ab-${who}` }
      : { file: resolve(arg("db", "./data/bench.db")) };
  const concurrency = Math.max(1, Number(arg("concurrency", "1")));
  const rounds = Number(arg("rounds", "8"));
  const per = Number(arg("per-round", "100"));
  const { teamOfFifty } = await import("./run.js");
  const builds = {
    base: await appOf(resolve(base, "dist"), targetOf("base")),
    branch: await appOf(resolve(import.meta.dirname, "..", "..", "..", "dist"), targetOf("branch")),
  };
  const { team, leaderRow } = await teamOfFifty(builds.branch.store.db);
  const path = `/api/teams/${team.teamId}/overview`;
  const tokens = {
    base: await builds.base.token(leaderRow.userId),
    branch: await builds.branch.token(leaderRow.userId),
  };
  type Who = keyof typeof builds;
  const call = async (who: Who, etag: string | null) => {
    const r = await builds[who].app.request(path, {
      headers: { authorization: `Bearer ${tokens[who]}`, ...(etag ? { "if-none-match": etag } : {}) },
    });
    await r.arrayBuffer();
    return { status: r.status, etag: r.headers.get("etag") };
  };
  const tags = { base: (await call("base", null)).etag, branch: (await call("branch", null)).etag };
  if (tags.base !== tags.branch) console.log("note: the two builds tag the answer differently");
  const kinds = ["200", "304"] as const;
  const cpu: Record<string, number[]> = {};
  const backend: Record<string, number[]> = {};
  const wall: Record<string, number[]> = {};
  let missed = 0;
  const load = async (who: Who, kind: string, count: number) => {
    const loop = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await call(who, kind === "304" ? tags[who] : null);
        // Another writer moved the tag: take the new one (that request was a 200).
        if (kind === "304" && r.status === 200) {
          tags[who] = r.etag;
          missed++;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, () => loop(Math.ceil(count / concurrency))));
  };
  // The pools open their connections and the statements are prepared on each before measuring.
  for (const who of ["base", "branch"] as const)
    for (const kind of kinds) await load(who, kind, 8 * concurrency);
  for (let round = 0; round < rounds; round++) {
    const order: Who[] = round % 2 ? ["branch", "base"] : ["base", "branch"];
    for (const who of order)
      for (const kind of kinds) {
        const before = await builds[who].backendMs();
        const c = process.cpuUsage();
        const t = performance.now();
        await load(who, kind, per);
        const done = Math.ceil(per / concurrency) * concurrency;
        const used = process.cpuUsage(c);
        const elapsed = performance.now() - t;
        const after = await builds[who].backendMs();
        let spent = 0;
        for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
        const key = `${who} ${kind}`;
        cpu[key] = [...(cpu[key] ?? []), (used.user + used.system) / 1000 / done];
        backend[key] = [...(backend[key] ?? []), spent / done];
        wall[key] = [...(wall[key] ?? []), elapsed / done];
      }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  for (const key of Object.keys(cpu))
    console.log(
      `${key.padEnd(11)} CPU ${median(cpu[key] ?? []).toFixed(2)} ms/request${pgUrl ? `  PostgreSQL CPU ${median(backend[key] ?? []).toFixed(2)} ms/request` : ""}  wall ${median(wall[key] ?? []).toFixed(2)} ms/request`,
    );
  if (missed) console.log(`${missed} requests of the 304 loads were 200s: another writer moved the tag`);
  for (const b of Object.values(builds)) await b.store.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
