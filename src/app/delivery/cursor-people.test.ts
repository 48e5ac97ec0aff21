/**
 * The planner's ticks read only the people they plan (issue 17, sched19): the cursor path the people
 * the changed goals concern, a slot change the people of the zones whose day (or weekly hour) came —
 * never everyone's contact and settings. What people saved after the last tick is what the next tick
 * uses: a new time zone, a new name, a helper who joined since.
 */
import { type KyselyPlugin, SelectQueryNode } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { LATER, NOW, plannerSuite, SOON, statements } from "../../../test/helpers/suites.js";
import { runDueJobs } from "../../jobs/worker.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import { updateSettings } from "../people/settings.js";
import { createGoal } from "../plans/goals.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep } from "../plans/steps.js";
import { inbox } from "./notices.js";
import { planTick } from "./nudges.js";

/** The SELECTs of every person's row (from `users`, no WHERE, not grouped) built through a Kysely. */
function everyoneReads(): { plugin: KyselyPlugin; count: () => number } {
  const { plugin, seen } = statements();
  return {
    plugin,
    count: () =>
      seen.filter(
        ({ node }) =>
          SelectQueryNode.is(node) &&
          !node.where &&
          !node.groupBy &&
          /"name":"users"/.test(JSON.stringify(node.from)),
      ).length,
  };
}

