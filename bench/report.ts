/**
 * The follow-through report, in-process (issue 17): on a database made by `npm run bench:data`,
 * times the report for the leader who sees the most goals and for a plain member, over 4 and 12
 * weeks, by evaluating every goal (the path before issue 17, `followThroughReportByEvaluation`)
 * and from the stored per-goal aggregates (`followThroughReport`): warm (nothing changed since the
 * last read) and cold (the first read after a write to one of the reader's goals), in one run; the
 * same before/after for the weekly review and the wins feed, and the 304 path (a reader sending back
 * the current ETag). It checks that both paths give the same answer, then writes the "## Report" section of
 * docs/benchmarks.md. It WRITES to the database (the aggregates, and touches steps): give it a copy.
 *
 *   npm run bench:report -- --db COPY.db | --postgres URL [--runs 30] [--no-doc]
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { sql } from "kysely";
import { type Actor, type AppContext, appContext, today } from "../src/app/context.js";
import {
  followThroughReport,
  followThroughReportByEvaluation,
  winsFeed,
  winsFeedByEvaluation,
} from "../src/app/reports/report.js";
import {
  REPORT_ROWS_VERSION,
  reportReplyFromRows,
  winsReplyFromRows,
} from "../src/app/reports/report-rows.js";
import { weeklyReview, weeklyReviewByEvaluation } from "../src/app/reports/review.js";
import { openAndMigrate, type Store } from "../src/store/db.js";
import { arg, runAsProgram } from "./script.js";

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

interface Stats {
  median: number;
  p99: number;
  runs: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { median: p(0.5), p99: p(0.99), runs: ms.length };
}

const fmt = (s: Stats) => `${s.median.toFixed(1)} / ${s.p99.toFixed(1)}`;

/** The leader whose teams' goals are the most, and a plain member of the first team. */
export async function readers(store: Store): Promise<{ leader: Actor; member: Actor }> {
  const leader = await sql<{ userId: number; workspaceId: number }>`
    select m.user_id as "userId", u.workspace_id as "workspaceId", count(g.id) as n
    from memberships m join users u on u.id = m.user_id
    join goals g on g.team_id = m.team_id and g.visibility = 'team'
    where m.role = 'leader' group by m.user_id, u.workspace_id order by n desc, m.user_id limit 1`.execute(
    store.db,
  );
  const member = await sql<{ userId: number; workspaceId: number }>`
    select m.user_id as "userId", u.workspace_id as "workspaceId"
    from memberships m join users u on u.id = m.user_id
    where m.role = 'member' order by m.team_id, m.user_id limit 1`.execute(store.db);
  const l = leader.rows[0];
  const m = member.rows[0];
  if (!l || !m) throw new Error("No leader or member: build the database with npm run bench:data first.");
  return {
    leader: { userId: Number(l.userId), workspaceId: Number(l.workspaceId) },
    member: { userId: Number(m.userId), workspaceId: Number(m.workspaceId) },
  };
}

/** Active or done goals the reader sees (what the report counts), and one of their steps to touch. */
async function seen(ctx: AppContext, actor: Actor): Promise<{ goals: number; stepIds: number[] }> {
  const { visibleGoalsOf } = await import("../src/store/repos/followthrough.js");
  const { viewerOf } = await import("../src/app/context.js");
  const goals = (await visibleGoalsOf(ctx.store.db, await viewerOf(ctx.store.db, actor))).filter(
    (g) => g.status === "active" || g.status === "done",
  );
  const ids = goals.map((g) => g.id);
  const steps = await sql<{ id: number }>`select min(id) as id from steps
    where goal_id in (${sql.join(ids.slice(0, 200))}) group by goal_id order by goal_id`.execute(
    ctx.store.db,
  );
  return { goals: goals.length, stepIds: steps.rows.map((r) => Number(r.id)) };
}

/** A write to one of the reader's goals: a step's row rewritten as it is (the triggers move the goal's revision). */
async function touch(store: Store, stepId: number): Promise<void> {
  await sql`update steps set text = text where id = ${stepId}`.execute(store.db);
}

