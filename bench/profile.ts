/**
 * Where a hot path's time goes, in-process: runs each benchmarked use case `--times` times against a
 * database made by `npm run bench:data` and prints the mean and worst time of each, and the number
 * of queries one run sends. Use with `node --cpu-prof` to see the functions.
 *
 *   npm run bench:profile -- [--db ./data/bench.db | --postgres URL] [--times 20] [--only team]
 */
import { pathToFileURL } from "node:url";
import { createCheckin } from "../src/app/checkins.js";
import { type Actor, appContext } from "../src/app/context.js";
import { goalStatus } from "../src/app/followthrough.js";
import { myWeek } from "../src/app/steps.js";
import { teamOverview } from "../src/app/teamview.js";
import { openAndMigrate } from "../src/store/db.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const pgUrl = arg("postgres", "");
  const store = await openAndMigrate(pgUrl ? { databaseUrl: pgUrl } : { file: arg("db", "./data/bench.db") });
  const ctx = appContext(store);
  const db = store.db;
  const times = Number(arg("times", "20"));
  try {
    const team = await db
      .selectFrom("memberships")
      .select(["teamId", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("teamId")
      .having((eb) => eb.fn.countAll(), "=", 50)
      .orderBy("teamId")
      .executeTakeFirstOrThrow();
    const leaderRow = await db
      .selectFrom("memberships")
      .select("userId")
      .where("teamId", "=", team.teamId)
      .where("role", "=", "leader")
      .executeTakeFirstOrThrow();
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
    const before = Number(
      (
        await db
          .selectFrom("checkins")
          .select((eb) => eb.fn.max("id").as("m"))
          .executeTakeFirst()
      )?.m ?? 0,
    );
    const cases: [string, () => Promise<unknown>][] = [
      ["my week", () => myWeek(ctx, member)],
      ["goal status", () => goalStatus(ctx, member, goal.id)],
      [
        "check-in",
        () =>
          createCheckin(ctx, member, goal.id, {
            krValues: krIds.map((id) => ({ keyResultId: id, value: 1 })),
            confidence: "on-track",
            doneText: "Profile run",
          }),
      ],
      ["team overview (50 people)", () => teamOverview(ctx, leader, team.teamId)],
    ];
    const only = arg("only", "");
    for (const [name, run] of cases) {
      if (only && !name.startsWith(only)) continue;
      await run();
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const t = performance.now();
        await run();
        ms.push(performance.now() - t);
      }
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      console.log(`${name.padEnd(28)} mean ${mean.toFixed(2)} ms  max ${Math.max(...ms).toFixed(2)} ms`);
    }
    const mine = db.selectFrom("checkins").select("id").where("id", ">", before);
    await db.deleteFrom("checkinKrValues").where("checkinId", "in", mine).execute();
    await db.deleteFrom("checkinSteps").where("checkinId", "in", mine).execute();
    await db.deleteFrom("checkinBarriers").where("checkinId", "in", mine).execute();
    await db.deleteFrom("checkins").where("id", ">", before).execute();
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
