/**
 * Imports keep what people wrote (issue 19): a real `task export` made by Taskwarrior's own binary,
 * and Trello, Todoist and Asana files shaped as those tools write them. Each import's per-field
 * report is checked, and so is what was stored: estimates, due dates, recurrence, owners, notes,
 * creation and done dates, and the events a goal made by hand sends.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal, fixedContext, NOW } from "../../../test/helpers/factories.js";
import { signUp, testApp } from "../../../test/helpers/http.js";
import { startReceiver } from "../../../test/helpers/receiver.js";
import { parseImportFile } from "../../integrations/import/index.js";
import { dispatchWebhooks } from "../../integrations/webhooks.js";
import { createPerson } from "../../store/repos/people.js";
import type { Actor, AppContext } from "../context.js";
import { type ImportSource, importPlans } from "./imports.js";
import type { FieldReport } from "./report.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "import");
const TODAY = "2026-11-21";

function hasTask(): boolean {
  try {
    execFileSync("task", ["--version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}
const TASK = hasTask();
if (!TASK && process.env.CI === "true") {
  throw new Error("Taskwarrior's `task` is not installed; .ci/run installs it (apt package taskwarrior).");
}
if (!TASK)
  console.warn("Skipping the real Taskwarrior export: `task` is not installed (apt install taskwarrior).");

/** A `task export` made by Taskwarrior itself, in a throwaway data folder. */
function realTaskExport(): string {
  const dir = mkdtempSync(join(tmpdir(), "tl-taskwarrior-"));
  try {
    const rc = join(dir, "taskrc");
    writeFileSync(
      rc,
      [
        `data.location=${join(dir, "data")}`,
        "confirmation=off",
        "hooks=off",
        "verbose=nothing",
        "uda.estimate.type=duration",
        "uda.estimate.label=Estimate",
        "uda.points.type=numeric",
        "",
      ].join("\n"),
    );
    const env = { ...process.env, TASKRC: rc, TASKDATA: join(dir, "data") };
    const task = (...args: string[]) =>
      execFileSync("task", ["rc.confirmation=off", "rc.hooks=off", ...args], {
        env,
        stdio: "pipe",
      }).toString();
    task(
      "add",
      "Measure the raised bed",
      "project:Home.Garden",
      "estimate:PT45M",
      "scheduled:2026-12-01",
      "due:2026-12-05",
    );
    task(
      "add",
      "Buy soil for the bed",
      "project:Home.Garden",
      "depends:1",
      "estimate:2h",
      "wait:2026-11-28",
      "due:2026-12-06",
    );
    task(
      "add",
      "Water the plants",
      "project:Home",
      "recur:weekly",
      "due:2026-12-02",
      "estimate:10min",
      "points:3",
    );
    task("add", "Pay the rent", "recur:monthly", "due:2026-12-01", "until:2027-06-01");
    task("list");
    return task("export");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const row = (fields: FieldReport[], source: string) => fields.find((f) => f.source === source);

describe.each(DIALECTS)("imports keep what people wrote, on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let actor: Actor;
  let dana: number;
  let sam: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ({ ctx, actor } = await actorFor(db.store));
    dana = (await createPerson(db.store.db, actor.workspaceId, "Dana Li", NOW)).id;
    await db.store.db
      .updateTable("users")
      .set({ email: "dana@example.com" })
      .where("id", "=", dana)
      .execute();
    sam = (await createPerson(db.store.db, actor.workspaceId, "Sam Okafor", NOW)).id;
  });
  afterAll(async () => db?.dispose());

  const load = (source: ImportSource, file: string | Uint8Array, name = "Fixture") =>
    parseImportFile(source, typeof file === "string" ? readFileSync(join(FIXTURES, file)) : file, {
      today: TODAY,
      name,
    });
  const stepsOf = (goalIds: number[]) =>
    db.store.db.selectFrom("steps").selectAll().where("goalId", "in", goalIds).orderBy("id").execute();

  it.skipIf(skip || !TASK)(
    "keeps a real Taskwarrior export's recurrence, depends, scheduled, wait, estimate, nested projects and entry",
    async () => {
      const exported = realTaskExport();
      const r = await importPlans(ctx, actor, "taskwarrior", load("taskwarrior", Buffer.from(exported)));
      expect(r.goals.created).toBe(3);
      const goals = await db.store.db
        .selectFrom("goals")
        .select(["id", "title", "parentId", "startDate"])
        .where("id", "in", r.goalIds)
        .orderBy("id")
        .execute();
      const home = goals.find((g) => g.title === "Home");
      expect(goals.find((g) => g.title === "Home · Garden")?.parentId).toBe(home?.id);
      const steps = await stepsOf(r.goalIds);
      const by = (text: string) => steps.find((s) => s.text === text);
      const entries = (JSON.parse(exported) as { description: string; entry: string }[]).map((t) => t.entry);
      const entry = entries[0] as string;
      const entryIso = `${entry.slice(0, 4)}-${entry.slice(4, 6)}-${entry.slice(6, 8)}T${entry.slice(9, 11)}:${entry.slice(11, 13)}:${entry.slice(13, 15)}.000Z`;
      expect(by("Measure the raised bed")).toMatchObject({
        estimateMinutes: 45,
        dueDate: "2026-12-05",
        notes: "Scheduled for 2026-12-01 in Taskwarrior.",
      });
      expect(by("Measure the raised bed")?.createdAt).toBe(entryIso < NOW ? entryIso : NOW);
      expect(by("Buy soil for the bed")).toMatchObject({
        estimateMinutes: 120,
        notes: 'After: "Measure the raised bed"\nHidden until 2026-11-28 in Taskwarrior (wait).',
      });
      expect(by("Water the plants")).toMatchObject({ recurrence: "FREQ=WEEKLY", estimateMinutes: 10 });
      expect(by("Pay the rent")?.recurrence).toBe("FREQ=MONTHLY;UNTIL=20270601");
      expect(steps).toHaveLength(4);
      expect(row(r.fields, "recur")).toMatchObject({ to: "step.recurrence", mapped: 2, leftOut: 0 });
      expect(row(r.fields, "depends")).toMatchObject({ to: "step.notes", mapped: 1 });
      expect(row(r.fields, "scheduled")).toMatchObject({ mapped: 1 });
      expect(row(r.fields, "wait")).toMatchObject({ mapped: 1 });
      expect(row(r.fields, "estimate")).toMatchObject({ to: "step.estimateMinutes", mapped: 3 });
      expect(row(r.fields, "entry")).toMatchObject({ to: "step.createdAt", kept: 4 });
      expect(row(r.fields, "project")).toMatchObject({ to: "goal", kept: 1, mapped: 2 });
      expect(row(r.fields, "points")).toMatchObject({ leftOut: 1, why: "Throughline has no field for it" });
    },
  );

  it.skipIf(skip)(
    "keeps Trello members, comments, start dates and the done date of the completion",
    async () => {
      const r = await importPlans(ctx, actor, "trello", load("trello", "trello-members.json"));
      const [about, domain] = await stepsOf(r.goalIds);
      expect(about).toMatchObject({
        ownerId: dana,
        status: "doing",
        createdAt: "2026-11-03T09:00:00.000Z",
        notes: "Starts 2026-11-16 (Trello's start date).\n2026-11-18 Sam Okafor: Draft is in the shared doc.",
      });
      // Completed on 9 November, before its due day; touched (a comment) on the 19th.
      expect(domain).toMatchObject({ ownerId: sam, status: "done", doneAt: "2026-11-09T15:00:00.000Z" });
      expect(domain?.notes).toBe(
        "relaunch.example\n2026-11-19 Dana Li: Renewal is set to automatic.\nAlso on it in Trello: Dana Li.",
      );
      const promise = await db.store.db
        .selectFrom("stepOccurrences")
        .selectAll()
        .where("stepId", "=", domain?.id as number)
        .executeTakeFirstOrThrow();
      expect(promise.doneAt! <= `${promise.dueDate}T23:59:59Z`).toBe(true);
      expect(row(r.fields, "idMembers")).toMatchObject({ to: "step.owner", mapped: 2, leftOut: 1 });
      expect(row(r.fields, "actions: commentCard")).toMatchObject({ kept: 2 });
      expect(row(r.fields, "start")).toMatchObject({ mapped: 1 });
      expect(row(r.fields, "actions: updateCard (completed)")).toMatchObject({
        to: "step.doneAt",
        mapped: 1,
      });
      expect(row(r.fields, "dateLastActivity")).toMatchObject({ leftOut: 2 });
    },
  );

  it.skipIf(skip)("keeps Todoist durations, deadlines, repeats and the responsible person", async () => {
    const r = await importPlans(
      ctx,
      actor,
      "todoist",
      load("todoist", "todoist-durations.csv", "Office move"),
    );
    const [venue, runSheet, update, plants, block] = await stepsOf(r.goalIds);
    expect(venue).toMatchObject({ estimateMinutes: 20, dueDate: "2026-11-27", ownerId: dana });
    expect(venue?.notes).toBe("Planned for 2026-11-25 in Todoist (the deadline is the due date).");
    expect(runSheet).toMatchObject({ estimateMinutes: 120, dueDate: "2026-12-01", ownerId: null });
    expect(runSheet?.notes).toBe(
      "Assigned to Priya Raman in Todoist (no one in this workspace by that name or email).",
    );
    expect(update).toMatchObject({ recurrence: "FREQ=WEEKLY;BYDAY=MO", dueDate: "2026-11-23" });
    expect(plants).toMatchObject({ recurrence: null, dueDate: null });
    expect(block).toMatchObject({ estimateMinutes: null, dueDate: "2026-12-07" });
    expect(row(r.fields, "DURATION")).toMatchObject({
      mapped: 2,
      leftOut: 1,
      why: "a span of whole days, not a time estimate",
    });
    expect(row(r.fields, "DEADLINE")).toMatchObject({ to: "step.dueDate", kept: 2 });
    expect(row(r.fields, "RESPONSIBLE")).toMatchObject({
      mapped: 1,
      leftOut: 1,
      why: "1 assignee matches nobody in the workspace; the names are in the step's notes",
    });
    expect(row(r.fields, "DATE")).toMatchObject({ mapped: 2, leftOut: 1 });
  });

  it.skipIf(skip)(
    "keeps Asana start dates, dependencies, priority, estimates and owners by email",
    async () => {
      const r = await importPlans(ctx, actor, "asana", load("asana", "asana-owners.csv"));
      const [draft, send, lunch, laptop] = await stepsOf(r.goalIds);
      expect(draft).toMatchObject({
        ownerId: dana,
        estimateMinutes: 90,
        createdAt: "2026-10-20T00:00:00.000Z",
      });
      expect(draft?.notes).toBe("Starts 2026-11-02 (Asana's start date).");
      expect(JSON.parse(draft?.tagsJson as string)).toEqual(["section:Doing", "priority:High"]);
      // Matched by email, whatever the name says.
      expect(send).toMatchObject({ ownerId: dana, notes: 'After: "Draft the onboarding checklist"' });
      expect(lunch).toMatchObject({ ownerId: null, estimateMinutes: 90, status: "done" });
      expect(lunch?.notes).toMatch(/Assigned to Priya Raman <priya@elsewhere.example> in Asana/);
      // Matched by name, case aside.
      expect(laptop).toMatchObject({ ownerId: sam, estimateMinutes: null });
      expect(row(r.fields, "Assignee Email")).toMatchObject({ mapped: 2, leftOut: 1 });
      expect(row(r.fields, "Assignee")).toMatchObject({ mapped: 1, leftOut: 0 });
      expect(row(r.fields, "Estimated time")).toMatchObject({ mapped: 2, leftOut: 1 });
      expect(row(r.fields, "Blocked By (Dependencies)")).toMatchObject({ mapped: 1 });
      expect(row(r.fields, "Start Date")).toMatchObject({ mapped: 1 });
      expect(row(r.fields, "Priority")).toMatchObject({ mapped: 3 });
    },
  );

  it.skipIf(skip)(
    "records goal.created and step.created for each imported goal and step, as by hand",
    async () => {
      const before = await db.store.db
        .selectFrom("events")
        .select("id")
        .orderBy("id", "desc")
        .executeTakeFirst();
      const r = await importPlans(ctx, actor, "asana", load("asana", "asana.csv", "Support"));
      const events = await db.store.db
        .selectFrom("events")
        .selectAll()
        .where("id", ">", before?.id ?? 0)
        .orderBy("id")
        .execute();
      const created = events.filter((e) => e.type === "goal.created");
      expect(created.map((e) => e.subjectId).sort()).toEqual([...r.goalIds].sort());
      expect(events.filter((e) => e.type === "step.created")).toHaveLength(r.steps.created);
      expect(JSON.parse(created[0]?.payloadJson as string)).toMatchObject({ title: expect.any(String) });
    },
  );
});

