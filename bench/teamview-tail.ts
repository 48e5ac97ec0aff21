/**
 * Where the team view's slow requests go (issue 17, pgteam24): the leader of the first 50-person
 * team asking again and again through the built HTTP app in this process (`app.request`, no
 * socket), `--concurrency` at a time (default 1), `--requests` in all (default 3,000), answered
 * from the process's copy (200) or, with `--revalidate`, with the current tag (304). Each request's
 * wall time is set beside what overlapped it: the garbage collector's pauses (PerformanceObserver
 * "gc"), the pool connections opened during it (a new PostgreSQL backend plans and loads its
 * catalog caches on first use), and the event loop's delay. Prints p50 / p99 / max and, for the
 * requests over three times the median, how many overlapped each cause.
 *
 *   node dist/bench-build/bench/teamview-tail.js (--db COPY.db | --postgres URL)
 *        [--requests 3000] [--concurrency 1] [--revalidate] [--idle-ms 0]
 *
 * `--idle-ms N` pauses N ms every 500 requests (to see what an idle pool does to the next ones).
 * It adds an API token for the leader: give it a copy of the bench data.
 */

import { resolve } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { appContext } from "../src/app/context.js";
import { createApiToken } from "../src/app/people/accounts.js";
import { DEFAULT_LIMITS } from "../src/app/people/ratelimit.js";
import { createHttpApp } from "../src/server/app.js";
import { openAndMigrate } from "../src/store/db.js";
import { teamOfFifty } from "./run.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const pgUrl = arg("postgres", "");
  const store = await openAndMigrate(
    pgUrl ? { databaseUrl: pgUrl } : { file: resolve(arg("db", "./data/bench.db")) },
  );
  const total = Number(arg("requests", "3000"));
  const concurrency = Math.max(1, Number(arg("concurrency", "1")));
  const revalidate = process.argv.includes("--revalidate");
  const idleMs = Number(arg("idle-ms", "0"));
  const ctx = appContext(store);
  const app = createHttpApp(ctx, { log: () => {} }) as unknown as {
    request(path: string, init: { headers: Record<string, string> }): Promise<Response>;
  };
  const { team, leaderRow } = await teamOfFifty(store.db);
  const { token } = await createApiToken(
    ctx,
    { userId: leaderRow.userId, workspaceId: 1 },
    { name: "teamview-tail" },
    { ip: null },
    { ...DEFAULT_LIMITS, tokensPerUser: { max: 1_000_000, windowSeconds: 60 } },
  );
  const path = `/api/teams/${team.teamId}/overview`;
  let etag: string | null = null;
  const call = async () => {
    const r = await app.request(path, {
      headers: { authorization: `Bearer ${token}`, ...(revalidate && etag ? { "if-none-match": etag } : {}) },
    });
    await r.arrayBuffer();
    etag = r.headers.get("etag");
    return r.status;
  };
  // Pool connections opened (PostgreSQL): pg's Client.connect, counted with their start times.
  const opened: number[] = [];
  if (pgUrl) {
    const { default: pg } = await import("pg");
    const connect = pg.Client.prototype.connect;
    pg.Client.prototype.connect = function (this: unknown, ...a: unknown[]) {
      opened.push(performance.now());
      return (connect as (...x: unknown[]) => unknown).apply(this, a);
    } as typeof connect;
  }
  for (let i = 0; i < 20 * concurrency; i++) await call();
  const gcs: { start: number; end: number; kind: number }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({
        start: e.startTime,
        end: e.startTime + e.duration,
        kind: (e as unknown as { detail: { kind: number } }).detail.kind,
      });
  });
  obs.observe({ entryTypes: ["gc"] });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const spans: { start: number; end: number; status: number }[] = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const n = next++;
      if (idleMs > 0 && n > 0 && n % 500 === 0) await new Promise((r) => setTimeout(r, idleMs));
      const start = performance.now();
      const status = await call();
      spans.push({ start, end: performance.now(), status });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  loop.disable();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  const walls = spans.map((s) => s.end - s.start).sort((a, b) => a - b);
  const q = (p: number) => walls[Math.min(walls.length - 1, Math.floor(p * walls.length))] ?? Number.NaN;
  const median = q(0.5);
  const slow = spans.filter((s) => s.end - s.start > 3 * median);
  const overlaps = (s: { start: number; end: number }, o: { start: number; end: number }) =>
    o.start < s.end && o.end > s.start;
  const withGc = slow.filter((s) => gcs.some((g) => overlaps(s, g)));
  const withMajor = slow.filter((s) => gcs.some((g) => g.kind !== 1 && overlaps(s, g)));
  const withOpen = slow.filter((s) => opened.some((t) => t >= s.start - 1 && t <= s.end));
  const gcMs = gcs.reduce((a, g) => a + g.end - g.start, 0);
  const statuses = [...new Set(spans.map((s) => s.status))].join(", ");
  console.log(
    `${spans.length} requests (${statuses}), ${concurrency} in flight, ${(spans.length / (elapsed / 1000)).toFixed(0)}/s; wall p50 ${median.toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${q(1).toFixed(2)} ms; CPU ${((used.user + used.system) / 1000 / spans.length).toFixed(2)} ms a request`,
  );
  console.log(
    `gc: ${gcs.length} pauses, ${gcMs.toFixed(0)} ms (${((100 * gcMs) / elapsed).toFixed(1)} % of the wall), ${gcs.filter((g) => g.kind !== 1).length} not scavenges, longest ${Math.max(0, ...gcs.map((g) => g.end - g.start)).toFixed(1)} ms; event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms; pool connections opened while measuring: ${opened.filter((t) => t >= t0).length}`,
  );
  console.log(
    `${slow.length} requests over 3 × the median: ${withGc.length} overlapped a GC pause (${withMajor.length} a non-scavenge), ${withOpen.length} a new pool connection, ${slow.length - withGc.length - withOpen.length} neither (or both)`,
  );
  await store.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
