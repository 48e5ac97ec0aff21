/**
 * Where the check-in's distance to its floor lies (issue 17, checkin19): four ways of writing the
 * same check-ins, in one process, in alternating rounds, CPU per check-in (process.cpuUsage: every
 * thread of the process, the checkpointer's included):
 *
 * - the product over its HTTP app (`app.request`, with Content-Length as a socket sends it);
 * - the floor (bench/bare-checkin.ts) over its own Hono app, the same way;
 * - the product's use case alone (`createValidCheckin`: permission, reads, writes through Kysely);
 * - the floor's transaction alone (better-sqlite3, statements prepared once).
 *
 * The first minus the third is what the product's HTTP layer costs (routing, middleware, the token,
 * validation, JSON); the second minus the fourth, the floor's. SQLite only.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench-build/bench/checkin-split.js --db COPY.db [--rounds 10] [--per-round 300] [--warm-up 3000]
 *
 * It writes check-ins (and API tokens named "split"): give it a copy. `--warm-up N` (3,000 by
 * default) check-ins each way come first, unmeasured.
 */
import { pathToFileURL } from "node:url";
import type { Hono } from "hono";
import { type CheckinCreate, CheckinCreateInput, createValidCheckin } from "../src/app/checkins/checkins.js";
import { appContext } from "../src/app/context.js";
import { createApiToken } from "../src/app/people/accounts.js";
import { DEFAULT_LIMITS } from "../src/app/people/ratelimit.js";
import { createHttpApp } from "../src/server/app.js";
import { openAndMigrate } from "../src/store/db.js";
import { checkinApp, checkinFloor } from "./bare-checkin.js";
import { openLikeServer } from "./bare-db.js";

/** A person who checks in, and the same body three ways. */
interface Person {
  token: string;
  goalId: number;
  actor: { userId: number; workspaceId: number };
  body: { krValues: { keyResultId: number; value: number }[]; confidence: string; doneText: string };
  json: string;
  input: CheckinCreate;
}

const NO_LIMIT = { ...DEFAULT_LIMITS, tokensPerUser: { max: 1_000_000, windowSeconds: 60 } };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const file = arg("db", "./data/bench.db");
  const rounds = Number(arg("rounds", "10"));
  const perRound = Number(arg("per-round", "300"));
  const warmUp = Number(arg("warm-up", "3000"));
  const store = await openAndMigrate({ file, backgroundCheckpoints: true });
  const ctx = appContext(store);
  const db = store.db;
  const floorDb = openLikeServer(file);
  try {
    const floor = checkinFloor(floorDb);
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
    const people: Person[] = [];
    for (const g of goals) {
      const goalId = Number(g.goalId);
      const krs = await db.selectFrom("keyResults").select("id").where("goalId", "=", goalId).execute();
      const actor = { userId: g.ownerId, workspaceId: 1 };
      const { token } = await createApiToken(ctx, actor, { name: "split" }, { ip: null }, NO_LIMIT);
      const body = {
        krValues: krs.map((k, j) => ({ keyResultId: k.id, value: 100 + j })),
        confidence: "on-track",
        doneText: "Sent the deck to Raj",
        nextStep: "Draft the welcome email",
      };
      const json = JSON.stringify(body);
      people.push({ token, goalId, actor, body, json, input: CheckinCreateInput.parse(body) });
    }
    const overHttp = (app: { request: Hono["request"] }) => async (p: Person) => {
      const r = await app.request(`/api/goals/${p.goalId}/checkins`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${p.token}`,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(p.json)),
        },
        body: p.json,
      });
      const text = await r.text();
      if (r.status !== 201) throw new Error(`${r.status} ${text.slice(0, 200)}`);
    };
    const ways: [string, (p: Person) => Promise<unknown>][] = [
      ["product over app.request", overHttp(createHttpApp(ctx, { log: () => {} }))],
      ["floor over app.request", overHttp(checkinApp(floorDb))],
      ["product's use case alone", (p) => createValidCheckin(ctx, p.actor, p.goalId, p.input)],
      ["floor's transaction alone", async (p) => floor.write(p.actor.userId, p.goalId, p.body)],
    ];
    let k = 0;
    const next = () => people[k++ % people.length] as Person;
    // Long enough for V8 to optimise the product's many layers: with 100 check-ins of warm-up the
    // product measured twice its warm cost (1.8 against 0.8 ms) while the floor, short code, was warm.
    for (const [, run] of ways) for (let i = 0; i < warmUp; i++) await run(next());
    const cpu = new Map(ways.map(([name]) => [name, 0]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, run] of r % 2 ? [...ways].reverse() : ways) {
        const c = process.cpuUsage();
        for (let i = 0; i < perRound; i++) await run(next());
        const u = process.cpuUsage(c);
        cpu.set(name, (cpu.get(name) ?? 0) + (u.user + u.system) / 1000);
      }
    }
    const per = (name: string) => (cpu.get(name) ?? 0) / (rounds * perRound);
    for (const [name] of ways) console.log(`${name.padEnd(28)} ${per(name).toFixed(3)} ms CPU a check-in`);
    const productHttp = per("product over app.request") - per("product's use case alone");
    const floorHttp = per("floor over app.request") - per("floor's transaction alone");
    console.log(
      `HTTP layer: product ${productHttp.toFixed(3)} ms, floor ${floorHttp.toFixed(3)} ms; ` +
        `product at ${((100 * per("floor over app.request")) / per("product over app.request")).toFixed(0)} % of the floor's rate by CPU`,
    );
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
