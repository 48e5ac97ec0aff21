import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildTeam, fixedContext, NOW } from "../../../test/helpers/factories.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import { shareGoal, unshareGoal } from "../collaboration/collaboration.js";
import { createCommitment } from "../collaboration/commitments.js";
import type { Actor, AppContext } from "../context.js";
import { addKeyResult, createGoal, updateGoal } from "../plans/goals.js";
import { addStep, completeStep, updateStep } from "../plans/steps.js";
import {
  type FollowThroughReportView,
  followThroughReport,
  followThroughReportByEvaluation,
  winsFeed,
  winsFeedByEvaluation,
} from "./report.js";
import {
  AnswerCache,
  REFRESHES_AT_ONCE,
  reportFromRows,
  reportReplyFromRows,
  reportStats,
  winsReplyFromRows,
} from "./report-rows.js";
import { weeklyReview, weeklyReviewByEvaluation, weeklyReviewFromRows } from "./review.js";

/**
 * The report, the wins feed and the weekly review read from the stored per-goal aggregates must be
 * exactly what evaluating every goal (the code path before them) gives, for every reader, window and day, after any
 * write, after midnight and after a change of code version.
 */
describe.each(DIALECTS)("the report from stored aggregates on %s", { timeout: 180_000 }, (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  let a: Actor;
  let b: Actor;
  let c: Actor;
  let lead: Actor;
  let teamId: number;
  const ids: Record<string, number> = {};

  /** A context whose clock reads 10:00 UTC on `day`. */
  const on = (day: string): AppContext => fixedContext(db.store, `${day}T10:00:00.000Z`);
  const TODAY = NOW.slice(0, 10);

  /** Every reader, window and day: the stored path (where it serves) equals the evaluation. */
  async function expectSame(day: string) {
    const ctx = on(day);
    for (const reader of [owner, a, b, c, lead]) {
      for (const weeks of [1, 4, 12, 13]) {
        for (const asOf of [undefined, "2026-11-10"]) {
          const q = asOf === undefined ? { weeks } : { weeks, asOf };
          const before = await followThroughReportByEvaluation(ctx, reader, q);
          const stored = await reportFromRows(ctx, reader, q);
          if (asOf === undefined && weeks <= 12) expect(stored).not.toBeNull();
          // Where the stored aggregates do not serve, the report is evaluated as before.
          expect(stored ?? (await followThroughReport(ctx, reader, q))).toEqual(before);
          // The wins feed too (it is the report's wins).
          const wins = await winsReplyFromRows(ctx, reader, q);
          if (asOf === undefined && weeks <= 12) expect(wins?.body).toBeDefined();
          expect(wins?.body ?? (await winsFeed(ctx, reader, q))).toEqual(
            await winsFeedByEvaluation(ctx, reader, q),
          );
        }
      }
      // The weekly review: today's from the stored rows, a past day's evaluated.
      const review = await weeklyReviewFromRows(ctx, reader);
      expect(review).not.toBeNull();
      expect(review).toEqual(await weeklyReviewByEvaluation(ctx, reader));
      expect(await weeklyReview(ctx, reader, { asOf: "2026-11-10" })).toEqual(
        await weeklyReviewByEvaluation(ctx, reader, { asOf: "2026-11-10" }),
      );
    }
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    owner = (await actorFor(db.store)).actor;
    const ws = owner.workspaceId;
    const person = async (name: string) => ({
      userId: (await createPerson(db.store.db, ws, name, NOW)).id,
      workspaceId: ws,
    });
    a = await person("Ada");
    b = await person("Ben");
    c = await person("Chloé");
    lead = await person("Lee");
    teamId = await buildTeam(db.store, ws, "Growth", [
      { userId: lead.userId, role: "leader" },
      { userId: a.userId, role: "member" },
      { userId: b.userId, role: "member" },
    ]);
    const start = on("2026-09-01");
    const goal = async (actor: Actor, key: string, over: Record<string, unknown>) => {
      const g = await createGoal(start, actor, {
        title: `Goal ${key}`,
        startDate: "2026-09-01",
        dueDate: "2027-01-31",
        ...over,
      });
      ids[key] = g.id;
      const kr = await addKeyResult(start, actor, g.id, {
        title: `KR ${key}`,
        startValue: 0,
        targetValue: 100,
      });
      ids[`kr${key}`] = kr.id;
      return g.id;
    };
    const step = async (actor: Actor, goalId: number, key: string, body: Record<string, unknown>) => {
      const s = await addStep(on("2026-09-02"), actor, goalId, { text: `Step ${key}`, ...body });
      ids[key] = s.id;
      return s.id;
    };
    const gA1 = await goal(a, "A1", { visibility: "team", teamId });
    const gA2 = await goal(a, "A2", { visibility: "private" });
    const gB1 = await goal(b, "B1", { visibility: "workspace" });
    const gC1 = await goal(c, "C1", { visibility: "private" });
    const gA3 = await goal(a, "A3", { visibility: "team", teamId });
    await shareGoal(start, a, gA2, { userId: c.userId });

    await step(a, gA1, "kept", { dueDate: "2026-10-20" });
    await completeStep(on("2026-10-19"), a, ids.kept as number, { date: "2026-10-19" });
    await step(a, gA1, "late", { dueDate: "2026-11-02" });
    await completeStep(on("2026-11-05"), a, ids.late as number, { date: "2026-11-05" });
    await step(a, gA1, "missed", { dueDate: "2026-11-10" });
    await step(a, gA1, "future", { dueDate: "2026-11-25" });
    await step(a, gA1, "today", { dueDate: "2026-11-21" });
    await step(a, gA1, "movedLate", { dueDate: "2026-11-12" });
    await updateStep(on("2026-11-14"), a, ids.movedLate as number, {
      dueDate: "2026-11-28",
      reason: "waiting",
    });
    await step(a, gA1, "movedEarly", { dueDate: "2026-11-18" });
    await updateStep(on("2026-11-05"), a, ids.movedEarly as number, {
      dueDate: "2026-11-20",
      reason: "later",
    });
    await updateStep(on("2026-11-19"), a, ids.movedEarly as number, {
      dueDate: "2026-11-24",
      reason: "again",
    });
    await step(a, gA1, "weekly", { dueDate: "2026-10-05", every: "every Monday", ownerId: b.userId });
    await completeStep(on("2026-11-09"), b, ids.weekly as number, {
      occurrence: "2026-11-09",
      date: "2026-11-09",
    });
    await completeStep(on("2026-11-17"), b, ids.weekly as number, {
      occurrence: "2026-11-16",
      date: "2026-11-17",
    });
    await step(a, gA2, "shared", { dueDate: "2026-11-09" });
    await completeStep(on("2026-11-09"), a, ids.shared as number, { date: "2026-11-09" });
    await step(a, gA2, "sharedOpen", { dueDate: "2026-11-13" });
    await step(b, gB1, "bLate", { dueDate: "2026-11-16" });
    await completeStep(on("2026-11-20"), b, ids.bLate as number, { date: "2026-11-20" });
    await step(b, gB1, "bCommitted", { dueDate: "2026-11-18" });
    await createCommitment(on("2026-11-11"), b, { stepId: ids.bCommitted, dueDate: "2026-11-18" });
    await completeStep(on("2026-11-18"), b, ids.bCommitted as number, { date: "2026-11-18" });
    await step(c, gC1, "cOld", { dueDate: "2026-09-15" });
    await completeStep(on("2026-09-14"), c, ids.cOld as number, { date: "2026-09-14" });
    await step(c, gC1, "cMissed", { dueDate: "2026-11-03" });
    await step(a, gA3, "a3", { dueDate: "2026-11-11" });
    await createCommitment(on("2026-11-12"), a, {
      text: "Send the deck to Lee",
      dueDate: "2026-11-19",
      witnessUserIds: [lead.userId],
    });
    await createCommitment(on("2026-11-12"), b, { goalId: gB1, dueDate: "2026-11-20" });
    for (const [day, value] of [
      ["2026-09-20", 10],
      ["2026-10-11", 30],
      ["2026-11-08", 55],
      ["2026-11-20", 80],
    ] as const) {
      await createCheckin(on(day), b, gB1, { date: day, krValues: [{ keyResultId: ids.krB1, value }] });
    }
    await createCheckin(on("2026-09-10"), a, gA1, {
      date: "2026-09-10",
      krValues: [{ keyResultId: ids.krA1, value: 5 }],
    });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)(
    "gives every reader the evaluated report, for 1, 4, 12 and 13 weeks and past days",
    async () => {
      const seen = await followThroughReport(on(TODAY), a, { weeks: 4 });
      // The fixture gives every part of the report something to show.
      expect(seen).toMatchObject({ kept: 3, missed: 11, pending: 1, moved: 3 });
      expect(seen.mostMoved.map((m) => m.stepId)).toEqual([ids.movedEarly, ids.movedLate]);
      expect(seen.wins.length).toBeGreaterThan(3);
      expect(seen.stalled.length).toBeGreaterThan(0);
      expect(seen.byUser.map((u) => u.userId)).toEqual([a.userId, b.userId]);
      const led = await followThroughReport(on(TODAY), lead, { weeks: 4 });
      expect(led.stalled.some((s) => s.leaderPrompt !== null)).toBe(true);
      // The week's review has misses of each kind, one of them done late, and a plan.
      const review = await weeklyReview(on(TODAY), b);
      expect(new Set(review.misses.map((m) => m.kind))).toEqual(new Set(["step", "commitment"]));
      expect(review.misses.some((m) => m.doneOn !== null)).toBe(true);
      expect(review.plan.map((p) => p.goalId)).toEqual([ids.B1]);
      await expectSame(TODAY);
      // Read a second time: now from rows stored by the first read.
      await expectSame(TODAY);
    },
  );

  it.skipIf(skip)("follows writes: a step done late, a due date moved, a step dropped", async () => {
    await completeStep(on(TODAY), a, ids.missed as number, { date: TODAY });
    await expectSame(TODAY);
    await updateStep(on(TODAY), a, ids.future as number, { dueDate: "2026-11-30", reason: "blocked" });
    await expectSame(TODAY);
    await updateStep(on(TODAY), a, ids.sharedOpen as number, {
      status: "dropped",
      reason: "no longer needed",
    });
    await expectSame(TODAY);
  });

  it.skipIf(skip)("follows sharing, a goal's team view and status, a rename and a deleted step", async () => {
    await unshareGoal(on(TODAY), a, ids.A2 as number, c.userId);
    await expectSame(TODAY);
    await shareGoal(on(TODAY), a, ids.A2 as number, { userId: c.userId });
    await updateGoal(on(TODAY), a, ids.A3 as number, { visibility: "private" });
    await expectSame(TODAY);
    await updateGoal(on(TODAY), a, ids.A3 as number, { status: "dropped", reason: "merged" });
    await expectSame(TODAY);
    await db.store.db.updateTable("users").set({ name: "Ada L." }).where("id", "=", a.userId).execute();
    await expectSame(TODAY);
    await db.store.db
      .deleteFrom("stepOccurrences")
      .where("stepId", "=", ids.a3 as number)
      .execute();
    await db.store.db
      .deleteFrom("steps")
      .where("id", "=", ids.a3 as number)
      .execute();
    await expectSame(TODAY);
  });

  it.skipIf(skip)("follows a write to a step's promises alone (the triggers of migration 0025)", async () => {
    const ctx = on(TODAY);
    expect(await reportFromRows(ctx, a, { weeks: 4 })).not.toBeNull();
    // No use case writes a promise without its step; a restore or an import may.
    await db.store.db
      .updateTable("stepOccurrences")
      .set({ doneAt: `${TODAY}T09:00:00.000Z` })
      .where("stepId", "=", ids.today as number)
      .execute();
    await expectSame(TODAY);
  });

  it.skipIf(skip)("moves on at midnight", async () => {
    await expectSame("2026-11-22");
    await expectSame("2026-11-23");
  });

  it.skipIf(skip)("never serves rows stored by another code version", async () => {
    const ctx = on(TODAY);
    expect(await reportFromRows(ctx, owner, { weeks: 4 })).not.toBeNull();
    // Rows of another version, whatever they hold, are computed again.
    await db.store.db.updateTable("reportGoalItems").set({ outcome: "kept" }).execute();
    await db.store.db.deleteFrom("reportGoalWins").execute();
    await db.store.db
      .updateTable("reportGoalRows")
      .set({ version: "report.0/older", stalledJson: null })
      .execute();
    await expectSame(TODAY);
  });

  it.skipIf(skip)(
    "tags the report: the same tag while nothing changed, another after any write it shows",
    async () => {
      const ctx = on(TODAY);
      const tagOf = async (reader: Actor, weeks = 4) => {
        const reply = await reportReplyFromRows(ctx, reader, { weeks });
        expect(reply?.body).not.toBeNull();
        return reply?.etag as string;
      };
      /** The tag holds, and answers "not modified" (no body) to a reader who sends it back. */
      const expectHeld = async (reader: Actor, tag: string, weeks = 4) => {
        expect(await tagOf(reader, weeks)).toBe(tag);
        expect(await reportReplyFromRows(ctx, reader, { weeks }, tag)).toEqual({ etag: tag, body: null });
        expect(await reportReplyFromRows(ctx, reader, { weeks }, `"other", W/${tag}`)).toEqual({
          etag: tag,
          body: null,
        });
      };
      let tag = await tagOf(a);
      await expectHeld(a, tag);
      // Another reader, another window: another tag.
      expect(await tagOf(lead)).not.toBe(tag);
      expect(await tagOf(a, 1)).not.toBe(tag);
      // A stale tag gets the whole report again, with the current tag.
      const changed = async (write: () => Promise<unknown>) => {
        await write();
        const reply = await reportReplyFromRows(ctx, a, { weeks: 4 }, tag);
        expect(reply?.body).not.toBeNull();
        expect(reply?.etag).not.toBe(tag);
        expect(reply?.body).toEqual(await followThroughReportByEvaluation(ctx, a, { weeks: 4 }));
        tag = reply?.etag as string;
        await expectHeld(a, tag);
      };
      await changed(() =>
        createCheckin(ctx, b, ids.B1 as number, {
          date: TODAY,
          krValues: [{ keyResultId: ids.krB1, value: 85 }],
        }),
      );
      const open = await addStep(ctx, a, ids.A1 as number, { text: "Step tagged", dueDate: TODAY });
      tag = await tagOf(a);
      await changed(() => completeStep(ctx, a, open.id, { date: TODAY }));
      // Ben is in Ada's report (he owns a weekly step of her goal): his new name is news to her.
      await changed(() =>
        db.store.db.updateTable("users").set({ name: "Ben R." }).where("id", "=", b.userId).execute(),
      );
      await changed(() =>
        createCommitment(ctx, a, { text: "Call Lee back", dueDate: TODAY, witnessUserIds: [lead.userId] }),
      );
      await changed(() => createCommitment(ctx, b, { goalId: ids.B1 as number, dueDate: TODAY }));
    },
  );

  // The answers kept in process under their tags.
  it.skipIf(skip)(
    "keeps an answer only while its tag holds: a write to a goal open to the workspace, or a rename, gives a reader who never sent a tag the new answer",
    async () => {
      const ctx = on(TODAY);
      const read = async () =>
        (await reportReplyFromRows(ctx, c, { weeks: 4 })) as { etag: string; body: unknown };
      const first = await read();
      // Asked again with nothing changed: the kept answer, under the same tag.
      const again = await read();
      expect(again.etag).toBe(first.etag);
      expect(again.body).toBe(first.body);
      expect(again.body).toEqual(await followThroughReportByEvaluation(ctx, c, { weeks: 4 }));
      const wins = await winsReplyFromRows(ctx, c, { weeks: 4 });
      expect((await winsReplyFromRows(ctx, c, { weeks: 4 }))?.body).toBe(wins?.body);
      // Chloé does not own B1 and is in no team: she sees it only because it is open to the workspace.
      const s = await addStep(ctx, b, ids.B1 as number, {
        text: "Step of a goal open to all",
        dueDate: TODAY,
      });
      await completeStep(ctx, b, s.id, { date: TODAY });
      const after = await read();
      expect(after.etag).not.toBe(first.etag);
      expect(after.body).not.toEqual(first.body);
      expect(after.body).toEqual(await followThroughReportByEvaluation(ctx, c, { weeks: 4 }));
      const winsAfter = await winsReplyFromRows(ctx, c, { weeks: 4 });
      expect(winsAfter?.etag).not.toBe(wins?.etag);
      expect(winsAfter?.body).toEqual(await winsFeedByEvaluation(ctx, c, { weeks: 4 }));
      // A rename changes the names the report shows (the names' stamp, migration 0030, is in the tag).
      await db.store.db.updateTable("users").set({ name: "Chloé B." }).where("id", "=", c.userId).execute();
      const renamed = await read();
      expect(renamed.etag).not.toBe(after.etag);
      expect(renamed.body).toEqual(await followThroughReportByEvaluation(ctx, c, { weeks: 4 }));
    },
  );

  // The goals open to the workspace stamped by count and change number.
  it.skipIf(skip)(
    "a member outside a goal's team sees a check-in on, a rename of, a new and a hidden goal open to the workspace, as the evaluation does",
    async () => {
      const ctx = on(TODAY);
      let held = (await reportReplyFromRows(ctx, c, { weeks: 4 })) as { etag: string; body: unknown };
      /** After a write: a new tag, with or without the old one sent, and the evaluated answer. */
      const changed = async (write: () => Promise<unknown>, shows?: string) => {
        await write();
        const evaluated = await followThroughReportByEvaluation(ctx, c, { weeks: 4 });
        const kept = (await reportReplyFromRows(ctx, c, { weeks: 4 })) as { etag: string; body: unknown };
        expect(kept.etag).not.toBe(held.etag);
        expect(kept.body).toEqual(evaluated);
        const sent = await reportReplyFromRows(ctx, c, { weeks: 4 }, held.etag);
        expect(sent?.etag).toBe(kept.etag);
        expect(sent?.body).toEqual(evaluated);
        expect(await winsReplyFromRows(ctx, c, { weeks: 4 }).then((w) => w?.body)).toEqual(
          await winsFeedByEvaluation(ctx, c, { weeks: 4 }),
        );
        if (shows !== undefined) expect(JSON.stringify(kept.body)).toContain(shows);
        // Nothing changed since: the same tag, and "not modified" for it.
        expect(await reportReplyFromRows(ctx, c, { weeks: 4 }, kept.etag)).toEqual({
          etag: kept.etag,
          body: null,
        });
        held = kept;
      };
      // Chloé is in no team and owns none of these: she sees them only as open to the workspace.
      await changed(() =>
        createCheckin(ctx, b, ids.B1 as number, {
          date: TODAY,
          krValues: [{ keyResultId: ids.krB1, value: 90 }],
        }),
      );
      await changed(() => updateGoal(ctx, b, ids.B1 as number, { title: "Goal B1, renamed" }));
      const fresh = await createGoal(on("2026-09-01"), b, {
        title: "Goal B2",
        startDate: "2026-09-01",
        dueDate: "2027-01-31",
        visibility: "private",
      });
      const s = await addStep(ctx, b, fresh.id, { text: "Step of B2", dueDate: TODAY });
      await completeStep(ctx, b, s.id, { date: TODAY });
      // A new goal open to the workspace (made open: it joins the set).
      await changed(() => updateGoal(ctx, b, fresh.id, { visibility: "workspace" }), "Step of B2");
      // A new goal created open, with nothing due yet.
      await changed(() =>
        createGoal(ctx, b, {
          title: "Goal B3",
          startDate: TODAY,
          dueDate: "2027-01-31",
          visibility: "workspace",
        }),
      );
      // Hidden: no longer open to the workspace, so gone from her report.
      await changed(() => updateGoal(ctx, b, ids.B1 as number, { visibility: "private" }));
      expect(JSON.stringify(held.body)).not.toContain("Goal B1, renamed");
    },
  );

  // totals24: the totals count every goal open to the workspace; whatever is stored of them must
  // follow every kind of change to such a goal, for a reader outside its circle and one inside it.
  it.skipIf(skip)(
    "gives readers in and outside a goal's circle the evaluated totals and lists after every kind of change to a goal open to the workspace",
    async () => {
      let ctx = on(TODAY);
      const open = await createGoal(on("2026-09-01"), b, {
        title: "Goal O1",
        startDate: "2026-09-01",
        dueDate: "2027-01-31",
        visibility: "workspace",
      });
      const kr = await addKeyResult(on("2026-09-01"), b, open.id, {
        title: "KR O1",
        startValue: 0,
        targetValue: 10,
      });
      const o1 = await addStep(on("2026-09-02"), b, open.id, { text: "O1 kept", dueDate: "2026-11-16" });
      await completeStep(on("2026-11-16"), b, o1.id, { date: "2026-11-16" });
      const o2 = await addStep(on("2026-09-02"), b, open.id, { text: "O1 missed", dueDate: "2026-11-17" });
      const o3 = await addStep(on("2026-09-02"), b, open.id, { text: "O1 moved", dueDate: "2026-11-18" });
      /** The stored path (kept answers, no tag sent) equals the evaluation for each reader, window and cut. */
      const same = async (what: string) => {
        // Chloé: the goal is outside her circle. Ada and Lee: in their team (Ben's goals, then its team).
        for (const reader of [c, a, lead]) {
          for (const weeks of [1, 4, 12]) {
            for (const all of [false, true]) {
              const q = { weeks, all };
              const evaluated = await followThroughReportByEvaluation(ctx, reader, q);
              const stored = await reportReplyFromRows(ctx, reader, q);
              expect(stored?.body, `${what}: reader ${reader.userId}, ${weeks} weeks, all ${all}`).toEqual(
                evaluated,
              );
              // Asked again (the kept answer, or a stored part read again): still the same.
              expect((await reportReplyFromRows(ctx, reader, q))?.body).toEqual(evaluated);
            }
          }
        }
        return followThroughReportByEvaluation(ctx, c, { weeks: 4, all: true });
      };
      const first = await same("created open");
      expect(first.byUser.some((u) => u.userId === b.userId)).toBe(true);
      await updateStep(ctx, b, o3.id, { dueDate: "2026-11-26", reason: "blocked" });
      await same("a step moved");
      await createCommitment(ctx, b, { stepId: o2.id, dueDate: "2026-11-21" });
      await same("a commitment on a step");
      await completeStep(ctx, b, o2.id, { date: TODAY });
      await same("the committed step done");
      await createCheckin(ctx, b, open.id, { date: TODAY, krValues: [{ keyResultId: kr.id, value: 4 }] });
      const seen = await same("a check-in");
      await updateGoal(ctx, b, open.id, { teamId });
      await same("moved into a team, still open");
      await updateGoal(ctx, b, open.id, { visibility: "private" });
      const hidden = await same("made private");
      // Chloé no longer counts it: fewer promises in her totals.
      expect(hidden.kept + hidden.missed + hidden.pending).toBeLessThan(
        seen.kept + seen.missed + seen.pending,
      );
      await updateGoal(ctx, b, open.id, { visibility: "workspace" });
      await same("made open again");
      await updateGoal(ctx, b, open.id, { teamId: null });
      await same("out of its team");
      await updateGoal(ctx, b, open.id, { status: "done" });
      await same("done");
      await updateGoal(ctx, b, open.id, { archived: true });
      await same("archived");
      await updateGoal(ctx, b, open.id, { status: "dropped", reason: "no longer needed" });
      await same("dropped");
      await updateGoal(ctx, b, open.id, { status: "active" });
      await same("re-opened");
      await db.store.db.updateTable("users").set({ name: "Ben O." }).where("id", "=", b.userId).execute();
      await same("its owner renamed");
      ctx = on("2026-11-22");
      await same("the next day");
      ctx = on(TODAY);
    },
  );

  // totals25: the stored open part (migration 0033) read again, and a goal deleted outright.
  it.skipIf(skip)(
    "reads the workspace's stored open part again while its stamps hold, and counts a goal open to the workspace no more once it is deleted outright",
    async () => {
      const ctx = on(TODAY);
      const gone = await createGoal(on("2026-09-01"), b, {
        title: "Goal D1",
        startDate: "2026-09-01",
        dueDate: "2027-01-31",
        visibility: "workspace",
      });
      await createCommitment(ctx, b, { goalId: gone.id, text: "D1 promised", dueDate: TODAY });
      // Another goal open to the workspace, written after: the deletion then lowers the open goals'
      // count and sum but not their largest change number, and leads to no state seen before.
      await createGoal(ctx, b, {
        title: "Goal D2",
        startDate: TODAY,
        dueDate: "2027-01-31",
        visibility: "workspace",
      });
      const same = async (what: string) => {
        for (const reader of [c, a, lead]) {
          for (const weeks of [1, 4, 12]) {
            const evaluated = await followThroughReportByEvaluation(ctx, reader, { weeks });
            expect(
              (await reportReplyFromRows(ctx, reader, { weeks }))?.body,
              `${what}: ${reader.userId}`,
            ).toEqual(evaluated);
          }
        }
        return followThroughReportByEvaluation(ctx, c, { weeks: 4 });
      };
      const before = await same("created open, with a commitment");
      // Read again with nothing changed: from the stored part, not summed over every open goal again.
      // (The evaluation just made may have written the goals' mode state: read once first, which
      // stores the part again if it did.) A reader with no kept answer then reads the stored part.
      expect((await reportReplyFromRows(ctx, c, { weeks: 4 }))?.body).toEqual(before);
      const reused = reportStats(ctx).openPartsReused;
      const stored = reportStats(ctx).openPartsStored;
      const owners = await reportReplyFromRows(ctx, owner, { weeks: 4 });
      expect(reportStats(ctx).openPartsReused).toBe(reused + 1);
      expect(reportStats(ctx).openPartsStored).toBe(stored);
      expect(owners?.body).toEqual(await followThroughReportByEvaluation(ctx, owner, { weeks: 4 }));
      // Deleted outright (no use case does; a database tool may): its row and all it holds.
      const raw = db.store.db;
      await raw.deleteFrom("commitments").where("goalId", "=", gone.id).execute();
      for (const t of [
        "change_records",
        "goal_followers",
        "goal_mode_changes",
        "goal_rollups",
        "goal_shares",
        "report_goal_items",
        "report_goal_wins",
        "report_goal_rows",
      ])
        await sql`delete from ${sql.table(t)} where goal_id = ${gone.id}`.execute(raw);
      await raw.deleteFrom("goals").where("id", "=", gone.id).execute();
      const after = await same("deleted outright");
      expect(after.kept + after.missed + after.pending).toBe(
        before.kept + before.missed + before.pending - 1,
      );
      expect(reportStats(ctx).openPartsStored).toBeGreaterThan(stored);
    },
  );

  // open26: the names in the stored open part. A stalled goal's leader prompt names its owner; a
  // rename, a join or a leave moves no goal's change number, only the workspace's names stamp
  // (migration 0030), which is in the part's key.
  it.skipIf(skip)(
    "gives a stalled open goal's leader prompt with its owner's new name to whoever leads them, after a rename and a join, and never to anyone else",
    async () => {
      const ctx = on(TODAY);
      const ws = owner.workspaceId;
      const person = async (name: string) => ({
        userId: (await createPerson(db.store.db, ws, name, NOW)).id,
        workspaceId: ws,
      });
      const pat = await person("Pat");
      const olu = await person("Olu");
      const rae = await person("Rae");
      const ops = await buildTeam(db.store, ws, "Ops", [
        { userId: olu.userId, role: "leader" },
        { userId: pat.userId, role: "member" },
      ]);
      // Far behind its line since October: today's evaluation puts it in micro-goal mode.
      const early = on("2026-10-01");
      const stalled = await createGoal(early, pat, {
        title: "Launch the newsletter",
        startDate: "2026-10-01",
        dueDate: "2026-12-31",
        visibility: "workspace",
      });
      await addKeyResult(early, pat, stalled.id, { title: "Subscribers", startValue: 0, targetValue: 100 });
      await addStep(early, pat, stalled.id, { text: "Email Raj the deck", dueDate: "2026-12-10" });
      const prompt = (r: FollowThroughReportView | null | undefined) =>
        r?.stalled.find((s) => s.goalId === stalled.id)?.leaderPrompt ?? null;
      /** Every reader, cut and full, read twice (the second from the stored part or the kept answer): the evaluation. */
      const same = async (what: string) => {
        const reused = reportStats(ctx).openPartsReused;
        for (const reader of [olu, rae, c, lead, pat, owner]) {
          for (const all of [false, true]) {
            const q = { weeks: 4, all };
            const evaluated = await followThroughReportByEvaluation(ctx, reader, q);
            const label = `${what}: reader ${reader.userId}, all ${all}`;
            expect((await reportReplyFromRows(ctx, reader, q))?.body, label).toEqual(evaluated);
            expect((await reportReplyFromRows(ctx, reader, q))?.body, label).toEqual(evaluated);
            // open26: the wins feed of the same window (a cut one from the stored part when current).
            const feed = await winsFeedByEvaluation(ctx, reader, q);
            expect((await winsReplyFromRows(ctx, reader, q))?.body, label).toEqual(feed);
            expect((await winsReplyFromRows(ctx, reader, q))?.body, label).toEqual(feed);
          }
        }
        // Readers after the first (each with a tag of their own) were answered from the stored part.
        expect(reportStats(ctx).openPartsReused, what).toBeGreaterThan(reused);
      };
      await same("stalled");
      // open26: a cut wins feed asked by a reader with no feed kept, the part current: from the part.
      await reportReplyFromRows(ctx, rae, { weeks: 12 });
      const fromPart = reportStats(ctx).openPartsReused;
      expect((await winsReplyFromRows(ctx, rae, { weeks: 12 }))?.body).toEqual(
        await winsFeedByEvaluation(ctx, rae, { weeks: 12 }),
      );
      expect(reportStats(ctx).openPartsReused).toBe(fromPart + 1);
      const led = await followThroughReportByEvaluation(ctx, olu, { weeks: 4 });
      expect(prompt(led)).toContain("Pat");
      expect(prompt(await followThroughReportByEvaluation(ctx, rae, { weeks: 4 }))).toBeNull();
      // Renamed: no goal is written, only the names stamp moves.
      await db.store.db.updateTable("users").set({ name: "Patricia" }).where("id", "=", pat.userId).execute();
      await same("its owner renamed");
      expect(prompt((await reportReplyFromRows(ctx, olu, { weeks: 4 }))?.body)).toContain("Patricia");
      // Rae joins the team as a second leader: she now leads Patricia and sees the prompt, with her new name.
      await db.store.db
        .insertInto("memberships")
        .values({ teamId: ops, userId: rae.userId, role: "leader", createdAt: NOW })
        .execute();
      await same("a leader joined the owner's team");
      expect(prompt((await reportReplyFromRows(ctx, rae, { weeks: 4 }))?.body)).toContain("Patricia");
      // Renamed again, then Rae leaves: the prompt is gone from her report, and Olu's names the new name.
      await db.store.db.updateTable("users").set({ name: "Pat R." }).where("id", "=", pat.userId).execute();
      await db.store.db
        .deleteFrom("memberships")
        .where("teamId", "=", ops)
        .where("userId", "=", rae.userId)
        .execute();
      await same("renamed again, and the leader left");
      expect(prompt((await reportReplyFromRows(ctx, rae, { weeks: 4 }))?.body)).toBeNull();
      expect(prompt((await reportReplyFromRows(ctx, olu, { weeks: 4 }))?.body)).toContain("Pat R.");
    },
  );

  // The first reads of a day at once compute once.
  it.skipIf(skip)(
    "answers many first reads of a new day at once by computing each goal and each answer once, every reader getting the evaluated report",
    async () => {
      const ctx = on("2026-11-27");
      const before = reportStats(ctx);
      const readers = [lead, a, lead, lead, a, lead, a, lead, lead, a, lead, lead];
      const replies = await Promise.all(readers.map((r) => reportReplyFromRows(ctx, r, { weeks: 4 })));
      const after = reportStats(ctx);
      const forLead = await followThroughReportByEvaluation(ctx, lead, { weeks: 4 });
      const forA = await followThroughReportByEvaluation(ctx, a, { weeks: 4 });
      replies.forEach((reply, i) => {
        expect(reply?.body).toEqual(readers[i] === lead ? forLead : forA);
      });
      // One answer per tag, shared by the reads that found it being made.
      expect(new Set(replies.map((r) => r?.etag)).size).toBe(2);
      expect(after.answersSummed - before.answersSummed).toBe(2);
      // Every goal either reader counts computed once for the new day, one batch at a time.
      const counted = await db.store.db
        .selectFrom("goals")
        .select("id")
        .where("workspaceId", "=", owner.workspaceId)
        .where("status", "in", ["active", "done"])
        .execute();
      // (On PostgreSQL a read whose snapshot began before another's refresh committed, but which
      // asks after it finished, may compute a goal a second time: never once per reader.)
      expect(after.goalsRefreshed - before.goalsRefreshed).toBeLessThanOrEqual(
        d === "sqlite" ? counted.length : 2 * counted.length - 1,
      );
      expect(after.refreshesAtOnce).toBeLessThanOrEqual(REFRESHES_AT_ONCE);
      // Read again on the same day: nothing computed, nothing summed (the kept answers).
      await Promise.all(readers.map((r) => reportReplyFromRows(ctx, r, { weeks: 4 })));
      expect(reportStats(ctx)).toMatchObject({
        goalsRefreshed: after.goalsRefreshed,
        answersSummed: after.answersSummed,
      });
    },
  );
});

