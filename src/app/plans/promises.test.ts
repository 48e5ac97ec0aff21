import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import { follow } from "../collaboration/collaboration.js";
import { type Actor, type AppContext, appContext } from "../context.js";
import { inbox } from "../delivery/notices.js";
import { AppError } from "../errors.js";
import { followThroughReport } from "../reports/report.js";
import { createGoal, goalHistory } from "./goals.js";
import { addStep, completeStep, myWeek, updateStep } from "./steps.js";

/** A context whose clock reads noon UTC of a day. */
const on = (store: AppContext["store"], day: string): AppContext =>
  appContext(store, () => new Date(`${day}T12:00:00.000Z`));

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe.each(DIALECTS)("the record of what steps promised, on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let people = 0;

  /** A new person in the workspace, with a goal started on 2 November (a Monday); private unless said. */
  async function person(visibility = "private"): Promise<{ actor: Actor; goalId: number }> {
    const base = fixedContext(db.store);
    const owner = await createPerson(db.store.db, 1, `Person ${++people}`, "2026-11-01T08:00:00.000Z");
    const actor = { userId: owner.id, workspaceId: owner.workspaceId };
    const goal = await createGoal(base, actor, buildGoal({ startDate: "2026-11-02", visibility }));
    return { actor, goalId: goal.id };
  }

  /** The person's report as known on `day`, for the five weeks ending then (from late October). */
  function report(actor: Actor, day: string) {
    return followThroughReport(on(db.store, day), actor, { asOf: day, weeks: 5 });
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    // The workspace and its local owner exist before anyone else is added.
    const { localActor } = await import("../people/people.js");
    await localActor(fixedContext(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "keeps a miss a miss when the step is moved after its due date, and counts the move",
    async () => {
      const { actor, goalId } = await person();
      const monday = on(db.store, "2026-11-02");
      const kept = await addStep(monday, actor, goalId, {
        text: "Email Raj the deck",
        dueDate: "2026-11-04",
      });
      const late = await addStep(monday, actor, goalId, { text: "Call Dana", dueDate: "2026-11-05" });
      await addStep(monday, actor, goalId, { text: "Book the venue", dueDate: "2026-11-06" });
      await completeStep(on(db.store, "2026-11-04"), actor, kept.id);
      const before = await report(actor, "2026-11-10");
      expect([before.kept, before.missed]).toEqual([1, 2]);

      const tuesday = on(db.store, "2026-11-10");
      const refused = await failure(updateStep(tuesday, actor, late.id, { dueDate: "2026-11-12" }));
      expect(refused.code).toBe("reason_required");
      expect(refused.message).toMatch(/Moving a step's due date needs a reason/);

      await updateStep(tuesday, actor, late.id, { dueDate: "2026-11-12", reason: "Dana is away" });
      const after = await report(actor, "2026-11-10");
      // The new due date is after the report's day: not in its window yet.
      expect([after.kept, after.missed, after.pending]).toEqual([1, 2, 0]);
      expect(after.moved).toBe(1);
      expect(after.byWeek.find((w) => w.weekStart === "2026-11-02")).toMatchObject({
        kept: 1,
        missed: 2,
        moved: 1,
      });
      expect(after.byUser.find((u) => u.userId === actor.userId)).toMatchObject({ moved: 1 });
      expect(after.mostMoved).toEqual([
        { stepId: late.id, goalId, text: "Call Dana", ownerId: actor.userId, moves: 1 },
      ]);

      // Missed again: a second miss, in the week it was due then.
      await updateStep(on(db.store, "2026-11-16"), actor, late.id, {
        dueDate: "2026-11-20",
        reason: "Still away",
      });
      const again = await report(actor, "2026-11-16");
      expect([again.kept, again.missed, again.moved]).toEqual([1, 3, 2]);
      expect(again.mostMoved[0]).toMatchObject({ stepId: late.id, moves: 2 });
    },
  );

  it.skipIf(skip)(
    "counts a step moved or dropped before its due date as neither kept nor missed",
    async () => {
      const { actor, goalId } = await person();
      const monday = on(db.store, "2026-11-02");
      const moved = await addStep(monday, actor, goalId, { text: "Draft the agenda", dueDate: "2026-11-06" });
      const dropped = await addStep(monday, actor, goalId, { text: "Print flyers", dueDate: "2026-11-06" });
      const droppedLate = await addStep(monday, actor, goalId, {
        text: "Call the printer",
        dueDate: "2026-11-04",
      });
      const wednesday = on(db.store, "2026-11-05");
      await updateStep(wednesday, actor, moved.id, {
        dueDate: "2026-11-30",
        reason: "Agenda waits for the speakers",
      });
      expect((await failure(updateStep(wednesday, actor, dropped.id, { status: "dropped" }))).code).toBe(
        "reason_required",
      );
      await updateStep(wednesday, actor, dropped.id, { status: "dropped", reason: "We go digital" });
      await updateStep(wednesday, actor, droppedLate.id, { status: "dropped", reason: "Too late now" });
      const r = await report(actor, "2026-11-21");
      // The late drop is the only miss; the early move and drop promised nothing broken.
      expect([r.kept, r.missed, r.pending, r.moved]).toEqual([0, 1, 0, 1]);
    },
  );

  it.skipIf(skip)(
    "needs a reason to re-open a done step, and then the promise is no longer kept",
    async () => {
      const { actor, goalId } = await person();
      const s = await addStep(on(db.store, "2026-11-02"), actor, goalId, {
        text: "Send the invoice",
        dueDate: "2026-11-03",
      });
      await completeStep(on(db.store, "2026-11-03"), actor, s.id);
      expect((await report(actor, "2026-11-10")).kept).toBe(1);
      const day = on(db.store, "2026-11-10");
      expect((await failure(updateStep(day, actor, s.id, { status: "todo" }))).code).toBe("reason_required");
      await updateStep(day, actor, s.id, { status: "todo", reason: "The client never got it" });
      const r = await report(actor, "2026-11-10");
      expect([r.kept, r.missed]).toEqual([0, 1]);
      // Done again, late: still a miss for the week it was due.
      await completeStep(on(db.store, "2026-11-11"), actor, s.id);
      expect([(await report(actor, "2026-11-11")).kept, (await report(actor, "2026-11-11")).missed]).toEqual([
        0, 1,
      ]);
    },
  );

  it.skipIf(skip)(
    "keeps who, when, from, to and why in the goal's history and tells the followers",
    async () => {
      const { actor, goalId } = await person("workspace");
      const follower = await createPerson(db.store.db, 1, "Follower", "2026-11-01T08:00:00.000Z");
      const fan = { userId: follower.id, workspaceId: follower.workspaceId };
      await follow(fixedContext(db.store), fan, goalId);
      const s = await addStep(on(db.store, "2026-11-02"), actor, goalId, {
        text: "Call Dana",
        dueDate: "2026-11-05",
      });
      await updateStep(on(db.store, "2026-11-04"), actor, s.id, {
        dueDate: "2026-11-09",
        reason: "Dana is away",
      });
      await updateStep(on(db.store, "2026-11-09"), actor, s.id, { status: "dropped", reason: "Dana left" });
      const history = (await goalHistory(fixedContext(db.store), actor, goalId)).filter(
        (c) => c.entity === "step",
      );
      expect(
        history.map((c) => [c.entityId, c.field, c.oldValue, c.newValue, c.reason, c.userId, c.createdAt]),
      ).toEqual([
        [
          s.id,
          "dueDate",
          "2026-11-05",
          "2026-11-09",
          "Dana is away",
          actor.userId,
          "2026-11-04T12:00:00.000Z",
        ],
        [s.id, "status", "todo", "dropped", "Dana left", actor.userId, "2026-11-09T12:00:00.000Z"],
      ]);
      const messages = (await inbox(fixedContext(db.store), fan, {})).map((n) => n.message);
      expect(messages).toContain(
        `"Grow the newsletter to 2,000 subscribers", step "Call Dana": changed the due date from 2026-11-05 to 2026-11-09 because Dana is away.`,
      );
      expect(messages.some((m) => m.includes("the status from todo to dropped because Dana left"))).toBe(
        true,
      );
    },
  );

  it.skipIf(skip)(
    "refuses a step done before it existed and a check-in before the goal started",
    async () => {
      const { actor, goalId } = await person();
      const s = await addStep(on(db.store, "2026-11-10"), actor, goalId, { text: "Write the brief" });
      const early = await failure(
        completeStep(on(db.store, "2026-11-12"), actor, s.id, { date: "2026-11-09" }),
      );
      expect([early.status, early.code]).toEqual([422, "date_too_early"]);
      expect(early.message).toMatch(/Use 2026-11-10 or a later day/);
      const done = await completeStep(on(db.store, "2026-11-12"), actor, s.id, { date: "2026-11-10" });
      expect(done.doneAt?.slice(0, 10)).toBe("2026-11-10");
      const checkin = await failure(
        createCheckin(on(db.store, "2026-11-12"), actor, goalId, { date: "1900-01-01" }),
      );
      expect([checkin.status, checkin.code]).toEqual([422, "date_too_early"]);
      expect(checkin.message).toMatch(/started on 2026-11-02/);
    },
  );

  it.skipIf(skip)(
    "counts each day of a repeating step on its own, shows this week's days, and stops when dropped",
    async () => {
      const { actor, goalId } = await person();
      const monday = on(db.store, "2026-11-02");
      const run = await addStep(monday, actor, goalId, {
        text: "Run 5 km",
        every: "every Monday and Thursday",
      });
      expect([run.dueDate, run.recurrence]).toEqual(["2026-11-02", "FREQ=WEEKLY;BYDAY=MO,TH"]);
      expect(
        (await failure(addStep(monday, actor, goalId, { text: "Swim", every: "every blue moon" }))).code,
      ).toBe("bad_recurrence");
      // Kept on the 2nd, late for the 5th (done on the 6th), nothing on the 9th.
      await completeStep(on(db.store, "2026-11-02"), actor, run.id);
      await completeStep(on(db.store, "2026-11-06"), actor, run.id, { occurrence: "2026-11-05" });
      const r = await report(actor, "2026-11-11");
      expect([r.kept, r.missed, r.pending]).toEqual([1, 2, 0]);
      // My week on Wednesday the 11th: this week's two runs, Monday's (overdue) and Thursday's.
      const week = await myWeek(on(db.store, "2026-11-11"), actor);
      expect(week.steps.filter((x) => x.id === run.id).map((x) => x.dueDate)).toEqual([
        "2026-11-09",
        "2026-11-12",
      ]);
      // Dropped on the 16th (a Monday): the days before stay counted, the ones after are gone.
      await updateStep(on(db.store, "2026-11-16"), actor, run.id, {
        status: "dropped",
        reason: "Knee injury",
      });
      const later = await report(actor, "2026-11-29");
      expect([later.kept, later.missed, later.pending]).toEqual([1, 3, 0]);
    },
  );

  it.skipIf(skip)(
    "changes a repeat with a reason, keeping the days already past, and re-opens one day",
    async () => {
      const { actor, goalId } = await person();
      const run = await addStep(on(db.store, "2026-11-02"), actor, goalId, {
        text: "Swim",
        every: "every day",
      });
      await completeStep(on(db.store, "2026-11-02"), actor, run.id);
      await completeStep(on(db.store, "2026-11-03"), actor, run.id);
      const wednesday = on(db.store, "2026-11-04");
      const refused = await failure(updateStep(wednesday, actor, run.id, { every: "every Monday" }));
      expect([refused.code, refused.message]).toEqual([
        "reason_required",
        expect.stringMatching(/^Changing how a step repeats needs a reason/),
      ]);
      const weekly = await updateStep(wednesday, actor, run.id, {
        every: "every Monday",
        dueDate: "2026-11-09",
        reason: "Every day was too much",
      });
      expect(weekly.recurrence).toBe("FREQ=WEEKLY;BYDAY=MO");
      // The 2nd and 3rd kept (daily), then Mondays only from the 9th: the 9th missed.
      expect([await report(actor, "2026-11-10")].map((r) => [r.kept, r.missed, r.pending])).toEqual([
        [2, 1, 0],
      ]);
      // The 3rd was not really done: re-opened with a reason, it is missed.
      const day = on(db.store, "2026-11-10");
      expect(
        (await failure(updateStep(day, actor, run.id, { status: "todo", occurrence: "2026-11-03" }))).code,
      ).toBe("reason_required");
      await updateStep(day, actor, run.id, {
        status: "todo",
        occurrence: "2026-11-03",
        reason: "I skipped it",
      });
      const r = await report(actor, "2026-11-10");
      expect([r.kept, r.missed]).toEqual([1, 2]);
      const history = (await goalHistory(fixedContext(db.store), actor, goalId)).filter(
        (c) => c.entityId === run.id,
      );
      expect(history.map((c) => [c.field, c.reason])).toEqual([
        ["dueDate", "Every day was too much"],
        ["recurrence", "Every day was too much"],
        ["occurrence", "I skipped it"],
      ]);
    },
  );

  it.skipIf(skip)(
    "never raises a week already past, whatever moves, drops and re-opens come after it",
    async () => {
      const DAYS = ["2026-11-03", "2026-11-05", "2026-11-09", "2026-11-12", "2026-11-17", "2026-11-19"];
      const action = fc.record({
        step: fc.nat({ max: 3 }),
        kind: fc.constantFrom("move", "drop", "reopen", "undrop"),
        to: fc.constantFrom("2026-11-04", "2026-11-16", "2026-11-25", "2026-12-02"),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...DAYS), { minLength: 4, maxLength: 4 }),
          fc.array(fc.option(fc.constantFrom(...DAYS), { nil: null }), { minLength: 4, maxLength: 4 }),
          fc.array(action, { minLength: 1, maxLength: 8 }),
          async (due, done, actions) => {
            const { actor, goalId } = await person();
            const steps = [];
            for (const [i, dueDate] of due.entries()) {
              steps.push(
                await addStep(on(db.store, "2026-11-02"), actor, goalId, { text: `Step ${i}`, dueDate }),
              );
            }
            for (const [i, day] of done.entries()) {
              if (day !== null)
                await completeStep(on(db.store, "2026-11-22"), actor, steps[i]?.id as number, { date: day });
            }
            // It is Monday 23 November: the three weeks from 2 November are over.
            const today = "2026-11-23";
            const past = (r: Awaited<ReturnType<typeof report>>) =>
              r.byWeek.filter((w) => w.weekStart < "2026-11-23");
            const before = past(await report(actor, today));
            for (const a of actions) {
              const id = steps[a.step]?.id as number;
              const change =
                a.kind === "move"
                  ? { dueDate: a.to, reason: "Plans changed" }
                  : a.kind === "drop"
                    ? { status: "dropped" as const, reason: "Not needed" }
                    : { status: "todo" as const, reason: "Not finished after all" };
              await updateStep(on(db.store, today), actor, id, change).catch((e) => {
                // A refused change (moving a done step) changes nothing.
                if (!(e instanceof AppError && e.status === 422)) throw e;
              });
            }
            const after = past(await report(actor, today));
            for (const [i, w] of after.entries()) {
              const was = before[i];
              expect(w.kept).toBeLessThanOrEqual(was?.kept ?? 0);
              if (w.followThroughRate !== null && was?.followThroughRate != null)
                expect(w.followThroughRate).toBeLessThanOrEqual(was.followThroughRate);
            }
          },
        ),
        { numRuns: 25 },
      );
    },
    120_000,
  );
});
