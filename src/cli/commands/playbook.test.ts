/**
 * `throughline playbook ...`: save a goal's plan as a playbook, read what a plan from it gets,
 * write and edit one from a file, start a goal from one; on the local database (both dialects) and
 * against a server.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliAsync, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { serveApp, signUp } from "../../../test/helpers/http.js";
import { appContext } from "../../app/context.js";
import { createPlan } from "../../app/plans/plan.js";

interface PlanJson {
  goal: { id: number; title: string; dueDate: string | null };
  keyResults: { id: number; title: string }[];
  steps: { text: string; keyResultId: number | null }[];
  barriers: { obstacle: string }[];
  warnings: { code: string; message: string }[];
}

interface PlaybookJson {
  id: number;
  title: string;
  version: number;
  body: string;
  template: {
    steps: { text: string; keyResult: number | null }[];
    notes: { step: number; message: string }[];
  };
}

/** Each step's text with the title of the key result it serves (null for none). */
function stepsWithKr(plan: Pick<PlanJson, "keyResults" | "steps">) {
  const title = new Map(plan.keyResults.map((k) => [k.id, k.title]));
  return plan.steps.map((s) => [s.text, s.keyResultId == null ? null : title.get(s.keyResultId)]);
}

/** A user error: a non-zero exit and one sentence, no stack trace. */
function refused(r: { code: number; stderr: string }, words: string) {
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain(words);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe.each(DIALECTS)("playbook commands on %s", { timeout: 180_000 }, (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let dir: string;
  let goalId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    dir = mkdtempSync(join(tmpdir(), "throughline-playbook-"));
    const { ctx, actor } = await actorFor(db.store);
    const plan = await createPlan(ctx, actor, {
      goal: { title: "Grow the newsletter", why: "Readers fund the work", dueDate: "2027-03-31" },
      keyResults: [
        { title: "Subscribers", startValue: 0, targetValue: 500, unit: "subscribers" },
        { title: "Open rate", startValue: 20, targetValue: 45, unit: "%" },
      ],
      steps: [
        { text: "Ask Raj for the partner list", keyResult: 1 },
        { text: "Read the finance note (KR 2)" },
        { text: "Rewrite the subject lines", keyResult: "Open rate" },
      ],
      barriers: [{ obstacle: "Raj is away", planB: "If Raj is away, then I ask Dana", likelihood: "low" }],
    });
    goalId = plan.goal.id;
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    "saves a goal's plan as a playbook, shows which key result each step serves, and starts a goal from it",
    () => {
      const saved = cli(["playbook", "save", String(goalId), "--title", "Newsletter launch"], db.config);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stdout).toContain("as playbook #1 Newsletter launch (version 1, updated 20");
      expect(saved.stdout).toContain("2 key results, 3 steps (2 serving a key result), 1 Plan B.");
      expect(cli(["playbook", "list"], db.config).stdout).toContain("#1 Newsletter launch (version 1");

      const shown = cli(["playbook", "show", "1"], db.config);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain("    1. Subscribers: from 0 to 500 subscribers");
      expect(shown.stdout).toContain("    [ ] Ask Raj for the partner list  → KR 1 Subscribers\n");
      // The step's own words end in "(KR 2)": they stay words, not a link, with no note.
      expect(shown.stdout).toContain("    [ ] Read the finance note (KR 2)\n");
      expect(shown.stdout).toContain("    [ ] Rewrite the subject lines  → KR 2 Open rate\n");
      expect(shown.stdout).toContain("    If Raj is away, then I ask Dana");
      expect(shown.stdout).not.toContain("Notes:");
      const markdown = cli(["playbook", "show", "1", "--markdown"], db.config).stdout;
      expect(markdown).toContain("- [ ] Read the finance note \\(KR 2)\n");
      expect(markdown).toContain("- [ ] Rewrite the subject lines (KR 2)\n");

      const used = cliJson<PlanJson>(
        ["playbook", "use", "1", "--title", "Grow the podcast", "--due", "2027-06-30"],
        db.config,
      );
      expect([used.goal.title, used.goal.dueDate]).toEqual(["Grow the podcast", "2027-06-30"]);
      expect(stepsWithKr(used)).toEqual([
        ["Ask Raj for the partner list", "Subscribers"],
        ["Read the finance note (KR 2)", null],
        ["Rewrite the subject lines", "Open rate"],
      ]);
      expect(used.barriers.map((b) => b.obstacle)).toEqual(["Raj is away"]);
      const human = cli(["playbook", "use", "1", "--due", "2027-06-30"], db.config);
      expect(human.stdout).toMatch(
        /^Started goal #\d+ Newsletter launch \[active, medium\] due 2027-06-30 from playbook #1: 2 key results, 3 steps \(2 serving a key result\), 1 Plan B\./,
      );
    },
  );

  it.skipIf(skip)(
    "writes a playbook from a file, says which (KR …) endings stay text, and keeps every version",
    () => {
      const file = join(dir, "review.md");
      writeFileSync(
        file,
        "## Steps\n- Review the Q3 numbers (KR: Revenue)\n- Call Dana (KR 1)\n\n## Key results\n- Calls: from 0 to 20 calls\n",
      );
      const added = cli(["playbook", "add", "Quarterly review", "--file", file], db.config);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain(
        'note: Step 1 ("Review the Q3 numbers (KR: Revenue)") keeps "(KR: Revenue)" as part of its text: no key result is called "Revenue" (they are "Calls").',
      );
      const id = (added.stdout.match(/playbook #(\d+)/) as RegExpMatchArray)[1] as string;
      expect(cli(["playbook", "show", id], db.config).stdout).toContain("  Notes:\n");

      const edited = cli(
        ["playbook", "edit", id, "--file", "-", "--note", "Revenue is words here"],
        db.config,
        "## Steps\n- Review the Q3 numbers \\(KR: Revenue)\n- Call Dana (KR 1)\n\n## Key results\n- Calls: from 0 to 20 calls\n",
      );
      expect(edited.code, edited.stderr).toBe(0);
      expect(edited.stdout).toContain("(version 2,");
      expect(edited.stdout).not.toContain("note:");
      const renamed = cliJson<PlaybookJson>(
        ["playbook", "edit", id, "--title", "Quarterly numbers"],
        db.config,
      );
      expect([renamed.title, renamed.version]).toEqual(["Quarterly numbers", 3]);
      expect(renamed.body).toContain("\\(KR: Revenue)");
      expect(renamed.template.steps).toEqual([
        { text: "Review the Q3 numbers (KR: Revenue)", keyResult: null },
        { text: "Call Dana", keyResult: 1 },
      ]);
      expect(renamed.template.notes).toEqual([]);
      const history = cli(["playbook", "history", id], db.config).stdout.trim().split("\n");
      expect(history).toHaveLength(3);
      expect(history[1]).toMatch(/^v2 \d{4}-\d{2}-\d{2} by .+: Revenue is words here$/);
    },
  );

  it.skipIf(skip)("refuses bad input with one sentence that says what to do, and no stack", () => {
    refused(cli(["playbook", "show", "abc"], db.config), "Playbook id 'abc' is not an id");
    refused(cli(["playbook", "show", "999"], db.config), "No playbook with id 999");
    refused(cli(["playbook", "add", "X", "--file", join(dir, "nope.md")], db.config), "Check the path");
    refused(cli(["playbook", "edit", "1"], db.config), "Nothing to change: give --file");
    refused(cli(["playbook", "save", "999"], db.config), "No goal with id 999");
    refused(cli(["playbook", "save", String(goalId), "--team", "999"], db.config), "Check --team");
    refused(
      cli(["playbook", "use", "1", "--visibility", "everyone"], db.config),
      "--visibility 'everyone' is not one of private, team, workspace",
    );
    refused(cli(["playbook", "use", "1", "--due", "2020-01-01"], db.config), "Pick a later due date");
  });

  it.skipIf(skip)("does the same against a server", async () => {
    const home = mkdtempSync(join(tmpdir(), "throughline-playbook-remote-"));
    const env = { THROUGHLINE_CONFIG: join(home, "config.json"), THROUGHLINE_DB: join(home, "local.db") };
    const server = await serveApp(appContext(db.store));
    const run = (args: string[]) => cliAsync(args, {}, { env });
    try {
      const dana = await signUp(server.http, { email: "dana@example.com", name: "Dana" });
      expect(
        (await cliAsync(["login", server.url], {}, { env: { ...env, THROUGHLINE_TOKEN: dana.token } }))
          .stderr,
      ).toBe("");
      const goal = JSON.parse((await run(["goal", "add", "Run a 10k", "--json"])).stdout) as { id: number };
      expect((await run(["kr", "add", String(goal.id), "Km", "--from", "3", "--to", "10"])).code).toBe(0);
      const kr = JSON.parse((await run(["goal", "show", String(goal.id), "--json"])).stdout) as PlanJson;
      const krId = String(kr.keyResults[0]?.id);
      expect((await run(["step", "add", String(goal.id), "Run 3 km on Monday", "--kr", krId])).code).toBe(0);

      const saved = await run(["playbook", "save", String(goal.id), "--json"]);
      expect(saved.code, saved.stderr).toBe(0);
      const p = JSON.parse(saved.stdout) as PlaybookJson;
      expect(p.template.steps).toEqual([{ text: "Run 3 km on Monday", keyResult: 1 }]);
      const shown = await run(["playbook", "show", String(p.id)]);
      expect(shown.stdout).toContain("    [ ] Run 3 km on Monday  → KR 1 Km\n");
      expect((await run(["playbook", "list"])).stdout).toContain(`#${p.id} Run a 10k`);
      const used = JSON.parse(
        (await run(["playbook", "use", String(p.id), "--due", "2027-06-30", "--json"])).stdout,
      ) as PlanJson;
      expect(stepsWithKr(used)).toEqual([["Run 3 km on Monday", "Km"]]);
      const edit = await run([
        "playbook",
        "edit",
        String(p.id),
        "--title",
        "10k in spring",
        "--note",
        "Spring",
      ]);
      expect(edit.stdout).toContain("10k in spring (version 2,");
      expect((await run(["playbook", "history", String(p.id)])).stdout).toContain("by Dana: Spring");
      refused(await run(["playbook", "show", "999"]), "No playbook with id 999");
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