describe("the kept answers", () => {
  it("stay within their budget and count, the least recently used out first", () => {
    const cache = new AnswerCache(100, 3);
    cache.set("a", "A", 40);
    cache.set("b", "B", 40);
    expect(cache.get("a")).toBe("A");
    // Over the budget: b, the least recently used, goes.
    cache.set("c", "C", 40);
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([true, false, true]);
    expect(cache.usedBytes).toBe(80);
    // An answer larger than the whole budget is not kept.
    cache.set("big", "X", 101);
    expect(cache.has("big")).toBe(false);
    // At most `max` entries.
    cache.set("d", "D", 1);
    cache.set("e", "E", 1);
    expect(cache.size).toBe(3);
    expect(cache.has("a")).toBe(false);
  });

  it("keeps an answer's JSON beside it, counted in the budget, and never for another value", () => {
    const cache = new AnswerCache(100, 3);
    const answer = { wins: ["a", "b"] };
    cache.set("t", answer, 10);
    const json = cache.json("t", answer);
    expect(json.toString()).toBe(JSON.stringify(answer));
    // Asked again: the same bytes, not encoded again; their length counts.
    expect(cache.json("t", answer)).toBe(json);
    expect(cache.usedBytes).toBe(10 + json.length);
    // Another value under the tag, or a tag not kept: encoded, not kept.
    const other = { wins: ["c"] };
    expect(cache.json("t", other).toString()).toBe(JSON.stringify(other));
    expect(cache.json("gone", other).toString()).toBe(JSON.stringify(other));
    expect(cache.usedBytes).toBe(10 + json.length);
    // A new answer under the tag drops the old text with it.
    cache.set("t", other, 10);
    expect(cache.usedBytes).toBe(10);
    expect(cache.json("t", other).toString()).toBe(JSON.stringify(other));
  });
});
