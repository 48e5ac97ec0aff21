/**
 * The planner's ticks read only the people they plan (issue 17, sched19): the cursor path the people
 * the changed goals concern, a slot change the people of the zones whose day (or weekly hour) came —
 * never everyone's contact and settings. What people saved after the last tick is what the next tick
 * uses: a new time zone, a new name, a helper who joined since.
 */
import type { KyselyPlugin } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { runDueJobs } from "../../jobs/worker.js";
import type { Store } from "../../store/db.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { updateSettings } from "../people/settings.js";
import { createGoal } from "../plans/goals.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep } from "../plans/steps.js";
import { inbox } from "./notices.js";
import { planTick } from "./nudges.js";

/** The SELECTs of every person's row (from `users`, no WHERE, not grouped) built through a Kysely. */
function everyoneReads(): { plugin: KyselyPlugin; count: () => number } {
  let n = 0;
  return {
    count: () => n,
    plugin: {
      transformQuery(args) {
        const node = args.node;
        if (node.kind === "SelectQueryNode" && !node.where && !node.groupBy) {
          const from = JSON.stringify(node.from);
          if (/"name":"users"/.test(from)) n++;
        }
        return node;
      },
      async transformResult(args) {
        return args.result;
      },
    },
  };
}

describe.each(DIALECTS)("the cursor path's people on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  /** Saturday 2026-11-21, all in one quarter hour (so every tick after the first is the cursor path). */
  const NOW = "2026-11-21T10:00:00.000Z";
  const SOON = "2026-11-21T10:05:00.000Z";
  const LATER = "2026-11-21T10:10:00.000Z";
  const ctxAt = (iso: string, store: Store = db.store): AppContext => fixedContext(store, iso);

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    owner = (await actorFor(db.store, NOW)).actor;
    await updateSettings(ctxAt(NOW), owner, { quietHours: null });
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function keys(prefix: string): Promise<string[]> {
    const rows = await db.store.db.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
    return rows.map((r) => r.dedupeKey).filter((k) => k.startsWith(prefix));
  }

  async function goal() {
    return createGoal(ctxAt("2026-11-01T09:00:00.000Z"), owner, {
      title: "Launch the newsletter",
      startDate: "2026-11-18",
      visibility: "workspace",
    });
  }

  it.skipIf(skip)(
    "plans a changed goal's step by the time zone its owner saved after the last tick",
    async () => {
      const g = await goal();
      // Other people the tick has no reason to read.
      for (let i = 0; i < 5; i++) await createPerson(db.store.db, owner.workspaceId, `Bystander ${i}`, NOW);
      expect((await planTick(ctxAt(NOW))).full).toBe(true);

      // 10:05 UTC is already 00:05 on Sunday the 22nd in Kiritimati (UTC+14).
      await updateSettings(ctxAt(SOON), owner, { timeZone: "Pacific/Kiritimati" });
      const step = await addStep(ctxAt(SOON), owner, g.id, {
        text: "Email Raj the deck",
        dueDate: "2026-11-22",
      });

      const reads = everyoneReads();
      const tick = await planTick(ctxAt(LATER, { ...db.store, db: db.store.db.withPlugin(reads.plugin) }));
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
      await addResource(ctx, owner, g.id, { kind: "person", name: "Dana", ask: "Sign as deputy" });
      const barrier = await addBarrier(ctx, owner, g.id, {
        obstacle: "Sponsor approval slips past Friday",
        planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
      });
      expect((await planTick(ctxAt(NOW))).full).toBe(true);

      // After that tick: Dana joins, and the owner is renamed.
      const dana = await createPerson(db.store.db, owner.workspaceId, "dana ", SOON);
      const danaActor = { userId: dana.id, workspaceId: owner.workspaceId };
      await updateSettings(ctxAt(SOON), danaActor, { quietHours: null });
      await db.store.db
        .updateTable("users")
        .set({ name: "Ruth Okafor" })
        .where("id", "=", owner.userId)
        .execute();
      await createCheckin(ctxAt(SOON), owner, g.id, { date: "2026-11-21", barriersHit: [barrier.id] });

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
      await updateSettings(ctxAt("2026-11-01T09:00:00.000Z"), owner, { timeZone: "Asia/Tokyo" });
      const ola = await createPerson(db.store.db, owner.workspaceId, "Ola", NOW);
      const olaActor = { userId: ola.id, workspaceId: owner.workspaceId };
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
      const counted = (iso: string) => ctxAt(iso, { ...db.store, db: db.store.db.withPlugin(reads.plugin) });

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
        steps.push(await addStep(ctx, owner, g.id, { text, dueDate: "2026-11-22" }));
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
        ctxAt("2026-11-22T00:05:00.000Z", { ...db.store, db: db.store.db.withPlugin(rec) }),
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
