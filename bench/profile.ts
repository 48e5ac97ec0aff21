/**
 * Where a hot path's time goes, in-process: runs each benchmarked use case `--times` times against a
 * database made by `npm run bench:data` and prints the mean and worst time of each, and the CPU
 * time this process spent per run (user + system: on a shared machine it moves less than the wall
 * clock; PostgreSQL's own work is in its processes, not here). With `--http` each runs as a request through the HTTP app in-process
 * (routing, auth, validation, JSON; no socket). Use with `node --cpu-prof` to see the functions.
 *
 *   npm run bench:profile -- [--db ./data/bench.db | --postgres URL] [--times 20] [--only team] [--http]
 */
import { createCheckin } from "../src/app/checkins/checkins.js";
import { type Actor, appContext } from "../src/app/context.js";
import { goalStatus } from "../src/app/evaluation/status.js";
import { createApiToken } from "../src/app/people/accounts.js";
import { DEFAULT_LIMITS } from "../src/app/people/ratelimit.js";
import { myWeek } from "../src/app/plans/steps.js";
import { teamOverview, teamOverviewReply } from "../src/app/reports/teamview.js";
import { createHttpApp } from "../src/server/app.js";
import { openAndMigrate } from "../src/store/db.js";
import { lastIds, removeRunRows, teamOfFifty } from "./run.js";
import { arg, runAsProgram } from "./script.js";

const NO_LIMIT = { ...DEFAULT_LIMITS, tokensPerUser: { max: 1_000_000, windowSeconds: 60 } };

async function main(): Promise<void> {
  const pgUrl = arg("postgres", "");
  const store = await openAndMigrate(pgUrl ? { databaseUrl: pgUrl } : { file: arg("db", "./data/bench.db") });
  const ctx = appContext(store);
  const db = store.db;
  const times = Number(arg("times", "20"));
  const http = process.argv.includes("--http");
  try {
    const { team, leaderRow } = await teamOfFifty(db);
    const goal = await db
      .selectFrom("goals")
      .select(["id", "ownerId"])
      .where("status", "=", "active")
      .where("ownerId", ">", 1)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const krIds = (
      await db.selectFrom("keyResults").select("id").where("goalId", "=", goal.id).orderBy("id").execute()
    ).map((k) => k.id);
    const member: Actor = { userId: goal.ownerId, workspaceId: 1 };
    const leader: Actor = { userId: leaderRow.userId, workspaceId: 1 };
    const before = await lastIds(db);
    const body = {
      krValues: krIds.map((id) => ({ keyResultId: id, value: 1 })),
      confidence: "on-track",
      doneText: "Profile run",
    };
    const app = http ? createHttpApp(ctx, { log: () => {} }) : null;
    const tokenOf = async (a: Actor) =>
      (await createApiToken(ctx, a, { name: "profile" }, { ip: null }, NO_LIMIT)).token;
    const [memberToken, leaderToken] = http ? [await tokenOf(member), await tokenOf(leader)] : ["", ""];
    const call = async (token: string, path: string, payload?: unknown) => {
      const r = await (app as NonNullable<typeof app>).request(path, {
        method: payload === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.text();
    };
    const cases: [string, () => Promise<unknown>][] = http
      ? [
          ["my week", () => call(memberToken, "/api/week")],
          ["goal status", () => call(memberToken, `/api/goals/${goal.id}/status`)],
          ["check-in", () => call(memberToken, `/api/goals/${goal.id}/checkins`, body)],
          ["team overview (50 people)", () => call(leaderToken, `/api/teams/${team.teamId}/overview`)],
        ]
      : [
          ["my week", () => myWeek(ctx, member)],
          ["goal status", () => goalStatus(ctx, member, goal.id)],
          ["check-in", () => createCheckin(ctx, member, goal.id, body)],
          ["team overview (50 people)", () => teamOverview(ctx, leader, team.teamId)],
          [
            "team overview, from roll-ups",
            () => teamOverview(ctx, leader, team.teamId, {}, { stored: false }),
          ],
          [
            "team overview, If-None-Match",
            async () => {
              const { etag } = await teamOverviewReply(ctx, leader, team.teamId);
              return teamOverviewReply(ctx, leader, team.teamId, {}, etag);
            },
          ],
        ];
    const only = arg("only", "");
    for (const [name, run] of cases) {
      if (only && !name.startsWith(only)) continue;
      await run();
      const ms: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < times; i++) {
        const t = performance.now();
        await run();
        ms.push(performance.now() - t);
      }
      const used = process.cpuUsage(cpu);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      const cpuMs = (used.user + used.system) / 1000 / times;
      console.log(
        `${name.padEnd(30)} mean ${mean.toFixed(2)} ms  max ${Math.max(...ms).toFixed(2)} ms  cpu ${cpuMs.toFixed(2)} ms`,
      );
    }
    await removeRunRows(db, before, "profile");
  } finally {
    await store.close();
  }
}

runAsProgram(import.meta.url, main);
