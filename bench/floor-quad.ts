/**
 * The PostgreSQL check-in's floor against SQLite's in the same minutes (issue 17, pgfloor26): the
 * check-in on four servers kept running together — SQLite's product and its floor
 * (bench/bare-checkin.ts) on one copy, PostgreSQL's product and its floor (bench/bare-checkin-pg.ts)
 * on one database — measured in rounds of four short windows, one server loaded at a time, the
 * order rotating from round to round, so the machine's drift falls on every server alike. Each
 * round gives one ratio per pair of servers; printed are the medians of those ratios and their
 * 90 % bootstrap intervals (bench/paired.ts). `npm run bench` pairs each product with its own floor;
 * this is for the cross-database argument: is even PostgreSQL's floor under half of SQLite's
 * product? It writes check-ins and API tokens (removed at the end): give it copies.
 *
 *   node dist/bench-build/bench/floor-quad.js --sqlite COPY.db --postgres URL [--rounds 10] [--window 2]
 *        [--warm-up-requests 3000] [--connections 10]
 */
import { pathToFileURL } from "node:url";
import { sql } from "kysely";
import { openStore, type Store } from "../src/store/db.js";
import { bootstrapMedian, median } from "./paired.js";
import {
  BARE_CHECKIN,
  BARE_CHECKIN_PG,
  endpoints,
  type Fixture,
  lastIds,
  load,
  prepare,
  ROOT,
  removeRunRows,
  SERVER,
  settleTables,
  startChild,
  unsettleTables,
  untilIdle,
} from "./run.js";
import { startFlags } from "./server-command.js";

type Side = "sqlite product" | "sqlite floor" | "postgres product" | "postgres floor";
const SIDES: Side[] = ["sqlite product", "sqlite floor", "postgres product", "postgres floor"];

function flag(name: string, fallback: string | null): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const file = flag("sqlite", null);
  const url = flag("postgres", null);
  if (!file || !url) {
    console.error(
      "Give --sqlite COPY.db and --postgres URL (copies of the bench data: this writes check-ins).",
    );
    process.exit(2);
  }
  const rounds = Number(flag("rounds", "10"));
  const window = Number(flag("window", "2"));
  const connections = Number(flag("connections", "10"));
  const warmUpRequests = Number(flag("warm-up-requests", "3000"));
  const sq = openStore({ file });
  const pgs = openStore({ databaseUrl: url });
  const fixtures = new Map<Store, { f: Fixture; before: { checkins: number; events: number } }>();
  let settled: string[] = [];
  const children: Awaited<ReturnType<typeof startChild>>[] = [];
  try {
    for (const s of [sq, pgs]) fixtures.set(s, { before: await lastIds(s.db), f: await prepare(s) });
    settled = await settleTables(pgs, (fixtures.get(pgs) as { f: Fixture }).f.counts);
    const reqsOf = (s: Store) => endpoints((fixtures.get(s) as { f: Fixture }).f, null)[0]?.reqs ?? [];
    const envS = { THROUGHLINE_DB: file, DATABASE_URL: "" };
    const envP = { DATABASE_URL: url };
    const off = { THROUGHLINE_SCHEDULER: "off" };
    const start = async (script: string, env: Record<string, string>, flags: string[] = []) => {
      const c = await startChild(script, env, flags);
      children.push(c);
      return c;
    };
    const servers = {
      "sqlite product": { ...(await start(SERVER, { ...envS, ...off }, startFlags(ROOT))), reqs: reqsOf(sq) },
      "sqlite floor": { ...(await start(BARE_CHECKIN, envS)), reqs: reqsOf(sq) },
      "postgres product": {
        ...(await start(SERVER, { ...envP, ...off }, startFlags(ROOT))),
        reqs: reqsOf(pgs),
      },
      "postgres floor": { ...(await start(BARE_CHECKIN_PG, envP)), reqs: reqsOf(pgs) },
    };
    for (const side of SIDES) {
      const s = servers[side];
      await load("warm-up", s.url, s.reqs, { duration: 90, connections, requests: warmUpRequests });
      await untilIdle(s.url);
    }
    // As `npm run bench`'s SQLite pairs (floor24): the log copied and restarted before the windows.
    await sql`pragma wal_checkpoint(RESTART)`.execute(sq.db.withoutPlugins());
    const rps: Record<Side, number[]> = {
      "sqlite product": [],
      "sqlite floor": [],
      "postgres product": [],
      "postgres floor": [],
    };
    for (let r = 0; r < rounds; r++) {
      // Rotated by one each round, and reversed every other round: each server runs in every place.
      const rotated = SIDES.map((_, i) => SIDES[(i + r) % SIDES.length] as Side);
      const order = r % 2 ? rotated.reverse() : rotated;
      for (const side of order) {
        const s = servers[side];
        const m = await load(side, s.url, s.reqs, { duration: window, connections });
        rps[side].push(m.errors ? 0 : m.rps);
        await untilIdle(s.url);
      }
      console.error(`round ${r + 1}: ${SIDES.map((x) => `${x} ${rps[x][r]?.toFixed(0)}`).join(", ")} req/s`);
    }
    const ratio = (a: Side, b: Side) => {
      const xs = rps[a].map((x, i) => x / (rps[b][i] as number)).filter((x) => Number.isFinite(x) && x > 0);
      const { low, high } = bootstrapMedian(xs);
      return `${a} ÷ ${b}: median ${Math.exp(median(xs.map(Math.log))).toFixed(2)} [${low.toFixed(2)}–${high.toFixed(2)}] of ${xs.length} rounds`;
    };
    for (const side of SIDES)
      console.log(
        `${side}: median window ${median(rps[side]).toFixed(0)} req/s (${rps[side].map((x) => x.toFixed(0)).join(", ")})`,
      );
    for (const [a, b] of [
      ["postgres product", "sqlite product"],
      ["postgres floor", "sqlite product"],
      ["postgres floor", "sqlite floor"],
      ["postgres product", "postgres floor"],
      ["sqlite product", "sqlite floor"],
    ] as [Side, Side][])
      console.log(ratio(a, b));
  } finally {
    for (const c of children) await c.stop();
    for (const [s, { before }] of fixtures) await removeRunRows(s.db, before, "bench");
    await unsettleTables(pgs, settled);
    await sq.close();
    await pgs.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
