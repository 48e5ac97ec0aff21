import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cli, cliAsync, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { type Person, serveApp, signUp } from "../../../test/helpers/http.js";
import { appContext } from "../../app/context.js";

type Json = Record<string, unknown> & { id: number };

/** The one line a refused command prints, after checking it failed the way a user error does. */
function refusal(r: CliResult): string {
  expect(r.stdout).toBe("");
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

// Each test runs a few dozen CLI processes one after another: minutes on a loaded machine.
describe.each(DIALECTS)("the plan-changing verbs on the local database (%s)", { timeout: 180_000 }, (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  const run = <T = Json>(args: string[]) => cliJson<T>(args, db.config);

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("adds a goal under a parent, edits it, and shows its success picture", () => {
    const parent = run(["goal", "add", "Grow the business 20% this year"]);
    const goal = run([
      "goal",
      "add",
      "Grow the newsletter to 2,000 subscribers",
      "--parent",
      String(parent.id),
      "--due",
      "2027-03-31",
    ]);
    expect(goal).toMatchObject({ parentId: parent.id, successLooksLike: null });

    const edited = run([
      "goal",
      "edit",
      String(goal.id),
      "--title",
      "Grow the newsletter to 2,500 subscribers",
      "--why",
      "Sponsors pay for reach",
      "--success",
      "2,500 people open every Friday issue",
      "--visibility",
      "workspace",
    ]);
    expect(edited).toMatchObject({
      title: "Grow the newsletter to 2,500 subscribers",
      why: "Sponsors pay for reach",
      successLooksLike: "2,500 people open every Friday issue",
      visibility: "workspace",
      parentId: parent.id,
    });

    const shown = cli(["goal", "show", String(goal.id)], db.config);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("  Success looks like: 2,500 people open every Friday issue\n");
    expect(shown.stdout).toContain(`  Serves goal #${parent.id}\n`);
    expect(run<{ goal: Json }>(["goal", "show", String(goal.id)]).goal).toMatchObject({
      successLooksLike: "2,500 people open every Friday issue",
    });

    const priority = refusal(cli(["goal", "edit", String(goal.id), "--priority", "high"], db.config));
    expect(priority).toMatch(/^Changing the priority needs a reason.*Add a reason \(--reason "\.\.\."/);
    const raised = run([
      "goal",
      "edit",
      String(goal.id),
      "--priority",
      "high",
      "--reason",
      "The sponsor deal depends on it",
      "--parent",
      "none",
    ]);
    expect(raised).toMatchObject({ priority: "high", parentId: null });
    const human = cli(["goal", "edit", String(goal.id), "--parent", String(parent.id)], db.config);
    expect(human.stdout).toMatch(
      /^Changed goal #\d+ Grow the newsletter to 2,500 subscribers \[active, high\]/,
    );
  });

  it.skipIf(skip)(
    "drops and completes goals only as the API allows, keeping the reason in the history",
    () => {
      const a = run(["goal", "add", "Learn Welsh to A2"]);
      expect(refusal(cli(["goal", "drop", String(a.id)], db.config))).toMatch(
        /^Dropping the goal needs a reason.*--reason/,
      );
      expect(run(["goal", "drop", String(a.id), "--reason", "No time this year"])).toMatchObject({
        status: "dropped",
      });

      const b = run(["goal", "add", "Run a 10k"]);
      const done = cli(["goal", "complete", String(b.id), "--reason", "Ran it in 58 minutes"], db.config);
      expect(done.stdout).toMatch(/^Completed goal #\d+ Run a 10k \[done, medium\]/);
      const history = run<{ field: string; oldValue: string; newValue: string; reason: string }[]>([
        "goal",
        "history",
        String(b.id),
      ]);
      expect(history).toEqual([
        expect.objectContaining({
          field: "status",
          oldValue: "active",
          newValue: "done",
          reason: "Ran it in 58 minutes",
        }),
      ]);
      expect(refusal(cli(["goal", "complete", "9999"], db.config))).toBe(
        "No goal with id 9999. List them to find the right id.",
      );
    },
  );

  it.skipIf(skip)("archives a finished goal out of the list and brings it back", () => {
    const open = run(["goal", "add", "Write the handbook"]);
    expect(refusal(cli(["goal", "archive", String(open.id)], db.config))).toMatch(
      /is still active\. Mark it done or drop it first/,
    );
    run(["goal", "complete", String(open.id)]);
    const archived = cli(["goal", "archive", String(open.id)], db.config);
    expect(archived.stdout).toMatch(/^Archived goal #\d+ Write the handbook/);
    const titles = (args: string[]) =>
      run<{ title: string }[]>(["goal", "list", ...args]).map((g) => g.title);
    expect(titles([])).not.toContain("Write the handbook");
    expect(titles(["--archived"])).toEqual(["Write the handbook"]);
    const back = cli(["goal", "unarchive", String(open.id)], db.config);
    expect(back.stdout).toMatch(/^Took goal #\d+ Write the handbook .* out of the archive/);
    expect(titles([])).toContain("Write the handbook");
  });

  it.skipIf(skip)("edits a key result's title and unit, and its target only with a reason", () => {
    const goal = run(["goal", "add", "Grow the newsletter"]);
    const kr = run(["kr", "add", String(goal.id), "Subscribers", "--from", "1200", "--to", "2000"]);
    expect(refusal(cli(["kr", "edit", String(kr.id), "--target", "2500"], db.config))).toMatch(
      /^Changing a key result's target needs a reason.*--reason/,
    );
    const edited = run([
      "kr",
      "edit",
      String(kr.id),
      "--target",
      "2500",
      "--reason",
      "The sponsor asked for more reach",
      "--title",
      "Paying subscribers",
      "--unit",
      "readers",
    ]);
    expect(edited).toMatchObject({ targetValue: 2500, title: "Paying subscribers", unit: "readers" });
    const human = cli(["kr", "edit", String(kr.id), "--value", "1300"], db.config);
    expect(human.stdout).toBe(
      `Changed KR #${kr.id} Paying subscribers: 1300 readers (from 1200 to 2500 readers, 8%)\n`,
    );
  });

  it.skipIf(skip)(
    "edits and removes barriers and resources; a removal leaves the plan and shows in the history",
    () => {
      const goal = run(["goal", "add", "Launch the podcast"]);
      const barrier = run([
        "barrier",
        "add",
        String(goal.id),
        "Guests cancel",
        "--plan-b",
        "If a guest cancels, then I record a solo episode",
      ]);
      const resource = run([
        "resource",
        "add",
        String(goal.id),
        "Dana",
        "--kind",
        "person",
        "--ask",
        "Intro",
      ]);

      const b = run([
        "barrier",
        "edit",
        String(barrier.id),
        "--likelihood",
        "high",
        "--reason",
        "Two cancelled",
      ]);
      expect(b).toMatchObject({ likelihood: "high", obstacle: "Guests cancel" });
      const r = cli(["resource", "edit", String(resource.id), "--ask", "Intro two guests"], db.config);
      expect(r.stdout).toBe(`Changed resource #${resource.id} Dana (person): ask "Intro two guests"\n`);

      expect(refusal(cli(["barrier", "remove", String(barrier.id)], db.config))).toBe(
        'Removing a barrier needs a reason, so the people following the goal know why. Add a reason (--reason "..." or "reason" in the body).',
      );
      expect(refusal(cli(["resource", "remove", String(resource.id)], db.config))).toMatch(
        /^Removing a resource needs a reason.*--reason/,
      );
      const kept = run<{ barriers: Json[]; resources: Json[] }>(["goal", "show", String(goal.id)]);
      expect([kept.barriers.length, kept.resources.length]).toEqual([1, 1]);

      const removed = run([
        "barrier",
        "remove",
        String(barrier.id),
        "--reason",
        "We book two guests per slot now",
      ]);
      expect(removed).toMatchObject({ id: barrier.id, removedAt: expect.any(String) });
      const human = cli(
        ["resource", "remove", String(resource.id), "--reason", "Dana moved away"],
        db.config,
      );
      expect(human.stdout).toBe(`Removed resource #${resource.id} Dana (person): ask "Intro two guests"\n`);

      const after = run<{ barriers: Json[]; resources: Json[] }>(["goal", "show", String(goal.id)]);
      expect([after.barriers, after.resources]).toEqual([[], []]);
      const history = cli(["goal", "history", String(goal.id)], db.config)
        .stdout.trim()
        .split("\n");
      expect(history.map((l) => l.slice(11))).toEqual([
        `barrier #${barrier.id} likelihood: medium → high (because Two cancelled)`,
        `resource #${resource.id} ask: Intro → Intro two guests`,
        `barrier #${barrier.id} removed: Guests cancel (because We book two guests per slot now)`,
        `resource #${resource.id} removed: Dana (because Dana moved away)`,
      ]);
      expect(refusal(cli(["barrier", "edit", String(barrier.id), "--likelihood", "low"], db.config))).toBe(
        `No barrier with id ${barrier.id}. List them to find the right id.`,
      );
    },
  );

  it.skipIf(skip)("delegates a step with what done looks like; only the person asked may accept", () => {
    const goal = run(["goal", "add", "Sign two sponsors"]);
    const step = run(["step", "add", String(goal.id), "Email Raj the deck"]);
    const asked = run([
      "delegate",
      String(step.id),
      "--to",
      "dana@example.com",
      "--done-looks-like",
      "Raj has replied yes or no",
      "--by",
      "2027-01-15",
      "--why",
      "Raj decides this quarter",
    ]);
    expect(asked).toMatchObject({
      stepId: step.id,
      what: "Email Raj the deck",
      dueDate: "2027-01-15",
      doneLooksLike: "Raj has replied yes or no",
      why: "Raj decides this quarter",
      state: "proposed",
      how: "How you do it is up to you.",
    });
    expect(run<Json[]>(["delegation", "list"]).map((x) => x.id)).toContain(asked.id);
    const human = cli(["delegation", "list"], db.config);
    expect(human.stdout).toContain(`#${asked.id} Email Raj the deck by 2027-01-15 [proposed]`);
    expect(refusal(cli(["delegation", "accept", String(asked.id)], db.config))).toBe(
      "Only the person asked can accept this.",
    );
    expect(
      refusal(
        cli(
          [
            "delegate",
            String(step.id),
            "--to",
            "dana@example.com",
            "--done-looks-like",
            "x",
            "--by",
            "31/02/2027",
          ],
          db.config,
        ),
      ),
    ).toBe("--by '31/02/2027' is not a date. Use YYYY-MM-DD or words like 'next Friday'.");
  });

  it.skipIf(skip)("commits to a goal in front of a witness, then keeps or misses it", () => {
    const goal = run(["goal", "add", "Ship the welcome email"]);
    const made = run([
      "commit",
      String(goal.id),
      "Send the welcome email",
      "--by",
      "2027-01-08",
      "--witness",
      "raj@example.com",
    ]);
    expect(made).toMatchObject({
      goalId: goal.id,
      text: "Send the welcome email",
      dueDate: "2027-01-08",
      status: "open",
      witnessUserIds: [expect.any(Number)],
    });
    expect(run(["commitment", "keep", String(made.id)])).toMatchObject({ status: "kept" });
    const other = cli(["commit", String(goal.id), "Draft the second email", "--by", "2027-01-15"], db.config);
    expect(other.stdout).toMatch(/^Committed: #\d+ Draft the second email by 2027-01-15 \[open\]\n$/);
    const id = /#(\d+)/.exec(other.stdout)?.[1] as string;
    expect(cli(["commitment", "miss", id], db.config).stdout).toBe(
      `Missed: #${id} Draft the second email by 2027-01-15 [missed]\n`,
    );
    expect(run<Json[]>(["commitment", "list", "--status", "missed"]).map((c) => c.id)).toEqual([Number(id)]);
    expect(refusal(cli(["commitment", "keep", "9999"], db.config))).toBe(
      "No commitment with id 9999. List them to find the right id.",
    );
  });

  it.skipIf(skip)(
    "edits, moves, drops and re-opens steps; the moves, drops and re-openings need a reason",
    () => {
      const goal = run(["goal", "add", "Sign two sponsors"]);
      const step = run(["step", "add", String(goal.id), "Email Raj the deck", "--due", "2027-01-08"]);
      const edited = run([
        "step",
        "edit",
        String(step.id),
        "--text",
        "Email Raj the revised deck",
        "--estimate",
        "15",
        "--owner",
        "Dana",
      ]);
      expect(edited).toMatchObject({
        text: "Email Raj the revised deck",
        estimateMinutes: 15,
        dueDate: "2027-01-08",
      });
      expect(edited.ownerId).not.toBe(step.ownerId);
      expect(refusal(cli(["step", "edit", String(step.id), "--due", "2027-01-15"], db.config))).toBe(
        `Moving a step's due date needs a reason, so the people following the goal know why. Add a reason (--reason "..." or "reason" in the body).`,
      );
      expect(refusal(cli(["step", "move", String(step.id), "--due", "2027-01-15"], db.config))).toMatch(
        /^Moving a step's due date needs a reason.*--reason/,
      );
      expect(refusal(cli(["step", "edit", String(step.id), "--estimate", "a while"], db.config))).toBe(
        "--estimate 'a while' is not a number of minutes. Use e.g. --estimate 30.",
      );
      const moved = cli(
        ["step", "move", String(step.id), "--due", "2027-01-15", "--reason", "Raj is away"],
        db.config,
      );
      expect(moved.stdout).toBe(
        `Moved: [ ] #${step.id} Email Raj the revised deck (by 2027-01-15) ~15 min\n`,
      );
      expect(
        run(["step", "edit", String(step.id), "--due", "2027-01-22", "--reason", "Raj is away longer"]),
      ).toMatchObject({ dueDate: "2027-01-22" });

      expect(refusal(cli(["step", "drop", String(step.id)], db.config))).toMatch(
        /^Dropping a step needs a reason.*--reason/,
      );
      expect(run(["step", "drop", String(step.id), "--reason", "Raj said no"])).toMatchObject({
        status: "dropped",
      });

      const other = run(["step", "add", String(goal.id), "Call Dana", "--due", "2027-01-08"]);
      run(["step", "done", String(other.id), "--date", "today"]);
      expect(refusal(cli(["step", "undo", String(other.id)], db.config))).toMatch(
        /^Re-opening a step needs a reason.*--reason/,
      );
      expect(run(["step", "undo", String(other.id), "--reason", "She never picked up"])).toMatchObject({
        status: "todo",
        doneAt: null,
      });

      const history = cli(["goal", "history", String(goal.id)], db.config)
        .stdout.trim()
        .split("\n");
      expect(history.map((l) => l.slice(11))).toEqual([
        `step #${step.id} dueDate: 2027-01-08 → 2027-01-15 (because Raj is away)`,
        `step #${step.id} dueDate: 2027-01-15 → 2027-01-22 (because Raj is away longer)`,
        `step #${step.id} status: todo → dropped (because Raj said no)`,
        `step #${other.id} status: done → todo (because She never picked up)`,
      ]);
    },
  );
});

describe("the plan-changing verbs against a server", { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "throughline-verbs-"));
  const remote = {};
  let db: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let owner: Person;
  let mia: Person;
  const envOf = (who: string) => ({
    THROUGHLINE_CONFIG: join(dir, who, "config.json"),
    THROUGHLINE_DB: join(dir, `${who}-local.db`),
  });
  /** Runs the CLI as `who` against the server and parses its --json answer. */
  const as = async <T = Json>(who: "owner" | "mia", args: string[]): Promise<T> => {
    const r = await cliAsync([...args, "--json"], remote, { env: envOf(who) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  const get = async (p: Person, path: string) => (await p.api.request(path)).json();

  beforeAll(async () => {
    db = await freshStore("sqlite");
    server = await serveApp(appContext(db.store));
    const { url, http } = server;
    owner = await signUp(http, { email: "owner@example.com", name: "Olu Owner" });
    const post = (path: string, body: unknown) =>
      owner.api.request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const team = (await (await post("/api/teams", { name: "Growth" })).json()) as Json;
    const invitation = (await (
      await post("/api/invitations", { teamId: team.id, role: "member", email: "mia@example.com" })
    ).json()) as { token: string };
    mia = await signUp(http, { email: "mia@example.com", name: "Mia", inviteToken: invitation.token });
    for (const [who, p] of [
      ["owner", owner],
      ["mia", mia],
    ] as const) {
      const r = await cliAsync(["login", url], remote, {
        env: { ...envOf(who), THROUGHLINE_TOKEN: p.token },
      });
      expect(r.code).toBe(0);
    }
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("edits goals and key results and shows the success picture, as the API answers", async () => {
    const parent = await as("owner", ["goal", "add", "Grow the business"]);
    const goal = await as("owner", ["goal", "add", "Grow the newsletter", "--parent", String(parent.id)]);
    const edited = await as("owner", [
      "goal",
      "edit",
      String(goal.id),
      "--success",
      "2,000 people open every issue",
      "--why",
      "Sponsors pay for reach",
    ]);
    expect(edited).toMatchObject({ parentId: parent.id, successLooksLike: "2,000 people open every issue" });
    const human = await cliAsync(["goal", "show", String(goal.id)], remote, { env: envOf("owner") });
    expect(human.stdout).toContain("  Success looks like: 2,000 people open every issue\n");
    expect(await as("owner", ["goal", "show", String(goal.id)])).toEqual(
      await get(owner, `/api/goals/${goal.id}/plan`),
    );

    const kr = await as("owner", [
      "kr",
      "add",
      String(goal.id),
      "Subscribers",
      "--from",
      "1200",
      "--to",
      "2000",
    ]);
    const refused = await cliAsync(["kr", "edit", String(kr.id), "--target", "2500"], remote, {
      env: envOf("owner"),
    });
    expect(refusal(refused)).toMatch(/^Changing a key result's target needs a reason.*--reason/);
    expect(
      await as("owner", [
        "kr",
        "edit",
        String(kr.id),
        "--target",
        "2500",
        "--reason",
        "Sponsor",
        "--unit",
        "users",
      ]),
    ).toMatchObject({ targetValue: 2500, unit: "users" });

    const completed = await as("owner", ["goal", "complete", String(goal.id), "--reason", "Reached 2,500"]);
    expect(completed).toMatchObject({ status: "done" });
    const history = (await get(owner, `/api/goals/${goal.id}/history`)) as { items: Json[] };
    expect(history.items.at(-1)).toMatchObject({
      field: "status",
      newValue: "done",
      reason: "Reached 2,500",
    });
  });

  it("edits and removes barriers and resources; the history API shows who removed what and why", async () => {
    const goal = await as("owner", ["goal", "add", "Launch the podcast"]);
    const barrier = await as("owner", [
      "barrier",
      "add",
      String(goal.id),
      "Guests cancel",
      "--plan-b",
      "If a guest cancels, then I record a solo episode",
    ]);
    const resource = await as("owner", ["resource", "add", String(goal.id), "Dana", "--kind", "person"]);
    expect(
      await as("owner", [
        "barrier",
        "edit",
        String(barrier.id),
        "--status",
        "hit",
        "--reason",
        "Raj cancelled",
      ]),
    ).toMatchObject({ status: "hit", hitAt: expect.any(String) });
    expect(await as("owner", ["resource", "edit", String(resource.id), "--name", "Dana Lee"])).toMatchObject({
      name: "Dana Lee",
    });

    const refused = await cliAsync(["barrier", "remove", String(barrier.id)], remote, {
      env: envOf("owner"),
    });
    expect(refusal(refused)).toMatch(/^Removing a barrier needs a reason.*--reason/);
    const removed = await as("owner", [
      "barrier",
      "remove",
      String(barrier.id),
      "--reason",
      "Solo episodes work",
    ]);
    expect(removed).toMatchObject({ id: barrier.id, removedAt: expect.any(String) });
    await as("owner", ["resource", "remove", String(resource.id), "--reason", "Dana moved away"]);

    const plan = (await get(owner, `/api/goals/${goal.id}/plan`)) as { barriers: Json[]; resources: Json[] };
    expect([plan.barriers, plan.resources]).toEqual([[], []]);
    const history = (await get(owner, `/api/goals/${goal.id}/history`)) as { items: Json[] };
    expect(history.items.filter((h) => h.field === "removed")).toEqual([
      expect.objectContaining({
        entity: "barrier",
        entityId: barrier.id,
        oldValue: "Guests cancel",
        reason: "Solo episodes work",
        userId: owner.userId,
        createdAt: removed.removedAt,
      }),
      expect.objectContaining({ entity: "resource", entityId: resource.id, oldValue: "Dana Lee" }),
    ]);
    // Someone else cannot remove what is not theirs.
    const other = await as("owner", [
      "barrier",
      "add",
      String(goal.id),
      "Rain",
      "--plan-b",
      "If it rains, then I record inside",
    ]);
    const notTheirs = await cliAsync(
      ["barrier", "remove", String(other.id), "--reason", "Mine now"],
      remote,
      {
        env: envOf("mia"),
      },
    );
    expect(refusal(notTheirs)).toBe(`No barrier with id ${other.id}. List them to find the right id.`);
  });

  it("delegates a step by email; the assignee asks, the delegator answers, the assignee accepts", async () => {
    const goal = await as("owner", ["goal", "add", "Sign two sponsors"]);
    const step = await as("owner", ["step", "add", String(goal.id), "Email Raj the deck"]);
    const asked = await as("owner", [
      "delegate",
      String(step.id),
      "--to",
      "Mia@Example.com",
      "--done-looks-like",
      "Raj has replied",
      "--by",
      "2027-01-15",
    ]);
    expect(asked).toMatchObject({ assigneeId: mia.userId, state: "proposed", dueDate: "2027-01-15" });
    const unknown = await cliAsync(
      [
        "delegate",
        String(step.id),
        "--to",
        "nobody@example.com",
        "--done-looks-like",
        "x",
        "--by",
        "2027-01-15",
      ],
      remote,
      { env: envOf("owner") },
    );
    expect(refusal(unknown)).toBe(
      "Nobody with the address nobody@example.com is in this workspace on the server. Check the address, or invite them first.",
    );

    const id = String(asked.id);
    expect(await as("mia", ["delegation", "clarify", id, "Which deck?"])).toMatchObject({
      state: "clarification-asked",
      question: "Which deck?",
    });
    const wrongSide = await cliAsync(["delegation", "answer", id, "Mine"], remote, { env: envOf("mia") });
    expect(refusal(wrongSide)).toBe("Only the person who delegated can answer.");
    expect(await as("owner", ["delegation", "answer", id, "The March one"])).toMatchObject({
      state: "proposed",
      answer: "The March one",
    });
    const human = await cliAsync(["delegation", "accept", id], remote, { env: envOf("mia") });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^Accepted #${id} Email Raj the deck by 2027-01-15 \\[accepted\\]`),
    );
    expect(await get(mia, `/api/steps/${step.id}`)).toMatchObject({
      ownerId: mia.userId,
      delegationState: "accepted",
    });
  });

  it("commits in front of a witness by email; missing it tells the witness", async () => {
    const goal = await as("owner", ["goal", "add", "Ship the welcome email"]);
    const made = await as("owner", [
      "commit",
      String(goal.id),
      "Send the welcome email",
      "--by",
      "2027-01-08",
      "--witness",
      "mia@example.com",
    ]);
    expect(made).toMatchObject({ witnessUserIds: [mia.userId], status: "open", dueDate: "2027-01-08" });
    const notMine = await cliAsync(["commitment", "keep", String(made.id)], remote, { env: envOf("mia") });
    expect(refusal(notMine)).toBe(`No commitment with id ${made.id}. List them to find the right id.`);
    expect(await as("owner", ["commitment", "miss", String(made.id)])).toMatchObject({ status: "missed" });
    const inbox = (await get(mia, "/api/inbox")) as { items: { message: string }[] };
    expect(inbox.items.map((n) => n.message)).toContain(
      'A commitment you witness was missed: "Send the welcome email" (due 2027-01-08).',
    );
  });
  it("edits, moves, drops and re-opens steps on the server, with the API's refusals", async () => {
    const goal = await as("owner", ["goal", "add", "Sign two sponsors"]);
    const step = await as("owner", [
      "step",
      "add",
      String(goal.id),
      "Email Raj the deck",
      "--due",
      "2027-01-08",
    ]);
    expect(
      await as("owner", ["step", "edit", String(step.id), "--owner", "mia@example.com", "--estimate", "20"]),
    ).toMatchObject({ ownerId: mia.userId, estimateMinutes: 20 });
    const refused = await cliAsync(["step", "move", String(step.id), "--due", "2027-01-15"], remote, {
      env: envOf("owner"),
    });
    expect(refusal(refused)).toMatch(/^Moving a step's due date needs a reason.*--reason/);
    expect(
      await as("owner", ["step", "move", String(step.id), "--due", "2027-01-15", "--reason", "Raj is away"]),
    ).toMatchObject({ dueDate: "2027-01-15" });
    await as("owner", ["step", "done", String(step.id)]);
    const undo = await cliAsync(["step", "undo", String(step.id)], remote, { env: envOf("owner") });
    expect(refusal(undo)).toMatch(/^Re-opening a step needs a reason.*--reason/);
    expect(
      await as("owner", ["step", "undo", String(step.id), "--reason", "The deck bounced"]),
    ).toMatchObject({
      status: "todo",
    });
    expect(await as("owner", ["step", "drop", String(step.id), "--reason", "Raj said no"])).toMatchObject({
      status: "dropped",
    });
    expect(await as("owner", ["goal", "history", String(goal.id)])).toEqual(
      ((await get(owner, `/api/goals/${goal.id}/history`)) as { items: Json[] }).items,
    );
    const history = (await get(owner, `/api/goals/${goal.id}/history`)) as { items: Json[] };
    expect(history.items.map((h) => [h.entity, h.field, h.newValue, h.reason])).toEqual([
      ["step", "dueDate", "2027-01-15", "Raj is away"],
      ["step", "status", "todo", "The deck bounced"],
      ["step", "status", "dropped", "Raj said no"],
    ]);
  });
});
