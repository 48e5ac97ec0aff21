/**
 * Where a stored weekly review's time goes, in-process (issue 17, review21): for the leader who
 * sees the most goals and a plain member (as bench/report.ts chooses them), times each phase of
 * `weeklyReviewFromRows` — the viewer, the first query (counted visible goals), the sums it reads
 * (commitments, items, moves, wins), the missed steps and their occurrences, the reader's own
 * active goals evaluated, the stalls — and the whole review, with and without a kept answer, and
 * prints the SHA-1 of each reader's answer (to compare two builds byte for byte). Reads only
 * (after one review per reader fills the aggregates).
 *
 *   tsc -p bench/tsconfig.json && node --expose-gc dist/bench-build/bench/review-phases.js --db COPY.db [--runs 20]
 *   … --postgres URL
 */
import { createHash } from "node:crypto";
import { type Actor, appContext, today, viewerOf } from "../src/app/context.js";
import { loadGoalData } from "../src/app/evaluation/load.js";
import { REPORT_ROWS_VERSION, readSums } from "../src/app/reports/report-rows.js";
import * as review from "../src/app/reports/review.js";
import * as engine from "../src/core/engine/index.js";
import * as ft from "../src/store/repos/followthrough.js";
import * as rows from "../src/store/repos/reportrows.js";
import { readers } from "./report.js";
import { arg, openBenchStore, phaseTimer, runAsProgram } from "./script.js";

async function main(): Promise<void> {
  const store = await openBenchStore();
  const ctx = appContext(store);
  const db = store.db;
  const runs = Number(arg("runs", "20"));
  // The whole review as the route answers it: with a tag when this build makes one.
  const reply = review as unknown as {
    weeklyReviewReply?: (c: typeof ctx, a: Actor, q: unknown, inm: string | null) => Promise<unknown>;
  };
  try {
    const { leader, member } = await readers(store);
    for (const [who, actor] of [
      ["leader", leader],
      ["member", member],
    ] as [string, Actor][]) {
      const first = await review.weeklyReview(ctx, actor, {});
      const asOf = today(ctx);
      const from = engine.addDays(asOf, -6);
      const { time, print } = phaseTimer();
      const counts = new Map<string, number | string>();
      counts.set("answer sha1", createHash("sha1").update(JSON.stringify(first)).digest("hex").slice(0, 12));
      for (let i = 0; i < runs; i++) {
        const viewer = await time("viewerOf", () => viewerOf(db, actor));
        const goals = await time("countedVisibleGoals", () =>
          rows.countedVisibleGoals(db, viewer, asOf, REPORT_ROWS_VERSION),
        );
        counts.set("counted goals", goals.length);
        const ids = goals.map((g) => g.id);
        const due = await time("sums: commitmentsDueFor(goals)", () =>
          rows.commitmentsDueFor(db, viewer, from, asOf, ids),
        );
        counts.set("commitments", due.length);
        await time("sums: itemCounts", () => rows.itemCounts(db, ids, from, asOf, []));
        await time("sums: moveCounts (unused by the review)", () => rows.moveCounts(db, ids, from, asOf, []));
        const wins = await time("sums: winsSince", () => rows.winsSince(db, ids, from));
        counts.set("wins", wins.length);
        const sums = await time("readSums (all)", () => readSums(db, viewer, goals, asOf, from));
        const missed = await time("missedItems", () => rows.missedItems(db, ids, from, asOf, sums.committed));
        counts.set("missed", missed.length);
        const goalIds = [...new Set(missed.map((m) => m.goalId))];
        await time("missed: stepsByIds", () =>
          rows.stepsByIds(db, [...new Set(missed.map((m) => m.stepId))]),
        );
        await time("missed: occurrencesOfGoals", () =>
          ft.occurrencesOfGoals(db, goalIds, { from, to: asOf }),
        );
        await time("missed: goalsWithRevision", () => rows.goalsWithRevision(db, goalIds));
        const mine = goals
          .filter((g) => g.status === "active" && g.ownerId === actor.userId)
          .map((g) => g.id);
        counts.set("own active goals", mine.length);
        const heads = await time("own: goalsWithRevision", () => rows.goalsWithRevision(db, mine));
        await time("own: loadGoalData", () =>
          loadGoalData(
            db,
            heads.map((h) => h.goal),
            asOf,
          ),
        );
        await time("weeklyReview (whole)", () => review.weeklyReview(ctx, actor, {}));
        if (reply.weeklyReviewReply) {
          const fn = reply.weeklyReviewReply;
          await time("weeklyReviewReply (no tag held)", () => fn(ctx, actor, {}, null));
        }
        await time("JSON.stringify", async () => JSON.stringify(first));
        counts.set("JSON bytes", JSON.stringify(first).length);
      }
      console.log(`\n${who}: ${[...counts].map(([k, v]) => `${k} ${v}`).join(", ")}`);
      print();
    }
  } finally {
    await store.close();
  }
}

runAsProgram(import.meta.url, main);