describe.each(DIALECTS)("an imported goal's webhooks, on %s", (d) => {
  const skip = !dialectAvailable(d);

  it.skipIf(skip)("sends goal.created for each imported goal, as for a goal made by hand", async () => {
    const db = await freshStore(d);
    const rx = await startReceiver();
    try {
      const ctx = fixedContext(db.store);
      const owner = await signUp(testApp(ctx), { email: "owner@example.com", name: "Olu" });
      const json = async (path: string, body: unknown) =>
        owner.api.request(path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await json("/api/webhooks", { url: `${rx.url}/hook`, events: ["goal.created"] })).status).toBe(
        201,
      );
      expect((await json("/api/goals", buildGoal({ title: "Made by hand" }))).status).toBe(201);
      const imported = await owner.api.request("/api/import/trello", {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: readFileSync(join(FIXTURES, "trello.json")),
      });
      expect(imported.status).toBe(200);
      const result = (await imported.json()) as { goalIds: number[]; fields: FieldReport[] };
      expect(result.fields.find((f) => f.source === "name")).toMatchObject({ to: "step.text", kept: 4 });
      const sent = await dispatchWebhooks(ctx, new Date(NOW));
      expect(sent.delivered).toBe(3);
      const bodies = rx.requests.map(
        (q) => JSON.parse(q.body) as { type: string; data: { goalId?: number } },
      );
      expect(bodies.map((b) => b.type)).toEqual(["goal.created", "goal.created", "goal.created"]);
      const told = bodies.map((b) => JSON.stringify(b));
      expect(told.some((b) => b.includes("Made by hand"))).toBe(true);
      expect(told.some((b) => b.includes("Spring meetup: Venue"))).toBe(true);
      expect(told.some((b) => b.includes("Spring meetup: Speakers"))).toBe(true);
    } finally {
      await rx.close();
      await db.dispose();
    }
  });
});