async function main(): Promise<void> {
  const pgUrl = arg("postgres", "");
  const store = await openAndMigrate(pgUrl ? { databaseUrl: pgUrl } : { file: arg("db", "") });
  const ctx = appContext(store);
  const runs = Math.max(30, Number(arg("runs", "30")));
  // `bench:data` writes steps without their promises (step_occurrences, migration 0012), and the
  // report counts promises: give each step the one its row tells, as migration 0012 did for the
  // steps it found, so both paths have the year of kept, missed and pending steps to count.
  const promises = await sql<{ n: number }>`select count(*) as n from step_occurrences`.execute(store.db);
  if (Number(promises.rows[0]?.n) === 0) {
    await sql`insert into step_occurrences (step_id, due_date, done_at, closed_at, closed_how, created_at)
      select id, due_date,
        case when status = 'done' then coalesce(done_at, updated_at) else null end,
        case when status = 'dropped' then updated_at else null end,
        case when status = 'dropped' then 'dropped' else null end,
        created_at
      from steps where due_date is not null
      order by id`.execute(store.db);
  }
  const { leader, member } = await readers(store);
  const lines: string[] = [];
  const rowsOut: string[] = [];
  let worstP99 = 0;
  let fills = "";
  const otherRows: string[] = [];
  /** Times one stored path against its evaluation after checking they agree; a table row. */
  const compare = async (
    who: string,
    what: string,
    stored: () => Promise<unknown>,
    evaluated: () => Promise<unknown>,
  ) => {
    if (
      !isDeepStrictEqual(
        JSON.parse(JSON.stringify(await stored())),
        JSON.parse(JSON.stringify(await evaluated())),
      )
    )
      throw new Error(`The stored ${what} differs from the evaluated one (${who}).`);
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < runs; i++) before.push(await timed(evaluated));
    (globalThis as { gc?: () => void }).gc?.();
    for (let i = 0; i < runs; i++) after.push(await timed(stored));
    const [bs, as] = [stats(before), stats(after)];
    const line = `${who}, ${what}: before ${fmt(bs)} ms; after warm ${fmt(as)} ms; ${(bs.median / as.median).toFixed(0)}×`;
    console.log(line);
    otherRows.push(`| ${who} | ${what} | ${fmt(bs)} | ${fmt(as)} | ${(bs.median / as.median).toFixed(0)}× |`);
  };
  /** Times the 304 path: the reader sends back the tag they hold and nothing changed; a table row. */
  const notModified = async (
    who: string,
    what: string,
    full: () => Promise<unknown>,
    reply: (tag: string | null) => Promise<{ etag: string; body: unknown } | null>,
  ) => {
    const first = await reply(null);
    if (!first || first.body === null) throw new Error(`No tagged ${what} (${who}).`);
    const again = await reply(first.etag);
    if (again?.body !== null)
      throw new Error(`The ${what} was sent again to a reader holding its tag (${who}).`);
    const fulls: number[] = [];
    const hits: number[] = [];
    for (let i = 0; i < runs; i++) {
      fulls.push(await timed(full));
      hits.push(await timed(() => reply(first.etag)));
    }
    const [fs, hs] = [stats(fulls), stats(hits)];
    const line = `${who}, ${what} 304: full warm read ${fmt(fs)} ms; 304 ${fmt(hs)} ms; ${(fs.median / hs.median).toFixed(1)}×`;
    console.log(line);
    otherRows.push(
      `| ${who} | ${what}, 304 (If-None-Match current) | ${fmt(fs)} (warm 200) | ${fmt(hs)} | ${(fs.median / hs.median).toFixed(1)}× |`,
    );
  };
  try {
    for (const [who, actor] of [
      ["leader", leader],
      ["member", member],
    ] as const) {
      const s = await seen(ctx, actor);
      // The first read of the day: every aggregate of the reader's goals computed and stored.
      await store.db.deleteFrom("reportGoalRows").execute();
      const fill = await timed(() => followThroughReport(ctx, actor, { weeks: 12 }));
      fills += `${who} ${fill.toFixed(0)} ms; `;
      for (const weeks of [4, 12]) {
        const q = { weeks };
        const a = JSON.stringify(await followThroughReport(ctx, actor, q));
        const b = JSON.stringify(await followThroughReportByEvaluation(ctx, actor, q));
        if (!isDeepStrictEqual(JSON.parse(a), JSON.parse(b)))
          throw new Error(`The stored report differs from the evaluated one (${who}, ${weeks} weeks).`);
        const before: number[] = [];
        const warm: number[] = [];
        const cold: number[] = [];
        for (let i = 0; i < runs; i++) {
          before.push(await timed(() => followThroughReportByEvaluation(ctx, actor, q)));
        }
        // The path before leaves hundreds of MB of garbage: collect it (node --expose-gc) so its
        // collection is not timed in the reads after.
        (globalThis as { gc?: () => void }).gc?.();
        for (let i = 0; i < runs; i++) {
          warm.push(await timed(() => followThroughReport(ctx, actor, q)));
          await touch(store, s.stepIds[i % s.stepIds.length] as number);
          cold.push(await timed(() => followThroughReport(ctx, actor, q)));
        }
        const [bs, ws, cs] = [stats(before), stats(warm), stats(cold)];
        worstP99 = Math.max(worstP99, ws.p99, cs.p99);
        const line = `${who} (${s.goals} goals), ${weeks} weeks: before ${fmt(bs)} ms; after warm ${fmt(ws)} ms, cold ${fmt(cs)} ms; ${(bs.median / ws.median).toFixed(0)}× warm, ${(bs.median / cs.median).toFixed(0)}× cold`;
        console.log(line);
        lines.push(line);
        rowsOut.push(
          `| ${who} | ${s.goals.toLocaleString("en")} | ${weeks} | ${fmt(bs)} | ${fmt(ws)} | ${fmt(cs)} | ${(bs.median / ws.median).toFixed(0)}× / ${(bs.median / cs.median).toFixed(0)}× |`,
        );
      }
      await notModified(
        who,
        "report, 4 weeks",
        () => followThroughReport(ctx, actor, { weeks: 4 }),
        (tag) => reportReplyFromRows(ctx, actor, { weeks: 4 }, tag),
      );
      await compare(
        who,
        "weekly review",
        () => weeklyReview(ctx, actor),
        () => weeklyReviewByEvaluation(ctx, actor),
      );
      await compare(
        who,
        "wins feed, 1 week",
        () => winsFeed(ctx, actor),
        () => winsFeedByEvaluation(ctx, actor),
      );
      await notModified(
        who,
        "wins feed, 1 week",
        () => winsFeed(ctx, actor),
        (tag) => winsReplyFromRows(ctx, actor, {}, tag),
      );
    }
    const counts = await sql<{ goals: number; steps: number; checkins: number }>`select
      (select count(*) from goals) as goals, (select count(*) from steps) as steps,
      (select count(*) from checkins) as checkins`.execute(store.db);
    const c = counts.rows[0];
    console.log(`first read of the day (every aggregate computed): ${fills}`);
    if (process.argv.includes("--no-doc")) return;
    const section = [
      "## Report",
      "",
      `Issue 17: the follow-through report (\`GET /api/report\`, \`throughline report\`) in-process, ${store.dialect === "postgres" ? "PostgreSQL" : "SQLite"}, on ${today(ctx)}, ${Number(c?.goals).toLocaleString("en")} goals, ${Number(c?.steps).toLocaleString("en")} steps, ${Number(c?.checkins).toLocaleString("en")} check-ins. Before: every goal the reader sees evaluated (\`followThroughReportByEvaluation\`, the path before issue 17). After: summed from the stored per-goal aggregates (\`src/app/reports/report-rows.ts\`, stamp \`${REPORT_ROWS_VERSION.split("/").slice(0, 3).join("/")}/…\`); warm is a read with nothing changed since the last, cold the first read after a write to one of the reader's goals (one goal recomputed). Median / p99 in ms over ${runs} runs each, in one process (the runs before, a full garbage collection, then warm and cold reads alternately) on the shared 2-core machine (load average ${loadavg()[0]?.toFixed(1)} at the end; absolute figures are noisy, the ratio is the figure to read). Both paths gave the same answer for every case before timing.`,
      "",
      "| reader | goals counted | weeks | before | after, warm | after, cold | before ÷ after (warm / cold) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rowsOut,
      "",
      "The weekly review, the wins feed and the 304 path (issue 17, review17), same run: before is the evaluation of every goal the reader sees (`weeklyReviewByEvaluation`, `winsFeedByEvaluation`); after is the stored path, warm. The review's plan still evaluates the reader's own active goals. A 304 reads the counted goals' ids and revisions (the stored path's first query) and the few things the tag hashes, and sums nothing.",
      "",
      "| reader | what | before (ms) | after (ms) | before ÷ after |",
      "| --- | --- | ---: | ---: | ---: |",
      ...otherRows,
      "",
      `The first read of a day computes every aggregate of the reader's goals (at midnight all rows go stale, since outcomes and stalls depend on the day): ${fills.trim().replace(/;$/, "")}. A past \`asOf\` or a window over 12 weeks is still evaluated (the "before" column).`,
      "",
      `Target: p99 < 100 ms per person and per week, 4 and 12 weeks — **${worstP99 < 100 ? "met" : "missed"}** (worst after p99 ${worstP99.toFixed(1)} ms).`,
      "",
      `Reproduce: \`npm run bench:data -- --users 10000 --goals 100000 --steps 300000 --checkins 300000 --db /tmp/report-bench.db --replace && npm run bench:report -- --db /tmp/report-bench.db\`.`,
      "",
    ].join("\n");
    const { writeSection } = (await import(pathToFileURL(resolve("bench/doc-section.mjs")).href)) as {
      writeSection(file: string, section: string): void;
    };
    writeSection(resolve("docs/benchmarks.md"), section);
  } finally {
    await store.close();
  }
}

runAsProgram(import.meta.url, main);