describe.each(DIALECTS)("the cursor path's people on %s", (d) => {
  const f = plannerSuite(d);
  const { skip, ctxAt, keys, goal } = f;

  it.skipIf(skip)(
    "plans a changed goal's step by the time zone its owner saved after the last tick",
    async () => {
      const g = await goal();
      // Other people the tick has no reason to read.
      for (let i = 0; i < 5; i++) await createPerson(f.store.db, f.owner.workspaceId, `Bystander ${i}`, NOW);
      expect((await planTick(ctxAt(NOW))).full).toBe(true);

      // 10:05 UTC is already 00:05 on Sunday the 22nd in Kiritimati (UTC+14).
      await updateSettings(ctxAt(SOON), f.owner, { timeZone: "Pacific/Kiritimati" });
      const step = await addStep(ctxAt(SOON), f.owner, g.id, {
        text: "Email Raj the deck",
        dueDate: "2026-11-22",
      });

      const reads = everyoneReads();
      const tick = await planTick(ctxAt(LATER, { ...f.store, db: f.store.db.withPlugin(reads.plugin) }));
      expect(tick).toMatchObject({ planned: true, full: false });
      expect(tick.changes).toBeGreaterThan(0);
      // Due today on the owner's new wall clock (tomorrow in UTC, the zone before).
      expect(await keys("step-")).toEqual([`step-due-today:${step.id}:2026-11-22`]);
      // Nobody's contact was read but those the changed goal concerns.
      expect(reads.count()).toBe(0);
    },
  );

  it.skipIf(skip)(
    "names a check-in's author as they are named now and finds a helper who joined since the last tick",
    async () => {
      const g = await goal();
      const ctx = ctxAt("2026-11-01T09:00:00.000Z");
      await addResource(ctx, f.owner, g.id, { kind: "person", name: "Dana", ask: "Sign as deputy" });
      const barrier = await addBarrier(ctx, f.owner, g.id, {
        obstacle: "Sponsor approval slips past Friday",
        planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
      });
      expect((await planTick(ctxAt(NOW))).full).toBe(true);

      // After that tick: Dana joins, and the owner is renamed.
      const dana = await createPerson(f.store.db, f.owner.workspaceId, "dana ", SOON);
      const danaActor = { userId: dana.id, workspaceId: f.owner.workspaceId };
      await updateSettings(ctxAt(SOON), danaActor, { quietHours: null });
      await f.store.db
        .updateTable("users")
        .set({ name: "Ruth Okafor" })
        .where("id", "=", f.owner.userId)
        .execute();
      await createCheckin(ctxAt(SOON), f.owner, g.id, { date: "2026-11-21", barriersHit: [barrier.id] });

      const tick = await planTick(ctxAt(LATER));
      expect(tick.full).toBe(false);
      expect((await keys("obstacle-hit:")).map((k) => k.split(":")[3])).toEqual([String(dana.id)]);
      await runDueJobs(ctxAt(LATER), new Date(LATER));
      const [n] = await inbox(ctxAt(LATER), danaActor, {});
      expect(n?.message).toContain("Ruth Okafor hit an obstacle on Launch the newsletter");
      expect(n?.message).toContain("Sign as deputy");
    },
  );

  it.skipIf(skip)(
    "plans a person without settings at UTC midnight, and reads only the people whose day came",
    async () => {
      await updateSettings(ctxAt("2026-11-01T09:00:00.000Z"), f.owner, { timeZone: "Asia/Tokyo" });
      const ola = await createPerson(f.store.db, f.owner.workspaceId, "Ola", NOW);
      const olaActor = { userId: ola.id, workspaceId: f.owner.workspaceId };
      const g = await createGoal(ctxAt("2026-11-01T09:00:00.000Z"), olaActor, {
        title: "Run the 10k",
        startDate: "2026-11-18",
        visibility: "workspace",
      });
      const step = await addStep(ctxAt("2026-11-01T09:00:00.000Z"), olaActor, g.id, {
        text: "Run 5 km",
        dueDate: "2026-11-22",
      });
      expect((await planTick(ctxAt(NOW))).full).toBe(true);
      const reads = everyoneReads();
      const counted = (iso: string) => ctxAt(iso, { ...f.store, db: f.store.db.withPlugin(reads.plugin) });

      // 00:05 on Sunday in Tokyo: the owner's day, not Ola's (no settings row: UTC).
      expect(await planTick(counted("2026-11-21T15:05:00.000Z"))).toMatchObject({ full: false, people: 1 });
      expect(await keys(`step-due-today:${step.id}:`)).toEqual([]);
      // 00:05 UTC on Sunday: Ola's day.
      expect(await planTick(counted("2026-11-22T00:05:00.000Z"))).toMatchObject({ full: false, people: 1 });
      expect(await keys(`step-due-today:${step.id}:`)).toEqual([`step-due-today:${step.id}:2026-11-22`]);
      expect(reads.count()).toBe(0);
    },
  );

  it.skipIf(skip)(
    "queues a new day's reminders of a slice in one statement, not one a reminder",
    async () => {
      const g = await goal();
      const ctx = ctxAt("2026-11-01T09:00:00.000Z");
      const steps = [];
      for (const text of ["Email Raj the deck", "Book the hall", "Print the flyers"])
        steps.push(await addStep(ctx, f.owner, g.id, { text, dueDate: "2026-11-22" }));
      expect((await planTick(ctxAt(NOW))).full).toBe(true);
      const tables: string[] = [];
      const rec: KyselyPlugin = {
        transformQuery(args) {
          if (args.node.kind === "InsertQueryNode")
            tables.push(/"name":"([a-z_A-Z]+)"/.exec(JSON.stringify(args.node.into))?.[1] ?? "?");
          return args.node;
        },
        async transformResult(args) {
          return args.result;
        },
      };
      // 00:05 UTC on Sunday: the owner's three steps are due today (and the day's stall scan).
      const tick = await planTick(
        ctxAt("2026-11-22T00:05:00.000Z", { ...f.store, db: f.store.db.withPlugin(rec) }),
      );
      expect(tick.queued).toBe(4);
      expect(await keys("step-due-today:")).toEqual(
        steps.map((st) => `step-due-today:${st.id}:2026-11-22`).sort(),
      );
      // One INSERT for the stall scan, one for the three reminders.
      expect(tables.filter((t) => t === "jobs")).toHaveLength(2);
    },
  );
});
