import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal, NOW, SAMPLE_PLAN } from "../../../test/helpers/factories.js";
import { parseImportFile } from "../../integrations/import/index.js";
import { createPerson } from "../../store/repos/people.js";
import * as checkins from "../checkins/checkins.js";
import * as commitments from "../collaboration/commitments.js";
import type { Actor, AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { exportBackup, exportPlans } from "../exports/exports.js";
import * as goals from "../plans/goals.js";
import * as resources from "../plans/resources.js";
import * as steps from "../plans/steps.js";
import * as playbooks from "../playbooks/playbooks.js";
import { type ImportSource, importPlans, restoreBackup } from "./imports.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "import");

function fileData(source: ImportSource, name: string, title = "Fixture") {
  return parseImportFile(source, readFileSync(join(FIXTURES, name)), { today: "2026-11-21", name: title });
}

/** Every table's rows: equal snapshots mean nothing was written. */
async function snapshot(ctx: AppContext) {
  const b = await exportBackup(ctx);
  return b.tables;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** A plan with everything a backup must carry: key results, steps, a parent goal, check-ins, feedback, commitments, a playbook. */
async function buildRichWorkspace(ctx: AppContext, actor: Actor) {
  const parent = await goals.createGoal(
    ctx,
    actor,
    buildGoal({ title: "Make the newsletter pay for itself" }),
  );
  const g = await goals.createGoal(ctx, actor, buildGoal({ parentId: parent.id }));
  const krs = [];
  for (const kr of SAMPLE_PLAN.keyResults) krs.push(await goals.addKeyResult(ctx, actor, g.id, kr));
  const ss = [];
  for (const s of SAMPLE_PLAN.steps) ss.push(await steps.addStep(ctx, actor, g.id, s));
  await resources.addResource(ctx, actor, g.id, SAMPLE_PLAN.resource);
  const b = await resources.addBarrier(ctx, actor, g.id, SAMPLE_PLAN.barrier);
  const c = await checkins.createCheckin(ctx, actor, g.id, {
    date: "2026-11-14",
    krValues: [{ keyResultId: krs[0]?.id as number, value: 1350.5 }],
    confidence: "on-track",
    doneText: 'Sent the deck, with "quotes" and ünïcode ✓',
    stepsDone: [ss[0]?.id as number],
    barriersHit: [b.id],
  });
  await checkins.addComment(ctx, actor, c.id, { body: "Nice work" });
  await checkins.giveKudos(ctx, actor, c.id);
  await commitments.createCommitment(ctx, actor, { stepId: ss[1]?.id, dueDate: "2026-11-28" });
  await playbooks.createPlaybook(ctx, actor, { title: "Onboarding", body: "# Steps\n\n1. Say hello" });
  await goals.updateGoal(ctx, actor, g.id, { dueDate: "2027-04-30", reason: "The sponsor moved the launch" });
  return g;
}

describe.each(DIALECTS)("imports on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let actor: Actor;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ({ ctx, actor } = await actorFor(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("imports a Trello board as goals owned by the importer, with notes and tags", async () => {
    const r = await importPlans(ctx, actor, "trello", fileData("trello", "trello.json"));
    expect(r.goals).toEqual({ created: 2, existing: 0 });
    expect(r.steps).toEqual({ created: 6, existing: 0 });
    const exported = await exportPlans(ctx, actor);
    const venue = exported.plans.find((p) => p.goal.title === "Spring meetup: Venue");
    expect(venue?.goal).toMatchObject({ ownerId: actor.userId, visibility: "private", status: "active" });
    expect(venue?.steps.map((s) => [s.position, s.text, s.status, s.dueDate, s.tags])).toEqual([
      [1, "Call the town hall to book the main room", "todo", "2026-12-04", ["urgent"]],
      [2, "Check the room holds 80 people", "done", null, []],
      [3, "Ask Sam to approve the deposit", "todo", "2026-12-01", []],
      [4, "Improve the catering", "todo", null, ["green"]],
    ]);
    expect(venue?.steps[0]?.notes).toBe("Ask for the 14th or the 21st.");
    expect(venue?.steps[1]?.doneAt).toBe(NOW);
  });

  it.skipIf(skip)("reports outcome and vague steps, worst first", async () => {
    const r = await importPlans(ctx, actor, "asana", fileData("asana", "asana.csv", "Asana"));
    expect(r.coach.checked).toBe(5);
    expect(r.coach.outcomes).toBeGreaterThanOrEqual(1);
    expect(r.coach.vague).toBeGreaterThanOrEqual(1);
    const texts = r.coach.worst.map((w) => w.text);
    expect(texts).toContain("Customer satisfaction score at 90%");
    expect(texts).toContain("Look into a help-desk tool");
    expect(texts).not.toContain("Agree the salary band with finance");
    const first = r.coach.worst[0];
    expect(first?.findings.map((f) => f.code)).toContain("outcome-not-action");
  });

  it.skipIf(skip)("changes nothing when the same file is imported again", async () => {
    const files = [
      ["taskwarrior", "taskwarrior.json"],
      ["trello", "trello.json"],
      ["asana", "asana.csv"],
    ] as const;
    for (const [source, file] of files)
      await importPlans(ctx, actor, source, fileData(source, file, "Asana"));
    const before = await snapshot(ctx);
    for (const [source, file] of files) {
      const again = await importPlans(ctx, actor, source, fileData(source, file, "Asana"));
      expect(again.goals.created + again.steps.created).toBe(0);
      expect(again.steps.existing).toBeGreaterThan(0);
    }
    expect(await snapshot(ctx)).toEqual(before);
  });

  it.skipIf(skip)("adds only the new items of a file that grew", async () => {
    const first = await importPlans(ctx, actor, "todoist", fileData("todoist", "todoist.csv", "Get fit"));
    expect(first.steps.created).toBe(5);
    const grown = fileData("todoist", "todoist.csv", "Get fit");
    grown.goals[0]?.steps.push({ externalId: "new-one", text: "Stretch for ten minutes after the run" });
    const second = await importPlans(ctx, actor, "todoist", grown);
    expect([second.goals.existing, second.steps.created, second.steps.existing]).toEqual([1, 1, 5]);
    const plan = await goals.getPlanOrThrow(ctx, actor, second.goalIds[0] as number);
    expect(plan.steps.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.skipIf(skip)("keeps a long text whole in the notes and cuts the step to 500 characters", async () => {
    const long = `Call the venue ${"and ask about the projector ".repeat(30)}`;
    const r = await importPlans(ctx, actor, "taskwarrior", {
      goals: [{ externalId: "project:long", title: "Long", steps: [{ externalId: "long-1", text: long }] }],
    });
    const plan = (await exportPlans(ctx, actor)).plans.find((p) => p.goal.id === r.goalIds[0]);
    expect(plan?.steps[0]?.text.length).toBeLessThanOrEqual(500);
    expect(plan?.steps[0]?.text.endsWith("…")).toBe(true);
    expect(plan?.steps[0]?.notes).toBe(long.trim());
  });

  it.skipIf(skip)("writes nothing when the data is refused", async () => {
    const before = await snapshot(ctx);
    const e = await rejection(
      importPlans(ctx, actor, "asana", {
        goals: [
          { externalId: "g1", title: "Fine", steps: [{ externalId: "s1", text: "Call Dana" }] },
          {
            externalId: "g2",
            title: "Bad",
            steps: [{ externalId: "s2", text: "Email Raj", dueDate: "2026-02-31" }],
          },
        ],
      }),
    );
    expect(e.message).toMatch(/goals\.1\.steps\.0\.dueDate: is not a date/);
    expect(await snapshot(ctx)).toEqual(before);
  });

  it.skipIf(skip)("rolls back a refusal half-way through, leaving the store unchanged", async () => {
    const other = await createPerson(ctx.store.db, actor.workspaceId, "Dana", NOW);
    const dana: Actor = { userId: other.id, workspaceId: actor.workspaceId };
    const board = fileData("trello", "trello.json");
    await importPlans(ctx, actor, "trello", board);
    const before = await snapshot(ctx);
    // Dana's new goal is written first; then the board's goal, which is the importer's, refuses.
    const e = await rejection(
      importPlans(ctx, dana, "trello", {
        goals: [
          {
            externalId: "list:dana-new",
            title: "Dana's list",
            steps: [{ externalId: "card:x", text: "Call Sam" }],
          },
          ...board.goals,
        ],
      }),
    );
    expect(e.code).toBe("import_goal_not_yours");
    expect(await snapshot(ctx)).toEqual(before);
  });
});

describe.each(DIALECTS)("the JSON backup on %s", (d) => {
  const skip = !dialectAvailable(d);

  it.skipIf(skip)(
    "restores into an empty database identical, ids included, and new ids follow on",
    async () => {
      const a = await freshStore(d);
      const b = await freshStore(d);
      try {
        const src = await actorFor(a.store);
        const g = await buildRichWorkspace(src.ctx, src.actor);
        await importPlans(src.ctx, src.actor, "trello", fileData("trello", "trello.json"));
        const original = await exportBackup(src.ctx);
        expect(original.tables.goals?.rows.length).toBe(4);
        expect(original.tables.import_keys?.rows.length).toBeGreaterThan(0);

        // A backup goes through a file as JSON.
        const copy = JSON.parse(JSON.stringify(original));
        const dst = await actorFor(b.store);
        const restored = await restoreBackup(dst.ctx, copy);
        expect(restored.rows).toBeGreaterThan(20);
        const again = await exportBackup(dst.ctx);
        expect(again.tables).toEqual(original.tables);
        expect(again.migrations).toEqual(original.migrations);

        const plan = await goals.getPlanOrThrow(dst.ctx, dst.actor, g.id);
        expect(plan.goal.parentId).not.toBeNull();
        const next = await steps.addStep(dst.ctx, dst.actor, g.id, { text: "Send the thank-you notes" });
        const maxId = Math.max(...(original.tables.steps?.rows.map((r) => r[0] as number) ?? []));
        expect(next.id).toBe(maxId + 1);
      } finally {
        await a.dispose();
        await b.dispose();
      }
    },
  );

  it.skipIf(skip)("refuses to restore over data, and refuses a damaged backup, writing nothing", async () => {
    const a = await freshStore(d);
    try {
      const { ctx, actor } = await actorFor(a.store);
      await goals.createGoal(ctx, actor, buildGoal());
      const backup = await exportBackup(ctx);
      const before = await snapshot(ctx);
      expect((await rejection(restoreBackup(ctx, backup))).code).toBe("database_not_empty");
      const damaged = JSON.parse(JSON.stringify(backup));
      damaged.tables.goals.rows[0].pop();
      expect((await rejection(restoreBackup(ctx, damaged))).message).toMatch(
        /tables\.goals\.rows\.0 must be a list of \d+ values/,
      );
      expect((await rejection(restoreBackup(ctx, { format: "trello" }))).message).toMatch(
        /format is "trello"/,
      );
      const newer = { ...backup, migrations: [...backup.migrations, "9999-future"] };
      expect((await rejection(restoreBackup(ctx, newer))).code).toBe("backup_from_newer_version");
      expect(await snapshot(ctx)).toEqual(before);
    } finally {
      await a.dispose();
    }
  });
});

// A step's key result in the JSON backup
describe.each(DIALECTS)("a step's key result in the JSON backup on %s", (d) => {
  const skip = !dialectAvailable(d);

  /** A goal with two key results and a step linked to the second, and another goal with its own key result. */
  async function linkedWorkspace(ctx: AppContext, actor: Actor) {
    const g = await goals.createGoal(ctx, actor, buildGoal());
    await goals.addKeyResult(ctx, actor, g.id, { title: "Subscribers", startValue: 1200, targetValue: 2000 });
    const kr = await goals.addKeyResult(ctx, actor, g.id, {
      title: "Sponsors",
      startValue: 0,
      targetValue: 3,
    });
    const step = await steps.addStep(ctx, actor, g.id, { text: "Call Lee at Acme", keyResultId: kr.id });
    const other = await goals.createGoal(ctx, actor, buildGoal({ title: "Run a 10k by March" }));
    const foreign = await goals.addKeyResult(ctx, actor, other.id, {
      title: "Km",
      startValue: 3,
      targetValue: 10,
    });
    return { g, kr, step, foreign };
  }

  it.skipIf(skip)("keeps which key result each step serves through export and restore", async () => {
    const a = await freshStore(d);
    const b = await freshStore(d);
    try {
      const src = await actorFor(a.store);
      const { g, kr, step } = await linkedWorkspace(src.ctx, src.actor);
      const copy = JSON.parse(JSON.stringify(await exportBackup(src.ctx)));
      const dst = await actorFor(b.store);
      await restoreBackup(dst.ctx, copy);
      const plan = await goals.getPlanOrThrow(dst.ctx, dst.actor, g.id);
      expect(plan.steps.find((s) => s.id === step.id)?.keyResultId).toBe(kr.id);
      expect(plan.keyResults.find((k) => k.id === kr.id)?.title).toBe("Sponsors");
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it.skipIf(skip)(
    "refuses a backup whose step names a key result of another goal, or none, saying which, writing nothing",
    async () => {
      const a = await freshStore(d);
      const b = await freshStore(d);
      try {
        const src = await actorFor(a.store);
        const { g, step, foreign } = await linkedWorkspace(src.ctx, src.actor);
        const backup = JSON.parse(JSON.stringify(await exportBackup(src.ctx)));
        const cols = backup.tables.steps.columns as string[];
        const row = (backup.tables.steps.rows as unknown[][]).find((r) => r[cols.indexOf("id")] === step.id);
        const at = cols.indexOf("key_result_id");
        expect(at).toBeGreaterThan(-1);
        const dst = await actorFor(b.store);
        const before = await snapshot(dst.ctx);
        (row as unknown[])[at] = foreign.id;
        const wrong = await rejection(restoreBackup(dst.ctx, backup));
        expect(wrong.status).toBe(422);
        expect(wrong.code).toBe("key_result_not_of_goal");
        expect(wrong.message).toBe(
          `Step ${step.id} of goal ${g.id} names key result ${foreign.id}, which belongs to goal ${foreign.goalId}. Correct its key_result_id in tables.steps (a key result of goal ${g.id}, or null), then restore again.`,
        );
        (row as unknown[])[at] = 99_999;
        const missing = await rejection(restoreBackup(dst.ctx, backup));
        expect(missing.message).toContain(`names key result 99999, which is not in the backup`);
        expect(await snapshot(dst.ctx)).toEqual(before);
      } finally {
        await a.dispose();
        await b.dispose();
      }
    },
  );
});
