/**
 * The check-in and My week next to their hand-written floors, in one process (issue 17): each
 * request goes through the server's HTTP app and through the floor's (bench/bare-checkin.ts,
 * bench/bare-week.ts) with `app.request` — routing, auth, validation, the database, JSON; no socket
 * and no load generator — in alternating rounds, so a busy machine slows both alike. It prints the
 * CPU time and wall time per request of each and the product's share of the floor's rate (the
 * floor's CPU per request over the product's). `npm run bench -- --only checkins,week --scheduler`
 * measures the same paths over HTTP with autocannon.
 *
 *   npm run bench:hot -- --db COPY.db [--rounds 10] [--per-round 100] [--only checkin|week]
 *
 * It writes check-ins and removes them (and its tokens) at the end: give it a copy.
 */
import { pathToFileURL } from "node:url";
import type { Hono } from "hono";
import { appContext } from "../src/app/context.js";
import { createApiToken } from "../src/app/people/accounts.js";
import { DEFAULT_LIMITS } from "../src/app/people/ratelimit.js";
import { createHttpApp } from "../src/server/app.js";
import { openAndMigrate } from "../src/store/db.js";
import { checkinApp } from "./bare-checkin.js";
import { openLikeServer } from "./bare-db.js";
import { weekApp } from "./bare-week.js";
import { lastIds, removeRunRows } from "./run.js";
import { arg } from "./script.js";

const NO_LIMIT = { ...DEFAULT_LIMITS, tokensPerUser: { max: 1_000_000, windowSeconds: 60 } };

type Call = (app: { request: Hono["request"] }, i: number) => Promise<void>;

async function main(): Promise<void> {
  const file = arg("db", "./data/bench.db");
  const rounds = Number(arg("rounds", "10"));
  const perRound = Number(arg("per-round", "100"));
  const only = arg("only", "");
  const store = await openAndMigrate({ file, backgroundCheckpoints: true });
  const ctx = appContext(store);
  const db = store.db;
  const floorDb = openLikeServer(file);
  try {
    const before = await lastIds(db);
    // People as `npm run bench` chooses them: the owners of active goals, one goal each.
    const goals = await db
      .selectFrom("goals")
      .select(["ownerId", (eb) => eb.fn.min("id").as("goalId")])
      .where("status", "=", "active")
      .where("ownerId", ">", 1)
      .where((eb) => eb(eb("ownerId", "%", 50), "=", 0))
      .groupBy("ownerId")
      .orderBy("ownerId")
      .limit(100)
      .execute();
    const people: { token: string; goalId: number; body: string }[] = [];
    for (const g of goals) {
      const goalId = Number(g.goalId);
      const krs = await db
        .selectFrom("keyResults")
        .select("id")
        .where("goalId", "=", goalId)
        .orderBy("id")
        .execute();
      const { token } = await createApiToken(
        ctx,
        { userId: g.ownerId, workspaceId: 1 },
        { name: "hot" },
        { ip: null },
        NO_LIMIT,
      );
      people.push({
        token,
        goalId,
        body: JSON.stringify({
          krValues: krs.map((k, j) => ({ keyResultId: k.id, value: 100 + j })),
          confidence: "on-track",
          doneText: "Sent the deck to Raj",
          nextStep: "Draft the welcome email",
        }),
      });
    }
    const half = Math.ceil(people.length / 2);
    const readers = people.slice(0, half);
    const writers = people.slice(half);
    const send = async (app: { request: Hono["request"] }, path: string, token: string, body?: string) => {
      const r = await app.request(path, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body }),
      });
      const text = await r.text();
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${text.slice(0, 200)}`);
    };
    const paths: [string, Call][] = [
      [
        "check-in",
        (app, i) => {
          const w = writers[i % writers.length] as (typeof writers)[number];
          return send(app, `/api/goals/${w.goalId}/checkins`, w.token, w.body);
        },
      ],
      [
        "my week",
        (app, i) => send(app, "/api/week", (readers[i % readers.length] as (typeof readers)[number]).token),
      ],
    ];
    const product = createHttpApp(ctx, { log: () => {} });
    const floors: Record<string, Hono> = { "check-in": checkinApp(floorDb), "my week": weekApp(floorDb) };
    for (const [name, call] of paths) {
      if (only && !name.startsWith(only)) continue;
      const floor = floors[name] as Hono;
      // Warm-up: the product first, so the floor finds every roll-up of the week fresh.
      for (let i = 0; i < readers.length + writers.length; i++) await call(product, i);
      for (let i = 0; i < readers.length + writers.length; i++) await call(floor, i);
      const sum = { product: { cpu: 0, wall: 0, n: 0 }, floor: { cpu: 0, wall: 0, n: 0 } };
      let k = 0;
      for (let r = 0; r < rounds; r++) {
        for (const [who, app] of [
          ["product", product],
          ["floor", floor],
        ] as const) {
          const cpu = process.cpuUsage();
          const t = performance.now();
          for (let i = 0; i < perRound; i++) await call(app, k++);
          const used = process.cpuUsage(cpu);
          sum[who].cpu += (used.user + used.system) / 1000;
          sum[who].wall += performance.now() - t;
          sum[who].n += perRound;
        }
      }
      const per = (s: { cpu: number; wall: number; n: number }) =>
        `${(s.cpu / s.n).toFixed(2)} ms CPU, ${(s.wall / s.n).toFixed(2)} ms wall`;
      console.log(
        `${name.padEnd(9)} product ${per(sum.product)}; floor ${per(sum.floor)}; product at ${((sum.floor.cpu / sum.product.cpu) * 100).toFixed(0)} % of the floor's rate by CPU (${((sum.floor.wall / sum.product.wall) * 100).toFixed(0)} % by wall time); ${rounds} × ${perRound} requests each`,
      );
    }
    await removeRunRows(db, before, "hot");
  } finally {
    floorDb.close();
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
