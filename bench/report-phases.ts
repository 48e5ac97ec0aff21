/**
 * Where a stored report's time goes, in-process (issue 17, report17): for the leader who sees the
 * most goals and a plain member (as bench/report.ts chooses them), 4 and 12 weeks, times each phase
 * of `reportReplyFromRows` — the viewer, the first query (counted visible goals), the entity tag's
 * reads, the sums (commitments, items, moves, wins), and the whole answer with its JSON — and counts
 * the rows each reads. Reads only (after one report per reader fills the aggregates).
 *
 *   tsc -p bench/tsconfig.json && node --expose-gc dist/bench-build/bench/report-phases.js --db COPY.db [--runs 20]
 */
import { type Actor, appContext, today, viewerOf } from "../src/app/context.js";
import { followThroughReport } from "../src/app/reports/report.js";
import { REPORT_ROWS_VERSION, readSums, reportReplyFromRows } from "../src/app/reports/report-rows.js";
import * as engine from "../src/core/engine/index.js";
import { actorFactsOf } from "../src/store/repos/people.js";
import * as rows from "../src/store/repos/reportrows.js";
import { readers } from "./report.js";
import { arg, openBenchStore, phaseTimer, runAsProgram } from "./script.js";

async function main(): Promise<void> {
  const store = await openBenchStore();
  const ctx = appContext(store);
  const db = store.db;
  const runs = Number(arg("runs", "20"));
  try {
    const { leader, member } = await readers(store);
    for (const [who, actor] of [
      ["leader", leader],
      ["member", member],
    ] as [string, Actor][]) {
      await followThroughReport(ctx, actor, { weeks: 12 });
      for (const weeks of [4, 12]) {
        const asOf = today(ctx);
        const from = engine.addDays(asOf, -(7 * weeks - 1));
        const { time, print } = phaseTimer();
        const counts = new Map<string, number>();
        for (let i = 0; i < runs; i++) {
          const viewer = await time("viewerOf", () => viewerOf(db, actor));
          const goals = await time("countedVisibleGoals", () =>
            rows.countedVisibleGoals(db, viewer, asOf, REPORT_ROWS_VERSION),
          );
          counts.set("counted goals", goals.length);
          counts.set("stale", goals.filter((g) => g.stale).length);
          await time("tag: actorFacts", () => actorFactsOf(db, actor.userId));
          const names = await time("tag: names as rows (before report17)", () =>
            rows.namesOfWorkspace(db, actor.workspaceId),
          );
          counts.set("names in workspace", names.length);
          await time("tag: names' digest (report17)", () =>
            rows.namesDigestOfWorkspace(db, store.dialect, actor.workspaceId),
          );
          // report19: the stamp the database keeps instead (migration 0030).
          await time("tag: names' stamp (report19)", () => rows.namesStampOfWorkspace(db, actor.workspaceId));
          await time("tag: stalled owners' teams", () =>
            rows.teamIdsOfPeople(db, [...new Set(goals.flatMap((g) => (g.stall ? [g.ownerId] : [])))]),
          );
          // report17b: the stamps the tag reads instead of every counted goal (migration 0027).
          await time("tag: open goals' stamp (report17b)", () =>
            rows.workspaceOpenStamp(db, actor.workspaceId),
          );
          const closed = await time("tag: own/team/shared goals (report17b)", () =>
            rows.countedClosedGoalStamps(db, viewer),
          );
          counts.set("own/team/shared goals", closed.length);
          await time("tag: members of reader's teams (report17b)", async () => {
            const facts = await actorFactsOf(db, actor.userId);
            return rows.membersOfTeams(db, facts?.memberships.map((m) => m.teamId) ?? []);
          });
          await time("tag: commitmentsDueFor(no goals)", () =>
            rows.commitmentsDueFor(db, viewer, from, asOf, []),
          );
          const ids = goals.map((g) => g.id);
          const due = await time("sums: commitmentsDueFor(goals)", () =>
            rows.commitmentsDueFor(db, viewer, from, asOf, ids),
          );
          counts.set("commitments", due.length);
          const items = await time("sums: itemCounts", () => rows.itemCounts(db, ids, from, asOf, []));
          counts.set("item groups", items.length);
          const moves = await time("sums: moveCounts", () => rows.moveCounts(db, ids, from, asOf, []));
          counts.set("move groups", moves.length);
          const wins = await time("sums: winsSince", () => rows.winsSince(db, ids, from));
          counts.set("wins", wins.length);
          await time("readSums (all)", () => readSums(db, viewer, goals, asOf, from));
          const r = await time("reportReplyFromRows (200, with tag)", () =>
            reportReplyFromRows(ctx, actor, { weeks }, ""),
          );
          await time("reportReplyFromRows (200, no tag held: kept answer)", () =>
            reportReplyFromRows(ctx, actor, { weeks }, null),
          );
          await time("JSON.stringify", async () => JSON.stringify(r?.body));
          counts.set("JSON bytes", JSON.stringify(r?.body).length);
          await time("reportReplyFromRows (304)", () =>
            reportReplyFromRows(ctx, actor, { weeks }, r?.etag ?? ""),
          );
        }
        console.log(`\n${who}, ${weeks} weeks: ${[...counts].map(([k, v]) => `${k} ${v}`).join(", ")}`);
        print();
      }
    }
  } finally {
    await store.close();
  }
}

runAsProgram(import.meta.url, main);
